package handler_test

import (
	"bytes"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/connectedlearning/diagram/server/internal/handler"
)

// FuzzPath sends arbitrary paths to the handler. Whatever the path, nothing but a
// file of the site is ever served, and only under its own name.
func FuzzPath(f *testing.F) {
	for _, p := range []string{
		"/",
		"/index.html",
		"/" + cssPath,
		"/" + wasmPath,
		"/healthz",
		"/oembed",
		"",
		"index.html",
		"..",
		"/..",
		"/../secret.txt",
		"/../etc/passwd",
		"/assets/../index.html",
		"/./index.html",
		"//index.html",
		"/index.html/",
		"/assets/",
		"/assets",
		"/index.html.br",
		"/" + strayPath,
		"/" + wasmPath + ".gz",
		"/%2e%2e/secret.txt",
		"/\\..\\secret.txt",
		"/index.html\x00.png",
		"/\xff\xfe",
		"/\xc0\xae\xc0\xae/secret.txt",
		"/assets/app.0123456789\u2024css",
		"/INDEX.HTML",
		"/site.json/..",
		"/.git/config",
		"*",
		"/" + strings.Repeat("a", 1100),
		"/" + strings.Repeat("assets/", 200) + cssPath,
	} {
		f.Add(p)
	}
	fx := newFixture()
	f.Fuzz(func(t *testing.T, p string) {
		for _, ae := range []string{"", "br, gzip"} {
			req := &http.Request{
				Method:     "GET",
				URL:        &url.URL{Path: p, RawPath: p},
				Header:     http.Header{},
				Proto:      "HTTP/1.1",
				ProtoMajor: 1,
				ProtoMinor: 1,
				Host:       "diagram.test",
				RequestURI: p,
			}
			if ae != "" {
				req.Header.Set("Accept-Encoding", ae)
			}
			rec := httptest.NewRecorder()
			fx.h.ServeHTTP(rec, req)
			res := rec.Result()
			body := rec.Body.Bytes()

			name, isFile := "", false
			if strings.HasPrefix(p, "/") {
				name = p[1:]
				if name == "" {
					name = pagePath
				}
				_, isFile = fx.files[name]
			}
			switch {
			case p == "/healthz":
				if res.StatusCode != http.StatusOK {
					t.Fatalf("%q: status %d", p, res.StatusCode)
				}
				continue
			case p == "/oembed":
				// No url parameter: a malformed oEmbed request.
				if res.StatusCode != http.StatusBadRequest {
					t.Fatalf("%q: status %d", p, res.StatusCode)
				}
				continue
			}
			switch res.StatusCode {
			case http.StatusOK:
				if !isFile {
					t.Fatalf("%q: 200 for a path that is not a file of the site", p)
				}
				enc := res.Header.Get("Content-Encoding")
				want := fx.files[name].of(enc)
				if want == nil || !bytes.Equal(body, want) {
					t.Fatalf("%q: body is not %s's %q representation", p, name, enc)
				}
			case http.StatusPartialContent, http.StatusNotModified, http.StatusNotFound,
				http.StatusNotAcceptable, http.StatusRequestedRangeNotSatisfiable:
				if isFile {
					t.Fatalf("%q: status %d for a file of the site", p, res.StatusCode)
				}
			default:
				t.Fatalf("%q: status %d", p, res.StatusCode)
			}
			for _, leak := range []string{outsideSecret, "root:"} {
				if bytes.Contains(body, []byte(leak)) {
					t.Fatalf("%q: body contains %q", p, leak)
				}
			}
		}
	})
}

