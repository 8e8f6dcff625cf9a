package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// browserRows measures in headless Chromium: cold-load bytes, time to first frame,
// frame rate while animating, and CPU while paused against while animating.
func (b *bench) browserRows(want func(string) bool) []Row {
	profile := filepath.Join(b.tmp, "chromium-profile")
	chrome, err := exec.LookPath("chromium")
	if err != nil {
		fatal("chromium is not installed")
	}
	alloc, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chrome),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.Flag("hide-scrollbars", true), chromedp.UserDataDir(profile),
	)
	defer cancel()
	bctx, cancel2 := chromedp.NewContext(alloc)
	defer cancel2()
	if err := chromedp.Do(bctx); err != nil {
		fatal(err)
	}
	var rows []Row

	if want("download") || want("ttff") || want("explore") || want("tbt") {
		var oursBytes []float64
		var oursT, floorT, pageT, explT, paintT []float64
		var oursLong, oursTBT, floorTBT, pageTBT []float64
		for i := 0; i < b.runs; i++ {
			log.Printf("cold loads: run %d of %d", i+1, b.runs)
			f := coldLoad(bctx, b.floorU, false)
			fp := coldLoad(bctx, b.floorPg+"?motion=full", false)
			o := coldLoad(bctx, b.ours+"?motion=full", false)
			e := coldLoad(bctx, b.ours+"?motion=full", true)
			oursBytes = append(oursBytes, o.bytes)
			oursT, floorT, pageT = append(oursT, o.firstFrame), append(floorT, f.firstFrame), append(pageT, fp.firstFrame)
			explT, paintT = append(explT, e.explorable), append(paintT, o.paint)
			oursLong, oursTBT = append(oursLong, o.longest), append(oursTBT, o.tbt)
			floorTBT, pageTBT = append(floorTBT, f.tbt), append(pageTBT, fp.tbt)
		}
		floorBr := b.floorBrotli()
		f := median(floorT)
		if want("download") {
			v := median(oursBytes)
			rows = append(rows, Row{Name: "Download (cold load, all responses)", Unit: "bytes", Baseline: "floor program, brotli 11", Base: floorBr, Value: v, Ratio: v / floorBr, Target: "<= 1.10", Pass: v/floorBr <= 1.10,
				Note: "bytes the browser reports transferred for the page and every file it and its worker load, headers included"})
		}
		if want("explore") {
			x := median(explT)
			rows = append(rows, Row{Name: "Time to explorable", Unit: "ms", Baseline: "floor program's first frame", Base: f, Value: x, Ratio: x / f, Target: "<= 0.25", Pass: x/f <= 0.25,
				Note: fmt.Sprintf("cold load, cache off: navigation start until a click on the Community of Practice (on the placeholder, as a person clicks: the element at a point of its band) shows its panel; %s ms", list(explT))})
			p := median(paintT)
			rows = append(rows, Row{Name: "First paint of the diagram", Unit: "ms", Baseline: "floor program's first frame", Base: f, Value: p, Ratio: p / f, Target: "<= 0.20", Pass: p/f <= 0.20,
				Note: fmt.Sprintf("cold load: navigation start to the first frame in which the placeholder picture is laid out; %s ms", list(paintT))})
		}
		if want("ttff") {
			o, pg := median(oursT), median(pageT)
			rows = append(rows, Row{Name: "Live first frame", Unit: "ms", Baseline: "floor program, same server", Base: f, Value: o, Ratio: o / f, Target: "<= 1.5", Pass: o/f <= 1.5,
				Note: fmt.Sprintf("navigation start to the program's first drawn frame, cold cache; diagram %s ms, floor %s ms", list(oursT), list(floorT))})
			rows = append(rows, Row{Name: "Live first frame", Unit: "ms", Baseline: "floor program in this page and loader", Base: pg, Value: o, Ratio: o / pg, Target: "<= 1.15", Pass: o/pg <= 1.15,
				Note: fmt.Sprintf("the floor started by this project's page (controls, panel, labels, placeholder, loader) with a bridge that answers its hooks: what the program itself costs; floor in the page %s ms", list(pageT))})
		}
		if want("tbt") {
			tb := median(oursTBT)
			rows = append(rows, Row{Name: "Total blocking time, navigation to live first frame", Unit: "ms", Baseline: "budget", Base: 200, Value: tb, Ratio: tb / 200, Target: "< 1", Pass: tb < 200,
				Note: fmt.Sprintf("sum over long tasks (PerformanceObserver longtask) of their time past 50 ms; diagram %s ms; the floor %s ms, the floor in this page %s ms", list(oursTBT), list(floorTBT), list(pageTBT))})
			lt := median(oursLong)
			rows = append(rows, Row{Name: "Longest task, navigation to live first frame", Unit: "ms", Baseline: "info", Value: lt, Info: true,
				Note: fmt.Sprintf("diagram %s ms", list(oursLong))})
		}
	}
	if want("fps") {
		var o, f, oe, fe []float64
		for i := 0; i < b.runs; i++ {
			log.Printf("frame rate: run %d of %d", i+1, b.runs)
			e, v := frameRate(bctx, b.floorU)
			fe, f = append(fe, e), append(f, v)
			e, v = frameRate(bctx, b.ours+"?motion=full")
			oe, o = append(oe, e), append(o, v)
		}
		ov, fv := median(o), median(f)
		rows = append(rows, Row{Name: "Frame rate at 1280×720, animating", Unit: "fps", Baseline: "floor program", Base: fv, Value: ov, Ratio: ov / fv, Target: ">= 0.9", Pass: ov/fv >= 0.9,
			Note: "steady motion, 6-11 s after the first frame; SwiftShader (software WebGL), so relative only; diagram " + list(o) + ", floor " + list(f)})
		ov, fv = median(oe), median(fe)
		rows = append(rows, Row{Name: "Frame rate at 1280×720, the start settling", Unit: "fps", Baseline: "floor program", Base: fv, Value: ov, Ratio: ov / fv, Info: true,
			Note: "1-6 s after the first frame (placeholder handed over, labels placed, hot code recompiled); diagram " + list(oe) + ", floor " + list(fe)})
	}
	if want("idle") {
		var paused, playing []float64
		for i := 0; i < b.runs; i++ {
			log.Printf("idle cost: run %d of %d", i+1, b.runs)
			playing = append(playing, cpuOver(bctx, profile, b.ours+"?motion=full", 5*time.Second))
			paused = append(paused, cpuOver(bctx, profile, b.ours+"?paused=1", 5*time.Second))
		}
		p, a := median(paused), median(playing)
		rows = append(rows, Row{Name: "Idle cost: CPU over 5 s", Unit: "cpu", Baseline: "same page animating", Base: a, Value: p, Ratio: p / a, Target: "<= 0.10", Pass: p/a <= 0.10,
			Note: "CPU time of all Chromium processes (renderer and GPU) over 5 s, paused against animating"})
	}
	return rows
}

