package e2e

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/connectedlearning/diagram/wasm/diagram"
)

// axe-core, the accessibility engine, from the npm registry, pinned by the hash of
// its package. The package is kept in the user's cache directory (see axeCache),
// checked against the hash each time it is read: a second run, a fresh clone and
// make clean need no network. Without network and without the cache, the
// accessibility tests are skipped with a note, and under CI=true they fail.
const (
	axeVersion = "4.14.1"
	axeSHA256  = "e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745"
)

var (
	axeOnce   sync.Once
	axeScript string
	axeErr    error
)

// axeCache is where the package is kept: $DIAGRAM_TEST_CACHE, else the user's cache
// directory ($XDG_CACHE_HOME or ~/.cache), else the project's .cache.
func axeCache() string {
	dir := os.Getenv("DIAGRAM_TEST_CACHE")
	if dir == "" {
		if d, err := os.UserCacheDir(); err == nil {
			dir = filepath.Join(d, "connected-learning-diagram")
		} else {
			dir = filepath.Join(root, ".cache")
		}
	}
	return filepath.Join(dir, "axe-core-"+axeVersion+".tgz")
}

func loadAxe(t *testing.T) string {
	t.Helper()
	axeOnce.Do(func() {
		tgz, err := os.ReadFile(axeCache())
		if err != nil || !axeHashOK(tgz) {
			if tgz, err = fetchAxe(); err != nil {
				axeErr = err
				return
			}
			// Another run may write it at the same time: a file of its own, renamed.
			if err := os.MkdirAll(filepath.Dir(axeCache()), 0o755); err == nil {
				if f, err := os.CreateTemp(filepath.Dir(axeCache()), "axe-*.tmp"); err == nil {
					_, werr := f.Write(tgz)
					if cerr := f.Close(); werr == nil && cerr == nil {
						os.Rename(f.Name(), axeCache())
					}
					os.Remove(f.Name())
				}
			}
		}
		axeScript, axeErr = axeFromPackage(tgz)
	})
	if axeErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("axe-core is needed in CI: %v", axeErr)
		}
		fmt.Fprintf(os.Stderr, "e2e: NOTE: accessibility test skipped: axe-core is neither in %s nor reachable: %v\n", axeCache(), axeErr)
		t.Skipf("axe-core is neither in %s nor reachable: %v", axeCache(), axeErr)
	}
	return axeScript
}

func axeHashOK(tgz []byte) bool {
	sum := sha256.Sum256(tgz)
	return hex.EncodeToString(sum[:]) == axeSHA256
}

// fetchAxe downloads the package from the npm registry and checks its hash.
func fetchAxe() ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "https://registry.npmjs.org/axe-core/-/axe-core-"+axeVersion+".tgz", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	tgz, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != 200 {
		return nil, fmt.Errorf("downloading axe-core: HTTP %d %v", res.StatusCode, err)
	}
	if !axeHashOK(tgz) {
		return nil, fmt.Errorf("the axe-core %s package does not have its pinned hash", axeVersion)
	}
	return tgz, nil
}

// axeFromPackage reads axe.min.js out of the npm package.
func axeFromPackage(tgz []byte) (string, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return "", err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err != nil {
			return "", fmt.Errorf("axe.min.js not in the package: %v", err)
		}
		if h.Name == "package/axe.min.js" {
			b, err := io.ReadAll(tr)
			return string(b), err
		}
	}
}

type axeViolation struct {
	ID          string `json:"id"`
	Impact      string `json:"impact"`
	Description string `json:"description"`
	Nodes       []struct {
		Target  []any  `json:"target"`
		HTML    string `json:"html"`
		Failure string `json:"failureSummary"`
	} `json:"nodes"`
}

// runAxe runs axe-core on the page (injected through DevTools, which the page's
// Content-Security-Policy does not restrict) with all its rules: WCAG 2.0-2.2 A
// and AA, and its best practices (every content in a landmark, one main, headings
// in order...).
func runAxe(t *testing.T, tb *tab) []axeViolation {
	t.Helper()
	script := loadAxe(t)
	eval[any](tb, script+";null")
	out := eval[string](tb, `axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(r.violations))`)
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatal(err)
	}
	return vs
}

