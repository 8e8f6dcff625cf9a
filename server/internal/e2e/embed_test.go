package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/connectedlearning/diagram/wasm/diagram"
)

// The host page records every message its frames send.
const recorder = `<script>window.events = []; addEventListener('message', e => window.events.push(e.data));</script>`

func hostWithFrame(t *testing.T, attrs, query string, w, h int) (host string, src string) {
	// A query parameter unique to the test tells its frame from any other.
	src = mainServer(t) + query + "&test=" + t.Name()
	host = hostPage(t, fmt.Sprintf(`%s<p><label>Search the course <input id="q"></label></p>`+
		`<iframe id="f" src="%s" width="%d" height="%d" title="Diagram" style="border:0;display:block" %s></iframe>`+
		`<p><button id="after">After the diagram</button></p>`, recorder, src, w, h, attrs))
	return host, src
}

func hostEvents(tb *tab) []map[string]any {
	return eval[[]map[string]any](tb, `window.events`)
}

func waitHostEvent(tb *tab, js string) {
	tb.t.Helper()
	tb.wait(`window.events.some(e => ` + js + `)`)
}

// countHostEvents counts the events of a name the host page has received.
func countHostEvents(tb *tab, event string) int {
	return eval[int](tb, fmt.Sprintf(`window.events.filter(e => e.type === 'diagram:event' && e.event === %q).length`, event))
}

// hostBarrier sends a command whose event is known to come after every event of
// the commands sent before it (the frame handles messages in order, the program
// its commands in order): once its event is in, no earlier one is still on its way.
func hostBarrier(tb *tab, post func(string), part string) {
	tb.t.Helper()
	n := eval[int](tb, `window.events.length`)
	post(`{type: 'diagram:command', command: 'select', part: '` + part + `'}`)
	tb.wait(fmt.Sprintf(`window.events.slice(%d).some(e => e.event === 'select' && e.part === %q)`, n, part))
}

func frameRect(tb *tab) []float64 {
	return eval[[]float64](tb, `(() => { const r = document.getElementById('f').getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`)
}