func list(xs []float64) string {
	var s []string
	for _, x := range xs {
		s = append(s, strconv.FormatFloat(x, 'f', 0, 64))
	}
	return strings.Join(s, ", ")
}

// floorBrotli is the floor program's wasm at brotli quality 11 (the build's sibling).
func (b *bench) floorBrotli() float64 {
	st, err := os.Stat(filepath.Join(b.floor, "floor.wasm.br"))
	if err != nil {
		data, _ := os.ReadFile(filepath.Join(b.floor, "floor.wasm"))
		var n countWriter
		w := brotli.NewWriterLevel(&n, 11)
		w.Write(data)
		w.Close()
		return float64(n)
	}
	return float64(st.Size())
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

func newTab(bctx context.Context, w, h int) (context.Context, context.CancelFunc) {
	ctx, cancel := chromedp.NewContext(bctx)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(w), int64(h))); err != nil {
		fatal(err)
	}
	chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
	return ctx, cancel
}

func evalT[T any](ctx context.Context, js string) T {
	c, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(c, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		fatalf("evaluating %s: %v", js, err)
	}
	return v
}

const waitFirstFrame = `new Promise(resolve => { const f = () => { const m = performance.getEntriesByName('diagram-first-frame'); if (m.length) resolve(m[0].startTime); else setTimeout(f, 20); }; f(); })`

