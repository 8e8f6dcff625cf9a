// Command httpfloor is the bench's net/http floor: the built site served by the
// plainest net/http handler that sends what this project's server sends (the
// same bytes, in br when asked, with the same headers as nginx and Caddy are
// configured to send in the bench), set with Header().Set and written with one
// Write, with none of the server's work: no timeouts, no path checks, no
// content negotiation beyond "br" in Accept-Encoding, no conditional requests,
// no corking, no live classroom, Go's default collector. It is what net/http
// itself costs on these responses, so that the bench can tell the server's own
// cost from net/http's.
//
//	httpfloor -addr 127.0.0.1:8081 -dir dist/site -csp "..."
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"io/fs"
	"log"
	"mime"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
)

type rep struct {
	data         []byte
	length, etag string
}

type file struct {
	ctype    string
	asset    bool
	identity *rep
	br       *rep
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "address to listen on")
	dir := flag.String("dir", "dist/site", "the built site")
	csp := flag.String("csp", "default-src 'none'", "the page's Content-Security-Policy")
	flag.Parse()
	mime.AddExtensionType(".wasm", "application/wasm")
	files := map[string]*file{}
	load := func(p string) *rep {
		b, err := os.ReadFile(path.Join(*dir, p))
		if err != nil {
			return nil
		}
		sum := sha256.Sum256(b)
		return &rep{data: b, length: strconv.Itoa(len(b)), etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	}
	err := fs.WalkDir(os.DirFS(*dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".br") || strings.HasSuffix(p, ".gz") {
			return err
		}
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		files[p] = &file{ctype: ct, asset: strings.HasPrefix(p, "assets/"), identity: load(p), br: load(p + ".br")}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		if name == "" {
			name = "index.html"
		}
		f, ok := files[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		rp := f.identity
		if f.br != nil {
			h.Set("Vary", "Accept-Encoding")
			if strings.Contains(r.Header.Get("Accept-Encoding"), "br") {
				rp = f.br
				h.Set("Content-Encoding", "br")
			}
		}
		h.Set("Content-Type", f.ctype)
		h.Set("Content-Length", rp.length)
		h.Set("Etag", rp.etag)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		if f.asset {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		} else {
			h.Set("Cache-Control", "no-cache")
			h.Set("Content-Security-Policy", *csp)
		}
		if r.Method != http.MethodHead {
			w.Write(rp.data)
		}
	})
	log.Fatal(http.ListenAndServe(*addr, nil))
}
