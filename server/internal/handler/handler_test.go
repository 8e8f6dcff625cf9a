package handler_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/connectedlearning/diagram/server/internal/handler"
)

// The test site. Its files live under "site/" in a larger file system that also
// holds files a request must never reach, whatever its path.
const (
	pagePath  = "index.html"
	cssPath   = "assets/app.0123456789.css"   // hashed, .br and .gz
	jsPath    = "assets/boot.0123456789.js"   // hashed, .gz only
	wasmPath  = "assets/main.0123456789.wasm" // hashed, .br only
	svgPath   = "assets/icon.0123456789.svg"  // hashed, no siblings
	infoPath  = "site.json"                   // unhashed, no siblings
	strayPath = "assets/orphan.js.br"         // a sibling without its base file

	outsideSecret = "TOPSECRET-7f3a"
	passwdLine    = "root:x:0:0:root:/root:/bin/bash"
)

var (
	pageHTML = []byte(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Diagram</title>` +
		`<link rel="stylesheet" href="assets/app.0123456789.css"><script type="module" src="assets/boot.0123456789.js"></script></head><body>` +
		strings.Repeat(`<p class="note">A connected learning diagram, drawn in the browser.</p>`, 40) + `</body></html>`)
	cssText  = []byte(strings.Repeat(`.node{fill:#fff;stroke:#123456;stroke-width:2px}.edge{stroke:#654321}`, 30))
	jsText   = []byte(strings.Repeat(`const go=new Go();WebAssembly.instantiateStreaming(fetch("assets/main.0123456789.wasm"),go.importObject);`, 20))
	wasmData = wasmBytes() // large enough, in both forms, to be sent from a memory file
	svgText  = []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7"/></svg>`)
	infoJSON = []byte(`{"title":"Connected learning","description":"A diagram","thumbnailWidth":1200,"thumbnailHeight":750}`)
)

// wasmBytes makes a stand-in for the wasm: over handler.MappedMin and only half
// compressible, so that its .br is over it too.
func wasmBytes() []byte {
	b := []byte("\x00asm\x01\x00\x00\x00")
	x := uint32(1)
	for len(b) < 3*handler.MappedMin {
		x = x*1664525 + 1013904223
		b = append(b, byte(x>>24)&0x0f)
	}
	return b
}

// reps holds the bytes of each representation a file is stored in (nil if absent).
type reps struct{ identity, br, gz []byte }

func (r reps) of(enc string) []byte {
	switch enc {
	case "br":
		return r.br
	case "gzip":
		return r.gz
	}
	return r.identity
}

type fixture struct {
	fsys  fstest.MapFS
	site  *handler.Site
	h     http.Handler
	files map[string]reps // site path -> representations
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func brotliBytes(b []byte) []byte {
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, brotli.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// newFixture builds the site the way the build leaves it on disk: each compressible
// file next to its .br and .gz siblings, only those smaller than the file kept.
var newFixture = sync.OnceValue(func() *fixture {
	files := map[string]reps{
		pagePath: {identity: pageHTML, br: brotliBytes(pageHTML), gz: gzipBytes(pageHTML)},
		cssPath:  {identity: cssText, br: brotliBytes(cssText), gz: gzipBytes(cssText)},
		jsPath:   {identity: jsText, gz: gzipBytes(jsText)},
		wasmPath: {identity: wasmData, br: brotliBytes(wasmData)},
		svgPath:  {identity: svgText},
		infoPath: {identity: infoJSON},
	}
	fsys := fstest.MapFS{
		"secret.txt":        {Data: []byte(outsideSecret)},
		"etc/passwd":        {Data: []byte(passwdLine + "\n")},
		"site.go.mod":       {Data: []byte("module " + outsideSecret)},
		"site/" + strayPath: {Data: brotliBytes([]byte("console.log('" + outsideSecret + "')"))},
	}
	for p, r := range files {
		fsys["site/"+p] = &fstest.MapFile{Data: r.identity}
		if r.br != nil {
			if len(r.br) >= len(r.identity) {
				panic("fixture: " + p + ".br is not smaller")
			}
			fsys["site/"+p+".br"] = &fstest.MapFile{Data: r.br}
		}
		if r.gz != nil {
			if len(r.gz) >= len(r.identity) {
				panic("fixture: " + p + ".gz is not smaller")
			}
			fsys["site/"+p+".gz"] = &fstest.MapFile{Data: r.gz}
		}
	}
	sub, err := fs.Sub(fsys, "site")
	if err != nil {
		panic(err)
	}
	s, err := handler.Load(sub)
	if err != nil {
		panic(err)
	}
	return &fixture{fsys: fsys, site: s, h: handler.New(s, handler.Options{}), files: files}
})

// response is what a client sees.
type response struct {
	code int
	hdr  http.Header
	body []byte
}

// serve sends one request through h in process.
func serve(t testing.TB, h http.Handler, method, target string, hdr map[string]string) response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return response{code: res.StatusCode, hdr: res.Header, body: body}
}

// decode undoes a Content-Encoding.
func decode(t testing.TB, enc string, b []byte) []byte {
	t.Helper()
	var r io.Reader
	switch enc {
	case "":
		return b
	case "br":
		r = brotli.NewReader(bytes.NewReader(b))
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("gzip body: %v", err)
		}
		r = zr
	default:
		t.Fatalf("unexpected Content-Encoding %q", enc)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s body: %v", enc, err)
	}
	return out
}

// etag fetches the ETag a client sees for path with the given Accept-Encoding.
func etag(t testing.TB, path, ae string) string {
	t.Helper()
	r := serve(t, newFixture().h, "GET", path, map[string]string{"Accept-Encoding": ae})
	if r.code != http.StatusOK || r.hdr.Get("Etag") == "" {
		t.Fatalf("GET %s (Accept-Encoding %q): status %d, ETag %q", path, ae, r.code, r.hdr.Get("Etag"))
	}
	return r.hdr.Get("Etag")
}

func checkContentLength(t testing.TB, r response) {
	t.Helper()
	cl := r.hdr.Get("Content-Length")
	if cl == "" {
		t.Fatalf("no Content-Length")
	}
	if n, err := strconv.Atoi(cl); err != nil || n != len(r.body) {
		t.Fatalf("Content-Length %q, body is %d bytes", cl, len(r.body))
	}
}

// Several Accept-Encoding field lines are one list (RFC 9110 §5.3): a client or
// proxy that splits it still gets the coding it weighed highest.
func TestNegotiationFieldLines(t *testing.T) {
	t.Parallel()
	f := newFixture()
	tests := []struct {
		name    string
		lines   []string
		wantEnc string
		want    int
	}{
		{"br on the second line", []string{"gzip;q=0.5", "br"}, "br", 200},
		{"identity excluded on the second line", []string{"gzip;q=0.2", "identity;q=0"}, "gzip", 200},
		{"star excluded on the first line", []string{"*;q=0", "identity;q=0"}, "", 406},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest("GET", "/", nil)
			for _, l := range tt.lines {
				req.Header.Add("Accept-Encoding", l)
			}
			rec := httptest.NewRecorder()
			f.h.ServeHTTP(rec, req)
			if rec.Code != tt.want || rec.Header().Get("Content-Encoding") != tt.wantEnc {
				t.Fatalf("status %d, Content-Encoding %q; want %d, %q", rec.Code, rec.Header().Get("Content-Encoding"), tt.want, tt.wantEnc)
			}
		})
	}
}