func reportAxe(t *testing.T, where string, vs []axeViolation) {
	t.Helper()
	for _, v := range vs {
		var nodes []string
		for _, n := range v.Nodes {
			nodes = append(nodes, fmt.Sprintf("%v %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Failure, "\n", " ")))
		}
		t.Errorf("%s: axe %s (%s): %s\n    %s", where, v.ID, v.Impact, v.Description, strings.Join(nodes, "\n    "))
	}
}

func TestAxeFindsNoViolations(t *testing.T) {
	needBrowser(t)
	for _, c := range []struct {
		name, query string
		w, h        int
		prep, done  string // what to do first, and what says it is done
	}{
		{"dark", "?paused=1", 1280, 720, "", ""},
		{"projector", "?paused=1&colorProfile=projector", 1280, 720, "", ""},
		{"selected part", "?paused=1", 1280, 720, `window.diagramBridge.command('select', 'pln')`, `document.getElementById('panel-title').textContent.includes('Personal Learning Network')`},
		{"presenting", "?paused=1&present=1&step=4", 1280, 720, "", ""},
		{"embed", "?embed=1&paused=1", 800, 500, "", ""},
		{"embed projector", "?embed=1&paused=1&colorProfile=projector", 800, 500, "", ""},
		{"phone", "?paused=1", 390, 844, "", ""},
		{"description open", "?paused=1", 1280, 720, `document.getElementById('open-description').click()`, `document.getElementById('description').classList.contains('open')`},
		{"help dialog", "?paused=1", 1280, 720, `document.getElementById('open-help').click()`, `document.getElementById('help').open`},
		{"embed dialog", "?paused=1", 1280, 800, `document.getElementById('open-embed').click()`, `document.getElementById('embed').open && document.getElementById('embed-code').value !== ''`},
		// The live classroom: the presenter's join panel in both palettes, a student
		// whose code is unknown (on a phone), the Join dialog.
		{"live presenter projector", "?paused=1&present=1&step=3&colorProfile=projector", 1920, 1080, whenLive(`document.getElementById('go-live').click()`), `document.getElementById('app').dataset.live === 'presenter live' && document.getElementById('live-code').textContent.length === 7`},
		{"live presenter dark", "?paused=1&present=1&step=3", 1280, 720, whenLive(`document.getElementById('go-live').click()`), `document.getElementById('app').dataset.live === 'presenter live' && document.getElementById('live-code').textContent.length === 7`},
		{"live student trouble", "?paused=1&join=K7QX2M", 390, 844, `void 0`, `document.getElementById('app').dataset.live === 'follower failed'`},
		{"join dialog", "?paused=1&colorProfile=projector", 390, 844, whenLive(`document.getElementById('join-open').click()`), `document.getElementById('join').open`},
	} {
		t.Run(c.name, func(t *testing.T) {
			tb := open(t, mainServer(t)+c.query, c.w, c.h)
			tb.waitReady()
			if c.prep != "" {
				eval[any](tb, c.prep+";null")
				tb.wait(c.done)
				tb.wait(settled) // a sheet sliding in is judged where it comes to rest
			}
			reportAxe(t, c.name, runAxe(t, tb))
		})
	}
}

// focusRingScore reports how close to the focus colour the picture img is at
// points just inside the ring's band, between people (where a highlight is drawn):
// the smallest distance found.
func focusRingScore(t *testing.T, tb *tab, img image.Image) float64 {
	s, c := model(t, tb)
	f := c.Palettes[diagram.ProfileDark].Focus
	best := math.Inf(1)
	cx, cy := eval2center(tb)
	for _, p := range s.Probes() {
		if p.Target.Part != diagram.PartCoP || p.Target.Person >= 0 {
			continue
		}
		// Walk inwards from the band probe to the band's inner edge.
		dx, dy := p.X-cx, p.Y-cy
		for k := 0.70; k <= 1.0; k += 0.002 {
			x, y := cx+dx*k, cy+dy*k
			r, g, b := rgb(img.At(int(x), int(y)))
			dist := math.Sqrt(math.Pow(r-float64(f.R), 2) + math.Pow(g-float64(f.G), 2) + math.Pow(b-float64(f.B), 2))
			best = math.Min(best, dist)
		}
	}
	return best
}

func eval2center(tb *tab) (float64, float64) {
	r := eval[[]float64](tb, `(() => { const r = document.getElementById('stage').getBoundingClientRect(); return [r.left + r.width/2, r.top + r.height/2]; })()`)
	return r[0], r[1]
}

func TestKeyboardAloneWalksTheDiagram(t *testing.T) {
	tb := open(t, mainServer(t)+"?paused=1", 1280, 720)
	tb.waitReady()
	tb.waitRest()
	before := focusRingScore(t, tb, tb.screenshot("")) // nothing has had focus yet
	// Tab order: controls, then the parts of the diagram, then the panel.
	var order []string
	for i := 0; i < 24; i++ {
		tb.do(chromedp.KeyEvent(kb.Tab))
		order = append(order, eval[string](tb, `(() => { const a = document.activeElement; return a.closest('.tools') ? 'control' : a.classList.contains('label') ? 'part:' + a.dataset.part : a.closest('.panel') ? 'panel' : a.tagName; })()`))
	}
	first := func(prefix string) int {
		for i, o := range order {
			if strings.HasPrefix(o, prefix) {
				return i
			}
		}
		return -1
	}
	c, p, pn := first("control"), first("part:"), first("panel")
	if c < 0 || p < 0 || pn < 0 || !(c < p && p < pn) {
		t.Fatalf("tab order %v: want controls, then parts, then the panel", order)
	}
	// Focus on a part's label highlights it in the picture.
	eval[any](tb, `document.querySelector('.label[data-part="cop"]').focus(), null`)
	var after float64
	tb.waitPicture("", func(img image.Image) bool {
		after = focusRingScore(t, tb, img)
		return after <= 70 && after <= before-40
	})
	// Enter selects it; the panel shows it and the live region says so, once.
	tb.do(chromedp.KeyEvent(kb.Enter))
	tb.wait(`document.getElementById('panel-title').textContent.includes('Community of Practice')`)
	tb.wait(`document.getElementById('announce').textContent.includes('Community of Practice')`)
	// Space on a panel button selects too.
	tb.do(chromedp.Click("#panel-title")) // a neutral spot inside the panel
	eval[any](tb, `window.diagramBridge.command('select', ''), null`)
	tb.wait(`document.querySelector('.part-button[data-part="pln"]')`)
	eval[any](tb, `document.querySelector('.part-button[data-part="pln"]').focus(), null`)
	tb.do(chromedp.KeyEvent(" "))
	tb.wait(`document.getElementById('panel-title').textContent.includes('Personal Learning Network')`)
	// Arrow keys step, and the live region announces the step.
	tb.do(chromedp.KeyEvent(kb.ArrowRight))
	tb.wait(`document.getElementById('announce').textContent.includes('Step 1 of 6')`)
	tb.do(chromedp.KeyEvent(kb.ArrowRight))
	tb.wait(`document.getElementById('announce').textContent.includes('Step 2 of 6')`)
	// Pause, projector colours, language and full screen all from the keyboard.
	eval[any](tb, `document.getElementById('play').focus(), null`)
	tb.do(chromedp.KeyEvent(kb.Enter))
	tb.wait(`document.getElementById('play').dataset.playing === 'true'`)
	eval[any](tb, `document.getElementById('projector').focus(), null`)
	tb.do(chromedp.KeyEvent(" "))
	tb.wait(`document.documentElement.classList.contains('projector')`)
	// Focus is visible: the outline uses the palette's focus colour.
	if o := eval[string](tb, `getComputedStyle(document.activeElement).outlineStyle`); o == "none" {
		t.Error("the focused control has no visible outline")
	}
	tb.noConsoleErrors()
}

func TestDialogsTrapAndReturnFocus(t *testing.T) {
	tb := open(t, mainServer(t)+"?paused=1", 1280, 720)
	tb.waitReady()
	for _, d := range []struct{ item, dialog string }{{"#open-help", "help"}, {"#open-embed", "embed"}} {
		tb.do(chromedp.Click("#more"))
		tb.do(chromedp.Click(d.item))
		tb.wait(fmt.Sprintf(`document.getElementById(%q).open && document.getElementById(%q).contains(document.activeElement)`, d.dialog, d.dialog))
		for i := 0; i < 15; i++ {
			tb.do(chromedp.KeyEvent(kb.Tab))
			inside := eval[bool](tb, fmt.Sprintf(`document.getElementById(%q).contains(document.activeElement) || document.activeElement === document.body`, d.dialog))
			if !inside {
				t.Fatalf("%s: Tab left the open dialog for %s", d.dialog, eval[string](tb, `document.activeElement.outerHTML.slice(0, 80)`))
			}
		}
		tb.do(chromedp.KeyEvent(kb.Escape))
		tb.wait(fmt.Sprintf(`!document.getElementById(%q).open && document.activeElement.id === 'more'`, d.dialog))
	}
}

func TestLanguages(t *testing.T) {
	needBrowser(t)
	for _, c := range []struct {
		query, lang, cop, heading string
	}{
		{"?lang=es", "es", "Comunidad de Práctica", ""},
		{"?lang=fr", "fr", "Communauté de pratique", ""},
		{"?lang=en", "en", "Community of Practice", "Connected learning"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			tb := open(t, mainServer(t)+c.query+"&paused=1&present=1&step=3", 1280, 720)
			tb.waitReady()
			if l := eval[string](tb, `document.documentElement.lang`); l != c.lang {
				t.Errorf("<html lang> is %q", l)
			}
			label := eval[string](tb, `(e => e.getAttribute('aria-label') || e.textContent)(document.querySelector('.label[data-part="cop"]'))`)
			if !strings.Contains(strings.ToLower(label), strings.ToLower(c.cop)) {
				t.Errorf("CoP label %q, want %q", label, c.cop)
			}
			en := map[string]string{"caption": "Further out: a wider, looser crowd of experts, colleagues and resources you chose.", "play": "Play"}
			if c.lang != "en" {
				if got := eval[string](tb, `document.getElementById('caption-text').textContent`); got == en["caption"] || got == "" {
					t.Errorf("the caption is not in %s: %q", c.lang, got)
				}
				if got := eval[string](tb, `document.getElementById('play-label').textContent`); got == en["play"] {
					t.Errorf("the play button is not in %s", c.lang)
				}
			}
			for _, p := range eval[[]string](tb, overflowScript) {
				t.Errorf("%s: %s", c.lang, p)
			}
			tb.screenshot("lang-" + c.lang)
			tb.noConsoleErrors()
		})
	}
}

func TestBrowserLanguageAndLiveSwitch(t *testing.T) {
	tb := open(t, "", 1280, 720)
	if _, err := chromedp.Call(tb.ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/156", AcceptLanguage: "fr-CA,fr;q=0.9"}); err != nil {
		t.Fatal(err)
	}
	tb.navigate(mainServer(t) + "?paused=1")
	tb.waitReady()
	if l := eval[string](tb, `document.documentElement.lang`); l != "fr" {
		t.Fatalf("a French browser got %q", l)
	}
	// Switch live: no reload, the same program keeps running.
	eval[any](tb, `window.__sameRun = true, null`)
	eval[any](tb, `(() => { const s = document.getElementById('lang'); s.value = 'es'; s.dispatchEvent(new Event('change')); })()`)
	tb.wait(`document.documentElement.lang === 'es' && (e => e.getAttribute('aria-label') || e.textContent)(document.querySelector('.label[data-part="pln"]')).includes('Red Personal de Aprendizaje')`)
	if !eval[bool](tb, `window.__sameRun === true && `+programFetches+`.length === 1`) {
		t.Error("switching the language reloaded the page or the program")
	}
	if !strings.Contains(eval[string](tb, `location.search`), "lang=es") {
		t.Error("the address does not keep the language")
	}
}

// A pseudo-language, every string 60% longer, must not make anything overflow or
// overlap. The English file is swapped for it on its way to the page.
func TestPseudoLanguageFits(t *testing.T) {
	needBrowser(t)
	// One at a time: four copies of the program starting at once on two cores
	// would only test the machine.
	for _, sz := range []struct{ w, h int }{{1280, 720}, {390, 844}} {
		for _, mode := range []string{"", "&present=1&step=5"} {
			t.Run(fmt.Sprintf("%dx%d%s", sz.w, sz.h, mode), func(t *testing.T) {
				tb := open(t, "", sz.w, sz.h)
				stretchEnglish(t, tb)
				tb.navigate(mainServer(t) + "?lang=en&paused=1" + mode)
				tb.waitReady()
				if !strings.Contains(eval[string](tb, `document.getElementById('panel').innerText + document.getElementById('caption').innerText`), "·") {
					t.Fatal("test setup: the pseudo-language did not load")
				}
				problems := eval[[]string](tb, overflowScript)
				for _, p := range problems {
					t.Error(p)
				}
				tb.screenshot(fmt.Sprintf("pseudo-%dx%d%s", sz.w, sz.h, strings.ReplaceAll(mode, "&", "-")))
			})
		}
	}
}

// overflowScript lists visible things that overflow the window or their box, and
// controls or labels that overlap each other.
const overflowScript = `(() => {
  const out = [];
  const vis = e => e.offsetParent !== null && getComputedStyle(e).visibility !== 'hidden';
  const W = document.documentElement.clientWidth, H = document.documentElement.clientHeight;
  if (document.documentElement.scrollWidth > W + 1) out.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + W);
  const hidden = e => e.closest('.description:not(.open)');
  const scrolled = e => e.closest('.panel, .caption');
  const boxes = [...document.querySelectorAll('.tool, .label[data-fits="true"][data-shown="true"], .caption-nav .button, .part-button')].filter(vis).filter(e => !hidden(e));
  for (const e of boxes) {
    const r = e.getBoundingClientRect();
    const out1 = r.left < -1 || r.right > W + 1 || (!scrolled(e) && (r.top < -1 || r.bottom > H + 1));
    if (out1) out.push('outside the window: ' + (e.id || e.className) + ' ' + JSON.stringify([r.left, r.top, r.right, r.bottom]));
    if (e.scrollWidth > e.clientWidth + 2 && getComputedStyle(e).overflow !== 'visible') out.push('text cut off in ' + (e.id || e.className));
  }
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i].getBoundingClientRect(), b = boxes[j].getBoundingClientRect();
    if (boxes[i].contains(boxes[j]) || boxes[j].contains(boxes[i])) continue;
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) out.push('overlap: ' + (boxes[i].id || boxes[i].className) + ' / ' + (boxes[j].id || boxes[j].className));
  }
  for (const e of [...document.querySelectorAll('.label[data-fits="true"][data-shown="true"]')].filter(vis)) {
    if (e.scrollWidth > e.clientWidth + 1) out.push('a label word does not fit its box: ' + e.textContent);
  }
  for (const e of [...document.querySelectorAll('.panel, .caption')].filter(vis)) {
    if (e.scrollWidth > e.clientWidth + 2) out.push('sideways overflow in ' + e.className);
  }
  return out;
})()`

var wordRE = regexp.MustCompile(`\{[a-zA-Z]+\}`)

// stretchEnglish answers the English language file with every string made 60%
// longer (placeholders kept), through the DevTools Fetch domain.
func stretchEnglish(t *testing.T, tb *tab) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(root, "assets", "lang", "en.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	json.Unmarshal(src, &v)
	var stretch func(any) any
	stretch = func(x any) any {
		switch x := x.(type) {
		case string:
			if x == "en" {
				return x
			}
			n := int(math.Ceil(float64(len([]rune(wordRE.ReplaceAllString(x, "")))) * 0.6))
			pad := strings.Repeat("·", n/2)
			return "⟦" + pad + x + pad + strings.Repeat("·", n-2*(n/2)) + "⟧"
		case map[string]any:
			for k, e := range x {
				x[k] = stretch(e)
			}
		case []any:
			for i, e := range x {
				x[i] = stretch(e)
			}
		}
		return x
	}
	body, _ := json.Marshal(stretch(v))
	// The English words are in the page (the build puts them in a JSON element):
	// the page is answered with the built one, its words stretched; the language
	// file, asked for when switching back to English, is stretched too.
	page, err := os.ReadFile(filepath.Join(siteDir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	wordsEl := regexp.MustCompile(`(<script type="?application/json"? id="?words"? data-lang="?en"?>)[^<]*(</script>)`)
	if !wordsEl.Match(page) {
		t.Fatal("test setup: the built page has no English words element")
	}
	var esc bytes.Buffer
	json.HTMLEscape(&esc, body)
	page = wordsEl.ReplaceAllFunc(page, func(m []byte) []byte {
		sub := wordsEl.FindSubmatch(m)
		return append(append(append([]byte{}, sub[1]...), esc.Bytes()...), sub[2]...)
	})
	if _, err := chromedp.Call(tb.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{
		{URLPattern: "*/assets/lang/en.*"}, {URLPattern: "*lang=en*", ResourceType: network.ResourceTypeDocument},
	}}); err != nil {
		t.Fatal(err)
	}
	events := chromedp.Events(tb.ctx, fetch.RequestPaused)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			if ev.ResourceType == network.ResourceTypeDocument {
				chromedp.Call(tb.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
					RequestID: ev.RequestID, ResponseCode: 200,
					ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/html; charset=utf-8"}},
					Body:            page,
				})
				continue
			}
			chromedp.Call(tb.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
				RequestID: ev.RequestID, ResponseCode: 200,
				ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "application/json"}},
				Body:            body,
			})
		}
	}()
}

// whenLive runs js as soon as the page knows a live server is there (it asks
// live/info as it starts).
func whenLive(js string) string {
	return `(function go() { if (document.getElementById('app').dataset.live === 'available') { ` + js + ` } else setTimeout(go, 20); })()`
}
