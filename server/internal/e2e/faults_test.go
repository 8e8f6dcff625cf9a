package e2e

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/connectedlearning/diagram/server/internal/handler"
)

// truncatedWasmServer serves the site with its wasm cut to a third, as a download
// that broke off.
func truncatedWasmServer(t *testing.T) *server {
	t.Helper()
	dir := copySite(t)
	ms, _ := filepath.Glob(filepath.Join(dir, "assets", "main.*.wasm"))
	data, _ := os.ReadFile(ms[0])
	replaceAsset(t, dir, "assets/"+filepath.Base(ms[0]), data[:len(data)/3])
	return startServer(t, dir)
}

func TestTruncatedWasmSaysSo(t *testing.T) {
	needBrowser(t)
	srv := truncatedWasmServer(t)
	tb := open(t, srv.URL, 1280, 720)
	tb.wait(`!document.getElementById('error').hidden`)
	msg := eval[string](tb, `document.getElementById('error').innerText`)
	if !strings.Contains(msg, "could not be downloaded") || !eval[bool](tb, `!document.getElementById('error-retry').hidden`) {
		t.Errorf("error message: %q", msg)
	}
	if len(tb.consoleErrors()) == 0 {
		t.Error("the console does not say why")
	}
	if distinctColors(tb.screenshot("wasm-truncated")) < 20 {
		t.Error("blank page")
	}
}

// A content file that the server fails to send (500) gives a clear message.
func TestContentServerErrorSaysSo(t *testing.T) {
	needBrowser(t)
	s, err := handler.Load(os.DirFS(siteDir))
	if err != nil {
		t.Fatal(err)
	}
	h := handler.New(s, handler.Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/assets/diagram.") {
			http.Error(w, "disk on fire", http.StatusInternalServerError)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	tb := open(t, srv.URL+"/", 1280, 720)
	tb.wait(`!document.getElementById('error').hidden`)
	msg := eval[string](tb, `document.getElementById('error').innerText`)
	if !strings.Contains(msg, "500") {
		t.Errorf("error message does not name the failure: %q", msg)
	}
	if errs := strings.Join(tb.consoleErrors(), "\n"); !strings.Contains(errs, "500") {
		t.Errorf("the console does not say why: %q", errs)
	}
	tb.screenshot("content-500")
}

// A minute of animation: the program's memory settles after the first ten
// seconds (no growth beyond 10%) and the console stays clean.
func TestLongRunIsStable(t *testing.T) {
	if testing.Short() {
		t.Skip("a minute long")
	}
	tb := open(t, mainServer(t)+"?motion=full&speed=2", 1280, 720)
	tb.waitReady()
	tb.elapse(10 * time.Second)
	early := eval[float64](tb, `window.diagramBridge.memory()`)
	if early == 0 {
		t.Fatal("the page does not report the program's memory")
	}
	tb.elapse(50 * time.Second)
	late := eval[float64](tb, `window.diagramBridge.memory()`)
	t.Logf("wasm memory %.1f MB at 10 s, %.1f MB at 60 s", early/1e6, late/1e6)
	if late > early*1.10 {
		t.Errorf("wasm memory grew from %.1f MB to %.1f MB", early/1e6, late/1e6)
	}
	if eval[string](tb, `document.getElementById('play').dataset.playing`) != "true" {
		t.Error("the diagram stopped animating")
	}
	tb.noConsoleErrors()
}

// A failure of the program itself (here the engine finds no WebGL 2 context when it
// creates its own, after the page's check found one) is said as such, with the
// engine's reason: not as a problem in the content file, which is fine.
func TestProgramFailureIsNotAContentProblem(t *testing.T) {
	tb := open(t, "", 1280, 720)
	if _, err := chromedp.Call(tb.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `(() => {
		const get = HTMLCanvasElement.prototype.getContext;
		let webgl2 = 0;
		HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
			if (type === 'webgl2' && ++webgl2 > 1) return null;
			return get.call(this, type, ...rest);
		};
	})()`}); err != nil {
		t.Fatal(err)
	}
	tb.navigate(mainServer(t))
	tb.wait(`!document.getElementById('error').hidden`)
	msg := eval[string](tb, `document.getElementById('error-message').textContent`)
	detail := eval[string](tb, `document.getElementById('error-detail').textContent`)
	words := langFile(t, "en")
	if msg != words.UI["errorProgram"] || strings.Contains(msg, "content") {
		t.Errorf("the page says %q (%q), want the program's failure %q", msg, detail, words.UI["errorProgram"])
	}
	if detail == "" || !strings.Contains(strings.ToLower(detail), "webgl") {
		t.Errorf("the detail %q does not give the engine's reason", detail)
	}
	if !eval[bool](tb, `!document.getElementById('error-retry').hidden`) {
		t.Error("no retry button")
	}
	if errs := strings.Join(tb.consoleErrors(), "\n"); !strings.Contains(errs, words.UI["errorProgram"]) {
		t.Errorf("the console does not say it: %q", errs)
	}
	tb.screenshot("program-failure")
}
