package site

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// ScriptEntry is the page's code: the entry module of assets/page/, which the build
// bundles into one script. LiveEntry is the live classroom's, bundled into a chunk
// of its own that the page imports only when live is asked for. WorkerEntry is the
// worker's, bundled with the page's modules it imports. Nothing else in
// assets/page/ is served.
const (
	ScriptEntry = "assets/page/main.js"
	LiveEntry   = "assets/page/liveclass.js"
	// WorkerEntry is the worker's script (a classic script: bundled, with what it
	// imports of the page's modules, into one).
	WorkerEntry = "assets/warm.js"
	scriptDir   = "assets/page/"
)

// Bundle bundles the module at entry (relative to root) and everything it imports
// into one classic script (an IIFE, so it runs as the page's deferred script did, and
// in sandboxed frames), and its source map. Minified, it is the site's; unminified
// (with the map inline), the tests' in-page runner uses it too.
func Bundle(root, entry string, minify bool) (script, sourceMap []byte, err error) {
	return bundle(root, entry, minify, api.FormatIIFE)
}

// BundleModule bundles the module at entry and everything it imports into one ES
// module (minified, with its source map): a chunk the page loads with import(),
// whose exports are the entry's. It imports nothing: what it shares with the
// page's script is either given to it when it starts (the store, the actions) or
// a small stateless helper bundled into both (dom.js, words.js), so that a cold
// load of the page is one script, and the chunk one more file only when asked for.
func BundleModule(root, entry string) (script, sourceMap []byte, err error) {
	return bundle(root, entry, true, api.FormatESModule)
}

func bundle(root, entry string, minify bool, format api.Format) (script, sourceMap []byte, err error) {
	if root, err = filepath.Abs(root); err != nil {
		return nil, nil, err
	}
	opts := api.BuildOptions{
		EntryPoints:       []string{filepath.Join(root, filepath.FromSlash(entry))},
		Bundle:            true,
		Format:            format,
		Platform:          api.PlatformBrowser,
		Target:            api.ES2020,
		Charset:           api.CharsetUTF8,
		LegalComments:     api.LegalCommentsNone,
		MinifyWhitespace:  minify,
		MinifyIdentifiers: minify,
		MinifySyntax:      minify,
		Sourcemap:         api.SourceMapExternal,
		AbsWorkingDir:     root,
		Outfile:           filepath.Join(root, "assets", "app.js"),
		Write:             false,
		LogLevel:          api.LogLevelSilent,
	}
	if !minify {
		opts.Sourcemap = api.SourceMapInline
	}
	res := api.Build(opts)
	if len(res.Errors) > 0 {
		m := res.Errors[0]
		file := entry
		msg := m.Text
		if m.Location != nil {
			file = filepath.ToSlash(m.Location.File) // relative to root
			msg = fmt.Sprintf("line %d, column %d: %s", m.Location.Line, m.Location.Column+1, m.Text)
			if l := strings.TrimSpace(m.Location.LineText); l != "" {
				msg += "\n\t" + l
			}
		}
		if len(res.Errors) > 1 {
			msg += fmt.Sprintf(" (and %d more errors)", len(res.Errors)-1)
		}
		return nil, nil, &Error{file, errors.New(msg)}
	}
	for _, f := range res.OutputFiles {
		switch {
		case strings.HasSuffix(f.Path, ".map"):
			sourceMap = f.Contents
		case strings.HasSuffix(f.Path, ".js"):
			script = f.Contents
		}
	}
	if script == nil {
		return nil, nil, &Error{entry, errors.New("the bundler wrote no script")}
	}
	return script, sourceMap, nil
}
