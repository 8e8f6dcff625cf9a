package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/connectedlearning/diagram/server/internal/site"
)

var (
	root       string // the repository
	siteDir    string // the built site under test
	serverBin  string // the server binary under test
	artifacts  string // where screenshots go
	browserCtx context.Context
	skipReason string
	mainURL    string
	mainOnce   sync.Once
	shared     *server // the server behind mainURL
)

func TestMain(m *testing.M) {
	code := func() int {
		var err error
		root, err = findRoot()
		if err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err)
			return 1
		}
		artifacts = filepath.Join(root, "dist", "test-artifacts")
		os.MkdirAll(artifacts, 0o755)
		chrome := findChrome()
		if chrome == "" {
			if os.Getenv("CI") == "true" {
				fmt.Fprintln(os.Stderr, "e2e: Chromium is not installed, and CI=true requires the browser tests: apt-get install -y chromium")
				return 1
			}
			skipReason = "Chromium is not installed (apt-get install -y chromium): browser tests skipped"
			fmt.Fprintln(os.Stderr, "e2e: NOTE:", skipReason)
			return m.Run()
		}
		tmp, err := os.MkdirTemp("", "diagram-e2e-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err)
			return 1
		}
		defer os.RemoveAll(tmp)
		siteDir = os.Getenv("DIAGRAM_SITE")
		if siteDir == "" {
			siteDir = filepath.Join(tmp, "site")
			fmt.Fprintln(os.Stderr, "e2e: building the site (set DIAGRAM_SITE to reuse one)")
			if _, err := site.Build(site.Config{Root: root, Out: siteDir, Cache: filepath.Join(root, ".cache", "compress"), Quality: site.Dev}); err != nil {
				fmt.Fprintln(os.Stderr, "e2e: building the site:", err)
				return 1
			}
		}
		serverBin = filepath.Join(tmp, "server")
		cmd := exec.Command("go", "build", "-o", serverBin, "./server")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: building the server: %v\n%s", err, out)
			return 1
		}
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(chrome),
			chromedp.Flag("headless", true),
			chromedp.Flag("no-sandbox", true),
			chromedp.Flag("disable-gpu", true),
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("no-first-run", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("enable-unsafe-swiftshader", true),
			chromedp.Flag("hide-scrollbars", true),
			chromedp.Flag("mute-audio", true),
			chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
			chromedp.UserDataDir(filepath.Join(tmp, "profile")),
		)
		defer cancelAlloc()
		var cancel context.CancelFunc
		browserCtx, cancel = chromedp.NewContext(alloc)
		defer cancel()
		if err := chromedp.Do(browserCtx); err != nil {
			fmt.Fprintln(os.Stderr, "e2e: starting Chromium:", err)
			return 1
		}
		code := m.Run()
		if shared != nil {
			shared.stop()
		}
		return code
	}()
	os.Exit(code)
}

func findRoot() (string, error) {
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("go.mod not found above the test")
		}
		dir = parent
	}
}

func findChrome() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

func needBrowser(t *testing.T) {
	t.Helper()
	if skipReason != "" {
		t.Skip(skipReason)
	}
}

// server is a running server process.
type server struct {
	URL string
	cmd *exec.Cmd
	out *bytes.Buffer
}

// startServer runs the server binary on a free loopback port and stops it (with
// SIGTERM, as a service manager would) when the test ends.
func startServer(t *testing.T, dir string, args ...string) *server {
	t.Helper()
	needBrowser(t) // the server and the site are built only when the browser is there
	s, err := launch(dir, args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.stop)
	return s
}

// launch runs the server binary on a free loopback port; the caller stops it.
func launch(dir string, args ...string) (*server, error) {
	args = append([]string{"-addr", "127.0.0.1:0", "-dir", dir, "-access-log=false"}, args...)
	cmd := exec.Command(serverBin, args...)
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, out: &stderr}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("server did not start: %v\n%s", err, stderr.String())
	}
	go io.Copy(io.Discard, stdout)
	for _, f := range strings.Fields(line) {
		if strings.HasPrefix(f, "http://") {
			s.URL = f
		}
	}
	if s.URL == "" {
		s.stop()
		return nil, fmt.Errorf("server printed no URL: %q", line)
	}
	return s, nil
}

func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
	}
}

// mainServer is one server for the unmodified site, shared by the tests: it
// lives until TestMain stops it, after the last test.
func mainServer(t *testing.T) string {
	t.Helper()
	needBrowser(t)
	mainOnce.Do(func() {
		var err error
		if shared, err = launch(siteDir); err != nil {
			t.Log(err)
			return
		}
		mainURL = shared.URL
	})
	if mainURL == "" {
		t.Fatal("the shared server did not start")
	}
	return mainURL
}

