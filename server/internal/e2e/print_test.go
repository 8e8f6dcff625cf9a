package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	goqr "github.com/piglig/go-qr"
)

// Printing: the handout a teacher prints (the picture of the state in the light
// palette, the handout text, the public address), through Page.printToPDF, on
// A4 and US Letter, portrait and landscape, read back with poppler-utils.

// needPoppler skips a test without pdftoppm, pdftotext and pdfinfo (Debian's
// poppler-utils), except under CI=true, where they are required.
func needPoppler(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftoppm", "pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing, and CI=true requires the print tests: apt-get install -y poppler-utils", tool)
			}
			t.Skipf("%s is missing (apt-get install -y poppler-utils): print tests skipped", tool)
		}
	}
}

type paper struct {
	name string
	w, h float64 // inches, portrait
}

var papers = []paper{{"a4", 8.27, 11.69}, {"letter", 8.5, 11}}

// wordsOf reads a language file of the site under test.
func wordsOf(t *testing.T, lang string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "assets", "lang", lang+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var w map[string]any
	if err := json.Unmarshal(b, &w); err != nil {
		t.Fatal(err)
	}
	return w
}

func word(w map[string]any, key string) string {
	var v any = w
	for _, k := range strings.Split(key, ".") {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	s, _ := v.(string)
	return s
}

type source struct {
	Author, Title, Publisher, URL string
	Year                          int
}

func sources(t *testing.T) []source {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "assets", "diagram.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c struct{ Sources []source }
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Sources) == 0 {
		t.Fatal("the content cites no sources")
	}
	return c.Sources
}

