package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

func TestPageBasics(t *testing.T) {
	tb := open(t, mainServer(t), 1280, 720)
	tb.waitReady()
	got := eval[[]string](tb, `[document.title, document.documentElement.lang, document.querySelector('meta[name=description]').content, document.querySelector('h1').textContent]`)
	if !strings.Contains(got[0], "Connected learning") || got[1] != "en" || len(got[2]) < 50 || got[3] != "Connected learning" {
		t.Errorf("title, lang, description, heading: %q", got)
	}
	// The palette from diagram.json reaches the page's CSS.
	if bg := eval[string](tb, `getComputedStyle(document.body).backgroundColor`); bg != "rgb(17, 27, 39)" {
		t.Errorf("page background is %s, want the dark palette's #111b27", bg)
	}
	// The header is above the canvas, not hidden behind it.
	if tag := eval[string](tb, `document.elementFromPoint(30, 20).closest('header') ? 'header' : document.elementFromPoint(30, 20).tagName`); tag != "header" {
		t.Errorf("the heading is covered by %s", tag)
	}
	tb.noConsoleErrors()
}

// The loading bar shows the true progress of the wasm download: it climbs in
// steps to 100% on a slow connection. The page records every value the bar
// shows, so that the test sees them all however busy the machine is.
func TestLoadingBarShowsTrueProgress(t *testing.T) {
	tb := open(t, "", 1280, 720)
	if _, err := chromedp.Call(tb.ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	// Other tests have the wasm in the browser's cache; this one downloads it.
	if _, err := chromedp.Call(tb.ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatal(err)
	}
	// About 1.5 MB/s: the compressed wasm takes a second or two.
	if _, err := chromedp.Call(tb.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{Latency: 20, DownloadThroughput: 1.5e6, UploadThroughput: 1e6}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tb.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `(() => {
		const seen = window.__progress = [];
		document.addEventListener('DOMContentLoaded', () => {
			const text = document.getElementById('loader-text');
			new MutationObserver(() => seen.push(text.textContent)).observe(text, { childList: true, characterData: true, subtree: true });
		});
	})()`}); err != nil {
		t.Fatal(err)
	}
	tb.navigate(mainServer(t))
	tb.waitReady()
	seen := map[int]bool{}
	for _, txt := range eval[[]string](tb, `window.__progress`) {
		if i := strings.LastIndex(txt, ": "); i >= 0 {
			if n, err := strconv.Atoi(strings.TrimSuffix(txt[i+2:], "%")); err == nil {
				seen[n] = true
			}
		}
	}
	if !seen[100] || len(seen) < 4 {
		t.Fatalf("progress values seen: %v (want several steps up to 100%%)", seen)
	}
}

// descriptionText is the text description's words, without its buttons (which
// need JavaScript), with the spaces collapsed.
const descriptionText = `(() => { const c = document.getElementById('description-body').cloneNode(true); c.querySelectorAll('button').forEach(b => b.remove()); return c.textContent.replace(/\s+/g, ' ').trim(); })()`

