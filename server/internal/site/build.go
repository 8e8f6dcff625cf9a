package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/connectedlearning/diagram/server/internal/siteformat"
	"github.com/connectedlearning/diagram/wasm/diagram"
)

// Quality chooses how hard to compress (see siteformat.Quality).
type Quality = siteformat.Quality

const (
	Dev  = siteformat.Dev
	Best = siteformat.Best
)

// Config says what to build and where.
type Config struct {
	Root    string // project root: index.html, assets/, wasm/
	Out     string // output directory; replaced as a whole when the build succeeds
	Cache   string // compression cache directory ("" for none)
	Quality Quality
	BaseURL string // public address of the site, for embed snippets and oEmbed ("" to derive it)
	Go      string // the go command (default "go")
	// Wasm, when set, is a prebuilt wasm file used instead of compiling wasm/.
	Wasm string
	// Log receives progress lines; nil for silence.
	Log func(format string, args ...any)
}

// Result describes a finished build.
type Result struct {
	Files      []string // site-relative paths of the files written (siblings excluded)
	WasmSize   int      // uncompressed size of the wasm
	Compressed int      // compressions done
	Cached     int      // compressions taken from the cache
	Took       time.Duration
}

// Error is a build failure in one input file.
type Error struct {
	File string
	Err  error
}

