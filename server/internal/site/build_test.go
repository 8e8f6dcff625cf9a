package site

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/connectedlearning/diagram/server/internal/siteformat"
	"github.com/connectedlearning/diagram/wasm/diagram"
)

// The tests build the real site from temporary copies of the project's inputs, so
// that they can break the copies freely. Compiling the wasm takes seconds, so it is
// compiled once (prebuiltWasm) and handed to every build as Config.Wasm, except in
// TestBuildCompilesWasm, which proves the compile path itself. Compressing the 10 MB
// wasm also takes seconds, so the builds share one compression cache, except where
// the cache itself is under test.

var pkgTmp string // removed when the tests end

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "site-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	pkgTmp = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// repoRoot is the project root: index.html, assets/, wasm/ and go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"go.mod", "index.html", "assets", "wasm"} {
		if _, err := os.Stat(filepath.Join(root, p)); err != nil {
			t.Fatalf("%s is not the project root: %v", root, err)
		}
	}
	return root
}

var (
	wasmOnce sync.Once
	wasmFile string
	wasmErr  error
)

// prebuiltWasm compiles wasm/ once per test run, with the build's own compile
// step, and returns the file it wrote.
func prebuiltWasm(t testing.TB) string {
	t.Helper()
	root := repoRoot(t)
	wasmOnce.Do(func() {
		var b []byte
		b, wasmErr = compileWasm(Config{Root: root, Go: "go"}, func(string, ...any) {})
		if wasmErr != nil {
			return
		}
		wasmFile = filepath.Join(pkgTmp, "prebuilt.wasm")
		wasmErr = os.WriteFile(wasmFile, b, 0o644)
	})
	if wasmErr != nil {
		t.Fatalf("compiling the wasm: %v", wasmErr)
	}
	return wasmFile
}

// copyInputs copies index.html and assets/ (and, withWasm, go.mod, go.sum and
// wasm/) into a temporary project root.
func copyInputs(t testing.TB, withWasm bool) string {
	t.Helper()
	src := repoRoot(t)
	dst := filepath.Join(t.TempDir(), "project")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	files := []string{"index.html"}
	dirs := []string{"assets"}
	if withWasm {
		files = append(files, "go.mod", "go.sum")
		dirs = append(dirs, "wasm")
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, dst, f, b)
	}
	for _, d := range dirs {
		if err := os.CopyFS(filepath.Join(dst, d), os.DirFS(filepath.Join(src, d))); err != nil {
			t.Fatalf("copying %s: %v", d, err)
		}
	}
	return dst
}

func writeFile(t testing.TB, root, rel string, b []byte) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t testing.TB, root, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// editFile rewrites one input file.
func editFile(t testing.TB, root, rel string, edit func(string) string) {
	t.Helper()
	writeFile(t, root, rel, []byte(edit(string(readFile(t, root, rel)))))
}

// editJSON rewrites one input JSON file through a generic decoding.
func editJSON(t testing.TB, root, rel, to string, edit func(map[string]any)) {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(readFile(t, root, rel), &v); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	edit(v)
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, root, to, b)
}

// config is a build of root into a fresh output directory, with the prebuilt wasm
// and the shared compression cache.
func config(t testing.TB, root string) Config {
	t.Helper()
	return Config{
		Root:    root,
		Out:     filepath.Join(t.TempDir(), "site"),
		Cache:   filepath.Join(pkgTmp, "cache"),
		Quality: Dev,
		Wasm:    prebuiltWasm(t),
		Log:     t.Logf,
	}
}

func mustBuild(t testing.TB, cfg Config) *Result {
	t.Helper()
	res, err := Build(cfg)
	if err != nil {
		t.Fatalf("build failed: %v", err)
	}
	return res
}

