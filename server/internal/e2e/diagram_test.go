package e2e

import (
	"encoding/json"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/connectedlearning/diagram/wasm/diagram"
)

// model returns the scene the page shows, built natively from the same content and
// laid out on the page's stage: the wasm and this are the same deterministic code,
// so with motion paused its probes are exactly where the page draws.
func model(t *testing.T, tb *tab) (*diagram.Scene, *diagram.Content) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(root, "assets", "diagram.json"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := diagram.ParseContent("diagram.json", string(src))
	if err != nil {
		t.Fatal(err)
	}
	r := eval[[]float64](tb, `(() => { const r = document.getElementById('stage').getBoundingClientRect(); return [r.left, r.top, r.width, r.height, innerWidth, innerHeight, devicePixelRatio]; })()`)
	d := r[6]
	s := diagram.New(c)
	s.SetViewport(r[4]*d, r[5]*d, diagram.Rect{X: r[0] * d, Y: r[1] * d, W: r[2] * d, H: r[3] * d}, d)
	return s, c
}

// nearest names the palette colour closest to the pixel.
func nearest(img image.Image, x, y float64, dpr float64, pal *diagram.Palette) string {
	px := img.At(int(x*dpr), int(y*dpr))
	r, g, b := rgb(px)
	best, bestD := "", math.Inf(1)
	for _, f := range pal.Fields() {
		c := f.Color
		d := math.Pow(r-float64(c.R), 2) + math.Pow(g-float64(c.G), 2) + math.Pow(b-float64(c.B), 2)
		if d < bestD {
			best, bestD = f.Name, d
		}
	}
	return best
}

var layerColor = map[diagram.Part][]string{
	diagram.PartConnectivism: {"brain", "brainDeep"}, // a gear's axle, or its hub on a small screen
	diagram.PartCoP:          {"cop"},
	diagram.PartPLN:          {"pln", "link"},
}

func TestDiagramDrawsEveryLayerAtEverySize(t *testing.T) {
	needBrowser(t)
	sizes := []struct {
		w, h    int
		dpr     float64
		profile diagram.Profile
	}{
		{1280, 720, 1, diagram.ProfileDark}, {1920, 1080, 1, diagram.ProfileDark}, {400, 300, 1, diagram.ProfileDark}, {390, 844, 2, diagram.ProfileDark},
		{1280, 720, 1, diagram.ProfileProjector}, {1920, 1080, 1, diagram.ProfileProjector}, {390, 844, 2, diagram.ProfileProjector},
	}
	for _, sz := range sizes {
		name := fmt.Sprintf("%dx%d", sz.w, sz.h)
		if sz.profile != diagram.ProfileDark {
			name += "-" + sz.profile.String()
		}
		t.Run(fmt.Sprintf("%s@%gx", name, sz.dpr), func(t *testing.T) {
			tb := open(t, mainServer(t)+"?paused=1&colorProfile="+sz.profile.String(), sz.w, sz.h, withDPR(sz.dpr))
			tb.waitReady()
			img := tb.screenshot("diagram-" + name)
			if n := distinctColors(img); n < 40 {
				t.Fatalf("the screenshot has %d colours: blank or flat", n)
			}
			// The canvas is drawn at the device's resolution.
			cw := eval[[]int](tb, `[document.querySelector('canvas').width, document.querySelector('canvas').height]`)
			if want := int(float64(sz.w) * sz.dpr); cw[0] != want {
				t.Errorf("canvas is %d px wide, want %d (w × device pixel ratio)", cw[0], want)
			}
			s, c := model(t, tb)
			pal := &c.Palettes[sz.profile]
			checked := map[diagram.Part]int{}
			wrong := map[diagram.Part][]string{}
			for _, p := range s.Probes() {
				want := layerColor[p.Target.Part]
				// Gear centres are axles; people's chests are their bodies.
				if p.Target.Person < 0 && p.Target.Part != diagram.PartConnectivism {
					continue // bands between people show the background
				}
				got := nearest(img, p.X/sz.dpr, p.Y/sz.dpr, sz.dpr, pal)
				ok := false
				for _, w := range want {
					ok = ok || got == w
				}
				checked[p.Target.Part]++
				if !ok {
					wrong[p.Target.Part] = append(wrong[p.Target.Part], fmt.Sprintf("(%.0f,%.0f)=%s", p.X/sz.dpr, p.Y/sz.dpr, got))
				}
			}
			for part, n := range checked {
				if len(wrong[part]) > n/5 {
					t.Errorf("%s: %d of %d probes are not in the layer's colour: %v", part, len(wrong[part]), n, wrong[part])
				}
			}
			// Small screens have fewer clickable gear centres (a pulse or a finger's
			// reach covers some); every layer must still be checked.
			if checked[diagram.PartConnectivism] < 5 || checked[diagram.PartCoP] < 8 || checked[diagram.PartPLN] < 16 {
				t.Errorf("too few probes checked: %v", checked)
			}
			tb.noConsoleErrors()
		})
	}
}