func TestNegotiation(t *testing.T) {
	t.Parallel()
	f := newFixture()
	tests := []struct {
		name     string
		path     string
		ae       string
		want     int    // status
		wantEnc  string // Content-Encoding of a 200
		wantVary bool
	}{
		{"all equal prefers br", "/", "gzip, deflate, br", 200, "br", true},
		{"all equal explicit q prefers br", "/", "identity;q=1, gzip;q=1, br;q=1", 200, "br", true},
		{"all equal lower q prefers br", "/", "identity;q=0.5, gzip;q=0.5, br;q=0.5", 200, "br", true},
		{"gzip over identity when br missing", "/" + jsPath, "identity, gzip, br", 200, "gzip", true},
		{"gzip over identity when br not accepted", "/", "gzip", 200, "gzip", true},
		{"gzip q=1 beats br q=0.5", "/", "gzip;q=1, br;q=0.5", 200, "gzip", true},
		{"br q=0 excludes br", "/", "br;q=0, gzip", 200, "gzip", true},
		{"br q=0 alone leaves identity", "/", "br;q=0", 200, "", true},
		{"identity preferred by q", "/", "identity;q=1, br;q=0.9, gzip;q=0.8", 200, "", true},
		{"star accepts everything", "/", "*", 200, "br", true},
		{"star with br excluded", "/", "*, br;q=0", 200, "gzip", true},
		{"star lower than named", "/", "*;q=0.1, gzip", 200, "gzip", true},
		{"star q=0 without identity is 406", "/", "*;q=0", 406, "", true},
		{"star q=0 with identity", "/", "*;q=0, identity", 200, "", true},
		{"star q=0 with gzip", "/", "*;q=0, gzip;q=0.3", 200, "gzip", true},
		{"identity q=0 with gzip", "/", "identity;q=0, gzip", 200, "gzip", true},
		{"identity q=0 alone on page is 406", "/", "identity;q=0", 406, "", true},
		{"identity q=0 on identity-only file is 406", "/" + svgPath, "identity;q=0, br, gzip", 406, "", false},
		{"identity q=0 on br-only file", "/" + wasmPath, "identity;q=0, br", 200, "br", true},
		{"x-gzip is gzip", "/", "x-gzip", 200, "gzip", true},
		{"uppercase BR", "/", "BR", 200, "br", true},
		{"uppercase GZIP", "/", "GZIP", 200, "gzip", true},
		{"mixed case and Q", "/", "Br;Q=0.2, GZip;Q=0.4, Identity;Q=0", 200, "gzip", true},
		{"whitespace everywhere", "/", "  gzip ;  q=0.8 ,\tbr ; q = 0.9 , identity ;q=0.5 ", 200, "br", true},
		{"empty list items", "/", ",, ,br,", 200, "br", true},
		{"q=abc counts as 0", "/", "br;q=abc, gzip", 200, "gzip", true},
		{"q=2 counts as 0", "/", "br;q=2, gzip", 200, "gzip", true},
		{"q=0.1234 counts as 0", "/", "br;q=0.1234, gzip", 200, "gzip", true},
		{"q=0.123 is kept", "/", "br;q=0.123, gzip;q=0.122, identity;q=0.121", 200, "br", true},
		{"q=1.000 is 1", "/", "gzip;q=0.999, br;q=1.000", 200, "br", true},
		{"q with exponent counts as 0", "/", "br;q=1e0, gzip", 200, "gzip", true},
		{"hex q counts as 0", "/", "br;q=0x1p0, gzip", 200, "gzip", true},
		{"q=-1 counts as 0", "/", "br;q=-1, gzip", 200, "gzip", true},
		{"empty q counts as 0", "/", "br;q=, gzip", 200, "gzip", true},
		// Identity not named is acceptable by default, below any coding with a weight
		// (as nginx and Caddy answer).
		{"a lower q beats implicit identity", "/", "br;q=0.5, gzip;q=0.5", 200, "br", true},
		{"gzip weighed, br excluded", "/", "br;q=0, gzip;q=0.5", 200, "gzip", true},
		{"gzip weighed, br not listed", "/", "gzip;q=0.1, deflate", 200, "gzip", true},
		{"gzip weighed, br not stored", "/" + jsPath, "gzip;q=0.001", 200, "gzip", true},
		{"named identity outranks a lower q", "/", "identity, gzip;q=0.5", 200, "", true},
		{"star weighs identity", "/", "*;q=0.5, gzip;q=0.4, br;q=0", 200, "", true},
		{"whitespace around ; and =", "/", "br ; q = 0.5", 200, "br", true},
		{"whitespace, br excluded", "/", "br ; q = 0 , gzip ; q = 0.4", 200, "gzip", true},
		{"tabs around ; and =", "/", "gzip\t;\tq\t=\t0.3", 200, "gzip", true},
		{"quoted parameter with a comma", "/", `br;x="y, gzip;q=1";q=0.4, gzip;q=0.2`, 200, "br", true},
		{"all malformed leaves identity", "/", "br;q=abc, gzip;q=9", 200, "", true},
		{"unknown codings only", "/", "deflate, zstd, compress", 200, "", true},
		{"other parameters ignored", "/", "br;level=11;q=0.7, gzip;q=0.6, identity;q=0.1", 200, "br", true},
		{"empty header is identity", "/", "", 200, "", true},
		{"no siblings, br and gzip accepted", "/" + svgPath, "br, gzip", 200, "", false},
		{"no siblings, star", "/" + svgPath, "*", 200, "", false},
		{"no siblings site.json", "/" + infoPath, "gzip, br", 200, "", false},
		{"br-only file, gzip asked", "/" + wasmPath, "gzip", 200, "", true},
		{"br-only file, br asked", "/" + wasmPath, "gzip, br", 200, "br", true},
		{"gzip-only file, br asked", "/" + jsPath, "br", 200, "", true},
		{"css br", "/" + cssPath, "br, gzip", 200, "br", true},
		{"css gzip", "/" + cssPath, "gzip", 200, "gzip", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := serve(t, f.h, "GET", tt.path, map[string]string{"Accept-Encoding": tt.ae})
			if r.code != tt.want {
				t.Fatalf("status %d, want %d", r.code, tt.want)
			}
			if got := r.hdr.Get("Vary"); (got == "Accept-Encoding") != tt.wantVary {
				t.Errorf("Vary %q, want Accept-Encoding: %v", got, tt.wantVary)
			}
			if r.code != http.StatusOK {
				return
			}
			enc := r.hdr.Get("Content-Encoding")
			if enc != tt.wantEnc {
				t.Fatalf("Content-Encoding %q, want %q", enc, tt.wantEnc)
			}
			name := strings.TrimPrefix(tt.path, "/")
			if name == "" {
				name = pagePath
			}
			want := f.files[name]
			if !bytes.Equal(r.body, want.of(enc)) {
				t.Errorf("body is not the stored %q representation", enc)
			}
			if got := decode(t, enc, r.body); !bytes.Equal(got, want.identity) {
				t.Errorf("decoded body differs from the original (%d vs %d bytes)", len(got), len(want.identity))
			}
			checkContentLength(t, r)
		})
	}
}

