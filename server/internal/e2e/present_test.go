package e2e

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/png"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

func stepShown(tb *tab) string {
	return eval[string](tb, `document.getElementById('step-count').textContent`)
}

func waitStep(tb *tab, n int) {
	tb.t.Helper()
	tb.wait(fmt.Sprintf(`document.getElementById('step-count').textContent === '%d / 6' && new URLSearchParams(location.search).get('step') === '%d'`, n, n))
}

func TestKeysAndClickerMoveSteps(t *testing.T) {
	tb := open(t, mainServer(t)+"?present=1&step=1&paused=1", 1280, 720)
	tb.waitReady()
	tb.click(5, 700) // focus the diagram, as a person would
	for _, k := range []struct {
		key  string
		want int
	}{
		{kb.ArrowRight, 2}, {" ", 3}, {kb.PageDown, 4}, // the clicker's "next"
		{kb.ArrowLeft, 3}, {kb.PageUp, 2}, // the clicker's "back"
		{kb.End, 6}, {kb.Home, 1},
	} {
		tb.do(chromedp.KeyEvent(k.key))
		waitStep(tb, k.want)
	}
	// The caption follows the step.
	if c := eval[string](tb, `document.getElementById('caption-title').textContent`); c != "Connectivism" {
		t.Errorf("step 1 caption title %q", c)
	}
	tb.noConsoleErrors()
}

func TestStepInAddressSurvivesReload(t *testing.T) {
	tb := open(t, mainServer(t)+"?step=4", 1280, 720)
	tb.waitReady()
	waitStep(tb, 4)
	tb.click(5, 700)
	tb.do(chromedp.KeyEvent(kb.ArrowRight))
	waitStep(tb, 5)
	tb.do(chromedp.Reload())
	tb.waitReady()
	waitStep(tb, 5)
	// Leaving presentation mode shows the whole picture and clears the address.
	tb.do(chromedp.Click("#present"))
	tb.wait(`!document.getElementById('app').classList.contains('presenting') && !location.search.includes('step')`)
	tb.noConsoleErrors()
}

func TestButtonsMoveSteps(t *testing.T) {
	tb := open(t, mainServer(t)+"?paused=1", 1280, 720)
	tb.waitReady()
	tb.do(chromedp.Click("#present"))
	waitStep(tb, 1)
	tb.do(chromedp.Click("#next"))
	waitStep(tb, 2)
	tb.do(chromedp.Click("#caption-next"))
	waitStep(tb, 3)
	tb.do(chromedp.Click("#prev"))
	waitStep(tb, 2)
	// Every control is a target of at least 24×24 CSS px.
	small := eval[[]string](tb, `[...document.querySelectorAll('button, select, input')].filter(e => e.offsetParent).filter(e => { const r = e.getBoundingClientRect(); return r.width < 24 || r.height < 24; }).map(e => e.id || e.className)`)
	if len(small) > 0 {
		t.Errorf("targets smaller than 24×24: %v", small)
	}
}

func TestCaptionsAreLargeAndBesideThePicture(t *testing.T) {
	tb := open(t, mainServer(t)+"?present=1&step=2", 1920, 1080)
	tb.waitReady()
	size := eval[float64](tb, `parseFloat(getComputedStyle(document.getElementById('caption-text')).fontSize)`)
	if size < 32 {
		t.Errorf("caption text is %.0f CSS px at 1920×1080; the back of a room needs 32", size)
	}
	overlap := eval[bool](tb, `(() => { const a = document.getElementById('caption').getBoundingClientRect(), b = document.getElementById('stage').getBoundingClientRect(); return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; })()`)
	if overlap {
		t.Error("the caption covers the picture")
	}
	if txt := eval[string](tb, `document.getElementById('caption-text').textContent`); !strings.Contains(txt, "joins hands") {
		t.Errorf("step 2 caption: %q", txt)
	}
	tb.screenshot("present-1920-step2")
}

