package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The program is compiled and first run in the page's worker (assets/warm.js),
// off the main thread: the page's run starts once the warm-up run's main has
// started (every package initialised, so compiled), and it draws as ever.
func TestProgramWarmedUpInAWorker(t *testing.T) {
	tb := open(t, mainServer(t)+"?paused=1", 1280, 720)
	tb.waitReady()
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
	// One download of the program, not one for the page and one for the worker.
	if n := eval[int](tb, `performance.getEntriesByType('resource').filter((r) => /main\.[0-9a-f]+\.wasm/.test(r.name)).length`); n != 1 {
		t.Errorf("the program was downloaded %d times", n)
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
}

// When the worker cannot start (its script does not load), the page compiles and
// runs the program by itself.
func TestProgramStartsWithoutTheWorker(t *testing.T) {
	tb := open(t, "", 1280, 720)
	if err := chromedp.Listen(tb.ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			go chromedp.Call(tb.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: e.RequestID, ErrorReason: network.ErrorReasonConnectionFailed})
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tb.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/assets/warm.*"}}}); err != nil {
		t.Fatal(err)
	}
	tb.navigate(mainServer(t) + "?paused=1")
	tb.waitReady()
	if eval[bool](tb, `performance.getEntriesByName('diagram-warm-started').length > 0`) {
		t.Error("the warm-up run started although its script could not load")
	}
	if n := distinctColors(tb.screenshot("no-worker")); n < 40 {
		t.Errorf("the picture has %d colours", n)
	}
}