func TestVary(t *testing.T) {
	t.Parallel()
	f := newFixture()
	type row struct {
		name     string
		method   string
		path     string
		hdr      func(t *testing.T) map[string]string
		want     int
		wantVary bool
	}
	ae := func(v string) func(*testing.T) map[string]string {
		return func(*testing.T) map[string]string { return map[string]string{"Accept-Encoding": v} }
	}
	cond := func(path, enc string) func(*testing.T) map[string]string {
		return func(t *testing.T) map[string]string {
			return map[string]string{"Accept-Encoding": enc, "If-None-Match": etag(t, path, enc)}
		}
	}
	tests := []row{
		{"GET identity", "GET", "/", ae(""), 200, true},
		{"GET br", "GET", "/", ae("br"), 200, true},
		{"GET gzip", "GET", "/", ae("gzip"), 200, true},
		{"HEAD identity", "HEAD", "/", ae(""), 200, true},
		{"HEAD br", "HEAD", "/", ae("br"), 200, true},
		{"304 identity", "GET", "/", cond("/", ""), 304, true},
		{"304 br", "GET", "/", cond("/", "br"), 304, true},
		{"304 HEAD gzip", "HEAD", "/" + cssPath, cond("/"+cssPath, "gzip"), 304, true},
		{"206 br", "GET", "/" + cssPath, func(*testing.T) map[string]string {
			return map[string]string{"Accept-Encoding": "br", "Range": "bytes=0-3"}
		}, 206, true},
		{"416", "GET", "/" + cssPath, func(*testing.T) map[string]string {
			return map[string]string{"Range": "bytes=99999999-"}
		}, 416, true},
		{"406", "GET", "/", ae("identity;q=0"), 406, true},
		{"asset GET identity", "GET", "/" + wasmPath, ae(""), 200, true},
		{"asset GET br", "GET", "/" + wasmPath, ae("br"), 200, true},
		{"no siblings GET", "GET", "/" + svgPath, ae("br, gzip"), 200, false},
		{"no siblings HEAD", "HEAD", "/" + svgPath, ae("br, gzip"), 200, false},
		{"no siblings 304", "GET", "/" + svgPath, cond("/"+svgPath, "br"), 304, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := serve(t, f.h, tt.method, tt.path, tt.hdr(t))
			if r.code != tt.want {
				t.Fatalf("status %d, want %d", r.code, tt.want)
			}
			got := r.hdr.Values("Vary")
			if tt.wantVary && (len(got) != 1 || got[0] != "Accept-Encoding") {
				t.Errorf("Vary %q, want exactly Accept-Encoding", got)
			}
			if !tt.wantVary && len(got) != 0 {
				t.Errorf("Vary %q on a file with one representation", got)
			}
		})
	}
}

func TestETag(t *testing.T) {
	t.Parallel()
	f := newFixture()

	// Every representation of every file has its own strong, quoted ETag.
	seen := map[string]string{}
	for name, r := range f.files {
		for _, enc := range []string{"", "br", "gzip"} {
			if r.of(enc) == nil {
				continue
			}
			tag := etag(t, "/"+name, enc)
			if strings.HasPrefix(tag, "W/") || len(tag) < 3 || tag[0] != '"' || tag[len(tag)-1] != '"' ||
				strings.ContainsAny(tag[1:len(tag)-1], "\" \t,") {
				t.Errorf("%s %q: ETag %s is not a strong entity tag", name, enc, tag)
			}
			key := name + " " + enc
			if other, dup := seen[tag]; dup {
				t.Errorf("ETag %s used for both %q and %q", tag, other, key)
			}
			seen[tag] = key
			if again := etag(t, "/"+name, enc); again != tag {
				t.Errorf("%s: ETag changed between requests: %s, %s", key, tag, again)
			}
		}
	}

	tags := map[string]string{} // encoding -> the page's ETag
	for _, enc := range []string{"", "br", "gzip"} {
		tags[enc] = etag(t, "/", enc)
	}
	tests := []struct {
		name   string
		method string
		ae     string
		inm    string
		want   int
	}{
		{"identity matching", "GET", "", tags[""], 304},
		{"br matching", "GET", "br", tags["br"], 304},
		{"gzip matching", "GET", "gzip", tags["gzip"], 304},
		{"HEAD matching", "HEAD", "br", tags["br"], 304},
		{"weak form of matching", "GET", "br", "W/" + tags["br"], 304},
		{"list containing it", "GET", "br", `"nope", ` + tags["br"] + `, "other"`, 304},
		{"list without spaces", "GET", "gzip", `"nope",` + tags["gzip"], 304},
		{"star", "GET", "br", "*", 304},
		{"star on identity", "GET", "", "*", 304},
		{"identity tag on br request", "GET", "br", tags[""], 200},
		{"br tag on identity request", "GET", "", tags["br"], 200},
		{"gzip tag on br request", "GET", "br, gzip", tags["gzip"], 200},
		{"list of other representations", "GET", "br", tags[""] + ", " + tags["gzip"], 200},
		{"unrelated tag", "GET", "br", `"0000"`, 200},
		{"unquoted tag", "GET", "", strings.Trim(tags[""], `"`), 200},
		{"another file's tag", "GET", "", etag(t, "/"+cssPath, ""), 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := serve(t, f.h, tt.method, "/", map[string]string{"Accept-Encoding": tt.ae, "If-None-Match": tt.inm})
			if r.code != tt.want {
				t.Fatalf("status %d, want %d", r.code, tt.want)
			}
			if tt.want != http.StatusNotModified {
				if tt.method == "GET" {
					checkContentLength(t, r)
				}
				return
			}
			if len(r.body) != 0 {
				t.Errorf("304 with a %d-byte body", len(r.body))
			}
			if v, ok := r.hdr["Content-Length"]; ok {
				t.Errorf("304 with Content-Length %q", v)
			}
			if v := r.hdr.Get("Content-Encoding"); v != "" {
				t.Errorf("304 with Content-Encoding %q", v)
			}
			if r.hdr.Get("Etag") == "" {
				t.Errorf("304 without ETag")
			}
			if r.hdr.Get("Cache-Control") != "no-cache" {
				t.Errorf("304 Cache-Control %q", r.hdr.Get("Cache-Control"))
			}
		})
	}
}

