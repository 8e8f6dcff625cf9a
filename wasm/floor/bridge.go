//go:build js && wasm && pagebridge

package main

import "syscall/js"

// The smallest answer to the page's bridge (assets/page/bridge.js): take commands
// (and ignore them), say so, and report the first frame, on which the page leaves
// its User Timing mark and lets the canvas take over from its placeholder.
var bridge js.Value

// start reports whether this is the page's warm-up run (see wasm/warm.go): the
// floor's warm-up is its runtime and package initialisation, done by then.
func start() (warmUp bool) {
	if w := js.Global().Get("diagramWarmUp"); w.Truthy() {
		if f := w.Get("started"); f.Type() == js.TypeFunction {
			f.Invoke()
		}
		return true
	}
	bridge = js.Global().Get("diagramBridge")
	if !bridge.Truthy() {
		return false
	}
	bridge.Set("command", js.FuncOf(func(js.Value, []js.Value) any { return true }))
	if f := bridge.Get("connected"); f.Type() == js.TypeFunction {
		f.Invoke()
	}
	return false
}

func firstFrame() {
	if f := bridge.Get("onEvent"); bridge.Truthy() && f.Type() == js.TypeFunction {
		f.Invoke("ready", js.ValueOf(map[string]any{}))
	}
}