func TestClickingSelectsLayersAndPeople(t *testing.T) {
	tb := open(t, mainServer(t)+"?paused=1", 1280, 720)
	tb.waitReady()
	s, _ := model(t, tb)
	first := map[string]diagram.Probe{}
	for _, p := range s.Probes() {
		key := p.Target.Part.String()
		if p.Target.Person >= 0 {
			key += "-person"
		}
		if _, ok := first[key]; !ok {
			first[key] = p
		}
	}
	cases := []struct {
		key, title string
	}{
		{"connectivism", "Connectivism"},
		{"cop", "Community of Practice"},
		{"pln", "Personal Learning Network"},
	}
	for _, c := range cases {
		p, ok := first[c.key]
		if !ok {
			t.Fatalf("no probe for %s", c.key)
		}
		tb.click(p.X, p.Y)
		tb.wait(fmt.Sprintf(`document.getElementById('panel-title').textContent.includes(%q)`, c.title))
		body := eval[string](tb, `document.getElementById('panel-body').innerText`)
		for _, want := range []string{"KEY POINTS", "SOURCES"} {
			if !strings.Contains(strings.ToUpper(body), want) {
				t.Errorf("%s panel lacks %s:\n%s", c.key, want, body)
			}
		}
		if n := eval[int](tb, `document.querySelectorAll('#panel-body ul:not(.sources) li').length`); n < 2 || n > 4 {
			t.Errorf("%s panel has %d key points, want 2 to 4", c.key, n)
		}
	}
	// A person says who they are in the picture.
	for _, key := range []string{"cop-person", "pln-person"} {
		p := first[key]
		want := map[string]string{"cop-person": "Community of Practice", "pln-person": "Personal Learning Network"}[key]
		tb.click(p.X, p.Y)
		// The click is the program's to answer, in its own time (it draws in the
		// page's worker): wait for the person's panel, not for any panel.
		tb.wait(fmt.Sprintf(`document.getElementById('panel-body').innerText.includes('Part of: ' + %q)`, want))
	}
	// Empty space clears the selection.
	tb.click(3, 700)
	tb.wait(`document.getElementById('panel-title').textContent === 'Connected learning'`)
	tb.screenshot("clicked")
	tb.noConsoleErrors()
}

// Hovering shows the pointer, and the canvas's title names what is under it: the
// page uses the program's hover events (it used to throw them away).
func TestHoverShowsPointerAndName(t *testing.T) {
	tb := open(t, mainServer(t)+"?paused=1", 1280, 720)
	tb.waitReady()
	s, _ := model(t, tb)
	words := langFile(t, "en")
	hovered := map[string]bool{}
	for _, p := range s.Probes() {
		var want, what string
		if m, ok := s.Member(p.Target.Person); ok {
			what = m.Words()
			switch {
			case m.Kind.Resource():
				list := words.Resources[m.Kind.String()]
				want = list[m.Role%len(list)].Name
			case m.Joined:
				want = words.Roles.Newcomer.Name
			default:
				list := words.Roles.Rings[m.Part.String()]
				want = list[m.Role%len(list)].Name
			}
		} else if p.Target.Person < 0 && p.Target.Part == diagram.PartConnectivism {
			what, want = "part", words.Parts["connectivism"].Title
		}
		if want == "" || hovered[what] {
			continue
		}
		hovered[what] = true
		tb.do(chromedp.MouseEvent("mouseMoved", p.X, p.Y))
		tb.wait(fmt.Sprintf(`document.querySelector('canvas').style.cursor === 'pointer' && document.querySelector('canvas').title === %q`, want))
	}
	if !hovered["part"] || !hovered["person"] || len(hovered) < 4 {
		t.Errorf("hovered %v: want a part, people and resources", hovered)
	}
	tb.do(chromedp.MouseEvent("mouseMoved", 3, 700))
	tb.wait(`document.querySelector('canvas').style.cursor !== 'pointer' && !document.querySelector('canvas').hasAttribute('title')`)
}