// siteFiles lists the site paths under dir: the files, and separately their .br
// and .gz siblings.
func siteFiles(t testing.TB, dir string) (files, siblings []string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if strings.HasSuffix(rel, ".br") || strings.HasSuffix(rel, ".gz") {
			siblings = append(siblings, rel)
		} else {
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	sort.Strings(siblings)
	return files, siblings
}

// unhash maps a built asset's name back to its input's: assets/app.0123456789.css
// to assets/app.css.
func unhash(p string) string {
	if !siteformat.IsHashed(p) {
		return p
	}
	ext := path.Ext(p)
	return strings.TrimSuffix(p, ext)[:len(p)-len(ext)-11] + ext
}

// builtName finds the built name of an input asset.
func builtName(t testing.TB, files []string, src string) string {
	t.Helper()
	for _, f := range files {
		if f != src && unhash(f) == src {
			return f
		}
	}
	t.Fatalf("no built file for %s among %v", src, files)
	return ""
}

var attrRE = regexp.MustCompile(`(?i)\b(src|href)=(?:"([^"]*)"|'([^']*)'|([^\s"'=<>` + "`" + `]+))`)

// pageURLs returns the values of every src and href attribute in page.
func pageURLs(page []byte) []string {
	var out []string
	for _, m := range attrRE.FindAllSubmatch(page, -1) {
		out = append(out, string(m[2])+string(m[3])+string(m[4]))
	}
	return out
}

var manifestRE = regexp.MustCompile(`<script[^>]*\bid="?manifest"?[^>]*>(.*?)</script>`)

func pageManifest(t testing.TB, page []byte) siteformat.Manifest {
	t.Helper()
	m := manifestRE.FindSubmatch(page)
	if m == nil {
		t.Fatalf("the page has no manifest script")
	}
	var man siteformat.Manifest
	if err := json.Unmarshal(m[1], &man); err != nil {
		t.Fatalf("the manifest is not JSON: %v\n%s", err, m[1])
	}
	return man
}

// TestBuildSite checks what a visitor's browser needs from a built site: every
// reference resolves, every asset can be cached forever, the site works under any
// sub-path, and the page shows the picture and colours before the wasm runs.
func TestBuildSite(t *testing.T) {
	root := copyInputs(t, false)
	cfg := config(t, root)
	res := mustBuild(t, cfg)
	out := cfg.Out
	files, _ := siteFiles(t, out)
	page := readFile(t, out, "index.html")
	man := pageManifest(t, page)
	exists := func(p string) bool { return slices.Contains(files, p) }

	t.Run("result lists the files written", func(t *testing.T) {
		if !slices.Equal(res.Files, files) {
			t.Errorf("Result.Files = %v\nbut the output holds %v", res.Files, files)
		}
	})

	t.Run("page references resolve", func(t *testing.T) {
		urls := pageURLs(page)
		var assets int
		for _, u := range urls {
			switch {
			case strings.HasPrefix(u, "#"):
				// An SVG <use> in a placeholder: the element must be in the page.
				if !regexp.MustCompile(`\bid="?` + regexp.QuoteMeta(u[1:]) + `[\s">]`).Match(page) {
					t.Errorf("%s points at no element of the page", u)
				}
			case strings.HasPrefix(u, "data:"), strings.HasPrefix(u, "mailto:"):
			default:
				assets++
				if !exists(u) {
					t.Errorf("the page references %s, which is not in the output", u)
				}
			}
		}
		if assets < 4 { // icon, stylesheet, wasm_exec.js, app.js
			t.Errorf("only %d asset references in the page: %q", assets, urls)
		}
	})

	t.Run("manifest URLs resolve", func(t *testing.T) {
		urls := map[string]string{"wasm": man.Wasm, "content": man.Content, "thumbnail": man.Thumbnail, "live": man.Live}
		for code, u := range man.Lang {
			urls["lang."+code] = u
		}
		if _, ok := man.Lang["en"]; !ok {
			t.Errorf("the manifest has no English: %v", man.Lang)
		}
		for k, u := range urls {
			if u == "" || !exists(u) {
				t.Errorf("manifest %s = %q, which is not in the output", k, u)
			}
		}
		if man.Version == "" {
			t.Error("the manifest has no version")
		}
	})

	t.Run("assets have hashed names", func(t *testing.T) {
		for _, f := range files {
			if f == "index.html" || f == "site.json" {
				continue
			}
			if !siteformat.IsHashed(f) {
				t.Errorf("%s has no content hash in its name", f)
			}
		}
		for _, want := range []string{"assets/main.wasm", "assets/wasm_exec.js", "assets/app.css", "assets/app.js", "assets/app.js.map", "assets/diagram.json", "assets/lang/en.json", "assets/thumbnail.svg"} {
			builtName(t, files, want)
		}
		// The page's modules are in the bundle, not served one by one.
		for _, f := range files {
			if strings.HasPrefix(f, "assets/page/") {
				t.Errorf("%s is served: the modules reach the page bundled", f)
			}
		}
	})

	t.Run("URLs are relative", func(t *testing.T) {
		urls := append(pageURLs(page), man.Wasm, man.Content, man.Thumbnail)
		for _, u := range man.Lang {
			urls = append(urls, u)
		}
		for _, u := range urls {
			if strings.HasPrefix(u, "/") || strings.HasPrefix(strings.ToLower(u), "http") {
				t.Errorf("%q is not relative: the site would break under a sub-path", u)
			}
		}
	})

	t.Run("wasm size", func(t *testing.T) {
		fi, err := os.Stat(cfg.Wasm)
		if err != nil {
			t.Fatal(err)
		}
		built := readFile(t, out, man.Wasm)
		if man.WasmSize != int(fi.Size()) || len(built) != int(fi.Size()) || res.WasmSize != int(fi.Size()) {
			t.Errorf("manifest.wasmSize %d, built file %d bytes, Result.WasmSize %d; the wasm is %d bytes",
				man.WasmSize, len(built), res.WasmSize, fi.Size())
		}
	})

	t.Run("placeholders", func(t *testing.T) {
		// The default palette's picture is in the page, interactive: its parts'
		// and members' groups are the page's hit map before the program runs.
		inline := regexp.MustCompile(`(?s)<svg[^>]*\bclass="?ph ph-dark"?[^>]*>.*?</svg>`).Find(page)
		if inline == nil {
			t.Fatal("the page has no inline placeholder of the dark palette")
		}
		for _, want := range []string{`data-part=cop`, `data-member=`, `data-halo=cop`, `pointer-events=stroke`} {
			if !bytes.Contains(inline, []byte(want)) && !bytes.Contains(inline, []byte(strings.ReplaceAll(want, "=", `="`)+`"`)) {
				t.Errorf("the inline placeholder has no %s", want)
			}
		}
		// The projector palette's is a file the page fetches when it is chosen.
		m := regexp.MustCompile(`data-href="?(assets/placeholder-projector\.[0-9a-f]{10}\.svg)"?`).FindSubmatch(page)
		if m == nil {
			t.Fatal("the page does not name the projector palette's placeholder")
		}
		svg, err := os.ReadFile(filepath.Join(out, string(m[1])))
		if err != nil || !bytes.HasPrefix(svg, []byte("<svg")) || !bytes.Contains(svg, []byte("ph-projector")) || !bytes.Contains(svg, []byte("data-part")) {
			t.Fatalf("%s is not the projector's interactive picture: %v", m[1], err)
		}
		// Both can be in the page at once: no id of one is an id of the other.
		idRE := regexp.MustCompile(`\bid="?([^"\s>]+)`)
		ids := map[string]bool{}
		for _, id := range idRE.FindAllSubmatch(inline, -1) {
			ids[string(id[1])] = true
		}
		for _, id := range idRE.FindAllSubmatch(svg, -1) {
			if ids[string(id[1])] {
				t.Errorf("id %s is in both placeholders", id[1])
			}
		}
		if len(ids) == 0 {
			t.Error("the inline placeholder has no ids (its gears and glows are defined once)")
		}
		if bytes.Contains(page, []byte("<!--placeholder-->")) {
			t.Error("the placeholder marker is still in the page")
		}
	})

	t.Run("palette", func(t *testing.T) {
		css := readFile(t, out, builtName(t, files, "assets/app.css"))
		if bytes.Contains(css, []byte(paletteMark)) {
			t.Errorf("%s is still in the built CSS", paletteMark)
		}
		var p diagram.Palette
		for _, f := range p.Fields() {
			if n := bytes.Count(css, []byte("--"+f.CSS+":")); n != 2 {
				t.Errorf("--%s is defined %d times in the built CSS, want 2 (dark and projector)", f.CSS, n)
			}
		}
		if !bytes.Contains(css, []byte(":root.projector{")) {
			t.Error("the built CSS has no :root.projector palette")
		}
		// A custom property used without a fallback must be defined somewhere,
		// or the declaration using it silently does nothing.
		for _, m := range regexp.MustCompile(`var\(--([A-Za-z0-9_-]+)\)`).FindAllSubmatch(css, -1) {
			if !bytes.Contains(css, []byte("--"+string(m[1])+":")) {
				t.Errorf("the CSS uses var(--%s), which nothing defines", m[1])
			}
		}
	})

	t.Run("site.json", func(t *testing.T) {
		var info siteformat.SiteInfo
		if err := json.Unmarshal(readFile(t, out, "site.json"), &info); err != nil {
			t.Fatal(err)
		}
		if info.Title == "" || info.Description == "" || info.ThumbnailWidth <= 0 || info.ThumbnailHeight <= 0 {
			t.Errorf("site.json = %+v", info)
		}
		if r := float64(info.ThumbnailWidth) / float64(info.ThumbnailHeight); math.Abs(r-man.AspectRatio) > 0.01 {
			t.Errorf("the thumbnail is %dx%d, not the diagram's shape %g", info.ThumbnailWidth, info.ThumbnailHeight, man.AspectRatio)
		}
	})

	t.Run("the page's code", func(t *testing.T) {
		// One script, minified, linked to its source map, which maps back to the
		// modules.
		js := readFile(t, out, builtName(t, files, "assets/app.js"))
		mapName := builtName(t, files, "assets/app.js.map")
		if !bytes.HasSuffix(bytes.TrimSpace(js), []byte("//# sourceMappingURL="+path.Base(mapName))) {
			t.Errorf("the script does not link its source map %s:\n...%s", mapName, js[max(0, len(js)-200):])
		}
		if bytes.Count(js, []byte("\n")) > 5 || bytes.Contains(js, []byte("// The ")) || bytes.Contains(js, []byte("createStore")) {
			t.Error("the script is not minified (lines, comments or names are still there)")
		}
		var sm struct {
			Version int      `json:"version"`
			Sources []string `json:"sources"`
		}
		if err := json.Unmarshal(readFile(t, out, mapName), &sm); err != nil {
			t.Fatal(err)
		}
		if sm.Version != 3 || !slices.Contains(sm.Sources, "page/main.js") || !slices.Contains(sm.Sources, "page/store.js") {
			t.Errorf("the source map (version %d) names %v", sm.Version, sm.Sources)
		}
		// The page references it as the one script besides wasm_exec.js.
		if !bytes.Contains(page, []byte(`src="`+builtName(t, files, "assets/app.js")+`"`)) && !bytes.Contains(page, []byte(`src=`+builtName(t, files, "assets/app.js"))) {
			t.Error("the page does not load the bundle")
		}
	})

	t.Run("the live classroom's chunk", func(t *testing.T) {
		// An ES module of its own, named by the manifest, that the page imports
		// only when live is asked for: the page's script does not hold its code,
		// the page does not reference it, and it imports nothing (no shared chunk
		// that a cold load would have to fetch).
		chunk := readFile(t, out, man.Live)
		js := readFile(t, out, builtName(t, files, "assets/app.js"))
		mapName := builtName(t, files, "assets/live.js.map")
		if !bytes.HasSuffix(bytes.TrimSpace(chunk), []byte("//# sourceMappingURL="+path.Base(mapName))) {
			t.Errorf("the chunk does not link its source map %s", mapName)
		}
		if !regexp.MustCompile(`export\s*\{[^}]*\bas startClassroom\b`).Match(chunk) {
			t.Errorf("the chunk does not export startClassroom:\n...%s", chunk[max(0, len(chunk)-200):])
		}
		if regexp.MustCompile(`(^|[;}\s])import\s*[{*"'\w]`).Match(chunk) {
			t.Error("the chunk imports another module")
		}
		for _, code := range []string{"live/ws", "reconnecting", "rate-limited", "live.joiningClosed"} {
			if bytes.Contains(js, []byte(code)) {
				t.Errorf("the page's script holds the live classroom's code (%q)", code)
			}
			if !bytes.Contains(chunk, []byte(code)) {
				t.Errorf("the chunk lacks %q", code)
			}
		}
		if bytes.Contains(page, []byte(path.Base(man.Live))) && !bytes.Contains(page, []byte(`"live":"`+man.Live+`"`)) {
			t.Error("the page loads the chunk other than through the manifest")
		}
		var sm struct {
			Sources []string `json:"sources"`
		}
		if err := json.Unmarshal(readFile(t, out, mapName), &sm); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(sm.Sources, "page/live.js") || !slices.Contains(sm.Sources, "page/join.js") || slices.Contains(sm.Sources, "page/main.js") {
			t.Errorf("the chunk's source map names %v", sm.Sources)
		}
	})

	t.Run("the model's facts", func(t *testing.T) {
		// Written once in Go, they reach the page through the manifest.
		if man.Steps != diagram.NumSteps || man.AspectRatio != diagram.AspectRatio {
			t.Errorf("manifest steps %d, aspect %g", man.Steps, man.AspectRatio)
		}
		var ids []string
		for _, p := range man.Parts {
			ids = append(ids, p.ID)
			if !bytes.Contains(readFile(t, out, builtName(t, files, "assets/app.css")), []byte("--"+p.Color+":")) {
				t.Errorf("part %s is coloured --%s, which the CSS does not define", p.ID, p.Color)
			}
		}
		if strings.Join(ids, " ") != "connectivism cop pln connections" {
			t.Errorf("manifest parts %v", ids)
		}
		step := man.Option("step")
		if step == nil || len(step.Values) != diagram.NumSteps || man.Option("lang") == nil || strings.Join(man.Option("lang").Values, " ") != "en es fr" {
			t.Errorf("manifest options %+v", man.Options)
		}
		cop, people, newcomers, resources := 0, 0, 0, 0
		for _, m := range man.Members {
			if m.Ring == "cop" {
				cop++
			}
			switch m.Kind {
			case "person":
				people++
			case "newcomer":
				newcomers++
			default:
				resources++
			}
		}
		c, _ := diagram.ParseContent("diagram.json", string(readFile(t, root, "assets/diagram.json")))
		if cop != c.CoP.People+1 || people+newcomers != c.CoP.People+c.PLN.People || newcomers != 1 || resources != len(c.PLN.Resources) {
			t.Errorf("members: %d in the CoP, %d people, %d newcomers, %d resources; content has %d, %d and %v", cop, people, newcomers, resources, c.CoP.People, c.PLN.People, c.PLN.Resources)
		}
		// And the page's HTML has them from there: a label per labelled part, the
		// speeds, and no step count of its own.
		for _, l := range man.Labels {
			if !regexp.MustCompile(`class="?label"? data-part="?` + l.Part + `"?`).Match(page) {
				t.Errorf("no label button for %s", l.Part)
			}
		}
		for _, v := range man.Option("speed").Values {
			if !regexp.MustCompile(`<option value="?` + regexp.QuoteMeta(v) + `"?[ >]`).Match(page) {
				t.Errorf("no speed %s in the page", v)
			}
		}
		for _, mark := range []string{labelsMark, speedsMark, phMark} {
			if bytes.Contains(page, []byte(mark)) {
				t.Errorf("%s is still in the page", mark)
			}
		}
		if bytes.Contains(page, []byte(fmt.Sprintf("/ %d", diagram.NumSteps))) {
			t.Error("the page's HTML counts the steps itself")
		}
	})
}

// TestBuildCompressedSiblings checks that every .br and .gz file is its file,
// compressed, and that none is written where it would not save anything.
func TestBuildCompressedSiblings(t *testing.T) {
	root := copyInputs(t, false)
	writeFile(t, root, "assets/tiny.txt", []byte("tiny\n"))
	cfg := config(t, root)
	mustBuild(t, cfg)
	files, siblings := siteFiles(t, cfg.Out)

	decode := map[string]func(io.Reader) (io.Reader, error){
		".br": func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
		".gz": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
	}
	for _, s := range siblings {
		t.Run(s, func(t *testing.T) {
			base := s[:len(s)-3]
			if !slices.Contains(files, base) {
				t.Fatalf("%s has no file %s", s, base)
			}
			want := readFile(t, cfg.Out, base)
			z := readFile(t, cfg.Out, s)
			if len(z) >= len(want) {
				t.Errorf("%s is %d bytes, not smaller than its file's %d", s, len(z), len(want))
			}
			r, err := decode[path.Ext(s)](bytes.NewReader(z))
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(r)
			if err != nil {
				t.Fatalf("decompressing %s: %v", s, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s decompresses to %d bytes that differ from %s (%d bytes)", s, len(got), base, len(want))
			}
		})
	}

	t.Run("which files have siblings", func(t *testing.T) {
		for _, f := range files {
			fi, err := os.Stat(filepath.Join(cfg.Out, f))
			if err != nil {
				t.Fatal(err)
			}
			br, gz := slices.Contains(siblings, f+".br"), slices.Contains(siblings, f+".gz")
			switch {
			case unhash(f) == "assets/tiny.txt":
				if br || gz {
					t.Errorf("%s (%d bytes) has a sibling (br %v, gz %v), which cannot be smaller", f, fi.Size(), br, gz)
				}
			case siteformat.Compressible(f) && fi.Size() > 1024:
				if !br || !gz {
					t.Errorf("%s (%d bytes) lacks a sibling (br %v, gz %v)", f, fi.Size(), br, gz)
				}
			}
		}
		builtName(t, files, "assets/tiny.txt")
	})
}

// TestBuildCache checks that an unchanged file is never compressed twice, and that
// a change recompresses only what it changes.
func TestBuildCache(t *testing.T) {
	root := copyInputs(t, false)
	cfg := config(t, root)
	cfg.Cache = t.TempDir()
	cacheEntries := func() []string {
		des, err := os.ReadDir(cfg.Cache)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, de := range des {
			out = append(out, de.Name())
		}
		return out
	}

	first := mustBuild(t, cfg)
	if first.Compressed == 0 || first.Cached != 0 {
		t.Fatalf("first build with an empty cache: %d compressed, %d cached", first.Compressed, first.Cached)
	}
	if n := len(cacheEntries()); n != first.Compressed {
		t.Errorf("%d compressions but %d cache entries", first.Compressed, n)
	}
	page1 := readFile(t, cfg.Out, "index.html")

	second := mustBuild(t, cfg)
	if second.Compressed != 0 || second.Cached != first.Compressed {
		t.Errorf("second build of the same inputs: %d compressed, %d cached; want 0 and %d", second.Compressed, second.Cached, first.Compressed)
	}
	if page2 := readFile(t, cfg.Out, "index.html"); !bytes.Equal(page1, page2) {
		t.Error("two builds of the same inputs wrote different pages")
	}

	before := cacheEntries()
	editFile(t, root, "assets/app.css", func(s string) string { return s + "\nhtml{top:0}\n" })
	third := mustBuild(t, cfg)
	// The stylesheet changed; so did the page (it names the stylesheet, and its
	// manifest's version is derived from every asset's name). Nothing else did.
	files, _ := siteFiles(t, cfg.Out)
	var want []string
	for _, f := range []string{builtName(t, files, "assets/app.css"), "index.html"} {
		sum := sha256.Sum256(readFile(t, cfg.Out, f))
		want = append(want, hex.EncodeToString(sum[:])+".br5", hex.EncodeToString(sum[:])+".gz6")
	}
	sort.Strings(want)
	var added []string
	for _, e := range cacheEntries() {
		if !slices.Contains(before, e) {
			added = append(added, e)
		}
	}
	if !slices.Equal(added, want) {
		t.Errorf("after a change to app.css the cache gained %q, want %q", added, want)
	}
	if third.Compressed != len(want) || third.Cached != first.Compressed-len(want) {
		t.Errorf("after a change to app.css: %d compressed, %d cached; want %d and %d",
			third.Compressed, third.Cached, len(want), first.Compressed-len(want))
	}
}

// TestBuildMinifies checks that the text assets are served minified.
func TestBuildMinifies(t *testing.T) {
	root := copyInputs(t, false)
	cfg := config(t, root)
	mustBuild(t, cfg)
	files, _ := siteFiles(t, cfg.Out)
	var n, modules int
	err := filepath.WalkDir(filepath.Join(root, "assets"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !minifiable(p) {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(rel, scriptDir) {
			if !strings.HasPrefix(rel, scriptDir+"test/") {
				modules += len(readFile(t, root, rel))
			}
			return nil // bundled, below
		}
		in := readFile(t, root, rel)
		built := readFile(t, cfg.Out, builtName(t, files, rel))
		if rel == "assets/app.css" {
			// The palette is injected first: compare with what was minified.
			in = bytes.Replace(in, []byte(paletteMark), []byte(paletteCSSFor(t, root)), 1)
		}
		if len(built) >= len(in) {
			t.Errorf("%s: built %d bytes, not smaller than its input's %d", rel, len(built), len(in))
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{".css", ".js", ".json"} {
		if !slices.ContainsFunc(files, func(f string) bool { return path.Ext(f) == ext }) {
			t.Errorf("no %s file in the output", ext)
		}
	}
	if n < 4 {
		t.Errorf("only %d minifiable inputs checked", n)
	}
	if js := readFile(t, cfg.Out, builtName(t, files, "assets/app.js")); len(js)*2 > modules {
		t.Errorf("the bundle is %d bytes, more than half its modules' %d", len(js), modules)
	}
	execJS, err := wasmExecJS("go")
	if err != nil {
		t.Fatal(err)
	}
	if built := readFile(t, cfg.Out, builtName(t, files, "assets/wasm_exec.js")); len(built) >= len(execJS) {
		t.Errorf("wasm_exec.js: built %d bytes, not smaller than Go's %d", len(built), len(execJS))
	}
}

func paletteCSSFor(t testing.TB, root string) string {
	t.Helper()
	c, err := diagram.ParseContent("diagram.json", string(readFile(t, root, "assets/diagram.json")))
	if err != nil {
		t.Fatal(err)
	}
	return paletteCSS(c)
}

// snapshot records a built site's files and the page, to prove that a failed build
// left it alone.
type snapshot struct {
	files []string
	page  []byte
}

func takeSnapshot(t testing.TB, dir string) snapshot {
	t.Helper()
	files, sibs := siteFiles(t, dir)
	return snapshot{append(files, sibs...), readFile(t, dir, "index.html")}
}

func (s snapshot) check(t testing.TB, dir string) {
	t.Helper()
	now := takeSnapshot(t, dir)
	if !slices.Equal(now.files, s.files) || !bytes.Equal(now.page, s.page) {
		t.Errorf("the failed build changed the previous site in %s: files %v, was %v", dir, now.files, s.files)
	}
	if _, err := os.Stat(dir + ".tmp"); !os.IsNotExist(err) {
		t.Errorf("the failed build left %s.tmp behind (%v)", dir, err)
	}
}

// TestBuildBrokenInput checks that a broken input fails the build, naming the file
// and the reason, and leaves the previous site as it was.
func TestBuildBrokenInput(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(t *testing.T, root string)
		want  []string // fragments of the error: the file, the reason
	}{
		{
			name: "JavaScript syntax error",
			spoil: func(t *testing.T, root string) {
				editFile(t, root, "assets/page/store.js", func(s string) string { return s + "\nfunction (\n" })
			},
			want: []string{"assets/page/store.js", "line ", "Expected identifier"},
		},
		{
			name: "module imports a missing module",
			spoil: func(t *testing.T, root string) {
				editFile(t, root, "assets/page/main.js", func(s string) string { return "import './missing.js';\n" + s })
			},
			want: []string{"assets/page/main.js", "line 1", "missing.js"},
		},
		{
			name: "another script with a syntax error",
			spoil: func(t *testing.T, root string) {
				writeFile(t, root, "assets/extra.js", []byte("function (\n"))
			},
			want: []string{"assets/extra.js", "cannot be minified"},
		},
		{
			name: "language file not JSON",
			spoil: func(t *testing.T, root string) {
				// A comma left out after the first field.
				en := string(readFile(t, root, "assets/lang/en.json"))
				if !strings.Contains(en, "\n  \"lang\": \"en\",\n") {
					t.Fatal("en.json does not start with its lang field")
				}
				writeFile(t, root, "assets/lang/es.json", []byte(strings.Replace(en, `"lang": "en",`, `"lang": "es"`, 1)))
			},
			want: []string{"assets/lang/es.json", "line 3"},
		},
		{
			name: "language file lacks a key",
			spoil: func(t *testing.T, root string) {
				editJSON(t, root, "assets/lang/en.json", "assets/lang/xx.json", func(v map[string]any) {
					v["lang"] = "xx"
					delete(v["parts"].(map[string]any)["cop"].(map[string]any), "quoteBy")
				})
			},
			want: []string{"assets/lang/xx.json", "parts.cop.quoteBy"},
		},
		{
			name: "reference language missing",
			spoil: func(t *testing.T, root string) {
				if err := os.Rename(filepath.Join(root, "assets/lang/en.json"), filepath.Join(root, "assets/lang/fr.json")); err != nil {
					t.Fatal(err)
				}
			},
			want: []string{"assets/lang/en.json", "missing"},
		},
		{
			name: "content field out of range",
			spoil: func(t *testing.T, root string) {
				editJSON(t, root, "assets/diagram.json", "assets/diagram.json", func(v map[string]any) {
					v["cop"].(map[string]any)["people"] = 99
				})
			},
			want: []string{"assets/diagram.json", "cop.people", "99", "out of range"},
		},
		{
			name: "content file missing",
			spoil: func(t *testing.T, root string) {
				if err := os.Remove(filepath.Join(root, "assets/diagram.json")); err != nil {
					t.Fatal(err)
				}
			},
			want: []string{"assets/diagram.json"},
		},
		{
			name: "page references a missing asset",
			spoil: func(t *testing.T, root string) {
				editFile(t, root, "index.html", func(s string) string {
					return strings.Replace(s, "</head>", `<link rel="stylesheet" href="assets/missing.css"></head>`, 1)
				})
			},
			want: []string{"index.html", "assets/missing.css", "does not exist"},
		},
		{
			name: "page without the placeholder marker",
			spoil: func(t *testing.T, root string) {
				editFile(t, root, "index.html", func(s string) string { return strings.Replace(s, "<!--placeholder-->", "", 1) })
			},
			want: []string{"index.html", "<!--placeholder-->"},
		},
		{
			name: "page without the labels marker",
			spoil: func(t *testing.T, root string) {
				editFile(t, root, "index.html", func(s string) string { return strings.Replace(s, labelsMark, "", 1) })
			},
			want: []string{"index.html", labelsMark},
		},
		{
			name: "page without the manifest",
			spoil: func(t *testing.T, root string) {
				editFile(t, root, "index.html", func(s string) string {
					return strings.Replace(s, `<script type="application/json" id="manifest">{}</script>`, "", 1)
				})
			},
			want: []string{"index.html", `id="manifest"`},
		},
		{
			name: "stylesheet without the palette marker",
			spoil: func(t *testing.T, root string) {
				editFile(t, root, "assets/app.css", func(s string) string { return strings.ReplaceAll(s, paletteMark, "") })
			},
			want: []string{"assets/app.css", paletteMark},
		},
		{
			name: "other JSON asset not JSON",
			spoil: func(t *testing.T, root string) {
				writeFile(t, root, "assets/extra.json", []byte(`{"a": }`))
			},
			want: []string{"assets/extra.json", "is not valid JSON"},
		},
		{
			// The JSON minifier alone would repair this into [1].
			name: "JSON asset with a trailing comma",
			spoil: func(t *testing.T, root string) {
				writeFile(t, root, "assets/extra.json", []byte(`[1,]`))
			},
			want: []string{"assets/extra.json", "is not valid JSON"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := copyInputs(t, false)
			cfg := config(t, root)
			mustBuild(t, cfg)
			snap := takeSnapshot(t, cfg.Out)

			tt.spoil(t, root)
			res, err := Build(cfg)
			if err == nil {
				t.Fatalf("the build succeeded (%d files)", len(res.Files))
			}
			t.Logf("error: %v", err)
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("the error does not mention %q:\n%v", w, err)
				}
			}
			snap.check(t, cfg.Out)
		})
	}
}

// TestBuildCompilesWasm builds with the real compile step, as `make site` does,
// and checks that a Go error in wasm/ fails the build without touching the site.
func TestBuildCompilesWasm(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the wasm")
	}
	root := copyInputs(t, true)
	cfg := config(t, root)
	cfg.Wasm = ""
	res := mustBuild(t, cfg)
	files, _ := siteFiles(t, cfg.Out)
	wasm := readFile(t, cfg.Out, builtName(t, files, "assets/main.wasm"))
	if !bytes.HasPrefix(wasm, []byte("\x00asm")) || len(wasm) != res.WasmSize || res.WasmSize < 1<<20 {
		t.Fatalf("the built wasm (%d bytes, starts %q) is not the program (Result.WasmSize %d)", len(wasm), wasm[:min(len(wasm), 8)], res.WasmSize)
	}
	if man := pageManifest(t, readFile(t, cfg.Out, "index.html")); man.WasmSize != len(wasm) {
		t.Errorf("manifest.wasmSize = %d, the wasm is %d bytes", man.WasmSize, len(wasm))
	}

	t.Run("compile error", func(t *testing.T) {
		snap := takeSnapshot(t, cfg.Out)
		writeFile(t, root, "wasm/broken.go", []byte("//go:build js && wasm\n\npackage main\n\nfunc broken( {\n"))
		_, err := Build(cfg)
		if err == nil {
			t.Fatal("the build succeeded with a syntax error in wasm/broken.go")
		}
		for _, w := range []string{"wasm", "go build", "broken.go"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("the error does not mention %q:\n%v", w, err)
			}
		}
		snap.check(t, cfg.Out)
	})
}

// TestBuildOutTrailingSlash builds into an output directory named with a trailing
// slash, as shell completion writes it, twice (the second replaces the first).
func TestBuildOutTrailingSlash(t *testing.T) {
	root := copyInputs(t, false)
	cfg := config(t, root)
	cfg.Out += string(filepath.Separator)
	for i := range 2 {
		if _, err := Build(cfg); err != nil {
			t.Fatalf("build %d into %s: %v", i+1, cfg.Out, err)
		}
		if _, err := os.Stat(filepath.Join(cfg.Out, "index.html")); err != nil {
			t.Fatalf("after build %d: %v", i+1, err)
		}
	}
}

// TestBuildRefusesOut checks that the build never replaces the project with the
// site: an output directory that is, or holds, the project root is refused.
func TestBuildRefusesOut(t *testing.T) {
	root := copyInputs(t, false)
	tests := []struct{ name, out string }{
		{"none", ""},
		{"the project", root},
		{"the project, with a slash", root + string(filepath.Separator)},
		{"the project's parent", filepath.Dir(root)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config(t, root)
			cfg.Out = tt.out
			if _, err := Build(cfg); err == nil {
				t.Fatalf("the build into %q succeeded", tt.out)
			} else {
				t.Logf("error: %v", err)
			}
			for _, p := range []string{"index.html", "assets/app.css"} {
				if _, err := os.Stat(filepath.Join(root, p)); err != nil {
					t.Errorf("the project lost %s: %v", p, err)
				}
			}
		})
	}
}