func TestHEAD(t *testing.T) {
	t.Parallel()
	f := newFixture()
	tests := []struct {
		name string
		path string
		ae   string
		want int
	}{
		{"page identity", "/", "", 200},
		{"page br", "/", "br", 200},
		{"page gzip", "/index.html", "gzip", 200},
		{"css br", "/" + cssPath, "br", 200},
		{"wasm br", "/" + wasmPath, "br", 200},
		{"svg", "/" + svgPath, "br, gzip", 200},
		{"site.json", "/" + infoPath, "", 200},
		{"not found", "/nope", "", 404},
		{"not acceptable", "/", "*;q=0", 406},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hdr := map[string]string{"Accept-Encoding": tt.ae}
			get := serve(t, f.h, "GET", tt.path, hdr)
			head := serve(t, f.h, "HEAD", tt.path, hdr)
			if get.code != tt.want || head.code != tt.want {
				t.Fatalf("GET %d, HEAD %d, want %d", get.code, head.code, tt.want)
			}
			if tt.want != http.StatusNotAcceptable && len(head.body) != 0 {
				// A 406 is written by http.Error, whose body a real server drops for HEAD.
				t.Errorf("HEAD has a %d-byte body", len(head.body))
			}
			if tt.want == http.StatusNotAcceptable {
				return
			}
			if head.hdr.Get("Content-Length") == "" {
				t.Errorf("HEAD without Content-Length")
			}
			if !equalHeaders(get.hdr, head.hdr) {
				t.Errorf("headers differ\nGET:  %v\nHEAD: %v", get.hdr, head.hdr)
			}
		})
	}
}

func equalHeaders(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w := b[k]
		if len(v) != len(w) {
			return false
		}
		for i := range v {
			if v[i] != w[i] {
				return false
			}
		}
	}
	return true
}

func TestRange(t *testing.T) {
	t.Parallel()
	f := newFixture()
	css := f.files[cssPath]
	tagID, tagBr := etag(t, "/"+cssPath, ""), etag(t, "/"+cssPath, "br")
	tests := []struct {
		name      string
		ae        string
		hdr       map[string]string
		want      int
		wantEnc   string
		wantBody  []byte
		wantRange string // Content-Range
	}{
		{"identity first ten", "", map[string]string{"Range": "bytes=0-9"}, 206, "", css.identity[:10],
			"bytes 0-9/" + strconv.Itoa(len(css.identity))},
		{"br first ten", "br", map[string]string{"Range": "bytes=0-9"}, 206, "br", css.br[:10],
			"bytes 0-9/" + strconv.Itoa(len(css.br))},
		{"gzip first ten", "gzip", map[string]string{"Range": "bytes=0-9"}, 206, "gzip", css.gz[:10],
			"bytes 0-9/" + strconv.Itoa(len(css.gz))},
		{"identity suffix", "", map[string]string{"Range": "bytes=-5"}, 206, "", css.identity[len(css.identity)-5:],
			"bytes " + strconv.Itoa(len(css.identity)-5) + "-" + strconv.Itoa(len(css.identity)-1) + "/" + strconv.Itoa(len(css.identity))},
		{"br open-ended", "br", map[string]string{"Range": "bytes=10-"}, 206, "br", css.br[10:],
			"bytes 10-" + strconv.Itoa(len(css.br)-1) + "/" + strconv.Itoa(len(css.br))},
		{"unsatisfiable", "", map[string]string{"Range": "bytes=99999999-"}, 416, "", nil,
			"bytes */" + strconv.Itoa(len(css.identity))},
		{"unsatisfiable br", "br", map[string]string{"Range": "bytes=99999999-100000000"}, 416, "", nil,
			"bytes */" + strconv.Itoa(len(css.br))},
		{"If-Range matching", "", map[string]string{"Range": "bytes=0-9", "If-Range": tagID}, 206, "", css.identity[:10],
			"bytes 0-9/" + strconv.Itoa(len(css.identity))},
		{"If-Range matching br", "br", map[string]string{"Range": "bytes=0-9", "If-Range": tagBr}, 206, "br", css.br[:10],
			"bytes 0-9/" + strconv.Itoa(len(css.br))},
		{"If-Range not matching", "", map[string]string{"Range": "bytes=0-9", "If-Range": `"stale"`}, 200, "", css.identity, ""},
		{"If-Range other representation", "br", map[string]string{"Range": "bytes=0-9", "If-Range": tagID}, 200, "br", css.br, ""},
		{"If-Range weak never matches", "", map[string]string{"Range": "bytes=0-9", "If-Range": "W/" + tagID}, 200, "", css.identity, ""},
		{"malformed range is rejected", "", map[string]string{"Range": "bytes=a-b"}, 416, "", nil, ""},
		{"overlapping ranges larger than the file are ignored", "br", map[string]string{"Range": "bytes=0-,0-,0-"}, 200, "br", css.br, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hdr := map[string]string{"Accept-Encoding": tt.ae}
			for k, v := range tt.hdr {
				hdr[k] = v
			}
			r := serve(t, f.h, "GET", "/"+cssPath, hdr)
			if r.code != tt.want {
				t.Fatalf("status %d, want %d", r.code, tt.want)
			}
			if tt.wantRange != "" || r.code == 206 {
				if got := r.hdr.Get("Content-Range"); got != tt.wantRange {
					t.Errorf("Content-Range %q, want %q", got, tt.wantRange)
				}
			}
			if r.code == http.StatusRequestedRangeNotSatisfiable {
				if v := r.hdr.Get("Content-Encoding"); v != "" {
					t.Errorf("416 with Content-Encoding %q", v)
				}
				return
			}
			if got := r.hdr.Get("Content-Encoding"); got != tt.wantEnc {
				t.Errorf("Content-Encoding %q, want %q", got, tt.wantEnc)
			}
			if !bytes.Equal(r.body, tt.wantBody) {
				t.Errorf("body %d bytes, want %d", len(r.body), len(tt.wantBody))
			}
			checkContentLength(t, r)
		})
	}
}

func TestContentType(t *testing.T) {
	t.Parallel()
	f := newFixture()
	tests := []struct {
		name, path, ae, want string
	}{
		{"html", "/", "", "text/html; charset=utf-8"},
		{"html br", "/index.html", "br", "text/html; charset=utf-8"},
		{"css", "/" + cssPath, "", "text/css; charset=utf-8"},
		{"css gzip", "/" + cssPath, "gzip", "text/css; charset=utf-8"},
		{"js", "/" + jsPath, "", "text/javascript; charset=utf-8"},
		{"js gzip", "/" + jsPath, "gzip", "text/javascript; charset=utf-8"},
		{"json", "/" + infoPath, "", "application/json"},
		{"svg", "/" + svgPath, "", "image/svg+xml"},
		{"wasm", "/" + wasmPath, "", "application/wasm"},
		{"wasm br", "/" + wasmPath, "br", "application/wasm"},
		{"not found", "/nope.css", "", "text/html; charset=utf-8"},
		{"healthz", "/healthz", "", "text/plain; charset=utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := serve(t, f.h, "GET", tt.path, map[string]string{"Accept-Encoding": tt.ae})
			if got := r.hdr.Values("Content-Type"); len(got) != 1 || got[0] != tt.want {
				t.Errorf("Content-Type %q, want %q", got, tt.want)
			}
		})
	}
}