// langWords is what the tests read of a language file.
type langWords struct {
	Parts map[string]struct{ Title string }
	Roles struct {
		Rings    map[string][]struct{ Name, Text string } `json:"-"`
		Newcomer struct{ Name, Text string }
	}
	Resources map[string][]struct{ Name, Text string }
	UI        map[string]string
}

func langFile(t *testing.T, lang string) langWords {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(root, "assets", "lang", lang+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var w langWords
	var rings struct {
		Roles map[string]json.RawMessage
	}
	if err := json.Unmarshal(src, &w); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(src, &rings); err != nil {
		t.Fatal(err)
	}
	w.Roles.Rings = map[string][]struct{ Name, Text string }{}
	for _, ring := range []string{"cop", "pln"} {
		var list []struct{ Name, Text string }
		if err := json.Unmarshal(rings.Roles[ring], &list); err != nil {
			t.Fatal(err)
		}
		w.Roles.Rings[ring] = list
	}
	return w
}

func TestFramesChangeOverTime(t *testing.T) {
	tb := open(t, mainServer(t)+"?motion=full", 1280, 720)
	tb.waitReady()
	a := tb.screenshot("motion-a")
	tb.elapse(time.Second)
	b := tb.screenshot("motion-b")
	if samePicture(a, b) {
		t.Fatal("playing, two frames a second apart are identical")
	}
	tb.noConsoleErrors()
}

func TestResizeRelaysOut(t *testing.T) {
	tb := open(t, mainServer(t)+"?paused=1", 1280, 720)
	tb.waitReady()
	labelPos := func() []float64 {
		return eval[[]float64](tb, `[...document.querySelectorAll('.label')].flatMap(l => { const r = l.getBoundingClientRect(); return [r.left + r.width/2, r.top + r.height/2]; })`)
	}
	before := labelPos()
	tb.do(chromedp.EmulateViewport(800, 1000))
	tb.wait(`document.querySelector('canvas').width === 800`)
	// The labels move to the anchors of the new layout (the CoP label below the
	// ring), which the program reports once it has laid the scene out again.
	s, c := model(t, tb)
	o := s.Anchors()[1]
	tb.wait(fmt.Sprintf(`(r => Math.abs(r.left + r.width/2 - %f) <= 2 && Math.abs(r.top + r.height/2 - %f) <= 2)(document.querySelector('.label[data-part="cop"]').getBoundingClientRect())`, o.X, o.Y))
	after := labelPos()
	if fmt.Sprint(before) == fmt.Sprint(after) {
		t.Fatalf("labels did not move after a resize: %v", after)
	}
	tb.waitRest()
	img := tb.screenshot("resized-800x1000")
	pal := &c.Palettes[diagram.ProfileDark]
	ok := 0
	for _, p := range s.Probes() {
		if p.Target.Part == diagram.PartConnectivism && nearest(img, p.X, p.Y, 1, pal) == "brain" {
			ok++
		}
	}
	if ok < 10 {
		t.Errorf("after the resize only %d gears are where the new layout puts them", ok)
	}
	tb.noConsoleErrors()
}

// copySite copies the built site so a test can break it without touching others.
func copySite(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.Walk(siteDir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(siteDir, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// replaceAsset overwrites the built asset whose name starts with prefix, dropping
// its compressed siblings so the broken bytes are what is served.
func replaceAsset(t *testing.T, dir, prefix string, data []byte) {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(dir, prefix+"*"))
	found := false
	for _, m := range matches {
		if strings.HasSuffix(m, ".br") || strings.HasSuffix(m, ".gz") {
			os.Remove(m)
			continue
		}
		os.WriteFile(m, data, 0o644)
		found = true
	}
	if !found {
		t.Fatalf("no asset %s*", prefix)
	}
}

func TestBrokenContentShowsTheErrorOnThePage(t *testing.T) {
	needBrowser(t)
	dir := copySite(t)
	src, _ := os.ReadFile(filepath.Join(root, "assets", "diagram.json"))
	broken := strings.Replace(string(src), `"people": 10,`, `"people": 40,`, 1)
	replaceAsset(t, dir, "assets/diagram.", []byte(broken))
	srv := startServer(t, dir)
	tb := open(t, srv.URL, 1280, 720)
	tb.wait(`!document.getElementById('error').hidden`)
	msg := eval[string](tb, `document.getElementById('error').innerText`)
	for _, want := range []string{"cop.people", "40 is out of range"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the page's error does not say %q:\n%s", want, msg)
		}
	}
	img := tb.screenshot("broken-content")
	if distinctColors(img) < 20 {
		t.Error("with broken content the page is blank")
	}
	if errs := tb.consoleErrors(); len(errs) == 0 || !strings.Contains(strings.Join(errs, "\n"), "cop.people") {
		t.Errorf("the console does not say why: %v", errs)
	}
}

// TestFirstFrameIsDrawnOnTheFinalLayout loads the page and checks that the
// program lays the scene out once: its first frame already fits the stage the
// page measured while it loaded (no second layout, no jump, no second full paint
// right after the diagram appears).
func TestFirstFrameIsDrawnOnTheFinalLayout(t *testing.T) {
	tb := open(t, "", 1280, 720)
	// Record the program's events as the page receives them.
	if _, err := chromedp.Call(tb.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `(() => {
		const log = window.__events = [];
		let b;
		Object.defineProperty(window, 'diagramBridge', { configurable: true, get() { return b; }, set(v) {
			b = v;
			const on = v.onEvent;
			v.onEvent = function (name) { log.push(name); return on.apply(this, arguments); };
		} });
	})()`}); err != nil {
		t.Fatal(err)
	}
	tb.navigate(mainServer(t) + "?paused=1")
	tb.waitReady()
	// Once the program rests, and the page has drawn two more frames (measuring the
	// stage again after the start), nothing is left that could lay it out again.
	tb.waitRest()
	eval[any](tb, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(null))))`)
	tb.waitRest()
	events := eval[[]string](tb, `window.__events`)
	ready := -1
	for i, e := range events {
		if e == "ready" {
			ready = i
			break
		}
	}
	if ready < 0 {
		t.Fatalf("no ready event: %v", events)
	}
	layouts := 0
	for i, e := range events {
		if e == "anchors" {
			layouts++
			if i > ready {
				t.Errorf("the scene was laid out again after its first frame (events %v)", events)
				break
			}
		}
	}
	if layouts == 0 {
		t.Errorf("no layout reported before the first frame: %v", events)
	}
	tb.noConsoleErrors()
}

// Resources of the network work like its people, in every language: hovering one
// shows the pointer, clicking one says in the panel what it is, and the text
// description lists them all.
func TestResourcesSayWhatTheyAre(t *testing.T) {
	needBrowser(t)
	for _, lang := range []string{"en", "fr", "es"} {
		t.Run(lang, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(root, "assets", "lang", lang+".json"))
			if err != nil {
				t.Fatal(err)
			}
			var words struct {
				Resources map[string][]struct{ Name, Text string }
				UI        map[string]string
			}
			if err := json.Unmarshal(src, &words); err != nil {
				t.Fatal(err)
			}
			tb := open(t, mainServer(t)+"?paused=1&lang="+lang, 1280, 720)
			tb.waitReady()
			s, _ := model(t, tb)
			n := 0
			for _, p := range s.Probes() {
				m, ok := s.Member(p.Target.Person)
				if !ok || !m.Kind.Resource() {
					continue
				}
				n++
				list := words.Resources[m.Kind.String()]
				want := list[m.Role%len(list)]
				tb.do(chromedp.MouseEvent("mouseMoved", p.X, p.Y))
				tb.wait(`document.querySelector('canvas').style.cursor === 'pointer'`)
				tb.click(p.X, p.Y)
				tb.wait(fmt.Sprintf(`document.getElementById('panel-title').textContent === %q`, want.Name))
				if body := eval[string](tb, `document.getElementById('panel-body').innerText`); !strings.Contains(body, want.Text) {
					t.Errorf("%s %d: the panel says %q, want its text %q", m.Kind, m.Role, body, want.Text)
				}
				desc := eval[string](tb, `document.getElementById('description-body').textContent`)
				if !strings.Contains(desc, want.Name) || !strings.Contains(desc, words.UI["resourcesPLN"]) {
					t.Errorf("the text description does not list %q under %q", want.Name, words.UI["resourcesPLN"])
				}
			}
			if n < 3 {
				t.Fatalf("%d resources found to click", n)
			}
			tb.noConsoleErrors()
		})
	}
}
