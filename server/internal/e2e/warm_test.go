package e2e

import (
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// programFetches is a JavaScript expression: the resource timings of the program's
// downloads, by the page and by the warm-up worker (a worker's are not the page's:
// it reports them as the detail of 'diagram-worker-fetched' marks), each with
// byWorker set for the worker's.
const programFetches = `[...performance.getEntriesByType('resource').map((r) => ({ name: r.name, byWorker: false })),
	...performance.getEntriesByName('diagram-worker-fetched').flatMap((m) => m.detail).map((r) => ({ name: r.name, byWorker: true }))]
	.filter((r) => /main\.[0-9a-f]+\.wasm/.test(r.name))`

// failRequests makes the first n requests that match pattern (all of them for n < 0)
// fail as a dropped connection would, and lets the rest go on.
func failRequests(tb *tab, pattern string, n int) {
	tb.t.Helper()
	var mu sync.Mutex
	failed := 0
	if err := chromedp.Listen(tb.ctx, func(ev any) {
		e, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		mu.Lock()
		fail := n < 0 || failed < n
		failed++
		mu.Unlock()
		if fail {
			go chromedp.Call(tb.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: e.RequestID, ErrorReason: network.ErrorReasonConnectionFailed})
			return
		}
		go chromedp.Call(tb.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: e.RequestID})
	}); err != nil {
		tb.t.Fatal(err)
	}
	if _, err := chromedp.Call(tb.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: pattern}}}); err != nil {
		tb.t.Fatal(err)
	}
}

// programDownloads counts the program's downloads by the page and by the worker.
func programDownloads(tb *tab) (byPage, byWorker int) {
	tb.t.Helper()
	byPage = eval[int](tb, programFetches+`.filter((r) => !r.byWorker).length`)
	byWorker = eval[int](tb, programFetches+`.filter((r) => r.byWorker).length`)
	return
}

// noHandOver is a script that takes from the page the means of handing a canvas
// to a worker, as in a browser without it: the page then runs the program itself.
const noHandOver = `delete HTMLCanvasElement.prototype.transferControlToOffscreen;`

// The program runs in the page's worker (assets/warm.js): the worker downloads and
// compiles it, the page hands it the canvas, and it draws there; the page's main
// thread runs none of it, so a click is answered at once while it starts.
func TestProgramRunsInTheWorker(t *testing.T) {
	tb := open(t, mainServer(t)+"?paused=1", 1280, 720)
	tb.waitReady()
	tb.wait(`performance.getEntriesByName('diagram-first-frame').length > 0`) // left a frame after
	marks := eval[map[string]float64](tb, `Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]))`)
	for _, m := range []string{"diagram-wasm-compiled", "diagram-go-run", "diagram-first-frame"} {
		if _, ok := marks[m]; !ok {
			t.Fatalf("no %s mark (%v)", m, marks)
		}
	}
	if !eval[bool](tb, `performance.getEntriesByName('diagram-go-run')[0].detail.worker === true`) {
		t.Fatal("the program ran on the page's main thread, not in the worker")
	}
	if _, ok := marks["diagram-warm-started"]; ok {
		t.Error("a warm-up run started although the program runs in the worker")
	}
	// The canvas in the page is the one handed over: the page cannot draw on it.
	if got := eval[string](tb, `(() => { try { document.querySelector('#main > canvas').getContext('2d'); return 'drawable'; } catch (e) { return e.name; } })()`); got != "InvalidStateError" {
		t.Errorf("the page's canvas was not handed over (getContext: %s)", got)
	}
	if byPage, byWorker := programDownloads(tb); byPage != 0 || byWorker != 1 {
		t.Errorf("the program was downloaded %d times by the page and %d by the worker, want 0 and 1", byPage, byWorker)
	}
	if p := eval[float64](tb, `parseFloat(document.getElementById('loader-bar').style.width) || 0`); p < 99 {
		t.Errorf("the loading bar stopped at %.0f%%", p)
	}
	tb.noConsoleErrors()
	if n := distinctColors(tb.screenshot("worker")); n < 40 {
		t.Errorf("the picture has %d colours", n)
	}
	// The program's memory reaches the page (the worker sends it).
	tb.wait(`window.diagramBridge.memory() > 1e6`)
	// Its frames are counted where it draws.
	if fps := eval[float64](tb, `window.diagramBridge.command('play'), window.diagramBridge.countFrames(1000)`); fps <= 0 {
		t.Errorf("the program drew %.1f frames a second in the worker", fps)
	}
}