func TestEmbeddedAcrossOriginsWithMessages(t *testing.T) {
	needBrowser(t)
	host, src := hostWithFrame(t, `allow="fullscreen"`, "?embed=1&paused=1", 800, 500)
	tb := open(t, host, 1000, 700)
	fr := frameTab(t, tb, src)
	fr.waitReady()
	waitHostEvent(tb, `e.type === 'diagram:event' && e.event === 'ready'`)
	waitHostEvent(tb, `e.type === 'diagram:event' && e.event === 'resize' && e.height >= 200`)
	waitHostEvent(tb, `e.subject === 'lti.frameResize' && e.height >= 200`)

	// It is drawn inside the frame.
	img := tb.screenshot("embedded-host")
	r := frameRect(tb)
	inside := 0
	for y := int(r[1]); y < int(r[1]+r[3]); y += 4 {
		for x := int(r[0]); x < int(r[0]+r[2]); x += 4 {
			cr, cg, cb := rgb(img.At(x, y))
			if cr > 200 && cg > 150 && cb < 140 { // gear amber
				inside++
			}
		}
	}
	if inside < 20 {
		t.Errorf("the frame shows no gears (%d amber samples)", inside)
	}

	post := func(msg string) {
		eval[any](tb, `document.getElementById('f').contentWindow.postMessage(`+msg+`, '*'), null`)
	}
	post(`{type: 'diagram:command', command: 'goto', step: 3}`)
	waitHostEvent(tb, `e.event === 'step' && e.step === 3 && e.presenting === true`)
	fr.wait(`document.getElementById('step-count').textContent === '3 / 6'`)
	post(`{type: 'diagram:command', command: 'next'}`)
	waitHostEvent(tb, `e.event === 'step' && e.step === 4`)
	post(`{type: 'diagram:command', command: 'prev'}`)
	waitHostEvent(tb, `e.event === 'step' && e.step === 3 && window.events.filter(x => x.event === 'step').length >= 3`)
	post(`{type: 'diagram:command', command: 'select', part: 'cop'}`)
	waitHostEvent(tb, `e.event === 'select' && e.part === 'cop'`)
	fr.wait(`document.getElementById('panel-title').textContent.includes('Community of Practice')`)
	post(`{type: 'diagram:command', command: 'select', part: null}`)
	waitHostEvent(tb, `e.event === 'select' && e.part === null`)
	// Each pause and play reaches the host once: from the command's change, not
	// again from the program's echo (it used to come twice).
	post(`{type: 'diagram:command', command: 'play'}`)
	waitHostEvent(tb, `e.event === 'play'`)
	post(`{type: 'diagram:command', command: 'play'}`) // no change, no event
	post(`{type: 'diagram:command', command: 'pause'}`)
	waitHostEvent(tb, `e.event === 'pause'`)
	hostBarrier(tb, post, "pln")
	if p, q := countHostEvents(tb, "play"), countHostEvents(tb, "pause"); p != 1 || q != 1 {
		t.Errorf("the host received %d play and %d pause events for one play and one pause", p, q)
	}
	// The same for the frame's own button.
	eval[any](fr, `document.getElementById('play').click(), null`)
	waitHostEvent(tb, `e.event === 'play'`)
	eval[any](fr, `document.getElementById('play').click(), null`)
	hostBarrier(tb, post, "connectivism")
	if p, q := countHostEvents(tb, "play"), countHostEvents(tb, "pause"); p != 2 || q != 2 {
		t.Errorf("after the frame's pause button was pressed twice, the host received %d play and %d pause events, want 2 and 2", p, q)
	}

	// Every event is a plain object with the documented fields.
	for _, e := range hostEvents(tb) {
		if e["type"] != "diagram:event" {
			continue
		}
		for _, k := range []string{"event", "step", "part", "height"} {
			if _, ok := e[k]; !ok {
				t.Errorf("event %v lacks %s", e, k)
			}
		}
	}

	// Malformed and unknown messages: ignored, with a warning, nothing thrown.
	warned := len(fr.consoleWarnings())
	bad := []string{`'garbage'`, `[1,2]`, `{type: 'diagram:command', command: 'explode'}`, `{type: 'diagram:command', command: 'goto', step: 99}`,
		`{type: 'diagram:command', command: 'goto', step: '2'}`, `{type: 'diagram:command', command: 'select', part: 'brain'}`, `{type: 'other'}`, `null`}
	for _, m := range bad {
		post(m)
	}
	hostBarrier(tb, post, "cop")
	if s := eval[string](fr, `document.getElementById('step-count').textContent`); s != "3 / 6" {
		t.Errorf("a malformed message moved the step to %s", s)
	}
	fr.waitUntil("a warning for each bad message", func() bool { return len(fr.consoleWarnings())-warned >= len(bad) })
	fr.noConsoleErrors()
	tb.noConsoleErrors()
}

func TestSandboxedFrameRenders(t *testing.T) {
	needBrowser(t)
	host, src := hostWithFrame(t, `sandbox="allow-scripts"`, "?embed=1&paused=1", 640, 400)
	tb := open(t, host, 900, 600)
	fr := frameTab(t, tb, src)
	fr.waitReady()
	if origin := eval[string](fr, `String(self.origin)`); origin != "null" {
		t.Fatalf("test setup: the frame's origin is %s, not opaque", origin)
	}
	waitHostEvent(tb, `e.event === 'ready'`)
	tb.screenshot("sandboxed")
	fr.noConsoleErrors()
}