// tab is one browser tab showing a page under test.
type tab struct {
	t       *testing.T
	ctx     context.Context
	mu      sync.Mutex
	console []chromedp.ConsoleMessage
	w, h    int
	dpr     float64
	alone   bool     // in a browser context of its own
	scripts []string // run in every document before its own scripts
}

type tabOption func(*tab)

func withDPR(d float64) tabOption { return func(tb *tab) { tb.dpr = d } }

// alone opens the tab in a browser context of its own (its own storage and network
// conditions, like another person's device).
func alone() tabOption { return func(tb *tab) { tb.alone = true } }

// withScript runs src in every document of the tab before the page's own scripts.
func withScript(src string) tabOption {
	return func(tb *tab) { tb.scripts = append(tb.scripts, src) }
}

// inBrowser opens the tab in another browser than the shared one.
func inBrowser(ctx context.Context) tabOption { return func(tb *tab) { tb.ctx = ctx } }

// open opens url in a new tab of w×h CSS pixels, with focus emulated (headless
// windows are never focused otherwise) and the console recorded.
func open(t *testing.T, url string, w, h int, opts ...tabOption) *tab {
	t.Helper()
	needBrowser(t)
	tb := &tab{t: t, ctx: browserCtx, w: w, h: h, dpr: 1}
	for _, o := range opts {
		o(tb)
	}
	var ctxOpts []chromedp.ContextOption
	if tb.alone {
		ctxOpts = append(ctxOpts, chromedp.WithNewBrowserContext())
	}
	ctx, cancel := chromedp.NewContext(tb.ctx, ctxOpts...)
	t.Cleanup(cancel)
	tb.ctx = ctx
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			tb.mu.Lock()
			tb.console = append(tb.console, m)
			tb.mu.Unlock()
		}
	}()
	if _, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(w), int64(h), chromedp.EmulateScale(tb.dpr))); err != nil {
		t.Fatal(err)
	}
	for _, src := range tb.scripts {
		if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src}); err != nil {
			t.Fatal(err)
		}
	}
	if url != "" {
		tb.navigate(url)
	}
	return tb
}

func (tb *tab) navigate(url string) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, chromedp.Navigate(url)); err != nil {
		tb.t.Fatalf("navigate %s: %v", url, err)
	}
}

// patience bounds every wait of the suite on the page. Waits end as soon as their
// condition holds; the bound only ends a test whose condition never will, and is
// long enough for a busy two-core machine.
const patience = 2 * time.Minute

// eval evaluates a JavaScript expression in the page (promises awaited).
func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, patience)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("eval %s: %v", js, err)
	}
	return v
}

// wait polls a JavaScript condition until it is true.
func (tb *tab) wait(js string) { tb.t.Helper(); tb.waitFor(js, patience) }

// waitFor polls a JavaScript condition until it is true, for at most timeout.
func (tb *tab) waitFor(js string, timeout time.Duration) {
	tb.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ctx, cancel := context.WithTimeout(tb.ctx, patience)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+js+")"))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			tb.t.Fatalf("waited %v for %s (last error %v)\nconsole:\n%s", timeout, js, err, tb.consoleText())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// settled is true once no CSS transition or animation runs (the placeholder's
// fade, a sheet sliding in).
const settled = `document.getAnimations().every(a => a.playState !== 'running')`

// waitReady waits for the first frame of the live canvas and for the placeholder
// to have faded out.
func (tb *tab) waitReady() {
	tb.t.Helper()
	tb.waitFor(`document.getElementById('app').dataset.state === 'ready'`, 3*time.Minute)
	tb.wait(settled)
}

// elapse lets time pass, for the tests of what happens, or must not, over a time
// (frames a second apart); never to wait for the page to do something.
func (tb *tab) elapse(d time.Duration) { time.Sleep(d) }

// waitRest waits until the program is at rest: paused or still, with nothing left
// to draw, so that the picture no longer changes.
func (tb *tab) waitRest() {
	tb.t.Helper()
	tb.wait(`document.getElementById('app').dataset.resting === 'true'`)
}