// TestBuildPutsTheEnglishWordsInThePage checks that the page holds the default
// language's file whole (the page explores and names what it shows without
// fetching it), and that no string in it can end its script element.
func TestBuildPutsTheEnglishWordsInThePage(t *testing.T) {
	root := copyInputs(t, false)
	en := readFile(t, root, "assets/lang/en.json")
	const trick = `</script><script>alert(1)</script> & <!--`
	en = bytes.Replace(en, []byte(`"summary": "At the centre,`), []byte(`"summary": "`+strings.ReplaceAll(trick, `"`, `\"`)+` At the centre,`), 1)
	writeFile(t, root, "assets/lang/en.json", en)
	cfg := config(t, root)
	mustBuild(t, cfg)
	page := readFile(t, cfg.Out, "index.html")
	m := regexp.MustCompile(`<script type="?application/json"? id="?words"? data-lang="?en"?>([^<]*)</script>`).FindSubmatch(page)
	if m == nil {
		t.Fatal("the page has no words element, or something in it ended the element early")
	}
	var inPage, file map[string]any
	if err := json.Unmarshal(m[1], &inPage); err != nil {
		t.Fatalf("the page's words are not JSON: %v", err)
	}
	if err := json.Unmarshal(en, &file); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(inPage, file) {
		t.Error("the page's words are not assets/lang/en.json")
	}
	if !strings.HasPrefix(inPage["summary"].(string), trick) {
		t.Errorf("summary %q", inPage["summary"])
	}
}