// Where a canvas cannot be handed to a worker, the program is compiled and first
// run in the worker, off the main thread: the page's run starts once the warm-up
// run's main has started (every package initialised, so compiled), and it draws as
// ever.
func TestProgramWarmedUpInAWorker(t *testing.T) {
	tb := open(t, mainServer(t)+"?paused=1", 1280, 720, withScript(noHandOver))
	tb.waitReady()
	tb.wait(`performance.getEntriesByName('diagram-first-frame').length > 0`) // left a frame after
	marks := eval[map[string]float64](tb, `Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]))`)
	for _, m := range []string{"diagram-wasm-compiled", "diagram-warm-started", "diagram-go-run", "diagram-first-frame"} {
		if _, ok := marks[m]; !ok {
			t.Fatalf("no %s mark: the program did not go through the worker (%v)", m, marks)
		}
	}
	if marks["diagram-go-run"] < marks["diagram-warm-started"] || marks["diagram-warm-started"] < marks["diagram-wasm-compiled"] {
		t.Errorf("out of order: compiled %.0f, warm-up's main %.0f, page's run %.0f ms",
			marks["diagram-wasm-compiled"], marks["diagram-warm-started"], marks["diagram-go-run"])
	}
	if eval[bool](tb, `performance.getEntriesByName('diagram-go-run')[0].detail.worker`) {
		t.Error("the program ran in the worker, though the page cannot hand it the canvas")
	}
	// One download of the program, by the worker: its bytes never reach the page's
	// main thread.
	if byPage, byWorker := programDownloads(tb); byPage != 0 || byWorker != 1 {
		t.Errorf("the program was downloaded %d times by the page and %d by the worker, want 0 and 1", byPage, byWorker)
	}
	// The progress bar followed the worker's download to the end.
	if p := eval[float64](tb, `parseFloat(document.getElementById('loader-bar').style.width) || 0`); p < 99 {
		t.Errorf("the loading bar stopped at %.0f%%", p)
	}
	for _, w := range tb.consoleWarnings() {
		if strings.Contains(w, "warm-up") {
			t.Errorf("the warm-up run failed: %s", w)
		}
	}
	tb.noConsoleErrors()
	if n := distinctColors(tb.screenshot("warm-up")); n < 40 {
		t.Errorf("the picture has %d colours", n)
	}
	// The canvas answers the pointer on the main thread too.
	s, _ := model(t, tb)
	brain := probesOf(s)["connectivism"]
	tb.do(chromedp.MouseClickXY(brain.X, brain.Y))
	tb.wait(`document.getElementById('panel-title').textContent.includes('Connectivism')`)
}

// When the worker cannot start (its script does not load), the page compiles and
// runs the program by itself.
func TestProgramStartsWithoutTheWorker(t *testing.T) {
	tb := open(t, "", 1280, 720)
	failRequests(tb, "*/assets/warm.*", -1)
	tb.navigate(mainServer(t) + "?paused=1")
	tb.waitReady()
	if eval[bool](tb, `performance.getEntriesByName('diagram-warm-started').length > 0`) {
		t.Error("the warm-up run started although its script could not load")
	}
	if n := distinctColors(tb.screenshot("no-worker")); n < 40 {
		t.Errorf("the picture has %d colours", n)
	}
	if byPage, byWorker := programDownloads(tb); byPage != 1 || byWorker != 0 {
		t.Errorf("the program was downloaded %d times by the page and %d by the worker, want 1 and 0", byPage, byWorker)
	}
}

// When the worker cannot download the program (here its request fails), the page
// downloads it itself, says why in the console, and draws.
func TestProgramDownloadedByThePageWhenTheWorkerCannot(t *testing.T) {
	tb := open(t, "", 1280, 720)
	failRequests(tb, "*.wasm*", 1) // the worker's asks first
	tb.navigate(mainServer(t) + "?paused=1")
	tb.waitReady()
	if byPage, byWorker := programDownloads(tb); byPage != 1 || byWorker != 0 {
		t.Errorf("the program was downloaded %d times by the page and %d by the worker, want 1 and 0", byPage, byWorker)
	}
	said := false
	for _, w := range tb.consoleWarnings() {
		said = said || strings.Contains(w, "could not download the program")
	}
	if !said {
		t.Errorf("the console does not say that the worker could not download the program: %q", tb.consoleWarnings())
	}
	if n := distinctColors(tb.screenshot("worker-no-download")); n < 40 {
		t.Errorf("the picture has %d colours", n)
	}
}