// waitPicture takes screenshots until ok holds for one, and returns it.
func (tb *tab) waitPicture(name string, ok func(image.Image) bool) image.Image {
	tb.t.Helper()
	deadline := time.Now().Add(patience)
	for {
		img := tb.screenshot("")
		if ok(img) {
			if name != "" {
				tb.screenshot(name)
			}
			return img
		}
		if time.Now().After(deadline) {
			tb.t.Fatalf("waited %v for the picture (%s)\nconsole:\n%s", patience, name, tb.consoleText())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitUntil polls a condition of the test's own (the console it recorded, say).
func (tb *tab) waitUntil(what string, ok func() bool) {
	tb.t.Helper()
	deadline := time.Now().Add(patience)
	for !ok() {
		if time.Now().After(deadline) {
			tb.t.Fatalf("waited %v for %s\nconsole:\n%s", patience, what, tb.consoleText())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, patience)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.t.Fatal(err)
	}
}

// screenshot captures the tab, saves it as an artifact and returns it decoded.
func (tb *tab) screenshot(name string) image.Image {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, patience)
	defer cancel()
	res, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{Format: page.CaptureScreenshotFormatPng})
	if err != nil {
		tb.t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(res.Data))
	if err != nil {
		tb.t.Fatal(err)
	}
	if name != "" {
		os.WriteFile(filepath.Join(artifacts, name+".png"), res.Data, 0o644)
	}
	return img
}

func (tb *tab) consoleText() string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	var b strings.Builder
	for _, m := range tb.console {
		b.WriteString(m.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// consoleErrors returns the console's errors and uncaught exceptions.
func (tb *tab) consoleErrors() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	var out []string
	for _, m := range tb.console {
		// A static host has no live classroom: it answers the page's question
		// (GET live/info) with 404, which the browser logs; that is the answer.
		if m.Source == "network" && strings.HasSuffix(strings.SplitN(m.URL, "?", 2)[0], "/live/info") && strings.Contains(m.Text, "404") {
			continue
		}
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
			out = append(out, m.String())
		}
	}
	return out
}

func (tb *tab) consoleWarnings() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	var out []string
	for _, m := range tb.console {
		if m.Type == chromedp.ConsoleWarning {
			out = append(out, m.Text)
		}
	}
	return out
}

// noConsoleErrors fails the test if the page logged an error.
func (tb *tab) noConsoleErrors() {
	tb.t.Helper()
	if es := tb.consoleErrors(); len(es) > 0 {
		tb.t.Errorf("the console has errors:\n%s", strings.Join(es, "\n"))
	}
}

// click clicks at CSS pixel (x, y) with the mouse, as a person would.
//
// The button is held down until the page has drawn a frame, as a person's click
// (50-150 ms) is: the program reads the button once a frame, so a press and a
// release within one frame, which only a machine makes, go unseen on a machine
// slow enough that a frame takes longer than the two events.
func (tb *tab) click(x, y float64) {
	tb.t.Helper()
	tb.do(chromedp.MouseEvent(chromedp.MousePressed, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)))
	eval[bool](tb, `new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))`)
	tb.do(chromedp.MouseEvent(chromedp.MouseReleased, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)))
}

// distinctColors counts the distinct colours in a screenshot (coarsely), to tell
// a drawn picture from a blank or flat one.
func distinctColors(img image.Image) int {
	seen := map[[3]uint8]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint8{uint8(r >> 12), uint8(g >> 12), uint8(bl >> 12)}] = true
		}
	}
	return len(seen)
}

func rgb(c color.Color) (float64, float64, float64) {
	r, g, b, _ := c.RGBA()
	return float64(r >> 8), float64(g >> 8), float64(b >> 8)
}

func samePicture(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	bd := a.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

// frameTab attaches to the iframe of tb whose address starts with prefix. The
// host pages of the tests are on another site, so the frame is a target of its own.
func frameTab(t *testing.T, tb *tab, prefix string) *tab {
	t.Helper()
	deadline := time.Now().Add(patience)
	for time.Now().Before(deadline) {
		infos, err := chromedp.Targets(tb.ctx)
		if err != nil {
			t.Fatal(err)
		}
		// The page may rewrite its own address (the step, the language); a test's
		// unique marker survives that.
		marker := prefix
		if i := strings.Index(prefix, "test="); i >= 0 {
			marker = prefix[i:]
		}
		for _, in := range infos {
			if in.Type == "iframe" && strings.Contains(in.URL, marker) {
				ctx, cancel := chromedp.NewContext(tb.ctx, chromedp.WithTargetID(in.TargetID))
				t.Cleanup(cancel)
				fr := &tab{t: t, ctx: ctx, dpr: 1}
				msgs := chromedp.Console(ctx)
				go func() {
					for m, err := range msgs {
						if err != nil {
							return
						}
						fr.mu.Lock()
						fr.console = append(fr.console, m)
						fr.mu.Unlock()
					}
				}()
				return fr
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no frame at %s", prefix)
	return nil
}