func TestPauseFreezesFrames(t *testing.T) {
	tb := open(t, mainServer(t)+"?motion=full", 1280, 720)
	tb.waitReady()
	a := tb.screenshot("")
	tb.elapse(time.Second)
	b := tb.screenshot("")
	if samePicture(a, b) {
		t.Fatal("playing, frames a second apart are the same")
	}
	tb.do(chromedp.Click("#play"))
	tb.wait(`document.getElementById('play').dataset.playing === 'false'`)
	tb.waitRest()
	a = tb.screenshot("paused-a")
	tb.elapse(time.Second)
	b = tb.screenshot("paused-b")
	if !samePicture(a, b) {
		t.Fatal("paused, frames a second apart differ")
	}
	// The keyboard plays again.
	tb.click(5, 700)
	tb.do(chromedp.KeyEvent("k"))
	tb.wait(`document.getElementById('play').dataset.playing === 'true'`)
	tb.noConsoleErrors()
}

func TestReducedMotionStartsPaused(t *testing.T) {
	tb := open(t, "", 1280, 720)
	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
	}); err != nil {
		t.Fatal(err)
	}
	tb.navigate(mainServer(t))
	tb.waitReady()
	if eval[string](tb, `document.getElementById('play').dataset.playing`) != "false" {
		t.Error("with reduced motion the diagram does not start paused")
	}
	tb.waitRest()
	a := tb.screenshot("reduced-motion")
	tb.elapse(time.Second)
	if !samePicture(a, tb.screenshot("")) {
		t.Error("with reduced motion the picture moves")
	}
	// ?motion=full overrides the system setting.
	tb.navigate(mainServer(t) + "?motion=full")
	tb.waitReady()
	if eval[string](tb, `document.getElementById('play').dataset.playing`) != "true" {
		t.Error("?motion=full did not override reduced motion")
	}
}

func TestProjectorProfile(t *testing.T) {
	tb := open(t, mainServer(t)+"?colorProfile=projector&paused=1", 1280, 720)
	tb.waitReady()
	img := tb.screenshot("projector-1280")
	r, g, b := rgb(img.At(20, 700))
	if r < 240 || g < 240 || b < 230 {
		t.Errorf("projector background pixel is %v,%v,%v; want the light palette", r, g, b)
	}
	if bg := eval[string](tb, `getComputedStyle(document.body).backgroundColor`); bg != "rgb(251, 248, 242)" {
		t.Errorf("page background %s", bg)
	}
	tb.do(chromedp.Click("#projector"))
	tb.wait(`!document.documentElement.classList.contains('projector')`)
	// The canvas follows once the program has drawn the dark palette.
	tb.waitPicture("projector-toggled", func(img image.Image) bool { r, _, _ := rgb(img.At(20, 700)); return r <= 40 })
	tb.noConsoleErrors()
}

func TestShortcutsIgnoredInFieldsAndWhenOff(t *testing.T) {
	tb := open(t, mainServer(t)+"?present=1&step=2&paused=1", 1280, 720)
	tb.waitReady()
	// The page's keys change the step as they are handled, and a key is handled by
	// the time the browser acknowledges it: what has not moved now never will.
	tb.do(chromedp.Focus("#speed"))
	tb.do(chromedp.KeyEvent(kb.ArrowRight))
	if s := stepShown(tb); s != "2 / 6" {
		t.Errorf("an arrow key in the speed field moved the step to %s", s)
	}
	// Turn single-key shortcuts off (WCAG 2.1.4) in the help dialog.
	tb.click(5, 700)
	tb.do(chromedp.KeyEvent("?"))
	tb.wait(`document.getElementById('help').open`)
	if !eval[bool](tb, `document.activeElement.id === 'help-close'`) {
		t.Error("focus did not move into the help dialog")
	}
	tb.do(chromedp.Click("#single-keys"))
	tb.do(chromedp.KeyEvent(kb.Escape))
	tb.wait(`!document.getElementById('help').open`)
	tb.click(5, 700)
	tb.do(chromedp.KeyEvent("p"))
	tb.do(chromedp.KeyEvent(" "))
	if eval[string](tb, `document.getElementById('play').dataset.playing`) != "false" || stepShown(tb) != "2 / 6" {
		t.Error("with single-key shortcuts off, P or Space still acted")
	}
	// Clicker keys still work.
	tb.do(chromedp.KeyEvent(kb.PageDown))
	waitStep(tb, 3)
}