// Without JavaScript the page still shows the picture and, beside it, the text
// description the build wrote, the same words the page writes when it runs.
func TestNoJavaScriptStillShowsThePicture(t *testing.T) {
	tb := open(t, "", 1280, 720)
	if _, err := chromedp.Call(tb.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	tb.navigate(mainServer(t))
	// The noscript stylesheet is in: the description has come out beside the picture.
	tb.wait(`document.getElementById('description').getBoundingClientRect().width > 200`)
	text := eval[string](tb, `document.body.innerText`)
	if !strings.Contains(text, "needs JavaScript") {
		t.Errorf("without JavaScript the page does not say it needs it:\n%s", text)
	}
	words := langFile(t, "en")
	for _, want := range []string{"Community of Practice", words.Parts["cop"].Title, "Personal Learning Network"} {
		if !strings.Contains(text, want) {
			t.Errorf("without JavaScript the description lacks %q", want)
		}
	}
	// The description is readable: on screen, not clipped, and it scrolls.
	r := eval[[]float64](tb, `(r => [r.left, r.top, r.width, r.height])(document.getElementById('description').getBoundingClientRect())`)
	pic := eval[[]float64](tb, `(r => [r.left, r.top, r.width, r.height])(document.querySelector('#placeholder svg.ph-dark').getBoundingClientRect())`)
	if r[2] < 200 || r[3] < 300 || r[0]+r[2] > 1281 || pic[2] < 400 || pic[0]+pic[2] > r[0]+1 {
		t.Errorf("description at %v, picture at %v: want both on screen, side by side", r, pic)
	}
	if !eval[bool](tb, `(d => d.scrollHeight > d.clientHeight && getComputedStyle(d).overflowY === 'auto')(document.getElementById('description'))`) {
		t.Error("the description does not scroll")
	}
	img := tb.screenshot("no-javascript")
	if distinctColors(img) < 40 {
		t.Error("without JavaScript the picture (the placeholder) is missing")
	}
	if eval[bool](tb, `[...document.querySelectorAll('.label, .loader, #tools')].some(e => e.getBoundingClientRect().width > 0)`) {
		t.Error("without JavaScript the labels, loader or controls are shown, which need it")
	}
	noJS := eval[string](tb, descriptionText)
	// With JavaScript the page writes the description itself, in the same words.
	js := open(t, mainServer(t)+"?lang=en", 1280, 720)
	js.wait(`document.querySelector('#description-body button')`)
	if got := eval[string](js, descriptionText); got != noJS {
		t.Errorf("the build's description differs from the page's:\nbuild: %s\npage:  %s", noJS, got)
	}
}

// The page keeps the description the build wrote when its own words are the
// same (English, the same content), rather than writing it again: a screen reader
// already reading it while the program loads keeps its place, and the page is not
// laid out again during its start. Its buttons work all the same. In another
// language the page writes its own.
func TestDescriptionKeepsTheBuildsNodes(t *testing.T) {
	// The first member of the Community of Practice the document ever holds is the
	// parser's: the page writes nothing before the build's page is parsed.
	const first = `const mo = new MutationObserver(() => {
		const li = document.querySelector('#desc-cop .people li');
		if (li && !window.__built) { window.__built = li; mo.disconnect(); }
	});
	mo.observe(document, { childList: true, subtree: true });`
	en := open(t, mainServer(t)+"?lang=en", 1280, 720, withScript(first))
	en.waitReady()
	if !eval[bool](en, `!!window.__built && window.__built.isConnected && document.querySelector('#desc-cop .people li') === window.__built`) {
		t.Error("the page wrote the English description again instead of keeping the build's")
	}
	eval[any](en, `document.querySelector('#desc-pln button[data-part="pln"]').click(), null`)
	en.wait(`document.getElementById('panel-title').textContent.includes('Personal Learning Network')`)
	if !eval[bool](en, `document.getElementById('desc-pln').getAttribute('aria-current') === 'true' && document.getElementById('desc-cop').getAttribute('aria-current') === 'false'`) {
		t.Error("the description does not mark the part selected from its own button")
	}
	en.noConsoleErrors()

	fr := open(t, mainServer(t)+"?lang=fr", 1280, 720, withScript(first))
	fr.waitReady()
	fr.wait(`document.getElementById('desc-cop-h').textContent === 'Communauté de pratique'`)
	if eval[bool](fr, `!window.__built || window.__built.isConnected`) {
		t.Error("in French the build's English description is still there")
	}
	eval[any](fr, `document.querySelector('#desc-cop button[data-part="cop"]').click(), null`)
	fr.wait(`document.getElementById('panel-title').textContent.includes('Communauté de pratique')`)
}

func TestWasmMissingShowsRetry(t *testing.T) {
	needBrowser(t)
	dir := copySite(t)
	ms, _ := filepath.Glob(filepath.Join(dir, "assets", "main.*"))
	for _, m := range ms {
		os.Remove(m)
	}
	srv := startServer(t, dir)
	tb := open(t, srv.URL, 1280, 720)
	tb.wait(`!document.getElementById('error').hidden`)
	msg := eval[string](tb, `document.getElementById('error').innerText`)
	if !strings.Contains(msg, "404") || !strings.Contains(msg, "could not be downloaded") {
		t.Errorf("error message: %q", msg)
	}
	if !eval[bool](tb, `!document.getElementById('error-retry').hidden`) {
		t.Error("no retry button")
	}
	if errs := strings.Join(tb.consoleErrors(), "\n"); !strings.Contains(errs, "404") {
		t.Errorf("the console does not say why: %q", errs)
	}
	tb.screenshot("wasm-missing")
}

func TestWebGL2UnavailableSaysSo(t *testing.T) {
	needBrowser(t)
	tb := openBrowser(t, []string{"disable-webgl", "disable-3d-apis"}, mainServer(t), 1280, 720)
	tb.wait(`!document.getElementById('error').hidden`)
	msg := eval[string](tb, `document.getElementById('error').innerText`)
	if !strings.Contains(msg, "WebGL 2") {
		t.Errorf("error message: %q", msg)
	}
	if distinctColors(tb.screenshot("no-webgl")) < 20 {
		t.Error("without WebGL the page is blank")
	}
	if errs := strings.Join(tb.consoleErrors(), "\n"); !strings.Contains(errs, "WebGL") {
		t.Errorf("the console does not say why: %q", errs)
	}
}

// openBrowser starts a separate Chromium with extra flags (for faults the shared
// browser must not have) and opens url in it.
func openBrowser(t *testing.T, flags []string, url string, w, h int) *tab {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(findChrome()),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	for _, f := range flags {
		opts = append(opts, chromedp.Flag(f, true))
	}
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	bctx, cancel2 := chromedp.NewContext(alloc)
	t.Cleanup(cancel2)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatal(err)
	}
	return open(t, url, w, h, inBrowser(bctx))
}