// printPDF prints the tab to a PDF with the browser's defaults for what a person
// does not set (no background graphics, no header or footer) and returns its path.
func (tb *tab) printPDF(name string, p paper, landscape bool) string {
	tb.t.Helper()
	f, bg := false, false
	res, err := chromedp.Call(tb.ctx, page.PrintToPDF, page.PrintToPDFParams{
		Landscape: &landscape, PrintBackground: &bg, DisplayHeaderFooter: &f,
		PaperWidth: p.w, PaperHeight: p.h,
	})
	if err != nil {
		tb.t.Fatal(err)
	}
	path := filepath.Join(tb.t.TempDir(), name+".pdf")
	if err := os.WriteFile(path, res.Data, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	return path
}

func runTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

func pdfPages(t *testing.T, pdf string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(runTool(t, "pdfinfo", pdf))
	if m == nil {
		t.Fatalf("pdfinfo gives no page count for %s", pdf)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// pdfText is the text of the PDF's pages first..last, with runs of white space
// (line breaks, hyphenless wraps) made single spaces.
func pdfText(t *testing.T, pdf string, first, last int) string {
	t.Helper()
	s := runTool(t, "pdftotext", "-f", strconv.Itoa(first), "-l", strconv.Itoa(last), "-enc", "UTF-8", pdf, "-")
	return strings.Join(strings.Fields(s), " ")
}

// rasterise renders the PDF's pages at dpi and saves them as artifacts.
func rasterise(t *testing.T, pdf, name string, dpi int) []image.Image {
	t.Helper()
	dir := t.TempDir()
	runTool(t, "pdftoppm", "-r", strconv.Itoa(dpi), "-png", pdf, filepath.Join(dir, "p"))
	files, _ := filepath.Glob(filepath.Join(dir, "p-*.png"))
	var out []image.Image
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(artifacts, fmt.Sprintf("%s-page%d.png", name, i+1)), b, 0o644)
		out = append(out, img)
	}
	return out
}

// inked is the bounding box of the pixels of img that are not paper white.
func inked(img image.Image) image.Rectangle {
	return boxOf(img, func(r, g, b float64) bool { return r+g+b < 3*245 })
}

// boxOf is the bounding box of the pixels of img whose colour is in.
func boxOf(img image.Image, in func(r, g, b float64) bool) image.Rectangle {
	b := img.Bounds()
	box := image.Rectangle{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if in(rgb(img.At(x, y))) {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return box
}

// The words of the tools, menus and dialogs that paper must not show (More,
// Plus, Más are words of the text too).
var controlKeys = []string{"ui.present", "ui.pause", "ui.play", "ui.speed", "ui.projector", "ui.fullscreen",
	"ui.language", "ui.downloadPNG", "ui.downloadSVG", "ui.embed", "ui.description", "ui.help",
	"ui.print", "ui.next", "ui.previous", "ui.loading", "ui.explore", "ui.close", "ui.selectHint", "ui.helpTitle"}

func TestPrintHandout(t *testing.T) {
	needBrowser(t)
	needPoppler(t)
	base := mainServer(t)
	srcs := sources(t)
	for _, c := range []struct {
		lang, query string
		select_     string // a part selected by its label
	}{
		{"en", "?present=1&step=4&paused=1&lang=en", ""},
		{"fr", "?paused=1&lang=fr", "cop"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			w := wordsOf(t, c.lang)
			tb := open(t, base+c.query, 1280, 720)
			tb.waitReady()
			if c.select_ != "" {
				tb.do(chromedp.Click(`#labels [data-part="` + c.select_ + `"]`))
				tb.wait(`document.getElementById('app').classList.contains('has-selection')`)
			}
			tb.wait(`document.getElementById('print').dataset.fresh === 'true'`)
			address := eval[string](tb, `document.querySelector('#print .print-url').textContent`)
			if !strings.HasPrefix(address, base) {
				t.Errorf("the handout names %q, not the diagram's address %s", address, base)
			}
			// The QR code beside it holds the same address, and is named in the
			// page's language.
			qr := eval[map[string]string](tb, `(() => { const q = document.querySelector('#print .print-qr');
				return q ? {label: q.getAttribute('aria-label') || '', modules: String(q.querySelectorAll('path, rect').length)} : {}; })()`)
			if qr["label"] != word(w, "ui.printQR") || qr["modules"] == "0" {
				t.Errorf("the handout's QR code is %v", qr)
			}
			for _, p := range papers {
				for _, landscape := range []bool{false, true} {
					orient := map[bool]string{false: "portrait", true: "landscape"}[landscape]
					name := fmt.Sprintf("print-%s-%s-%s", c.lang, p.name, orient)
					t.Run(p.name+"-"+orient, func(t *testing.T) {
						printed := eval[string](tb, `document.getElementById('print').dataset.printed || '0'`)
						pdf := tb.printPDF(name, p, landscape)
						if now := eval[string](tb, `document.getElementById('print').dataset.printed || '0'`); now == printed {
							t.Log("Page.printToPDF fired no beforeprint")
						}
						// The layout's promise: the picture's sheet, then the text's.
						if n := pdfPages(t, pdf); n != 2 {
							t.Errorf("%d pages, want 2 (the picture, then the text)", n)
						}
						first, rest := pdfText(t, pdf, 1, 1), pdfText(t, pdf, 2, 99)
						all := first + " " + rest
						// Page 1: the heading, the picture's labels (text in the SVG), the
						// step's caption while presenting, the address.
						for _, k := range []string{"heading", "summary", "parts.connectivism.title", "parts.cop.title", "parts.pln.title", "ui.printLive"} {
							if s := strings.Join(strings.Fields(word(w, k)), " "); !strings.Contains(first, s) {
								t.Errorf("page 1 lacks %s %q:\n%s", k, s, first)
							}
						}
						if !strings.Contains(strings.ReplaceAll(first, " ", ""), strings.ReplaceAll(address, " ", "")) {
							t.Errorf("page 1 lacks the address %s:\n%s", address, first)
						}
						if strings.Contains(c.query, "step=4") {
							steps := w["steps"].([]any)
							if s := steps[3].(map[string]any)["title"].(string); !strings.Contains(first, s) {
								t.Errorf("page 1 lacks the step's title %q", s)
							}
						}
						// The text: every part, its definition, the quotations, every source
						// in full.
						parts := w["parts"].(map[string]any)
						for id := range parts {
							for _, k := range []string{"title", "definition", "quoteBy"} {
								if s := strings.Join(strings.Fields(word(w, "parts."+id+"."+k)), " "); !strings.Contains(rest, s) {
									t.Errorf("the text lacks parts.%s.%s %q", id, k, s)
								}
							}
						}
						for _, s := range srcs {
							for _, f := range []string{s.Author, s.Title, s.Publisher, s.URL, strconv.Itoa(s.Year)} {
								if f != "" && !strings.Contains(rest, f) {
									t.Errorf("the references lack %q", f)
								}
							}
						}
						for _, k := range controlKeys {
							s := word(w, k)
							if s == "" {
								t.Fatalf("test setup: no %s in %s.json", k, c.lang)
							}
							if regexp.MustCompile(`(^|[^\pL])` + regexp.QuoteMeta(s) + `($|[^\pL])`).MatchString(all) {
								t.Errorf("the paper shows the control %s %q", k, s)
							}
						}
						pages := rasterise(t, pdf, name, 60)
						if len(pages) != 2 {
							t.Fatalf("%d pages rasterised", len(pages))
						}
						// The picture: a square of many colours, whole on page 1, within
						// the margins (not cut off).
						pg := pages[0].Bounds()
						pic := pictureBox(pages[0])
						side := float64(min(pg.Dx(), pg.Dy()))
						if float64(pic.Dx()) < 0.55*side || math.Abs(float64(pic.Dx()-pic.Dy())) > 0.03*float64(pic.Dx()) {
							t.Errorf("the picture is %v on a %v page: not a square of most of the sheet", pic.Size(), pg.Size())
						}
						margin := 23 // 1 cm at 60 dpi
						if pic.Min.X < margin || pic.Min.Y < margin || pic.Max.X > pg.Max.X-margin || pic.Max.Y > pg.Max.Y-margin {
							t.Errorf("the picture %v reaches into the page's margins (%v)", pic, pg)
						}
						if n := distinctColors(cropped(pages[0], pic)); n < 40 {
							t.Errorf("the picture area has %d colours: blank", n)
						}
						if got, err := scanPrintedQR(t, pdf, landscape); err != nil || got != address {
							t.Errorf("the printed QR code scans as %q (%v), want %s", got, err, address)
						}
						if ink := inked(pages[1]); ink.Dy() < pages[1].Bounds().Dy()/4 {
							t.Errorf("page 2 is nearly blank (ink in %v)", ink)
						}
					})
				}
			}
			tb.noConsoleErrors()
		})
	}
}

// pictureBox finds the printed picture on a rasterised page: the bounding box of
// its coloured pixels (its light background is a tint, the text is grey).
func pictureBox(img image.Image) image.Rectangle {
	return boxOf(img, func(r, g, b float64) bool {
		return math.Max(r, math.Max(g, b))-math.Min(r, math.Min(g, b)) > 6 // not a grey
	})
}

type subImager interface {
	SubImage(r image.Rectangle) image.Image
}

func cropped(img image.Image, r image.Rectangle) image.Image {
	if s, ok := img.(subImager); ok {
		return s.SubImage(r)
	}
	return img
}

// The picture on paper follows the state, but is not made again while nothing
// changes: the live frames go on without it.
func TestPrintPictureFollowsTheState(t *testing.T) {
	tb := open(t, mainServer(t)+"?present=1&step=2", 1280, 720)
	tb.waitReady()
	fresh := `document.getElementById('print').dataset.fresh === 'true'`
	builds := func() int {
		return int(eval[float64](tb, `+document.getElementById('print').dataset.builds`))
	}
	tb.wait(fresh)
	n := builds()
	// Sixty frames of a moving picture (the gears turn while playing).
	frames := eval[float64](tb, `new Promise((done) => { let n = 0; const f = () => (++n < 60 ? requestAnimationFrame(f) : done(n)); requestAnimationFrame(f); })`)
	if frames < 60 {
		t.Fatalf("%v frames", frames)
	}
	if got := builds(); got != n {
		t.Errorf("the print picture was made %d times over 60 frames with nothing changed", got-n)
	}
	// A step: the picture is made once more, showing the new step.
	tb.do(chromedp.KeyEvent(kb.ArrowRight))
	tb.wait(fresh + ` && document.getElementById('print').dataset.picture === 'en|3||-1'`)
	if got := builds(); got != n+1 {
		t.Errorf("one step made the picture %d times", got-n)
	}
	caption := eval[string](tb, `document.querySelector('#print .print-caption').textContent`)
	if !strings.Contains(caption, "3") {
		t.Errorf("the print caption %q is not step 3's", caption)
	}
	ms := eval[[]float64](tb, `performance.getEntriesByName('diagram-print-picture').map((e) => e.duration)`)
	t.Logf("making the print picture took %v ms (request to answer)", ms)
	tb.noConsoleErrors()
}

// More -> Print handout prints the state as it is, also right after a change.
func TestPrintMenuItem(t *testing.T) {
	tb := open(t, mainServer(t)+"?present=1&step=1&paused=1", 1280, 720)
	tb.waitReady()
	eval[bool](tb, `(window.__prints = [], window.print = () => window.__prints.push({
		fresh: document.getElementById('print').dataset.fresh,
		picture: document.getElementById('print').dataset.picture,
		caption: document.querySelector('#print .print-caption').textContent,
		svg: !!document.querySelector('#print .print-picture svg'),
	}), true)`)
	tb.do(chromedp.KeyEvent(kb.ArrowRight)) // step 2, and at once:
	tb.do(chromedp.Click("#more"))
	tb.do(chromedp.Click("#print-handout"))
	tb.wait(`window.__prints.length === 1`)
	got := eval[map[string]any](tb, `window.__prints[0]`)
	if got["fresh"] != "true" || got["picture"] != "en|2||-1" || got["svg"] != true || !strings.Contains(got["caption"].(string), "2 ") {
		t.Errorf("Print handout printed %v, not the picture of step 2", got)
	}
	if menu := eval[bool](tb, `document.getElementById('more-menu').hidden`); !menu {
		t.Error("the menu stayed open")
	}
	// Ctrl+P right after a change: the same wait for the picture, then print.
	tb.do(chromedp.KeyEvent(kb.ArrowRight)) // step 3
	tb.do(chromedp.KeyEvent("p", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	tb.wait(`window.__prints.length === 2`)
	got = eval[map[string]any](tb, `window.__prints[1]`)
	if got["fresh"] != "true" || got["picture"] != "en|3||-1" || !strings.Contains(got["caption"].(string), "3 ") {
		t.Errorf("Ctrl+P printed %v, not the picture of step 3", got)
	}
	tb.noConsoleErrors()
}

// Downloads are pictures of their own: the diagram centred, the heading and
// caption in bands above and below it, never over it.
func TestExportsCentred(t *testing.T) {
	tb := open(t, mainServer(t)+"?present=1&step=5&paused=1", 1280, 720)
	tb.waitReady()
	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(tb.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}); err != nil {
		t.Fatal(err)
	}
	fetch := func(item, file string) []byte {
		tb.do(chromedp.Click("#more"))
		tb.do(chromedp.Click(item))
		path := filepath.Join(dir, file)
		var data []byte
		tb.waitUntil(file, func() bool {
			b, err := os.ReadFile(path)
			data = b
			return err == nil && len(b) > 0 && (!strings.HasSuffix(file, ".svg") || bytes.HasSuffix(bytes.TrimSpace(b), []byte("</svg>")))
		})
		os.WriteFile(filepath.Join(artifacts, "export-"+file), data, 0o644)
		return data
	}
	svg := fetch("#download-svg", "connected-learning-step-5.svg")
	// The SVG measured by the browser: the picture's shapes (not the background,
	// not the words and their backings, not the soft glows) against the words'
	// boxes.
	eval[bool](tb, fmt.Sprintf(`(() => {
		const d = new DOMParser().parseFromString(%q, 'image/svg+xml').documentElement;
		d.id = 'measured';
		document.body.appendChild(d);
		return true;
	})()`, string(svg)))
	type box struct{ X, Y, W, H float64 }
	m := eval[struct {
		View             box
		Picture          box
		Texts            []box
		Caption, Heading string
	}](tb, `(() => {
		const s = document.getElementById('measured');
		const v = s.viewBox.baseVal;
		let lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
		for (const e of s.querySelectorAll('path, circle, use')) {
			if ((e.getAttribute('fill') || '').startsWith('url(') || e.closest('defs')) continue;
			const b = e.getBBox();
			if (!b.width && !b.height) continue;
			let ctm = e.getCTM(), sm = s.getCTM().inverse();
			const m = sm.multiply(ctm);
			for (const [x, y] of [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]]) {
				const p = new DOMPoint(x, y).matrixTransform(m);
				lo = [Math.min(lo[0], p.x), Math.min(lo[1], p.y)];
				hi = [Math.max(hi[0], p.x), Math.max(hi[1], p.y)];
			}
		}
		const texts = [...s.querySelectorAll('text')];
		const boxes = texts.map((t) => { const r = t.previousElementSibling.getBBox(); return {X: r.x, Y: r.y, W: r.width, H: r.height}; });
		return {View: {X: v.x, Y: v.y, W: v.width, H: v.height}, Picture: {X: lo[0], Y: lo[1], W: hi[0] - lo[0], H: hi[1] - lo[1]}, Texts: boxes,
			Caption: texts.length > 1 ? texts[texts.length - 2].textContent : '', Heading: texts.length ? texts[texts.length - 1].textContent : ''};
	})()`)
	W, H := m.View.W, m.View.H
	cx, cy := m.Picture.X+m.Picture.W/2, m.Picture.Y+m.Picture.H/2
	if math.Abs(cx-W/2) > 0.03*W || math.Abs(cy-H/2) > 0.03*H {
		t.Errorf("SVG: the picture %+v is centred at (%.0f, %.0f) in %.0f×%.0f", m.Picture, cx, cy, W, H)
	}
	if len(m.Texts) < 5 {
		t.Fatalf("SVG: %d texts, want the three labels, the heading and the caption", len(m.Texts))
	}
	w := wordsOf(t, "en")
	step5 := w["steps"].([]any)[4].(map[string]any)
	// The caption's band, then the heading's, are the last words drawn (their
	// lines are tspans: compared without spaces).
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	if squash(m.Heading) != squash("Step 5 of 6: "+step5["title"].(string)) || squash(m.Caption) != squash(step5["caption"].(string)) {
		t.Errorf("SVG: heading %q and caption %q are not step 5's", m.Heading, m.Caption)
	}
	overlaps := func(a, b box) bool { return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H }
	for _, r := range m.Texts[len(m.Texts)-2:] {
		if overlaps(r, m.Picture) {
			t.Errorf("SVG: the words' box %+v overlaps the picture %+v", r, m.Picture)
		}
	}

	// The PNG: the same frame at 1x; the picture found by its pixels.
	data := fetch("#download-png", "connected-learning-step-5.png")
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if math.Abs(float64(b.Dx())-W) > 1 || math.Abs(float64(b.Dy())-H) > 1 {
		t.Fatalf("the PNG is %v, the SVG %.0f×%.0f", b.Size(), W, H)
	}
	bg := img.At(b.Min.X+2, b.Min.Y+2)
	br, bgc, bb := rgb(bg)
	inWords := func(x, y int) bool {
		for _, r := range m.Texts[len(m.Texts)-2:] {
			if float64(x) >= r.X && float64(x) <= r.X+r.W && float64(y) >= r.Y && float64(y) <= r.Y+r.H {
				return true
			}
		}
		return false
	}
	pic := image.Rectangle{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if inWords(x, y) {
				continue
			}
			r, g, bl := rgb(img.At(x, y))
			if math.Abs(r-br)+math.Abs(g-bgc)+math.Abs(bl-bb) > 60 {
				pic = pic.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	pcx, pcy := float64(pic.Min.X+pic.Max.X)/2, float64(pic.Min.Y+pic.Max.Y)/2
	if math.Abs(pcx-W/2) > 0.03*W || math.Abs(pcy-H/2) > 0.03*H {
		t.Errorf("PNG: the picture %v is centred at (%.0f, %.0f) in %.0f×%.0f", pic, pcx, pcy, W, H)
	}
	for _, r := range m.Texts[len(m.Texts)-2:] {
		if overlaps(r, box{float64(pic.Min.X), float64(pic.Min.Y), float64(pic.Dx()), float64(pic.Dy())}) {
			t.Errorf("PNG: the words' box %+v overlaps the picture %v", r, pic)
		}
	}
	tb.noConsoleErrors()
}

// A page whose program could not start still prints a handout: the build's
// picture in the light palette, and the whole text.
func TestPrintWithoutTheProgram(t *testing.T) {
	needBrowser(t)
	needPoppler(t)
	srv := truncatedWasmServer(t)
	tb := open(t, srv.URL, 1280, 720)
	tb.wait(`!document.getElementById('error').hidden`)
	tb.wait(`(() => { const i = document.querySelector('#print .print-picture img'); return i && i.complete && i.naturalWidth > 0; })()`)
	tb.wait(`document.querySelectorAll('#print .print-part').length === 4`)
	pdf := tb.printPDF("print-no-program", papers[0], false)
	if n := pdfPages(t, pdf); n != 2 {
		t.Errorf("%d pages, want 2", n)
	}
	w := wordsOf(t, "en")
	if s := word(w, "parts.cop.definition"); !strings.Contains(pdfText(t, pdf, 2, 2), s) {
		t.Errorf("the text lacks %q", s)
	}
	pages := rasterise(t, pdf, "print-no-program", 60)
	if n := distinctColors(cropped(pages[0], pictureBox(pages[0]))); n < 40 {
		t.Errorf("the picture area has %d colours: blank", n)
	}
	if s := pdfText(t, pdf, 1, 2); strings.Contains(s, word(w, "ui.errorTitle")) {
		t.Error("the paper shows the error message")
	}
}

// scanPrintedQR rasterises page 1 as a phone's camera would see it and decodes
// the QR code in the address's corner of the sheet (below the picture upright,
// beside it on a sheet on its side).
func scanPrintedQR(t *testing.T, pdf string, landscape bool) (string, error) {
	t.Helper()
	dir := t.TempDir()
	runTool(t, "pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", pdf, filepath.Join(dir, "qr"))
	files, _ := filepath.Glob(filepath.Join(dir, "qr-*.png"))
	if len(files) != 1 {
		return "", fmt.Errorf("%d pages rasterised", len(files))
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		return "", err
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	r := img.Bounds()
	if landscape {
		r.Min.X += r.Dx() * 2 / 3
		r.Min.Y += r.Dy() / 2
	} else {
		r.Min.Y += r.Dy() * 4 / 5
	}
	res, err := goqr.DecodeDetailed(cropped(img, r))
	if err != nil {
		return "", err
	}
	return res.Text, nil
}

// The build's picture for the paper is fetched only when it is wanted: a page
// that loads normally never downloads it, and Print handout before the program
// has drawn waits for it, then prints it.
func TestPrintBeforeTheProgram(t *testing.T) {
	needBrowser(t)
	tb, held := openHeld(t, mainServer(t)+"?paused=1")
	tb.wait(`document.querySelector('svg.ph-dark [data-part]') && document.querySelectorAll('#print .print-part').length === 4`)
	fetched := `performance.getEntriesByType('resource').some((r) => r.name.includes('placeholder-projector'))`
	if eval[bool](tb, fetched) || eval[bool](tb, `!!document.querySelector('#print .print-picture img[src]')`) {
		t.Error("the page fetched the paper's fallback picture while the program loads")
	}
	eval[bool](tb, `(window.__prints = [], window.print = () => window.__prints.push({
		loaded: (i => !!i && i.complete && i.naturalWidth > 0)(document.querySelector('#print .print-picture img')),
		parts: document.querySelectorAll('#print .print-part').length,
	}), true)`)
	tb.do(chromedp.Click("#more"))
	tb.do(chromedp.Click("#print-handout"))
	tb.wait(`window.__prints.length === 1`)
	if got := eval[map[string]any](tb, `window.__prints[0]`); got["loaded"] != true || got["parts"] != float64(4) {
		t.Errorf("Print handout before the program printed %v, want the build's picture loaded and 4 parts", got)
	}
	held.release()
	tb.waitReady()
	tb.noConsoleErrors()
}