func TestFullscreen(t *testing.T) {
	tb := open(t, mainServer(t)+"?paused=1", 1280, 720)
	tb.waitReady()
	tb.do(chromedp.Click("#fullscreen"))
	tb.wait(`document.fullscreenElement && document.fullscreenElement.id === 'app'`)
	// (No screenshot here: headless Chromium stalls capturing a full-screen page.)
	tb.do(chromedp.Click("#fullscreen"))
	tb.wait(`!document.fullscreenElement`)
}

// hostPage serves a page from another origin ("localhost" instead of 127.0.0.1)
// with html inside its body.
func hostPage(t *testing.T, html string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Course page</title></head><body style="margin:0;font:16px sans-serif">%s</body></html>`, html)
	}))
	t.Cleanup(srv.Close)
	return strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
}

func TestFullscreenFallsBackInsideAFrameThatForbidsIt(t *testing.T) {
	needBrowser(t)
	src := mainServer(t) + "?paused=1&test=" + t.Name()
	host := hostPage(t, fmt.Sprintf(`<iframe id="f" src="%s" width="800" height="500" title="Diagram" style="border:0"></iframe>`, src))
	tb := open(t, host, 1024, 700)
	fr := frameTab(t, tb, src)
	fr.waitReady()
	if eval[bool](fr, `document.fullscreenEnabled`) {
		t.Fatal("test setup: the frame allows full screen")
	}
	btn := eval[[]float64](fr, `(() => { const r = document.getElementById('fullscreen').getBoundingClientRect(); return [r.left + r.width/2, r.top + r.height/2]; })()`)
	tb.click(btn[0], btn[1]) // the frame is at the top-left corner of the host page
	fr.wait(`document.getElementById('app').classList.contains('filling') && !document.getElementById('toast').hidden`)
	msg := eval[string](fr, `document.getElementById('toast').textContent`)
	if !strings.Contains(msg, "not allowed") {
		t.Errorf("fallback message %q", msg)
	}
	tb.screenshot("fullscreen-fallback")
	tb.do(chromedp.KeyEvent(kb.Escape))
	fr.wait(`!document.getElementById('app').classList.contains('filling')`)
}

func TestExports(t *testing.T) {
	tb := open(t, mainServer(t)+"?present=1&step=4&paused=1", 1000, 700)
	tb.waitReady()
	svg := eval[string](tb, `window.diagramBridge.exportSVG()`)
	if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
		t.Fatalf("the exported SVG is not valid XML: %v", err)
	}
	for _, want := range []string{"<svg", "Connections flow in", "Connectivism"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(tb.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		item  string
		file  string
		scale int
	}{
		{"#download-svg", "connected-learning-step-4.svg", 0},
		{"#download-png", "connected-learning-step-4.png", 1},
	} {
		tb.do(chromedp.Click("#more"))
		tb.do(chromedp.Click(c.item))
		path := filepath.Join(dir, c.file)
		deadline := time.Now().Add(patience)
		var data []byte
		for time.Now().Before(deadline) {
			if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
				data = b
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if data == nil {
			t.Fatalf("%s was not downloaded", c.file)
		}
		if c.scale == 0 {
			if !bytes.Contains(data, []byte("<svg")) {
				t.Errorf("%s is not an SVG", c.file)
			}
			continue
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s is not a PNG: %v", c.file, err)
		}
		// The export is a picture of its own (the diagram's square, with bands for
		// the words): the PNG is the SVG's size at 1x.
		var fw, fh float64
		if _, err := fmt.Sscanf(strings.NewReplacer(`"`, " ").Replace(svg[strings.Index(svg, `width="`):]), `width= %g height= %g`, &fw, &fh); err != nil {
			t.Fatalf("the SVG has no width and height: %v", err)
		}
		w, h := int(math.Round(fw)), int(math.Round(fh))
		if b := img.Bounds(); b.Dx() != w || b.Dy() != h || w < 720 {
			t.Errorf("%s is %v, want the SVG's %d×%d at 1x", c.file, b.Size(), w, h)
		}
		if distinctColors(img) < 40 {
			t.Errorf("%s is blank", c.file)
		}
	}
	tb.noConsoleErrors()
}
