//go:build js && wasm && !pagebridge

package main

import "syscall/js"

func start() bool { return false }

// firstFrame leaves the same User Timing mark as the diagram's page, at the same
// moment: the end of the next animation frame's task, which shows the canvas.
func firstFrame() {
	var show, mark js.Func
	mark = js.FuncOf(func(js.Value, []js.Value) any {
		mark.Release()
		js.Global().Get("performance").Call("mark", "diagram-first-frame")
		return nil
	})
	show = js.FuncOf(func(js.Value, []js.Value) any {
		show.Release()
		js.Global().Call("setTimeout", mark, 0)
		return nil
	})
	js.Global().Call("requestAnimationFrame", show)
}