func TestHostKeysAreNotTakenAndTabPassesThrough(t *testing.T) {
	needBrowser(t)
	host, src := hostWithFrame(t, `allow="fullscreen"`, "?embed=1&present=1&step=2&paused=1", 800, 500)
	tb := open(t, host, 1000, 700)
	fr := frameTab(t, tb, src)
	fr.waitReady()
	if eval[bool](fr, `document.getElementById('explore').hidden`) {
		t.Fatal("no 'Click or press Enter to explore' before the first interaction")
	}
	// Typing on the host page goes to the host page.
	// (Keys are handled by the time the browser acknowledges them, and the frame's
	// keys change its step at once: there is nothing to wait for.)
	tb.do(chromedp.Focus("#q"))
	tb.do(chromedp.KeyEvent("p" + kb.ArrowRight + " " + kb.PageDown))
	if v := eval[string](tb, `document.getElementById('q').value`); v != "p " {
		t.Errorf("the host's field got %q", v)
	}
	if s := eval[string](fr, `document.getElementById('step-count').textContent`); s != "2 / 6" {
		t.Errorf("keys typed on the host moved the frame to %s", s)
	}
	// Tab moves into the frame, onto the explore button; Enter explores.
	tb.do(chromedp.KeyEvent(kb.Tab))
	fr.wait(`document.hasFocus() && document.activeElement.id === 'explore'`)
	tb.do(chromedp.KeyEvent(kb.Enter))
	fr.wait(`document.getElementById('explore').hidden`)
	tb.do(chromedp.KeyEvent(kb.ArrowRight))
	fr.wait(`document.getElementById('step-count').textContent === '3 / 6'`)
	// And Tab leads out again: no keyboard trap.
	left := false
	for i := 0; i < 60 && !left; i++ {
		tb.do(chromedp.KeyEvent(kb.Tab))
		left = eval[bool](tb, `document.activeElement && document.activeElement.id === 'after'`)
	}
	if !left {
		t.Error("Tab never left the frame")
	}
}

func TestTinyFrameShowsTheWholeDiagram(t *testing.T) {
	needBrowser(t)
	host, src := hostWithFrame(t, ``, "?embed=1&paused=1", 280, 200)
	tb := open(t, host, 500, 400)
	fr := frameTab(t, tb, src)
	fr.waitReady()
	if over := eval[bool](fr, `document.documentElement.scrollHeight > innerHeight || document.documentElement.scrollWidth > innerWidth`); over {
		t.Error("the 280×200 frame scrolls")
	}
	img := tb.screenshot("tiny-frame")
	s, c := model(t, fr)
	r := frameRect(tb)
	pal := &c.Palettes[diagram.ProfileDark]
	// The invitation to explore lies over the picture's foot until the person
	// explores: what it covers is not looked at.
	inv := eval[[]float64](fr, `(r => [r.left, r.top, r.right, r.bottom])(document.getElementById('explore').getBoundingClientRect())`)
	n, ok := 0, 0
	for _, p := range s.Probes() {
		if p.X < 0 || p.Y < 0 || p.X > 280 || p.Y > 200 {
			t.Fatalf("a part of the picture is outside the frame at %.0f,%.0f", p.X, p.Y)
		}
		if p.X >= inv[0] && p.X <= inv[2] && p.Y >= inv[1] && p.Y <= inv[3] {
			continue
		}
		if p.Target.Person >= 0 {
			n++
			got := nearest(img, r[0]+p.X, r[1]+p.Y, 1, pal)
			if want := map[diagram.Part]string{diagram.PartCoP: "cop", diagram.PartPLN: "pln"}[p.Target.Part]; got == want || got == "link" {
				ok++
			}
		}
	}
	if n < 16 || ok < n*2/3 {
		t.Errorf("%d of %d people drawn where they belong in the tiny frame", ok, n)
	}
	// The controls that matter most are there.
	if !eval[bool](fr, `document.getElementById('play').offsetParent !== null`) {
		t.Error("no pause button in the tiny frame")
	}
}

func TestScrolledAwayFrameStops(t *testing.T) {
	needBrowser(t)
	src := mainServer(t) + "?embed=1&test=" + t.Name()
	host := hostPage(t, fmt.Sprintf(`<iframe id="f" src="%s" width="600" height="400" title="Diagram" style="border:0;display:block"></iframe><div style="height:3000px"></div>`, src))
	tb := open(t, host, 800, 600)
	fr := frameTab(t, tb, src)
	fr.waitReady()
	fr.wait(`document.getElementById('app').dataset.visible !== 'false'`)
	eval[any](tb, `window.scrollTo(0, 2000), null`)
	fr.wait(`document.getElementById('app').dataset.visible === 'false'`)
	eval[any](tb, `window.scrollTo(0, 0), null`)
	fr.wait(`document.getElementById('app').dataset.visible === 'true'`)
}

