//go:build js && wasm && pagebridge

package main

import "syscall/js"

// The smallest answer to the page's bridge (assets/page/bridge.js): take commands
// (and ignore them), say so, and report the first frame, on which the page leaves
// its User Timing mark and lets the canvas take over from its placeholder.
var bridge js.Value

func start() {
	bridge = js.Global().Get("diagramBridge")
	if !bridge.Truthy() {
		return
	}
	bridge.Set("command", js.FuncOf(func(js.Value, []js.Value) any { return true }))
	if f := bridge.Get("connected"); f.Type() == js.TypeFunction {
		f.Invoke()
	}
}

func firstFrame() {
	if f := bridge.Get("onEvent"); bridge.Truthy() && f.Type() == js.TypeFunction {
		f.Invoke("ready", js.ValueOf(map[string]any{}))
	}
}
