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
// <script type="module">, "text/javascript" and "application/ld+json" alike. (The
// page's own code is minified by the bundler; this minifies the toolchain's
// wasm_exec.js.)
func newMinifier() *minify.M {
	m := minify.New()
	m.AddFunc("text/css", css.Minify)
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepDefaultAttrVals: true, KeepSpecialComments: false})
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`^(application|text)/(x-)?(java|ecma)script$|^module$`), js.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]json$`), json.Minify)
	return m
}

// minifiable reports whether the build minifies a file (source maps are written
// compact by the bundler).
func minifiable(p string) bool {
	switch path.Ext(p) {
	case ".html", ".css", ".js", ".mjs", ".json", ".svg", ".webmanifest":
		return true
	}
	return false
}
