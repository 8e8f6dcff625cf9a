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

	if want("download") || want("ttff") {
		var oursBytes, oursT, floorT []float64
		for i := 0; i < b.runs; i++ {
			log.Printf("cold loads: run %d of %d", i+1, b.runs)
			fb, ft := coldLoad(bctx, b.floorU)
			ob, ot := coldLoad(bctx, b.ours+"?motion=full")
			oursBytes = append(oursBytes, ob)
			oursT, floorT = append(oursT, ot), append(floorT, ft)
			_ = fb
		}
		floorBr := b.floorBrotli()
		if want("download") {
			v := median(oursBytes)
			rows = append(rows, Row{Name: "Download (cold load, all responses)", Unit: "bytes", Baseline: "floor program, brotli 11", Base: floorBr, Value: v, Ratio: v / floorBr, Target: "<= 1.10", Pass: v/floorBr <= 1.10,
				Note: "bytes the browser reports transferred for the page and every file it loads, headers included"})
		}
		if want("ttff") {
			o, f := median(oursT), median(floorT)
			rows = append(rows, Row{Name: "Time to first frame", Unit: "ms", Baseline: "floor program, same server", Base: f, Value: o, Ratio: o / f, Target: "<= 1.15", Pass: o/f <= 1.15,
				Note: fmt.Sprintf("navigation start to the first drawn frame, cold cache; diagram %s ms, floor %s ms", list(oursT), list(floorT))})
		}
	}
	if want("fps") {
		var o, f []float64
		for i := 0; i < b.runs; i++ {
			log.Printf("frame rate: run %d of %d", i+1, b.runs)
			f = append(f, frameRate(bctx, b.floorU))
			o = append(o, frameRate(bctx, b.ours+"?motion=full"))
		}
		ov, fv := median(o), median(f)
		rows = append(rows, Row{Name: "Frame rate at 1280×720, animating", Unit: "fps", Baseline: "floor program", Base: fv, Value: ov, Ratio: ov / fv, Target: ">= 0.8", Pass: ov/fv >= 0.8,
			Note: "SwiftShader (software WebGL), so relative only; diagram " + list(o) + ", floor " + list(f)})
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

// coldLoad loads url with an empty cache and returns the bytes transferred and
// the time of the first frame.
func coldLoad(bctx context.Context, url string) (bytes, firstFrame float64) {
	ctx, cancel := newTab(bctx, 1280, 720)
	defer cancel()
	chromedp.Call(ctx, network.Enable, network.EnableParams{})
	chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
	chromedp.Call(ctx, network.ClearBrowserCache, cdp.Empty{})
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		fatal(err)
	}
	firstFrame = evalT[float64](ctx, waitFirstFrame)
	time.Sleep(500 * time.Millisecond) // let late resources finish
	bytes = evalT[float64](ctx, `(() => { const n = performance.getEntriesByType('navigation')[0]; return n.transferSize + performance.getEntriesByType('resource').reduce((s, r) => s + r.transferSize, 0); })()`)
	return bytes, firstFrame
}

// frameRate counts animation frames over five seconds once the page draws.
func frameRate(bctx context.Context, url string) float64 {
	ctx, cancel := newTab(bctx, 1280, 720)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		fatal(err)
	}
	evalT[float64](ctx, waitFirstFrame)
	time.Sleep(time.Second)
	return evalT[float64](ctx, `new Promise(resolve => { let n = 0; const t0 = performance.now(); const f = () => { n++; if (performance.now() - t0 < 5000) requestAnimationFrame(f); else resolve(n * 1000 / (performance.now() - t0)); }; requestAnimationFrame(f); })`)
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
