package site

import (
	"path"
	"regexp"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
)

// newMinifier registers a minifier for every text type the site has. JavaScript and
// JSON are registered by pattern so that every media type of theirs matches, inline
// <script type="module">, "text/javascript" and "application/ld+json" alike.
func newMinifier() *minify.M {
	m := minify.New()
	m.AddFunc("text/css", css.Minify)
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepDefaultAttrVals: true, KeepSpecialComments: false})
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`^(application|text)/(x-)?(java|ecma)script$|^module$`), js.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]json$`), json.Minify)
	return m
}

var mediaTypes = map[string]string{
	".html":        "text/html",
	".css":         "text/css",
	".js":          "text/javascript",
	".mjs":         "text/javascript",
	".json":        "application/json",
	".svg":         "image/svg+xml",
	".wasm":        "application/wasm",
	".png":         "image/png",
	".ico":         "image/x-icon",
	".txt":         "text/plain",
	".webmanifest": "application/manifest+json",
}

// mediaType is the media type the site serves a file as ("" if unknown).
func mediaType(p string) string { return mediaTypes[path.Ext(p)] }

// MediaType returns the Content-Type header for a site path, with a charset for text.
func MediaType(p string) string {
	mt := mediaType(p)
	switch mt {
	case "":
		return "application/octet-stream"
	case "text/html", "text/css", "text/javascript", "text/plain":
		return mt + "; charset=utf-8"
	}
	return mt
}

func minifiable(p string) bool {
	switch path.Ext(p) {
	case ".html", ".css", ".js", ".mjs", ".json", ".svg", ".webmanifest":
		return true
	}
	return false
}

// Compressible reports whether a file is worth compressing (text and wasm; not
// images that are compressed already).
func Compressible(p string) bool {
	switch path.Ext(p) {
	case ".html", ".css", ".js", ".mjs", ".json", ".svg", ".wasm", ".txt", ".webmanifest", ".ico":
		return true
	}
	return false
}
