package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	goqr "github.com/piglig/go-qr"

	"github.com/connectedlearning/diagram/server/internal/site"
)

// The QR codes the page draws (assets/page/qr.js) are checked against
// github.com/piglig/go-qr, a Go port of Nayuki's QR Code generator library: the
// page's module tests (test/qr.test.js) get these reference matrices in their
// fixtures and compare every module. go-qr is a test dependency only: the server
// does not link it (TestServerLinksNeitherTheModelNorTheMinifier in ./server checks go list -deps).

// qrWant is a reference symbol: what go-qr encoded, read back from its modules.
type qrWant struct {
	Version int      `json:"version"`
	Size    int      `json:"size"`
	Ecc     string   `json:"ecc"`
	Mask    int      `json:"mask"`
	Rows    []string `json:"rows"` // a row a string, hex, four modules a digit, the first the high bit
}

type qrCase struct {
	Name  string `json:"name"`
	Text  string `json:"text"`
	Ecc   string `json:"ecc"`
	Boost bool   `json:"boost"`
	Mask  int    `json:"mask"` // -1: the encoder's choice
	Want  qrWant `json:"want"`
}

// qrTooLong is a text one unit longer than version 40 holds at a level.
type qrTooLong struct {
	Name string `json:"name"`
	Text string `json:"text"`
	Ecc  string `json:"ecc"`
	Max  int    `json:"max"` // the longest that fits, in the mode's units
}

type qrFixture struct {
	Cases   []qrCase    `json:"cases"`
	TooLong []qrTooLong `json:"tooLong"`
}

var qrLevels = []struct {
	name string
	ecc  goqr.Ecc
}{{"L", goqr.Low}, {"M", goqr.Medium}, {"Q", goqr.Quartile}, {"H", goqr.High}}

// qrEncode is go-qr's encoding of text (one segment, in the mode MakeSegments picks).
func qrEncode(text string, ecc goqr.Ecc, minVer, maxVer, mask int, boost bool) (*goqr.QrCode, error) {
	segs, err := goqr.MakeSegments(text)
	if err != nil {
		return nil, err
	}
	return goqr.EncodeSegments(segs, ecc, minVer, maxVer, mask, boost)
}

// qrRead reads a go-qr symbol's version, and its level and mask from the format
// information (go-qr does not export them), and its modules.
func qrRead(q *goqr.QrCode) (qrWant, error) {
	n := q.Size()
	w := qrWant{Size: n, Version: (n - 17) / 4}
	bit := func(x, y int) int {
		if q.Module(x, y) {
			return 1
		}
		return 0
	}
	bits := 0
	for i := 0; i <= 5; i++ {
		bits |= bit(8, i) << i
	}
	bits |= bit(8, 7)<<6 | bit(8, 8)<<7 | bit(7, 8)<<8
	for i := 9; i < 15; i++ {
		bits |= bit(14-i, 8) << i
	}
	data := (bits ^ 0x5412) >> 10
	w.Mask = data & 7
	w.Ecc = map[int]string{1: "L", 0: "M", 3: "Q", 2: "H"}[data>>3]
	// The copy of the format information by the other finders must agree.
	other := 0
	for i := 0; i < 8; i++ {
		other |= bit(n-1-i, 8) << i
	}
	for i := 8; i < 15; i++ {
		other |= bit(8, n-15+i) << i
	}
	if other != bits || (n-17)%4 != 0 {
		return w, fmt.Errorf("go-qr's symbol reads wrong: format %015b and %015b, size %d", bits, other, n)
	}
	for y := 0; y < n; y++ {
		var row strings.Builder
		for x := 0; x < n; x += 4 {
			d := 0
			for i := 0; i < 4; i++ {
				d = d<<1 | bit(x+i, y) // beyond the row, Module is false
			}
			fmt.Fprintf(&row, "%x", d)
		}
		w.Rows = append(w.Rows, row.String())
	}
	return w, nil
}

