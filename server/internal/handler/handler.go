package handler

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/connectedlearning/diagram/server/internal/siteformat"
)

// rep is one stored representation of a file. Header values are made once, at
// load, so that serving a file allocates as little as possible.
type rep struct {
	data     []byte   // in the Go heap, or a read-only mapping of shared
	shared   *os.File // the sealed memory file data maps, for a large representation
	size     int64
	etagH    []string // the strong, quoted ETag, as a header value
	lengthH  []string // size, preformatted
	encoding []string // Content-Encoding, nil for identity
}

type file struct {
	name   string // site path, e.g. "assets/app.0123456789.css"
	page   bool   // an HTML page: gets the Content-Security-Policy
	ctypeH []string
	ctype  string
	hashed bool
	reps   [numEncodings]*rep
	avail  [numEncodings]bool
	varies bool // has a compressed representation, so responses vary by Accept-Encoding
}

// Site is the in-memory index of a built site.
type Site struct {
	files map[string]*file
	Info  siteformat.SiteInfo
	man   *siteformat.Manifest // the page's manifest; nil for a page without one
	base  string               // the public address, "" until SetBaseURL
	bytes int
}

// Load reads a built site from fsys into memory: every file, paired with its .br and
// .gz siblings.
func Load(fsys fs.FS) (*Site, error) {
	s := &Site{files: map[string]*file{}}
	var sibs []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if strings.HasSuffix(p, ".br") || strings.HasSuffix(p, ".gz") {
			sibs = append(sibs, p)
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		f := &file{name: p, ctype: siteformat.MediaType(p), hashed: siteformat.IsHashed(p)}
		f.ctypeH = []string{f.ctype}
		f.page = strings.HasPrefix(f.ctype, "text/html")
		f.reps[Identity] = newRep(p, b, "")
		f.avail[Identity] = true
		s.files[p] = f
		s.bytes += len(b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, p := range sibs {
		base, enc := p[:len(p)-3], Brotli
		if strings.HasSuffix(p, ".gz") {
			enc = Gzip
		}
		f, ok := s.files[base]
		if !ok {
			continue // a stray sibling is never served on its own
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		f.reps[enc] = newRep(p, b, enc.String())
		f.avail[enc] = true
		f.varies = true
		s.bytes += len(b)
	}
	idx, ok := s.files["index.html"]
	if !ok {
		return nil, errors.New("the site has no index.html: build it first (make site)")
	}
	idx.hashed = false
	// A hand-made page without the build's manifest is served all the same; oEmbed
	// then knows none of the page's options.
	if man, err := siteformat.ReadManifest(idx.reps[Identity].contents()); err == nil {
		s.man = man
	} else if !errors.Is(err, siteformat.ErrNoManifest) {
		return nil, fmt.Errorf("index.html: %w", err)
	}
	if f, ok := s.files["site.json"]; ok {
		if err := json.Unmarshal(f.reps[Identity].contents(), &s.Info); err != nil {
			return nil, fmt.Errorf("site.json: %w", err)
		}
	}
	return s, nil
}

// MappedMin is the size from which a representation is kept in a sealed memory
// file mapped read-only, outside the Go heap: the wasm and its compressed forms.
const MappedMin = 128 << 10

func newRep(name string, b []byte, enc string) *rep {
	sum := sha256.Sum256(b)
	tag := base64.RawURLEncoding.EncodeToString(sum[:12])
	if enc != "" {
		tag += "-" + enc
	}
	r := &rep{data: b, size: int64(len(b)), etagH: []string{`"` + tag + `"`}, lengthH: []string{strconv.Itoa(len(b))}}
	if len(b) >= MappedMin {
		if f, m, err := shareBytes(path.Base(name), b); err == nil {
			r.shared, r.data = f, m
		}
	}
	if enc != "" {
		r.encoding = []string{enc}
	}
	return r
}

// contents returns the representation's bytes: a copy of a mapping, which is
// read-only (a write to it would crash the process).
func (r *rep) contents() []byte {
	if r.shared != nil {
		return bytes.Clone(r.data)
	}
	return r.data
}

// Header values every response shares.
var (
	hdrNosniff   = []string{"nosniff"}
	hdrReferrer  = []string{"strict-origin-when-cross-origin"}
	hdrVary      = []string{"Accept-Encoding"}
	hdrImmutable = []string{"public, max-age=31536000, immutable"}
	hdrNoCache   = []string{"no-cache"}
	hdrAnyOrigin = []string{"*"}
	hdrCrossOrig = []string{"cross-origin"}
	hdrRanges    = []string{"bytes"}
)

// conditional reports whether a request needs ServeContent's handling of
// conditions and ranges; the common request (none of them) is answered directly,
// exactly as ServeContent would answer it.
func conditional(h http.Header) bool {
	for _, k := range [...]string{"Range", "If-None-Match", "If-Match", "If-Modified-Since", "If-Unmodified-Since", "If-Range"} {
		if _, ok := h[k]; ok {
			return true
		}
	}
	return false
}

// Files returns the site paths in the index.
func (s *Site) Files() []string {
	out := make([]string, 0, len(s.files))
	for p := range s.files {
		out = append(out, p)
	}
	return out
}

// Bytes is the memory the stored files take.
func (s *Site) Bytes() int { return s.bytes }

// HeapBytes is how many of those bytes are Go memory; the rest are in memory files.
func (s *Site) HeapBytes() int {
	n := 0
	for _, f := range s.files {
		for _, r := range f.reps {
			if r != nil && r.shared == nil {
				n += len(r.data)
			}
		}
	}
	return n
}

// Options configure the handler.
type Options struct {
	// FrameAncestors lists the origins allowed to embed the diagram in a frame.
	// Empty means every site may (embedding is the diagram's job).
	FrameAncestors []string
	// Log receives an access log line per request; nil for none. It records the
	// path, never the query: a join code in ?join= is not logged.
	Log *slog.Logger
	// Live serves /live/ (the live classroom); nil: those paths are not found,
	// as on a static host, and the page offers no live controls.
	Live http.Handler
	// Health, if set, makes /healthz answer 503 with its error.
	Health func() error
}

// Handler serves a Site.
type Handler struct {
	site     *Site
	opt      Options
	pageCSPH []string
	pageCSP  string
	notFound []byte
}

// MaxPathLen bounds request paths; no site path is anywhere near it.
const MaxPathLen = 1024

// New returns a handler for the site.
func New(s *Site, o Options) *Handler {
	h := &Handler{site: s, opt: o}
	fa := "*"
	if len(o.FrameAncestors) > 0 {
		fa = strings.Join(o.FrameAncestors, " ")
	}
	// What the page needs and nothing more: its own scripts and styles (no inline
	// script), wasm compilation, fetches of its own files, images it makes itself
	// (export), and any site as a frame parent unless narrowed.
	h.pageCSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
		"img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; manifest-src 'self'; frame-src 'self'; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors " + fa
	h.pageCSPH = []string{h.pageCSP}
	h.notFound = []byte(`<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Not found</title>` +
		`<body style="font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:36rem;padding:0 1rem"><h1>Not found</h1><p>There is nothing at this address. <a href="/">Open the diagram</a>.</p></body></html>`)
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.opt.Log != nil {
		lw := &logWriter{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		defer func() {
			h.opt.Log.Info("request", "method", r.Method, "path", r.URL.Path, "status", lw.status,
				"bytes", lw.n, "encoding", lw.Header().Get("Content-Encoding"), "ms", float64(time.Since(start).Microseconds())/1000)
		}()
		w = lw
	}
	hd := w.Header()
	hd["X-Content-Type-Options"] = hdrNosniff
	hd["Referrer-Policy"] = hdrReferrer
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hd.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	switch p {
	case "/healthz":
		hd.Set("Content-Type", "text/plain; charset=utf-8")
		hd.Set("Cache-Control", "no-store")
		if h.opt.Health != nil {
			if err := h.opt.Health(); err != nil {
				w.WriteHeader(http.StatusServiceUnavailable)
				w.Write([]byte("unhealthy: " + err.Error() + "\n"))
				return
			}
		}
		w.Write([]byte("ok\n"))
		return
	case "/oembed":
		h.serveOEmbed(w, r)
		return
	}
	if h.opt.Live != nil && strings.HasPrefix(p, "/live/") {
		h.opt.Live.ServeHTTP(w, r)
		return
	}
	f := h.lookup(p)
	if f == nil {
		h.serveNotFound(w, r)
		return
	}
	h.serveFile(w, r, f)
}

// lookup maps a request path to a file. Anything odd is simply not a key.
func (h *Handler) lookup(p string) *file {
	if len(p) > MaxPathLen || !strings.HasPrefix(p, "/") || !utf8.ValidString(p) ||
		strings.ContainsAny(p, "\\\x00") || strings.Contains(p, "//") {
		return nil
	}
	name := p[1:]
	if name == "" {
		name = "index.html"
	}
	if path.Clean("/"+name) != "/"+name {
		return nil // "..", "." and friends
	}
	return h.site.files[name]
}

func (h *Handler) serveFile(w http.ResponseWriter, r *http.Request, f *file) {
	hd := w.Header()
	enc, ok := ParseAcceptEncoding(r.Header["Accept-Encoding"]...).Choose(f.avail)
	if f.varies {
		hd["Vary"] = hdrVary
	}
	if !ok {
		http.Error(w, "none of the content codings this file is stored in is acceptable", http.StatusNotAcceptable)
		return
	}
	rp := f.reps[enc]
	hd["Content-Type"] = f.ctypeH
	if rp.encoding != nil {
		hd["Content-Encoding"] = rp.encoding
	}
	hd["Etag"] = rp.etagH
	if f.hashed {
		hd["Cache-Control"] = hdrImmutable
	} else {
		hd["Cache-Control"] = hdrNoCache
	}
	if f.page {
		hd["Content-Security-Policy"] = h.pageCSPH
	} else {
		// Assets may be fetched by a sandboxed frame, whose origin is opaque.
		hd["Access-Control-Allow-Origin"] = hdrAnyOrigin
		hd["Cross-Origin-Resource-Policy"] = hdrCrossOrig
	}
	if !conditional(r.Header) {
		hd["Accept-Ranges"] = hdrRanges
		hd["Content-Length"] = rp.lengthH
		if rc := corked(r); rc != nil && r.Method != http.MethodHead && len(rp.data) > 2048 {
			setCork(rc, true)
			w.WriteHeader(http.StatusOK)
			rp.writeTo(w)
			http.NewResponseController(w).Flush()
			setCork(rc, false)
			return
		}
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			rp.writeTo(w)
		}
		return
	}
	// ServeContent leaves Content-Length out of a 200 when Content-Encoding is set; a
	// precompressed file's length is known, so lengthWriter sends it.
	http.ServeContent(lengthWriter{w, rp.lengthH[0]}, r, f.name, time.Time{}, rp.reader())
}

// reader reads the representation (for ServeContent: conditions and ranges).
func (r *rep) reader() io.ReadSeeker { return bytes.NewReader(r.data) }

// writeTo sends the whole representation in one write: from the heap or from
// its memory file's mapping, copied by the kernel straight into the socket.
func (r *rep) writeTo(w http.ResponseWriter) { w.Write(r.data) }

// lengthWriter adds the stored length to a full (200) response. It is not set
// before ServeContent because not every status replaces it: a failed If-Match
// (412) kept it and sent no body, so the connection was cut and the client read
// an unexpected EOF. Only 200 and 206 carry the encoded bytes, so no other status
// keeps Content-Encoding.
type lengthWriter struct {
	http.ResponseWriter
	length string
}

func (l lengthWriter) WriteHeader(code int) {
	switch code {
	case http.StatusOK:
		l.Header().Set("Content-Length", l.length)
	case http.StatusPartialContent:
		// ServeContent sets the length of the range.
	default:
		l.Header().Del("Content-Encoding")
	}
	l.ResponseWriter.WriteHeader(code)
}

func (l lengthWriter) Unwrap() http.ResponseWriter { return l.ResponseWriter }

// ReadFrom keeps the server's own ReadFrom reachable through the wrapper, so that
// ServeContent's copy of a range goes to the connection in one write, not through
// a buffer.
func (l lengthWriter) ReadFrom(r io.Reader) (int64, error) { return readFrom(l.ResponseWriter, r) }

func readFrom(w http.ResponseWriter, r io.Reader) (int64, error) {
	if rf, ok := w.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{w}, r)
}

func (h *Handler) serveNotFound(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-cache")
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")
	hd.Set("Content-Length", strconv.Itoa(len(h.notFound)))
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		w.Write(h.notFound)
	}
}

type logWriter struct {
	http.ResponseWriter
	status int
	n      int
	wrote  bool
}

func (l *logWriter) WriteHeader(code int) {
	if !l.wrote {
		l.status, l.wrote = code, true
	}
	l.ResponseWriter.WriteHeader(code)
}

func (l *logWriter) Write(b []byte) (int, error) {
	l.wrote = true
	n, err := l.ResponseWriter.Write(b)
	l.n += n
	return n, err
}

func (l *logWriter) ReadFrom(r io.Reader) (int64, error) {
	l.wrote = true
	n, err := readFrom(l.ResponseWriter, r)
	l.n += int(n)
	return n, err
}

func (l *logWriter) Unwrap() http.ResponseWriter { return l.ResponseWriter }