// probeScript runs in every page the bench loads, before the page's own scripts:
// it records long tasks, and the first frame in which the placeholder picture is
// laid out (rAF runs just before that frame is painted).
const probeScript = `(() => {
  const m = window.__bench = { longtasks: [], paint: 0, explorable: 0 };
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) m.longtasks.push([e.startTime, e.duration]); })
      .observe({ type: 'longtask', buffered: true });
  } catch (e) { /* no long task timing */ }
  const raf = window.requestAnimationFrame.bind(window);
  const look = (t) => {
    const svg = document.querySelector('#placeholder svg');
    if (svg && svg.getBoundingClientRect().width > 0) { m.paint = t; return; }
    raf(look);
  };
  raf(look);
})();`

// exploreScript clicks the Community of Practice on the placeholder as soon as it
// can, and again until its panel shows: each try takes the element at a point of
// the ring's band (between its people, near its edges: its middle is all hands)
// and clicks it, as a person would.
const exploreScript = `(() => {
  const m = window.__bench;
  const title = 'Community of Practice';
  const tryClick = () => {
    try { once(); } catch (e) { m.error = String(e); }
    if (!m.explorable) setTimeout(tryClick, 5);
  };
  const once = () => {
    const band = document.querySelector('#placeholder svg.ph-dark g[data-part="cop"]:not([data-member]) circle');
    const ctm = band && band.getScreenCTM();
    if (ctm) {
      const cx = band.cx.baseVal.value, cy = band.cy.baseVal.value, sw = parseFloat(band.getAttribute('stroke-width')) || 0;
      for (let k = 0; k < 4 * 52; k++) {
        const a = (k % 52) * 7, rad = band.r.baseVal.value + sw * [-0.4, 0.4, -0.25, 0.25][k / 52 | 0];
        const p = new DOMPoint(cx + rad * Math.cos(a * Math.PI / 180), cy + rad * Math.sin(a * Math.PI / 180)).matrixTransform(ctm);
        const x = p.x, y = p.y;
        const el = document.elementFromPoint(x, y);
        const g = el && el.closest('[data-part]');
        if (g && g.getAttribute('data-part') === 'cop' && !g.hasAttribute('data-member')) {
          el.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: x, clientY: y }));
          const t = document.getElementById('panel-title');
          if (t && t.textContent.includes(title)) m.explorable = performance.now();
          return;
        }
        m.seen = (el ? el.tagName + ':' + (g ? g.getAttribute('data-part') + '/' + g.getAttribute('data-member') : '') : 'none');
      }
    }
  };
  tryClick();
})();`

type load struct {
	bytes, firstFrame float64
	paint, explorable float64
	longest, tbt      float64
}

// coldLoad loads url with an empty cache and returns the bytes transferred, the
// time of the first frame, of the placeholder's first paint, of the first click
// that worked (explore), and the long tasks before the first frame.
func coldLoad(bctx context.Context, url string, explore bool) load {
	ctx, cancel := newTab(bctx, 1280, 720)
	defer cancel()
	chromedp.Call(ctx, network.Enable, network.EnableParams{})
	chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
	chromedp.Call(ctx, network.ClearBrowserCache, cdp.Empty{})
	src := probeScript
	if explore {
		src += exploreScript
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src}); err != nil {
		fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		fatal(err)
	}
	var l load
	l.firstFrame = evalT[float64](ctx, waitFirstFrame)
	if explore {
		l.explorable = evalT[float64](ctx, `new Promise(resolve => { const f = () => { if (window.__bench.explorable) resolve(window.__bench.explorable); else setTimeout(f, 20); }; f(); })`)
	}
	time.Sleep(500 * time.Millisecond) // let late resources finish
	// The page's resource timings, and the warm-up worker's, which are not the
	// page's (it reports them: see early.js).
	l.bytes = evalT[float64](ctx, `(() => { const n = performance.getEntriesByType('navigation')[0]; const sum = (l) => l.reduce((s, r) => s + r.transferSize, 0);
		return n.transferSize + sum(performance.getEntriesByType('resource')) + sum(performance.getEntriesByName('diagram-worker-fetched').flatMap((m) => m.detail)); })()`)
	l.paint = evalT[float64](ctx, `window.__bench.paint`)
	lt := evalT[[][2]float64](ctx, `window.__bench.longtasks`)
	for _, t := range lt {
		if t[0] >= l.firstFrame {
			continue
		}
		l.longest = max(l.longest, t[1])
		l.tbt += max(0, t[1]-50)
	}
	return l
}