// FuzzAcceptEncoding parses arbitrary headers: every q-value is in [0, 1]; the
// result does not change with optional whitespace around "," ";" "=" or with
// ASCII case; Choose only ever picks a stored, acceptable representation the
// client likes at least as much as any other stored one, identity by default
// only when no coding the client weighed is stored; and the handler sends what
// Choose picked.
func FuzzAcceptEncoding(f *testing.F) {
	for _, h := range []string{
		"",
		"gzip, deflate, br",
		"gzip;q=1, br;q=0.5",
		"br;q=0",
		"br;q=0, gzip",
		"br;q=0, gzip;q=0.2",
		"gzip;q=0.5",
		"br;q=0.5, gzip;q=0.5",
		"br ; q = 0.5",
		"br\t;\tq\t=\t0.5 , gzip ; q = 0.1",
		"*",
		"*;q=0",
		"*;q=0, identity",
		"*;q=0.2, *;q=0.6",
		"identity;q=0",
		"identity, gzip;q=0.5",
		"x-gzip",
		"BR",
		"X-GZIP;Q=0.5, IDENTITY;Q=0",
		"gzip;\u212a=0",
		"  gzip ;  q=0.8 ,\tbr ; q = 0.9 ",
		"br\v;q=0.5, gzip",
		`br;note="a, gzip";q=0.6`,
		`br;note="a\", gzip;q=1";q=0.6, gzip;q=0.2`,
		`br;note="unterminated, gzip`,
		"br;q=abc",
		"br;q=2",
		"br;q=0.1234",
		"br;q=00.5",
		"br;q=1e0",
		"br;q=NaN",
		"br;q=-0",
		"br;q",
		";;;,,,;=;q=",
		"br;q=0, br;q=1, *;q=0.5, *;q=0",
		"identity;q=0.001, gzip;q=0.002, br;q=0.003",
		"\x00br\xff;q=1",
	} {
		f.Add(h)
	}
	fx := newFixture()
	f.Fuzz(func(t *testing.T, h string) {
		a := handler.ParseAcceptEncoding(h)
		for e, q := range a.Q {
			if math.IsNaN(q) || q < 0 || q > 1 {
				t.Fatalf("%q: q-value %v for %q", h, q, handler.Encoding(e))
			}
		}
		lh := strings.ToLower(h)
		switch {
		case a.IdentityByDefault && a.Q[handler.Identity] != 0:
			t.Fatalf("%q: identity both by default and weighed %v", h, a.Q[handler.Identity])
		case !a.IdentityByDefault && !strings.Contains(lh, "identity") && !strings.Contains(lh, "*"):
			t.Fatalf("%q: identity not acceptable by default though neither identity nor * is named", h)
		}
		if b := handler.ParseAcceptEncoding(spaced(h)); b != a {
			t.Fatalf("%q: %+v, but with whitespace around separators (%q): %+v", h, a, spaced(h), b)
		}
		if b := handler.ParseAcceptEncoding(asciiUpper(h)); b != a {
			t.Fatalf("%q: %+v, but in upper case: %+v", h, a, b)
		}
		for mask := range 1 << len(a.Q) {
			var av avail
			for e := range av {
				av[e] = mask&(1<<e) != 0
			}
			weighed := false // a stored coding has a weight
			for e := range av {
				weighed = weighed || (av[e] && a.Q[e] > 0)
			}
			enc, ok := a.Choose(av)
			if !ok {
				if weighed || (av[handler.Identity] && a.IdentityByDefault) {
					t.Fatalf("%q %v: nothing chosen though something stored is acceptable", h, av)
				}
				continue
			}
			if int(enc) >= len(av) || !av[enc] {
				t.Fatalf("%q %v: chose %q, which is not stored", h, av, enc)
			}
			if a.Q[enc] <= 0 && (weighed || enc != handler.Identity || !a.IdentityByDefault) {
				t.Fatalf("%q %v: chose %q at q=%v", h, av, enc, a.Q[enc])
			}
			for e := range av {
				if av[e] && a.Q[e] > a.Q[enc] {
					t.Fatalf("%q %v: chose %q (q=%v) over %q (q=%v)", h, av, enc, a.Q[enc], handler.Encoding(e), a.Q[e])
				}
			}
		}
		// The page is stored in all three encodings: the handler sends Choose's pick.
		r := serve(t, fx.h, "GET", "/", map[string]string{"Accept-Encoding": h})
		want, ok := a.Choose(avail{true, true, true})
		switch {
		case !ok && r.code != http.StatusNotAcceptable:
			t.Fatalf("%q: status %d, want 406", h, r.code)
		case ok && (r.code != http.StatusOK || r.hdr.Get("Content-Encoding") != want.String()):
			t.Fatalf("%q: status %d, Content-Encoding %q; want 200, %q", h, r.code, r.hdr.Get("Content-Encoding"), want)
		case ok && !bytes.Equal(r.body, fx.files[pagePath].of(want.String())):
			t.Fatalf("%q: the body is not the page's %q representation", h, want)
		}
	})
}

// spaced puts optional whitespace around every ",", ";" and "=" outside a
// quoted string, as RFC 9110 allows.
func spaced(h string) string {
	var b strings.Builder
	quoted, escaped := false, false
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case escaped:
			escaped = false
		case quoted && c == '\\':
			escaped = true
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '='):
			b.WriteString(" \t")
			b.WriteByte(c)
			b.WriteString("\t ")
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// asciiUpper upper-cases ASCII letters only.
func asciiUpper(h string) string {
	b := []byte(h)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
