package siteformat_test

import (
	"fmt"

	"github.com/connectedlearning/diagram/server/internal/siteformat"
)

// Every asset of a built site carries a hash of its content in its name, so that
// it can be cached forever; index.html and site.json do not.
func ExampleIsHashed() {
	for _, p := range []string{
		"assets/app.04b92af6c1.css",
		"assets/lang/en.9f375dc72f.json",
		"assets/app.css",
		"index.html",
		"site.json",
	} {
		fmt.Println(p, siteformat.IsHashed(p))
	}
	// Output:
	// assets/app.04b92af6c1.css true
	// assets/lang/en.9f375dc72f.json true
	// assets/app.css false
	// index.html false
	// site.json false
}

// MediaType gives the Content-Type a site file is served with: text types carry a
// charset, and an unknown type is served as bytes.
func ExampleMediaType() {
	for _, p := range []string{
		"index.html",
		"assets/app.04b92af6c1.css",
		"assets/main.0356f6ceab.wasm",
		"assets/thumbnail.f3067547c9.svg",
		"assets/data.bin",
	} {
		fmt.Println(siteformat.MediaType(p))
	}
	// Output:
	// text/html; charset=utf-8
	// text/css; charset=utf-8
	// application/wasm
	// image/svg+xml
	// application/octet-stream
}

// Compressible says which files get .br and .gz siblings: text and wasm, not
// images that are compressed already.
func ExampleCompressible() {
	fmt.Println(siteformat.Compressible("assets/main.0356f6ceab.wasm"))
	fmt.Println(siteformat.Compressible("assets/photo.0123456789.png"))
	// Output:
	// true
	// false
}