// frameRate counts animation frames over two windows of five seconds: from one
// second after the program's first frame (the start still settling: the
// placeholder handed over, the labels placed, hot code recompiled), and from
// five seconds after it, in steady motion.
func frameRate(bctx context.Context, url string) (early, steady float64) {
	ctx, cancel := newTab(bctx, 1280, 720)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		fatal(err)
	}
	evalT[float64](ctx, waitFirstFrame)
	time.Sleep(time.Second)
	// Where the program draws in the page's worker, its frames are the worker's
	// animation frames, which the page counts there (countFrames); the floor's are
	// the page's own.
	const count = `(window.diagramBridge && diagramBridge.countFrames) ? diagramBridge.countFrames(5000) : new Promise(resolve => { let n = 0; const t0 = performance.now(); const f = () => { n++; if (performance.now() - t0 < 5000) requestAnimationFrame(f); else resolve(n * 1000 / (performance.now() - t0)); }; requestAnimationFrame(f); })`
	early = evalT[float64](ctx, count)
	return early, evalT[float64](ctx, count)
}

// cpuOver returns the CPU seconds all of this browser's processes use over d,
// with url open and drawn.
func cpuOver(bctx context.Context, profile, url string, d time.Duration) float64 {
	ctx, cancel := newTab(bctx, 1280, 720)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		fatal(err)
	}
	evalT[float64](ctx, waitFirstFrame)
	time.Sleep(1500 * time.Millisecond) // settle: the first frames, the placeholder fading
	before := browserCPU(profile)
	time.Sleep(d)
	return browserCPU(profile) - before
}

// browserCPU sums user and system CPU seconds of every process started with this
// profile directory.
func browserCPU(profile string) float64 {
	procs, _ := filepath.Glob("/proc/[0-9]*")
	tck := 100.0 // USER_HZ on Linux
	var total float64
	for _, p := range procs {
		cmd, err := os.ReadFile(filepath.Join(p, "cmdline"))
		if err != nil || !strings.Contains(string(cmd), "chromium") {
			continue
		}
		// Child processes do not repeat the profile flag; take the browser's process
		// group instead: every chromium process whose session leader is ours.
		stat, err := os.ReadFile(filepath.Join(p, "stat"))
		if err != nil {
			continue
		}
		s := string(stat)
		f := strings.Fields(s[strings.LastIndex(s, ")")+2:])
		if len(f) < 13 {
			continue
		}
		ut, _ := strconv.ParseFloat(f[11], 64)
		st, _ := strconv.ParseFloat(f[12], 64)
		if belongs(p, profile) {
			total += (ut + st) / tck
		}
	}
	return total
}

// belongs reports whether process dir p is the browser with this profile or one of
// its descendants.
func belongs(p, profile string) bool {
	for i := 0; i < 10; i++ {
		cmd, err := os.ReadFile(filepath.Join(p, "cmdline"))
		if err != nil {
			return false
		}
		if strings.Contains(string(cmd), profile) {
			return true
		}
		stat, err := os.ReadFile(filepath.Join(p, "stat"))
		if err != nil {
			return false
		}
		s := string(stat)
		f := strings.Fields(s[strings.LastIndex(s, ")")+2:])
		if len(f) < 2 || f[1] == "0" || f[1] == "1" {
			return false
		}
		p = "/proc/" + f[1]
	}
	return false
}