func TestContentLength(t *testing.T) {
	t.Parallel()
	f := newFixture()
	names := f.site.Files()
	sort.Strings(names)
	for _, name := range names {
		for _, ae := range []string{"", "gzip", "br", "br, gzip"} {
			t.Run(name+"/"+ae, func(t *testing.T) {
				t.Parallel()
				r := serve(t, f.h, "GET", "/"+name, map[string]string{"Accept-Encoding": ae})
				if r.code != http.StatusOK {
					t.Fatalf("status %d", r.code)
				}
				checkContentLength(t, r)
				enc := r.hdr.Get("Content-Encoding")
				if !bytes.Equal(decode(t, enc, r.body), f.files[name].identity) {
					t.Errorf("%q body does not decode to the file", enc)
				}
			})
		}
	}
}

func TestCacheControl(t *testing.T) {
	t.Parallel()
	f := newFixture()
	const immutable = "public, max-age=31536000, immutable"
	tests := []struct {
		name, path, ae, want string
	}{
		{"page", "/", "", "no-cache"},
		{"page by name", "/index.html", "br", "no-cache"},
		{"site.json", "/" + infoPath, "", "no-cache"},
		{"hashed css", "/" + cssPath, "", immutable},
		{"hashed css br", "/" + cssPath, "br", immutable},
		{"hashed js gzip", "/" + jsPath, "gzip", immutable},
		{"hashed wasm", "/" + wasmPath, "br", immutable},
		{"hashed svg", "/" + svgPath, "", immutable},
		{"not found", "/assets/app.1111111111.css", "", "no-cache"},
		{"healthz", "/healthz", "", "no-store"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := serve(t, f.h, "GET", tt.path, map[string]string{"Accept-Encoding": tt.ae})
			if got := r.hdr.Get("Cache-Control"); got != tt.want {
				t.Errorf("Cache-Control %q, want %q", got, tt.want)
			}
		})
	}
}

// csp splits a Content-Security-Policy into its directives.
func csp(v string) map[string][]string {
	out := map[string][]string{}
	for _, d := range strings.Split(v, ";") {
		fields := strings.Fields(d)
		if len(fields) > 0 {
			out[strings.ToLower(fields[0])] = fields[1:]
		}
	}
	return out
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	f := newFixture()
	narrowed := handler.New(f.site, handler.Options{FrameAncestors: []string{"https://lms.example.edu"}})
	two := handler.New(f.site, handler.Options{FrameAncestors: []string{"https://lms.example.edu", "'self'"}})

	t.Run("page CSP", func(t *testing.T) {
		t.Parallel()
		tests := []struct {
			name      string
			h         http.Handler
			ae        string
			wantFrame []string
		}{
			{"default", f.h, "", []string{"*"}},
			{"default br", f.h, "br", []string{"*"}},
			{"narrowed", narrowed, "", []string{"https://lms.example.edu"}},
			{"narrowed gzip", narrowed, "gzip", []string{"https://lms.example.edu"}},
			{"two origins", two, "", []string{"https://lms.example.edu", "'self'"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				r := serve(t, tt.h, "GET", "/", map[string]string{"Accept-Encoding": tt.ae})
				v := r.hdr.Get("Content-Security-Policy")
				if !strings.Contains(v, "'wasm-unsafe-eval'") {
					t.Errorf("CSP %q lacks 'wasm-unsafe-eval'", v)
				}
				d := csp(v)
				if got := strings.Join(d["frame-ancestors"], " "); got != strings.Join(tt.wantFrame, " ") {
					t.Errorf("frame-ancestors %q, want %q", got, tt.wantFrame)
				}
				src, ok := d["script-src"]
				if !ok {
					t.Fatalf("CSP %q has no script-src", v)
				}
				for _, s := range src {
					if s == "'unsafe-inline'" || s == "'unsafe-eval'" || s == "*" {
						t.Errorf("script-src allows %s", s)
					}
				}
				if got := d["default-src"]; len(got) != 1 || got[0] != "'none'" {
					t.Errorf("default-src %q", got)
				}
				if r.hdr.Get("X-Frame-Options") != "" {
					t.Errorf("X-Frame-Options %q would stop embedding", r.hdr.Get("X-Frame-Options"))
				}
			})
		}
	})

	t.Run("every response", func(t *testing.T) {
		t.Parallel()
		etagCSS := etag(t, "/"+cssPath, "br")
		tests := []struct {
			name, method, path string
			hdr                map[string]string
			want               int
			asset              bool // Access-Control-Allow-Origin: * expected
		}{
			{"page", "GET", "/", nil, 200, false},
			{"page HEAD", "HEAD", "/", nil, 200, false},
			{"css", "GET", "/" + cssPath, nil, 200, true},
			{"css br", "GET", "/" + cssPath, map[string]string{"Accept-Encoding": "br"}, 200, true},
			{"css 304", "GET", "/" + cssPath, map[string]string{"Accept-Encoding": "br", "If-None-Match": etagCSS}, 304, true},
			{"css 206", "GET", "/" + cssPath, map[string]string{"Range": "bytes=0-1"}, 206, true},
			{"js", "GET", "/" + jsPath, nil, 200, true},
			{"wasm", "GET", "/" + wasmPath, map[string]string{"Accept-Encoding": "br"}, 200, true},
			{"svg", "GET", "/" + svgPath, nil, 200, true},
			{"site.json", "GET", "/" + infoPath, nil, 200, true},
			{"not found", "GET", "/missing", nil, 404, false},
			{"method not allowed", "POST", "/", nil, 405, false},
			{"not acceptable", "GET", "/", map[string]string{"Accept-Encoding": "*;q=0"}, 406, false},
			{"healthz", "GET", "/healthz", nil, 200, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				r := serve(t, f.h, tt.method, tt.path, tt.hdr)
				if r.code != tt.want {
					t.Fatalf("status %d, want %d", r.code, tt.want)
				}
				if got := r.hdr.Get("X-Content-Type-Options"); got != "nosniff" {
					t.Errorf("X-Content-Type-Options %q", got)
				}
				if got := r.hdr.Get("Referrer-Policy"); got == "" || got == "unsafe-url" || got == "no-referrer-when-downgrade" {
					t.Errorf("Referrer-Policy %q", got)
				}
				if tt.asset {
					if got := r.hdr.Get("Access-Control-Allow-Origin"); got != "*" {
						t.Errorf("Access-Control-Allow-Origin %q, want *", got)
					}
				}
			})
		}
	})

	t.Run("not found CSP has no script", func(t *testing.T) {
		t.Parallel()
		r := serve(t, f.h, "GET", "/missing", nil)
		d := csp(r.hdr.Get("Content-Security-Policy"))
		if got := d["default-src"]; len(got) != 1 || got[0] != "'none'" {
			t.Errorf("404 default-src %q", got)
		}
		if _, ok := d["script-src"]; ok {
			t.Errorf("404 page allows scripts")
		}
	})
}