func TestServedUnderASubPath(t *testing.T) {
	needBrowser(t)
	mux := http.NewServeMux()
	mux.Handle("/courses/bio101/diagram/", http.StripPrefix("/courses/bio101/diagram/", http.FileServer(http.Dir(siteDir))))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	tb := open(t, srv.URL+"/courses/bio101/diagram/?paused=1", 1000, 700)
	tb.waitReady()
	if distinctColors(tb.screenshot("sub-path")) < 40 {
		t.Error("under a sub-path the picture is blank")
	}
	tb.noConsoleErrors()
}

// Some static hosts label a .wasm file application/octet-stream, which streaming
// compilation refuses. The loader relabels the bytes and the diagram still starts.
func TestWasmWithAnotherTypeStillLoads(t *testing.T) {
	needBrowser(t)
	files := http.FileServer(http.Dir(siteDir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			w.Header().Set("Content-Type", "application/octet-stream")
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	tb := open(t, srv.URL+"/?paused=1", 1000, 700)
	tb.waitReady()
	if got := eval[string](tb, `(`+programFetches+`[0] || {}).name || ''`); got == "" {
		t.Fatal("the wasm was not requested")
	}
	if distinctColors(tb.screenshot("wasm-octet-stream")) < 40 {
		t.Error("with the wasm labelled application/octet-stream the picture is blank")
	}
	tb.noConsoleErrors()
}

func TestEmbedDialogBuildsTheCode(t *testing.T) {
	tb := open(t, mainServer(t)+"?paused=1", 1280, 800)
	tb.waitReady()
	tb.do(chromedp.Click("#more"))
	tb.do(chromedp.Click("#open-embed"))
	tb.wait(`document.getElementById('embed').open`)
	// The preview is a second copy of the program: it loads only when asked.
	if eval[bool](tb, `!!document.querySelector('#embed-preview iframe')`) {
		t.Error("the preview loads as the dialog opens")
	}
	code := eval[string](tb, `document.getElementById('embed-code').value`)
	for _, want := range []string{`<iframe src="` + mainServer(t) + `?embed=1"`, `title="`, `allow="fullscreen"`, `loading="lazy"`, `padding-bottom:62.5%`} {
		if !strings.Contains(code, want) {
			t.Errorf("the code lacks %s:\n%s", want, code)
		}
	}
	eval[any](tb, `(() => { const s = document.getElementById('embed-step'); s.value = '3'; s.dispatchEvent(new Event('change')); const p = document.getElementById('embed-profile'); p.value = 'projector'; p.dispatchEvent(new Event('change')); document.getElementById('embed-paused').click(); })()`)
	code = eval[string](tb, `document.getElementById('embed-code').value`)
	if !regexp.MustCompile(`embed=1&amp;present=1&amp;step=3&amp;colorProfile=projector&amp;paused=1`).MatchString(code) {
		t.Errorf("options did not reach the code:\n%s", code)
	}
	tb.do(chromedp.Click("#embed-copy"))
	tb.wait(`document.getElementById('copy-status').textContent !== ''`)
	// Asked for, the preview shows the options chosen, and follows them.
	tb.do(chromedp.Click("#embed-preview-load"))
	const preview = `document.querySelector('#embed-preview iframe')`
	tb.wait(preview + ` && ` + preview + `.src.includes('step=3') && ` + preview + `.src.includes('colorProfile=projector')`)
	tb.wait(`(d => d && d.getElementById('app') && d.getElementById('app').dataset.state === 'ready')(` + preview + `.contentDocument)`)
	eval[any](tb, `(() => { const s = document.getElementById('embed-step'); s.value = '5'; s.dispatchEvent(new Event('change')); })()`)
	tb.wait(preview + `.src.includes('step=5')`)
	tb.wait(`(d => d && d.getElementById('app') && d.getElementById('app').dataset.state === 'ready')(` + preview + `.contentDocument)`)
	tb.screenshot("embed-dialog")
	tb.do(chromedp.KeyEvent(kb.Escape))
	tb.wait(`!document.getElementById('embed').open && document.activeElement.id === 'more'`)
	if eval[bool](tb, `!!`+preview) {
		t.Error("the preview keeps running after the dialog closed")
	}
}
