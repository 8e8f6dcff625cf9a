// Command starttrace traces one cold load of the diagram in headless Chromium
// (DevTools tracing, cache off) and prints what the page's main thread did before
// the program's first frame: its long tasks, each with the WebAssembly functions
// compiled lazily in it, and totals by kind of work (lazy compilation of wasm
// functions, module decoding, layout, script, timers, animation frames). It is
// how the README's "what the misses are made of" was measured:
//
//	make run &
//	go run ./server/cmd/starttrace -url 'http://127.0.0.1:8080/?motion=full'
//
// The trace itself is written too (-o), for chrome://tracing or Perfetto.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"sort"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

type event struct {
	Name string  `json:"name"`
	Ph   string  `json:"ph"`
	Ts   float64 `json:"ts"`
	Dur  float64 `json:"dur"`
	Pid  int     `json:"pid"`
	Tid  int     `json:"tid"`
}

func main() {
	url := flag.String("url", "http://127.0.0.1:8080/?motion=full", "the page")
	out := flag.String("o", "dist/starttrace.json", "where the raw trace goes")
	jsflags := flag.String("js-flags", "", "V8 flags, e.g. --no-wasm-lazy-compilation to compare")
	cpu := flag.Bool("cpu", false, "sample the threads' stacks too (V8's CPU profiler, in the trace): for a build with its symbols, see the README")
	gpu := flag.Bool("gpu", false, "trace what the GPU process does with the page's WebGL commands too (ANGLE and the command decoder)")
	inval := flag.Bool("invalidations", false, "trace what invalidated style and layout too, with the script's stack (DevTools' invalidation tracking)")
	flag.Parse()
	chrome, err := exec.LookPath("chromium")
	if err != nil {
		log.Fatal("chromium is not installed")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.Flag("disable-background-networking", true),
	}
	if *jsflags != "" {
		opts = append(opts, chromedp.Flag("js-flags", *jsflags))
	}
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel2 := chromedp.NewContext(alloc)
	defer cancel2()
	ctx, cancel3 := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel3()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 720)); err != nil {
		log.Fatal(err)
	}
	chromedp.Call(ctx, network.Enable, network.EnableParams{})
	chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
	chromedp.Call(ctx, network.ClearBrowserCache, cdp.Empty{})
	var mu sync.Mutex
	var raw []json.RawMessage
	done := make(chan struct{})
	chromedp.ListenBrowser(ctx, func(e any) {
		switch e := e.(type) {
		case *tracing.EventDataCollected:
			mu.Lock()
			for _, v := range e.Value {
				b, _ := json.Marshal(v)
				raw = append(raw, b)
			}
			mu.Unlock()
		case *tracing.EventTracingComplete:
			close(done)
		}
	})
	cats := []string{"toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "v8.wasm", "v8.execute", "blink.user_timing", "gpu", "loading", "blink"}
	if *inval {
		cats = append(cats, "disabled-by-default-devtools.timeline.invalidationTracking", "disabled-by-default-devtools.timeline.stack")
	}
	if *cpu {
		cats = append(cats, "disabled-by-default-v8.cpu_profiler")
	}
	if *gpu {
		cats = append(cats, "gpu.angle", "disabled-by-default-gpu.angle", "gpu.service", "disabled-by-default-gpu.service", "gpu.decoder", "disabled-by-default-gpu.decoder", "gpu.capture")
	}
	if _, err := chromedp.CallBrowser(ctx, tracing.Start, tracing.StartParams{TraceConfig: &tracing.TraceConfig{IncludedCategories: cats}}); err != nil {
		log.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(*url)); err != nil {
		log.Fatal(err)
	}
	ff, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`new Promise(r => { const f = () => { const m = performance.getEntriesByName('diagram-first-frame'); if (m.length) r(m[0].startTime); else setTimeout(f, 20); }; f(); })`, chromedp.EvalAwaitPromise))
	if err != nil {
		log.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	chromedp.CallBrowser(ctx, tracing.End, cdp.Empty{})
	<-done
	if f, err := os.Create(*out); err == nil {
		fmt.Fprint(f, "[")
		for i, r := range raw {
			if i > 0 {
				fmt.Fprint(f, ",\n")
			}
			f.Write(r)
		}
		fmt.Fprint(f, "]")
		f.Close()
	}
	fmt.Printf("first frame at %.0f ms; %d trace events in %s\n", ff, len(raw), *out)
	summary(raw)
}

func summary(raw []json.RawMessage) {
	var main [2]int
	var ff float64
	var evs []event
	for _, r := range raw {
		var e event
		json.Unmarshal(r, &e)
		if e.Name == "diagram-first-frame" {
			main, ff = [2]int{e.Pid, e.Tid}, e.Ts
		}
		evs = append(evs, e)
	}
	if ff == 0 {
		fmt.Println("no first frame in the trace")
		return
	}
	sort.Slice(evs, func(i, j int) bool { return evs[i].Ts < evs[j].Ts })
	onMain := func(e event) bool { return [2]int{e.Pid, e.Tid} == main && e.Ph == "X" && e.Ts < ff }
	var lazy []event
	other := 0
	for _, e := range evs {
		if e.Name != "wasm.CompileLazy" {
			continue
		}
		if onMain(e) {
			lazy = append(lazy, e)
		} else if [2]int{e.Pid, e.Tid} != main {
			other++
		}
	}
	sum := map[string]float64{}
	tbt, all, n, t0 := 0.0, 0.0, 0, 0.0
	fmt.Println("long tasks of the main thread (start ms, duration ms, wasm functions compiled in it):")
	for _, e := range evs {
		if !onMain(e) {
			continue
		}
		sum[e.Name] += e.Dur / 1000
		if e.Name != "ThreadControllerImpl::RunTask" {
			continue
		}
		if t0 == 0 {
			t0 = e.Ts
		}
		all += e.Dur / 1000
		if e.Dur <= 50000 {
			continue
		}
		tbt += e.Dur/1000 - 50
		n++
		k, kd := 0, 0.0
		for _, l := range lazy {
			if l.Ts >= e.Ts && l.Ts+l.Dur <= e.Ts+e.Dur {
				k++
				kd += l.Dur / 1000
			}
		}
		fmt.Printf("  %7.0f %6.0f  %4d functions, %5.0f ms\n", (e.Ts-t0)/1000, e.Dur/1000, k, kd)
	}
	fmt.Printf("main thread: tasks %.0f ms, total blocking time %.0f ms over %d long tasks\n", all, tbt, n)
	fmt.Printf("wasm functions compiled lazily: %d on the main thread, %d on other threads (the worker)\n", len(lazy), other)
	for _, k := range []string{"wasm.CompileLazy", "v8.wasm.compileConsume", "wasm.SyncInstantiate", "Layout", "UpdateLayoutTree", "EvaluateScript", "FunctionCall", "FireAnimationFrame", "TimerFire", "RunMicrotasks", "ParseHTML", "GLES2::ReadPixels", "MajorGC", "MinorGC"} {
		fmt.Printf("  %-24s %7.0f ms\n", k, sum[k])
	}
}
