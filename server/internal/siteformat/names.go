package siteformat

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
	"regexp"
	"strings"
)

var mediaTypes = map[string]string{
	".html":        "text/html",
	".css":         "text/css",
	".js":          "text/javascript",
	".mjs":         "text/javascript",
	".json":        "application/json",
	".map":         "application/json", // source maps
	".svg":         "image/svg+xml",
	".wasm":        "application/wasm",
	".png":         "image/png",
	".ico":         "image/x-icon",
	".txt":         "text/plain",
	".webmanifest": "application/manifest+json",
}

// BareMediaType is the media type the site serves a file as, without parameters
// ("" if unknown).
func BareMediaType(p string) string { return mediaTypes[path.Ext(p)] }

// MediaType returns the Content-Type header for a site path, with a charset for text.
func MediaType(p string) string {
	mt := BareMediaType(p)
	switch mt {
	case "":
		return "application/octet-stream"
	case "text/html", "text/css", "text/javascript", "text/plain":
		return mt + "; charset=utf-8"
	}
	return mt
}

// Compressible reports whether a file is worth compressing (text and wasm; not
// images that are compressed already).
func Compressible(p string) bool {
	switch path.Ext(p) {
	case ".html", ".css", ".js", ".mjs", ".json", ".map", ".svg", ".wasm", ".txt", ".webmanifest", ".ico":
		return true
	}
	return false
}

var hashedRE = regexp.MustCompile(`\.[0-9a-f]{10}\.[a-z0-9]+$`)

// IsHashed reports whether a site path carries a content hash in its name (and so
// can be cached forever).
func IsHashed(p string) bool { return hashedRE.MatchString(p) }

// HashedName names a file after its contents: assets/app.css becomes
// assets/app.0123456789.css.
func HashedName(p string, data []byte) string {
	sum := sha256.Sum256(data)
	ext := path.Ext(p)
	return strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
}