// qrText is n bytes of lower-case letters, digits and URL punctuation (byte mode,
// different for each seed, so that the masks chosen vary).
func qrText(n int, seed uint64) string {
	const chars = "abcdefghijklmnopqrstuvwxyz0123456789/?=&-._~"
	r := rand.New(rand.NewPCG(seed, 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[r.IntN(len(chars))]
	}
	return string(b)
}

// qrLongest is the longest text made by mk that fits in version ver at level ecc
// without raising it.
func qrLongest(mk func(int) string, ecc goqr.Ecc, ver int) int {
	lo, hi := 0, 8000 // lo fits, hi does not
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if _, err := qrEncode(mk(mid), ecc, ver, ver, -1, false); err == nil {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// qrFixtures encodes the table of inputs with go-qr.
func qrFixtures(t *testing.T) qrFixture {
	t.Helper()
	var fx qrFixture
	add := func(name, text, ecc string, boost bool, mask int) {
		t.Helper()
		var level goqr.Ecc
		for _, l := range qrLevels {
			if l.name == ecc {
				level = l.ecc
			}
		}
		q, err := qrEncode(text, level, goqr.MinVersion, goqr.MaxVersion, mask, boost)
		if err != nil {
			t.Fatalf("go-qr: %s: %v", name, err)
		}
		w, err := qrRead(q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		fx.Cases = append(fx.Cases, qrCase{Name: name, Text: text, Ecc: ecc, Boost: boost, Mask: mask, Want: w})
	}

	// The join address and the handout's address, at every level, with and without
	// the level raised.
	for _, l := range qrLevels {
		for _, boost := range []bool{true, false} {
			add(fmt.Sprintf("join %s boost=%v", l.name, boost), "https://site/?join=ABCDEF", l.name, boost, -1)
			add(fmt.Sprintf("long URL %s boost=%v", l.name, boost),
				"https://learning.example.edu/courses/connected-learning/diagram/?join=K7P2QX&lang=fr&step=3", l.name, boost, -1)
		}
	}
	// Beyond ASCII: UTF-8 bytes.
	for i, s := range []string{
		"Apprentissage connecté : élèves, enseignants, ressources — ½ € ß",
		"🧠⚙️ connected learning 👩‍🏫 🇫🇷",
		"連結学習の概念図：学生、先生、資料",
		"互联学习 · 연결 학습 · Связанное обучение · التعلم المتصل",
		"https://site.example/?join=ABCDEF&name=Zoë",
	} {
		add(fmt.Sprintf("unicode %d", i), s, []string{"L", "M", "Q", "H", "M"}[i], true, -1)
	}
	// The other modes, the empty text, and the edges of the alphanumeric set.
	add("empty", "", "M", true, -1)
	add("numeric", "0123456789012345678", "M", true, -1)
	add("numeric one digit", "7", "H", false, -1)
	add("alphanumeric", "HTTPS://SITE.EXAMPLE/JOIN/ABCDEF", "Q", true, -1)
	add("alphanumeric odd", "AB$%*+-./: 9", "L", false, -1)
	add("not alphanumeric (lower case)", "https://site.example/join/abcdef", "Q", true, -1)
	// Every mask forced, at version 7 (its version information) and 1.
	for m := 0; m < 8; m++ {
		add(fmt.Sprintf("mask %d v7", m), qrText(100, 99), "M", false, m)
		add(fmt.Sprintf("mask %d v1", m), "Go live!", "H", false, m)
	}
	// The lengths that fill a version and the ones that need the next, at each level:
	// the character count's width changes after 9 and 26; 7 brings version
	// information; 32 its own alignment step; 40 is the last.
	for li, l := range qrLevels {
		for _, ver := range []int{1, 2, 6, 7, 9, 10, 13, 26, 27, 32, 39, 40} {
			seed := uint64(li*100 + ver)
			mk := func(n int) string { return qrText(n, seed) }
			n := qrLongest(mk, l.ecc, ver)
			add(fmt.Sprintf("full v%d %s (%d bytes)", ver, l.name, n), mk(n), l.name, false, -1)
			if ver < 40 {
				add(fmt.Sprintf("past v%d %s (%d bytes)", ver, l.name, n+1), mk(n+1), l.name, false, -1)
			} else {
				if _, err := qrEncode(mk(n+1), l.ecc, 1, 40, -1, false); !errors.Is(err, goqr.ErrDataTooLong) {
					t.Fatalf("go-qr took %d bytes at %s: %v", n+1, l.name, err)
				}
				fx.TooLong = append(fx.TooLong, qrTooLong{fmt.Sprintf("bytes %s", l.name), mk(n + 1), l.name, n})
			}
		}
		// The other modes past version 40.
		digits := func(n int) string { return strings.Repeat("31415926535", n/11+1)[:n] }
		upper := func(n int) string { return strings.Repeat("CONNECTED LEARNING: 42% $*+-./", n/30+1)[:n] }
		for _, m := range []struct {
			name string
			mk   func(int) string
		}{{"numeric", digits}, {"alphanumeric", upper}} {
			n := qrLongest(m.mk, l.ecc, 40)
			add(fmt.Sprintf("full v40 %s %s (%d)", l.name, m.name, n), m.mk(n), l.name, false, -1)
			fx.TooLong = append(fx.TooLong, qrTooLong{fmt.Sprintf("%s %s", m.name, l.name), m.mk(n + 1), l.name, n})
		}
	}
	// A fixture that no longer tells masks, versions or levels apart must not pass.
	masks, versions := map[int]bool{}, map[int]bool{}
	for _, c := range fx.Cases {
		if c.Mask < 0 {
			masks[c.Want.Mask] = true
		}
		versions[c.Want.Version] = true
	}
	if len(masks) < 6 || len(versions) < 20 {
		t.Fatalf("the QR fixtures chose only masks %v and versions %v", masks, versions)
	}
	return fx
}

// TestQRScans draws qr.js's SVGs in Chromium, under the Content-Security-Policy
// the server gives the page, and decodes screenshots of them with go-qr's decoder:
// what the page shows scans back to the text, at the version, level and mask
// qrMatrix said, in the default colours and in others.
func TestQRScans(t *testing.T) {
	needBrowser(t)
	script, _, err := site.Bundle(root, "assets/page/test/qrscan.js", false)
	if err != nil {
		t.Fatal(err)
	}
	// The policy the real server gives the page.
	resp, err := http.Get(mainServer(t))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "style-src 'self'") {
		t.Fatalf("the page's Content-Security-Policy is %q", csp)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>QR codes</title></head>`+
				`<body><script src="/qrscan.js"></script></body></html>`)
		case "/qrscan.js":
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			w.Write(script)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	t.Cleanup(srv.Close)
	for _, c := range []struct {
		name, text string
		opts       map[string]any
		px         int
	}{
		{"join", "https://site/?join=ABCDEF", map[string]any{}, 8},
		{"join H projector", "https://learning.example.edu/?join=K7P2QX", map[string]any{"ecc": "H", "dark": "#0b1f3a", "light": "#fff8e1"}, 10},
		{"handout", "https://learning.example.edu/courses/connected-learning/diagram/?lang=fr&step=3", map[string]any{"ecc": "Q"}, 4},
		{"unicode", "Apprentissage connecté 🧠 連結学習", map[string]any{"ecc": "L", "boost": false}, 6},
		{"alphanumeric", "HTTPS://SITE.EXAMPLE/JOIN/ABCDEF", map[string]any{}, 6},
		{"version 40", qrText(2900, 1), map[string]any{"ecc": "L", "boost": false}, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			tb := open(t, srv.URL+"/", 800, 800)
			tb.wait(`window.__ready === true`)
			opts, _ := json.Marshal(c.opts)
			text, _ := json.Marshal(c.text)
			type drawn struct {
				Version int     `json:"version"`
				Ecc     string  `json:"ecc"`
				Mask    int     `json:"mask"`
				Width   float64 `json:"width"`
				Height  float64 `json:"height"`
			}
			d := eval[drawn](tb, fmt.Sprintf(`drawQR(%s, %s, %d)`, text, opts, c.px))
			if side := float64((d.Version*4 + 17 + 8) * c.px); d.Width != side || d.Height != side {
				t.Fatalf("drawn %vx%v px, want %v square", d.Width, d.Height, side)
			}
			// Screenshots until one scans as the text (the first is the drawing, unless
			// the browser has not painted it yet); one that never does ends the wait.
			var res *goqr.DecodeResult
			var last error
			deadline := time.Now().Add(patience)
			for {
				img := tb.screenshot("qr-" + strings.ReplaceAll(c.name, " ", "-"))
				res, last = goqr.DecodeDetailed(img)
				if last == nil && res.Text != c.text {
					last = fmt.Errorf("scans as %q, want %q", res.Text, c.text)
				}
				if last == nil {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the drawing does not scan after %v: %v (see dist/test-artifacts)", patience, last)
				}
				time.Sleep(100 * time.Millisecond)
			}
			if got := (drawn{res.Version, qrLevels[res.Ecc].name, res.Mask, d.Width, d.Height}); got != d {
				t.Errorf("scans as version %d, level %s, mask %d; qrMatrix said %d, %s, %d", got.Version, got.Ecc, got.Mask, d.Version, d.Ecc, d.Mask)
			}
			if v := eval[[]string](tb, `window.__violations`); len(v) > 0 {
				t.Errorf("the Content-Security-Policy refused: %v", v)
			}
			tb.noConsoleErrors()
		})
	}
}