func TestRouting(t *testing.T) {
	t.Parallel()
	f := newFixture()
	tests := []struct {
		name, method, path string
		want               int
		wantBody           []byte // nil: not checked
	}{
		{"root serves page", "GET", "/", 200, pageHTML},
		{"index.html serves page", "GET", "/index.html", 200, pageHTML},
		{"query string on root", "GET", "/?lang=fr", 200, pageHTML},
		{"css", "GET", "/" + cssPath, 200, cssText},
		{"site.json", "GET", "/" + infoPath, 200, infoJSON},
		{"directory", "GET", "/assets/", 404, nil},
		{"directory without slash", "GET", "/assets", 404, nil},
		{"unknown", "GET", "/nothing-here", 404, nil},
		{"unknown asset", "GET", "/assets/app.css", 404, nil},
		{"stray sibling", "GET", "/" + strayPath, 404, nil},
		{"stray sibling base", "GET", "/assets/orphan.js", 404, nil},
		{"page br sibling", "GET", "/index.html.br", 404, nil},
		{"page gz sibling", "GET", "/index.html.gz", 404, nil},
		{"css br sibling", "GET", "/" + cssPath + ".br", 404, nil},
		{"css gz sibling", "GET", "/" + cssPath + ".gz", 404, nil},
		{"wasm br sibling", "GET", "/" + wasmPath + ".br", 404, nil},
		{"missing gz sibling", "GET", "/" + wasmPath + ".gz", 404, nil},
		{"HEAD unknown", "HEAD", "/nothing-here", 404, []byte{}},
		{"oembed without a url is a bad request", "GET", "/oembed", 400, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := serve(t, f.h, tt.method, tt.path, nil)
			if r.code != tt.want {
				t.Fatalf("status %d, want %d", r.code, tt.want)
			}
			if tt.wantBody != nil && !bytes.Equal(r.body, tt.wantBody) {
				t.Errorf("body %.60q…", r.body)
			}
			if r.code == http.StatusNotFound {
				if tt.method == "GET" && !bytes.Contains(r.body, []byte("<html")) {
					t.Errorf("404 body is not HTML: %.60q", r.body)
				}
				if ct := r.hdr.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("404 Content-Type %q", ct)
				}
				if cl := r.hdr.Get("Content-Length"); cl == "" || cl == "0" {
					t.Errorf("404 Content-Length %q", cl)
				}
			}
		})
	}
}

func TestMethods(t *testing.T) {
	t.Parallel()
	f := newFixture()
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "get"} {
		for _, p := range []string{"/", "/" + cssPath, "/missing", "/healthz"} {
			t.Run(m+" "+p, func(t *testing.T) {
				t.Parallel()
				r := serve(t, f.h, m, p, nil)
				if r.code != http.StatusMethodNotAllowed {
					t.Fatalf("status %d, want 405", r.code)
				}
				if got := r.hdr.Get("Allow"); got != "GET, HEAD" {
					t.Errorf("Allow %q", got)
				}
			})
		}
	}
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	f := newFixture()
	for _, m := range []string{"GET", "HEAD"} {
		t.Run(m, func(t *testing.T) {
			t.Parallel()
			r := serve(t, f.h, m, "/healthz", nil)
			if r.code != http.StatusOK {
				t.Fatalf("status %d", r.code)
			}
			if m == "GET" && strings.TrimSpace(string(r.body)) != "ok" {
				t.Errorf("body %q", r.body)
			}
		})
	}
}

// rawGet writes a request with exactly this request-target to a real server.
func rawGet(t *testing.T, addr, target string) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	req := "GET " + target + " HTTP/1.1\r\nHost: diagram.test\r\nAccept-Encoding: br, gzip\r\nConnection: close\r\n\r\n"
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: "GET"})
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("reading the body: %v", err)
	}
	res.Body.Close()
	return res, body
}

