//go:build js && wasm && !pagebridge

package main

import "syscall/js"

func start() bool { return false }

// firstFrame leaves the same User Timing mark as the diagram's page.
func firstFrame() { js.Global().Get("performance").Call("mark", "diagram-first-frame") }