func (e *Error) Error() string { return e.File + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

type asset struct {
	src  string // path relative to Root, e.g. "assets/app.css"
	out  string // path relative to Out, hashed
	data []byte
}

// Build builds the site.
func Build(cfg Config) (*Result, error) {
	start := time.Now()
	// Cleaned, so that "dist/site/" does not put the temporary directory (Out+".tmp")
	// inside the output directory, which is removed before it is renamed.
	cfg.Out = filepath.Clean(cfg.Out)
	if err := checkOut(cfg.Root, cfg.Out); err != nil {
		return nil, err
	}
	if cfg.Go == "" {
		cfg.Go = "go"
	}
	logf := cfg.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	res := &Result{}

	// 1. The program and its JavaScript support file.
	wasm, err := compileWasm(cfg, logf)
	if err != nil {
		return nil, err
	}
	res.WasmSize = len(wasm)
	execJS, err := wasmExecJS(cfg.Go)
	if err != nil {
		return nil, err
	}

	// 2. Every asset, read and checked.
	files := map[string][]byte{}
	err = filepath.WalkDir(filepath.Join(cfg.Root, "assets"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != filepath.Join(cfg.Root, "assets") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		// The page's modules reach the site bundled, as one script.
		if d.IsDir() && p == filepath.Join(cfg.Root, filepath.FromSlash(scriptDir)) {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(cfg.Root, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading assets: %w", err)
	}
	content, err := diagram.ParseContent("assets/diagram.json", string(files["assets/diagram.json"]))
	if err != nil {
		return nil, err
	}
	langs := map[string]string{}
	for p, b := range files {
		if strings.HasPrefix(p, "assets/lang/") && strings.HasSuffix(p, ".json") {
			langs[p] = string(b)
		}
	}
	if _, ok := langs["assets/lang/en.json"]; !ok {
		return nil, &Error{"assets/lang/en.json", errors.New("the reference language file is missing")}
	}
	if err := diagram.CheckLanguages("assets/lang/en.json", langs); err != nil {
		return nil, err
	}
	var en struct {
		Title       string `json:"title"`
		Description string `json:"description"`
		Parts       map[string]struct {
			Title string `json:"title"`
			Short string `json:"short"`
		} `json:"parts"`
	}
	if err := json.Unmarshal(files["assets/lang/en.json"], &en); err != nil {
		return nil, &Error{"assets/lang/en.json", err}
	}
	css, ok := files["assets/app.css"]
	if !ok {
		return nil, &Error{"assets/app.css", errors.New("is missing")}
	}
	if files["assets/app.css"], err = injectPalette(css, content); err != nil {
		return nil, &Error{"assets/app.css", err}
	}
	files["assets/wasm_exec.js"] = execJS
	files["assets/main.wasm"] = wasm

	// The page's code: its modules bundled and minified into one script, linked to
	// its source map (named by its own hash, so that the script can name it).
	script, sourceMap, err := Bundle(cfg.Root, ScriptEntry, true)
	if err != nil {
		return nil, err
	}
	mapName := siteformat.HashedName("assets/app.js.map", sourceMap)
	script = append(script, "//# sourceMappingURL="+path.Base(mapName)+"\n"...)
	files["assets/app.js"] = script
	// The live classroom's chunk, loaded by the page only when live is asked for
	// (the manifest names it), with its own source map.
	chunk, chunkMap, err := BundleModule(cfg.Root, LiveEntry)
	if err != nil {
		return nil, err
	}
	chunkMapName := siteformat.HashedName("assets/live.js.map", chunkMap)
	chunk = append(chunk, "//# sourceMappingURL="+path.Base(chunkMapName)+"\n"...)
	files["assets/live.js"] = chunk
	// The worker's script, bundled with what it shares with the page's (rest.js).
	worker, _, err := Bundle(cfg.Root, WorkerEntry, true)
	if err != nil {
		return nil, err
	}
	files[WorkerEntry] = worker
	bundled := map[string]bool{"assets/app.js": true, "assets/live.js": true, WorkerEntry: true}

	// 3. Pictures rendered from the model: the placeholders shown while the wasm
	// loads, and the thumbnail for oEmbed and link previews.
	// The default palette's placeholder is inline: it is painted with the page's
	// first paint, and it is the picture people explore before the program runs
	// (its groups are the hit map). The projector palette's is a file the page
	// fetches when it is chosen.
	var ph []byte
	for prof, svg := range Placeholders(content) {
		if prof == diagram.ProfileDark.String() {
			ph = svg
			continue
		}
		files["assets/placeholder-"+prof+".svg"] = svg
	}
	ph = append(ph, `<div class="ph-later" data-profile="projector" data-href="assets/placeholder-projector.svg"></div>`...)
	thumb := Thumbnail(content, [3]string{en.Parts["connectivism"].Title, en.Parts["cop"].Title, en.Parts["pln"].Title}, en.Title)
	files["assets/thumbnail.svg"] = thumb

	// 4. Minify and hash every asset.
	m := newMinifier()
	assets := map[string]*asset{}
	names := make([]string, 0, len(files))
	for p := range files {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		data := files[p]
		// The JSON minifier repairs some broken JSON (a trailing comma); a file the
		// page parses with JSON.parse must be valid as it is.
		if strings.HasSuffix(p, ".json") && !json.Valid(data) {
			var v any
			err := json.Unmarshal(data, &v)
			return nil, &Error{p, fmt.Errorf("is not valid JSON: %v", err)}
		}
		if mt := siteformat.BareMediaType(p); mt != "" && minifiable(p) && !bundled[p] {
			out, err := m.Bytes(mt, data)
			if err != nil {
				return nil, &Error{p, fmt.Errorf("cannot be minified: %w", err)}
			}
			data = out
		}
		assets[p] = &asset{src: p, out: siteformat.HashedName(p, data), data: data}
	}
	assets["assets/app.js.map"] = &asset{src: ScriptEntry, out: mapName, data: sourceMap}
	assets["assets/live.js.map"] = &asset{src: LiveEntry, out: chunkMapName, data: chunkMap}

	// 5. The page: manifest, placeholders and hashed references, then minified.
	page, err := os.ReadFile(filepath.Join(cfg.Root, "index.html"))
	if err != nil {
		return nil, &Error{"index.html", err}
	}
	man := siteformat.Manifest{
		Wasm:      assets["assets/main.wasm"].out,
		WasmSize:  len(wasm),
		WasmExec:  assets["assets/wasm_exec.js"].out,
		Worker:    assets["assets/warm.js"].out,
		Content:   assets["assets/diagram.json"].out,
		Lang:      map[string]string{},
		LangNames: map[string]string{},
		Thumbnail: assets["assets/thumbnail.svg"].out,
		Live:      assets["assets/live.js"].out,
		BaseURL:   cfg.BaseURL,
		Extent:    SceneExtent(),
		Labels:    LabelSpots(),
	}
	var codes []string
	for p := range langs {
		codes = append(codes, strings.TrimSuffix(path.Base(p), ".json"))
	}
	sort.Strings(codes)
	ModelFacts(&man, content, codes)
	for p := range langs {
		code := strings.TrimSuffix(path.Base(p), ".json")
		man.Lang[code] = assets[p].out
		var l struct {
			Name string `json:"name"`
		}
		_ = json.Unmarshal(files[p], &l)
		man.LangNames[code] = l.Name
	}
	vh := sha256.New()
	for _, p := range names {
		vh.Write([]byte(assets[p].out))
	}
	man.Version = hex.EncodeToString(vh.Sum(nil))[:12]
	titles := map[string]string{}
	for id, p := range en.Parts {
		titles[id] = p.Title
	}
	desc, err := Description(files["assets/lang/en.json"], content, man.Members)
	if err != nil {
		return nil, &Error{"assets/lang/en.json", err}
	}
	page, err = renderPage(page, &man, ph, titles, desc, assets["assets/lang/en.json"].data, assets)
	if err != nil {
		return nil, &Error{"index.html", err}
	}
	page, err = m.Bytes("text/html", page)
	if err != nil {
		return nil, &Error{"index.html", fmt.Errorf("cannot be minified: %w", err)}
	}
	info := siteformat.SiteInfo{Title: en.Title, Description: en.Description, ThumbnailWidth: thumbW, ThumbnailHeight: thumbH}
	infoJSON, _ := json.Marshal(info)

	// 6. Write everything to a fresh directory, compress, and swap it in.
	tmp := cfg.Out + ".tmp"
	os.RemoveAll(tmp)
	out := map[string][]byte{"index.html": page, "site.json": infoJSON}
	for _, a := range assets {
		out[a.out] = a.data
	}
	c := &compressor{dir: cfg.Cache, quality: cfg.Quality}
	if err := c.writeAll(tmp, out); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	res.Compressed, res.Cached = c.done, c.cached
	if err := os.RemoveAll(cfg.Out); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, cfg.Out); err != nil {
		return nil, err
	}
	for p := range out {
		res.Files = append(res.Files, p)
	}
	sort.Strings(res.Files)
	res.Took = time.Since(start)
	logf("site: %d files in %s (wasm %d bytes; %d compressed, %d from cache) in %v",
		len(res.Files), cfg.Out, res.WasmSize, res.Compressed, res.Cached, res.Took.Round(time.Millisecond))
	return res, nil
}

// checkOut refuses an output directory that the build cannot replace as a whole:
// none, or one that holds the project itself.
func checkOut(root, out string) error {
	if out == "." {
		return errors.New("no output directory (the current directory cannot be replaced)")
	}
	absRoot, err1 := filepath.Abs(root)
	absOut, err2 := filepath.Abs(out)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	if rel, err := filepath.Rel(absOut, absRoot); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("output directory %s holds the project, which the build would replace", out)
	}
	return nil
}

func compileWasm(cfg Config, logf func(string, ...any)) ([]byte, error) {
	if cfg.Wasm != "" {
		return os.ReadFile(cfg.Wasm)
	}
	tmp, err := os.CreateTemp("", "diagram-*.wasm")
	if err != nil {
		return nil, err
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	cmd := exec.Command(cfg.Go, "build", "-trimpath", "-ldflags=-s -w", "-o", tmp.Name(), "./wasm")
	cmd.Dir = cfg.Root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	t := time.Now()
	if err := cmd.Run(); err != nil {
		return nil, &Error{"wasm", fmt.Errorf("go build failed: %v\n%s", err, stderr.String())}
	}
	logf("wasm: compiled in %v", time.Since(t).Round(time.Millisecond))
	return os.ReadFile(tmp.Name())
}

// wasmExecJS reads the JavaScript support file of the Go toolchain that builds the
// wasm, so that the two always match.
func wasmExecJS(goCmd string) ([]byte, error) {
	out, err := exec.Command(goCmd, "env", "GOROOT").Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOROOT: %w", err)
	}
	root := strings.TrimSpace(string(out))
	for _, p := range []string{filepath.Join(root, "lib", "wasm", "wasm_exec.js"), filepath.Join(root, "misc", "wasm", "wasm_exec.js")} {
		if b, err := os.ReadFile(p); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("wasm_exec.js not found under %s/lib/wasm", root)
}