func TestHostilePaths(t *testing.T) {
	t.Parallel()
	f := newFixture()
	srv := httptest.NewServer(f.h)
	t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()

	const (
		page = 200 // the page, whatever the query says
		nf   = 404
		bad  = 400 // rejected by net/http before the handler runs
	)
	tests := []struct {
		name   string
		target string // the request-target exactly as sent
		want   int
	}{
		{"bare dotdot", "..", bad},
		{"slash dotdot", "/..", nf},
		{"dotdot slash", "/../", nf},
		{"etc passwd", "/../etc/passwd", nf},
		{"deep traversal", "/../../../../../../../../etc/passwd", nf},
		{"traversal to secret", "/../secret.txt", nf},
		{"traversal back into site", "/assets/../index.html", nf},
		{"traversal back to asset", "/assets/../" + cssPath, nf},
		{"encoded dotdot", "/%2e%2e/", nf},
		{"encoded dotdot passwd", "/%2e%2e/%2e%2e/etc/passwd", nf},
		{"encoded dotdot secret", "/%2e%2e/secret.txt", nf},
		{"half encoded dotdot", "/.%2e/secret.txt", nf},
		{"encoded slashes", "/..%2f..%2fetc%2fpasswd", nf},
		{"encoded leading slash", "/%2fetc%2fpasswd", nf},
		{"double encoded dotdot", "/%252e%252e/etc/passwd", nf},
		{"double encoded slash", "/..%252f..%252fsecret.txt", nf},
		{"backslash traversal", `/\..\`, nf},
		{"backslash traversal to secret", `/..\..\secret.txt`, nf},
		{"backslash in asset", `/assets\app.0123456789.css`, nf},
		{"encoded backslash traversal", "/%5c..%5c", nf},
		{"encoded backslash secret", "/..%5csecret.txt", nf},
		{"encoded NUL", "/%00", nf},
		{"NUL extension trick", "/index.html%00.png", nf},
		{"NUL suffix", "/index.html%00", nf},
		{"raw NUL", "/index.html\x00", bad},
		{"long path 2000", "/" + strings.Repeat("a", 2000), nf},
		{"long traversal 2000", strings.Repeat("/..", 700) + "/secret.txt", nf},
		{"long path 100000", "/" + strings.Repeat("a", 100000), nf},
		{"long valid-looking path", "/" + strings.Repeat("assets/", 300) + cssPath, nf},
		{"double slash etc", "//etc/passwd", nf},
		{"double slash page", "//index.html", nf},
		{"double slash in asset", "/assets//app.0123456789.css", nf},
		{"dot segment page", "/./index.html", nf},
		{"dot segment asset", "/assets/./app.0123456789.css", nf},
		{"dot segment odd", "/assets/./app...css", nf},
		{"dot", "/.", nf},
		{"dot slash", "/./", nf},
		{"invalid UTF-8 encoded", "/%ff%fe", nf},
		{"invalid UTF-8 raw", "/\xff\xfe", nf},
		{"overlong UTF-8 dots", "/%c0%ae%c0%ae/secret.txt", nf},
		{"one dot leader lookalike", "/assets/app.0123456789\u2024css", nf},
		{"one dot leader encoded", "/assets/app.0123456789%E2%80%A4css", nf},
		{"fullwidth solidus", "/assets\uff0fapp.0123456789.css", nf},
		{"upper case page", "/INDEX.HTML", nf},
		{"upper case dir", "/Assets/app.0123456789.css", nf},
		{"trailing slash page", "/index.html/", nf},
		{"trailing slash asset", "/assets/app.0123456789.css/", nf},
		{"trailing dot", "/index.html.", nf},
		{"trailing space", "/index.html%20", nf},
		{"semicolon param", "/index.html;.css", nf},
		{"tomcat dotdot", "/..;/secret.txt", nf},
		{"query traversal", "/?file=../../etc/passwd", page},
		{"query traversal on page", "/index.html?../../secret.txt", page},
		{"fragment", "/index.html#top", nf},
		{"fragment traversal", "/#/../../etc/passwd", nf},
		{"site.json dotdot", "/site.json/..", nf},
		{"git config", "/.git/config", nf},
		{"dotenv", "/.env", nf},
		{"server source", "/server/main.go", nf},
		{"go.mod", "/go.mod", nf},
		{"build output", "/dist/site/index.html", nf},
		{"site prefix", "/site/index.html", nf},
		{"outside secret", "/secret.txt", nf},
		{"outside passwd", "/etc/passwd", nf},
		{"proc environ", "/proc/self/environ", nf},
		{"home", "/~root/.ssh/id_rsa", nf},
		{"absolute form traversal", "http://diagram.test/../secret.txt", nf},
		{"absolute form other host", "http://evil.test/etc/passwd", nf},
		{"asterisk", "*", nf},
		{"CRLF injection", "/index.html%0d%0aSet-Cookie:%20x=1", nf},
		{"invalid escape", "/%zz", bad},
		{"truncated escape", "/index.html%", bad},
		{"unicode escape", "/%u002e%u002e/secret.txt", bad},
		{"space splits request line", "/a b", bad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, body := rawGet(t, addr, tt.target)
			if res.StatusCode != tt.want {
				t.Fatalf("status %d, want %d (body %.80q)", res.StatusCode, tt.want, body)
			}
			plain := body
			if enc := res.Header.Get("Content-Encoding"); enc != "" {
				plain = decode(t, enc, body)
			}
			for _, leak := range []string{outsideSecret, "root:", "module "} {
				if bytes.Contains(plain, []byte(leak)) {
					t.Fatalf("body contains %q", leak)
				}
			}
			if len(res.Header.Values("Set-Cookie")) != 0 {
				t.Errorf("response sets a cookie")
			}
			switch tt.want {
			case page:
				if !bytes.Equal(plain, pageHTML) {
					t.Errorf("not the page")
				}
			case nf:
				if !bytes.Contains(body, []byte("Not found")) {
					t.Errorf("404 body %.80q is not the not-found page", body)
				}
				if res.Header.Get("Content-Encoding") != "" {
					t.Errorf("404 with Content-Encoding")
				}
			}
		})
	}
}

// TestWire checks what only a real connection shows: that declared lengths match
// the bytes sent, so a client never waits for or cuts off a body.
func TestWire(t *testing.T) {
	t.Parallel()
	f := newFixture()
	srv := httptest.NewServer(f.h)
	t.Cleanup(srv.Close)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 10 * time.Second}
	t.Cleanup(client.CloseIdleConnections)
	tagBr := etag(t, "/"+cssPath, "br")
	tests := []struct {
		name, method, path string
		hdr                map[string]string
		want               int
		wantLen            int // Content-Length, -1 for none
	}{
		{"GET br", "GET", "/" + cssPath, map[string]string{"Accept-Encoding": "br"}, 200, len(f.files[cssPath].br)},
		{"HEAD br", "HEAD", "/" + cssPath, map[string]string{"Accept-Encoding": "br"}, 200, len(f.files[cssPath].br)},
		{"HEAD identity", "HEAD", "/", nil, 200, len(pageHTML)},
		{"HEAD gzip", "HEAD", "/", map[string]string{"Accept-Encoding": "gzip"}, 200, len(f.files[pagePath].gz)},
		{"304 br", "GET", "/" + cssPath, map[string]string{"Accept-Encoding": "br", "If-None-Match": tagBr}, 304, -1},
		{"206 br", "GET", "/" + cssPath, map[string]string{"Accept-Encoding": "br", "Range": "bytes=0-9"}, 206, 10},
		{"If-Match failing br", "GET", "/" + cssPath, map[string]string{"Accept-Encoding": "br", "If-Match": `"stale"`}, 412, 0},
		{"If-Match failing identity", "GET", "/" + cssPath, map[string]string{"If-Match": `"stale"`}, 412, 0},
		{"If-Match matching br", "GET", "/" + cssPath, map[string]string{"Accept-Encoding": "br", "If-Match": tagBr}, 200, len(f.files[cssPath].br)},
		{"404", "GET", "/nope", nil, 404, -2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.hdr {
				req.Header.Set(k, v)
			}
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatalf("reading the body: %v (Content-Length %q)", err, res.Header.Get("Content-Length"))
			}
			if res.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.want)
			}
			switch {
			case tt.wantLen == -1:
				if v, ok := res.Header["Content-Length"]; ok {
					t.Errorf("Content-Length %q, want none", v)
				}
			case tt.wantLen >= 0:
				if got := res.Header.Get("Content-Length"); got != strconv.Itoa(tt.wantLen) {
					t.Errorf("Content-Length %q, want %d", got, tt.wantLen)
				}
			}
			if tt.method == "GET" && res.ContentLength >= 0 && int64(len(body)) != res.ContentLength {
				t.Errorf("body %d bytes, Content-Length %d", len(body), res.ContentLength)
			}
			if res.StatusCode != 200 && res.StatusCode != 206 && res.Header.Get("Content-Encoding") != "" && len(body) == 0 {
				t.Errorf("empty %d body labelled Content-Encoding %q", res.StatusCode, res.Header.Get("Content-Encoding"))
			}
		})
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	page := &fstest.MapFile{Data: pageHTML}
	tests := []struct {
		name    string
		fsys    fstest.MapFS
		wantErr string // "" for success
	}{
		{"minimal", fstest.MapFS{"index.html": page}, ""},
		{"missing index.html", fstest.MapFS{"site.json": {Data: infoJSON}, "assets/app.0123456789.css": {Data: cssText}}, "index.html"},
		{"only compressed index", fstest.MapFS{"index.html.br": {Data: brotliBytes(pageHTML)}, "index.html.gz": {Data: gzipBytes(pageHTML)}}, "index.html"},
		{"index in a subdirectory only", fstest.MapFS{"site/index.html": page}, "index.html"},
		{"empty", fstest.MapFS{}, "index.html"},
		{"malformed site.json", fstest.MapFS{"index.html": page, "site.json": {Data: []byte(`{"title": "x",`)}}, "site.json"},
		{"site.json of the wrong shape", fstest.MapFS{"index.html": page, "site.json": {Data: []byte(`{"thumbnailWidth": "wide"}`)}}, "site.json"},
		{"site.json not an object", fstest.MapFS{"index.html": page, "site.json": {Data: []byte(`[1,2]`)}}, "site.json"},
		{"empty site.json", fstest.MapFS{"index.html": page, "site.json": {Data: nil}}, "site.json"},
		{"stray siblings are fine", fstest.MapFS{"index.html": page, "x.js.br": {Data: []byte("?")}, "y.gz": {Data: []byte("?")}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := handler.Load(tt.fsys)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				if len(s.Files()) == 0 {
					t.Errorf("no files")
				}
				return
			}
			if err == nil {
				t.Fatalf("Load succeeded, want an error about %s", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not mention %s", err, tt.wantErr)
			}
		})
	}

	t.Run("index", func(t *testing.T) {
		t.Parallel()
		f := newFixture()
		got := f.site.Files()
		sort.Strings(got)
		var want []string
		for p := range f.files {
			want = append(want, p)
		}
		sort.Strings(want)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("Files() = %q, want %q", got, want)
		}
		if f.site.Info.Title != "Connected learning" || f.site.Info.ThumbnailWidth != 1200 || f.site.Info.Description != "A diagram" {
			t.Errorf("Info = %+v", f.site.Info)
		}
		n := 0
		for _, r := range f.files {
			n += len(r.identity) + len(r.br) + len(r.gz)
		}
		if f.site.Bytes() != n {
			t.Errorf("Bytes() = %d, want %d", f.site.Bytes(), n)
		}
	})
}

func TestAccessLog(t *testing.T) {
	t.Parallel()
	f := newFixture()
	tests := []struct {
		name, method, path string
		hdr                map[string]string
		want               int
	}{
		{"page", "GET", "/", nil, 200},
		{"asset br", "GET", "/" + cssPath, map[string]string{"Accept-Encoding": "br"}, 200},
		{"range", "GET", "/" + cssPath, map[string]string{"Range": "bytes=0-9"}, 206},
		{"not found", "GET", "/no/such/file", nil, 404},
		{"method", "DELETE", "/", nil, 405},
		{"head", "HEAD", "/" + svgPath, nil, 200},
		{"log injection", "GET", "/x%0afake=line", nil, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			h := handler.New(f.site, handler.Options{Log: slog.New(slog.NewTextHandler(&buf, nil))})
			r := serve(t, h, tt.method, tt.path, tt.hdr)
			if r.code != tt.want {
				t.Fatalf("status %d, want %d", r.code, tt.want)
			}
			out := strings.TrimSuffix(buf.String(), "\n")
			if out == "" || strings.Contains(out, "\n") {
				t.Fatalf("want exactly one log line, got %q", buf.String())
			}
			req := httptest.NewRequest(tt.method, tt.path, nil)
			if !strings.Contains(out, strconv.Quote(req.URL.Path)) && !strings.Contains(out, "path="+req.URL.Path) {
				t.Errorf("log line %q lacks the path %q", out, req.URL.Path)
			}
			if !strings.Contains(out, "status="+strconv.Itoa(tt.want)) {
				t.Errorf("log line %q lacks status=%d", out, tt.want)
			}
			if !strings.Contains(out, "method="+tt.method) {
				t.Errorf("log line %q lacks the method", out)
			}
		})
	}
}

// Large files (the wasm) are sent from sealed memory files by the kernel. Over a
// real connection, with and without the access log in between, every kind of
// response carries exactly the stored bytes.
func TestMemoryFiles(t *testing.T) {
	t.Parallel()
	f := newFixture()
	if len(f.files[wasmPath].br) < handler.MappedMin {
		t.Fatalf("test setup: the wasm's .br is %d bytes, under %d", len(f.files[wasmPath].br), handler.MappedMin)
	}
	for _, logged := range []bool{false, true} {
		var logs bytes.Buffer
		h := f.h
		if logged {
			h = handler.New(f.site, handler.Options{Log: slog.New(slog.NewTextHandler(&logs, nil))})
		}
		srv := httptest.NewServer(h)
		client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 10 * time.Second}
		get := func(hdr map[string]string) (*http.Response, []byte) {
			t.Helper()
			req, _ := http.NewRequest("GET", srv.URL+"/"+wasmPath, nil)
			for k, v := range hdr {
				req.Header.Set(k, v)
			}
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			return res, b
		}
		for _, enc := range []string{"br", "identity"} {
			want := f.files[wasmPath].of(enc)
			// Many at once, all from the one mapping.
			var wg sync.WaitGroup
			for i := 0; i < 8; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					res, b := get(map[string]string{"Accept-Encoding": enc})
					if res.StatusCode != 200 || !bytes.Equal(b, want) || res.Header.Get("Content-Length") != strconv.Itoa(len(want)) {
						t.Errorf("log %v %s: status %d, %d bytes (Content-Length %s), want 200 and the %d stored bytes",
							logged, enc, res.StatusCode, len(b), res.Header.Get("Content-Length"), len(want))
					}
				}()
			}
			wg.Wait()
			end := len(want) - 1000
			res, b := get(map[string]string{"Accept-Encoding": enc, "Range": "bytes=1000-" + strconv.Itoa(end-1)})
			if res.StatusCode != 206 || !bytes.Equal(b, want[1000:end]) {
				t.Errorf("log %v %s range: status %d, %d bytes", logged, enc, res.StatusCode, len(b))
			}
			res, b = get(map[string]string{"Accept-Encoding": enc, "Range": "bytes=0-9,-10"})
			if res.StatusCode != 206 || !bytes.Contains(b, want[:10]) || !bytes.Contains(b, want[len(want)-10:]) {
				t.Errorf("log %v %s multi-range: status %d", logged, enc, res.StatusCode)
			}
			res, _ = get(map[string]string{"Accept-Encoding": enc, "If-None-Match": res.Header.Get("Etag")})
			if res.StatusCode != 304 {
				t.Errorf("log %v %s: If-None-Match gave %d", logged, enc, res.StatusCode)
			}
		}
		client.CloseIdleConnections()
		srv.Close()
		if logged && !strings.Contains(logs.String(), "bytes="+strconv.Itoa(len(f.files[wasmPath].br))) {
			t.Errorf("the access log does not count the bytes sent from the memory file:\n%.600s", logs.String())
		}
	}
}
