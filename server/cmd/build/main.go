// Command build builds the static site into a directory (see package site):
//
//	go run ./server/cmd/build -out dist/site [-quality dev|best] [-base-url URL]
package main

import (
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/connectedlearning/diagram/server/internal/site"
)

func main() {
	log.SetFlags(0)
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	root := fs.String("root", ".", "project root (with index.html, assets/ and wasm/)")
	out := fs.String("out", "dist/site", "output directory, replaced when the build succeeds")
	cache := fs.String("cache", ".cache/compress", `compression cache directory ("" for none)`)
	quality := fs.String("quality", "dev", "compression: dev (fast, for make run) or best (for make dist)")
	base := fs.String("base-url", "", "public address of the site, e.g. https://example.edu/diagram/")
	wasm := fs.String("wasm", "", "use this prebuilt wasm file instead of compiling wasm/")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: build [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	var q site.Quality
	switch *quality {
	case "dev":
		q = site.Dev
	case "best":
		q = site.Best
	default:
		fmt.Fprintf(os.Stderr, "build: -quality must be dev or best, not %q\n", *quality)
		fs.Usage()
		os.Exit(2)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "build: unexpected argument %q\n", fs.Arg(0))
		os.Exit(2)
	}
	_, err := site.Build(site.Config{Root: *root, Out: *out, Cache: *cache, Quality: q, BaseURL: *base, Wasm: *wasm, Log: log.Printf})
	if err != nil {
		log.Printf("build failed:\n%v", err)
		os.Exit(1)
	}
}
