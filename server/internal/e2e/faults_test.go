package e2e

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
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
// creates its own, after the page's check, or the worker's, found one) is said as
// such, with the engine's reason: not as a problem in the content file, which is
// fine. Where the program runs in the worker and where it runs on the page.
func TestProgramFailureIsNotAContentProblem(t *testing.T) {
	needBrowser(t)
	// The second WebGL 2 context asked for, of a kind of canvas, is refused.
	refuse := func(kind string) string {
		return `(() => {
			const get = ` + kind + `.prototype.getContext;
			let webgl2 = 0;
			` + kind + `.prototype.getContext = function (type, ...rest) {
				if (type === 'webgl2' && ++webgl2 > 1) return null;
				return get.call(this, type, ...rest);
			};
		})();`
	}
	for _, where := range []string{"worker", "page"} {
		t.Run(where, func(t *testing.T) {
			var tb *tab
			if where == "worker" {
				tb = open(t, "", 1280, 720)
				patchWorker(tb, refuse("OffscreenCanvas"))
			} else {
				tb = open(t, "", 1280, 720, withScript(noHandOver+refuse("HTMLCanvasElement")))
			}
			tb.navigate(mainServer(t))
			tb.wait(`!document.getElementById('error').hidden`)
			if got := eval[bool](tb, `performance.getEntriesByName('diagram-go-run')[0].detail.worker`); got != (where == "worker") {
				t.Errorf("the program ran in the worker: %v, want %v", got, where == "worker")
			}
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
			tb.screenshot("program-failure-" + where)
		})
	}
}

// Where the worker cannot draw (no WebGL 2 on its OffscreenCanvas), the page runs
// the program itself, warmed up by the worker as where a canvas cannot be handed
// over, and it answers the pointer.
func TestProgramRunsOnThePageWhereTheWorkerCannotDraw(t *testing.T) {
	tb := open(t, "", 1280, 720)
	patchWorker(tb, `OffscreenCanvas.prototype.getContext = function () { return null; };`)
	tb.navigate(mainServer(t) + "?paused=1")
	tb.waitReady()
	if eval[bool](tb, `performance.getEntriesByName('diagram-go-run')[0].detail.worker`) {
		t.Error("the program ran in the worker, which cannot draw")
	}
	if !eval[bool](tb, `performance.getEntriesByName('diagram-warm-started').length > 0`) {
		t.Error("no warm-up run in the worker")
	}
	s, _ := model(t, tb)
	cop := probesOf(s)["cop"]
	tb.click(cop.X, cop.Y)
	tb.wait(`document.getElementById('panel-title').textContent.includes('Community of Practice')`)
	tb.noConsoleErrors()
}

// A WebGL context lost in the worker (the GPU reset, the driver updated) is said
// on the page, with a way to reload, and the page does not reload by itself (as
// Ebiten would, which can loop).
func TestLostContextInTheWorkerIsSaid(t *testing.T) {
	tb := open(t, "", 1280, 720)
	// Once the program has shown its first picture, its context is lost.
	patchWorker(tb, `(() => {
		const get = OffscreenCanvas.prototype.getContext;
		let gl = null;
		OffscreenCanvas.prototype.getContext = function (type, ...rest) {
			const c = get.call(this, type, ...rest);
			if (type === 'webgl2' && this.width > 1) gl = c;
			return c;
		};
		const post = self.postMessage.bind(self);
		self.postMessage = (m, ...rest) => {
			if (m && m.event === 'ready' && gl) setTimeout(() => gl.getExtension('WEBGL_lose_context').loseContext(), 300);
			return post(m, ...rest);
		};
	})();`)
	tb.navigate(mainServer(t) + "?paused=1")
	tb.waitReady()
	eval[any](tb, `window.__sameDocument = true, null`)
	tb.wait(`!document.getElementById('error').hidden`)
	words := langFile(t, "en")
	if msg := eval[string](tb, `document.getElementById('error-message').textContent`); msg != words.UI["errorLost"] {
		t.Errorf("the page says %q, want %q", msg, words.UI["errorLost"])
	}
	if !eval[bool](tb, `!document.getElementById('error-retry').hidden`) {
		t.Error("no way to reload")
	}
	if !eval[bool](tb, `window.__sameDocument === true`) {
		t.Error("the page reloaded by itself")
	}
}

// patchWorker runs js in the page's worker before its own script (the worker's
// script is answered with js and then the built one).
func patchWorker(tb *tab, js string) {
	tb.t.Helper()
	names, _ := filepath.Glob(filepath.Join(siteDir, "assets", "warm.*.js"))
	if len(names) != 1 {
		tb.t.Fatalf("the built worker: %v", names)
	}
	src, err := os.ReadFile(names[0])
	if err != nil {
		tb.t.Fatal(err)
	}
	body := append([]byte(js+"\n"), src...)
	if _, err := chromedp.Call(tb.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/assets/warm.*"}}}); err != nil {
		tb.t.Fatal(err)
	}
	events := chromedp.Events(tb.ctx, fetch.RequestPaused)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			chromedp.Call(tb.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
				RequestID: ev.RequestID, ResponseCode: 200,
				ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/javascript; charset=utf-8"}},
				Body:            body,
			})
		}
	}()
}
