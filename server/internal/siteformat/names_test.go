package siteformat

import (
	"strings"
	"testing"
)

func TestIsHashed(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"assets/app.0123456789.css", true},
		{"assets/lang/en.abcdef0123.json", true},
		{"assets/main.0356f6ceab.wasm", true},
		{"assets/app.js.0123456789.map", true},
		{"index.html", false},
		{"site.json", false},
		{"assets/app.css", false},
		{"assets/app.0123456789.css.br", false}, // a sibling, not an asset name
		{"assets/app.012345678.css", false},     // nine digits
		{"assets/app.0123456789A.css", false},
		{"assets/app.ABCDEF0123.css", false},
	}
	for _, tt := range tests {
		if got := IsHashed(tt.path); got != tt.want {
			t.Errorf("IsHashed(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
	for _, p := range []string{"assets/app.css", "assets/lang/en.json", "assets/main.wasm", "assets/tiny.txt", "assets/site.webmanifest", "assets/app.js.map"} {
		h := HashedName(p, []byte(p))
		ext := p[strings.LastIndex(p, "."):]
		if !IsHashed(h) || strings.TrimSuffix(h, ext)[:len(h)-len(ext)-11]+ext != p {
			t.Errorf("HashedName(%q) = %q", p, h)
		}
		if HashedName(p, []byte("other")) == h {
			t.Errorf("HashedName(%q) does not depend on the contents", p)
		}
	}
}

func TestMediaType(t *testing.T) {
	tests := map[string]string{
		"index.html":                      "text/html; charset=utf-8",
		"assets/app.0123456789.css":       "text/css; charset=utf-8",
		"assets/app.0123456789.js":        "text/javascript; charset=utf-8",
		"assets/app.js.0123456789.map":    "application/json",
		"assets/main.0123456789.wasm":     "application/wasm",
		"site.json":                       "application/json",
		"assets/icon.0123456789.svg":      "image/svg+xml",
		"assets/tiny.0123456789.txt":      "text/plain; charset=utf-8",
		"assets/app.webmanifest":          "application/manifest+json",
		"assets/unknown.0123456789.bin":   "application/octet-stream",
		"assets/no-extension":             "application/octet-stream",
		"assets/app.0123456789.css.br":    "application/octet-stream",
		"assets/picture.0123456789.png":   "image/png",
		"assets/favicon.0123456789.ico":   "image/x-icon",
		"assets/module.0123456789.mjs":    "text/javascript; charset=utf-8",
		"assets/lang/en.0123456789.json":  "application/json",
		"assets/thumbnail.0123456789.svg": "image/svg+xml",
	}
	for p, want := range tests {
		if got := MediaType(p); got != want {
			t.Errorf("MediaType(%q) = %q, want %q", p, got, want)
		}
	}
}
