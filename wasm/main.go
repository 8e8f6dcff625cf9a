//go:build js && wasm

// Command wasm is the diagram compiled to WebAssembly: it reads the content and
// options the page's loader prepared and runs the Ebiten game. All logic lives in
// wasm/diagram (the model) and internal/app (commands and events).
package main

import (
	"github.com/hajimehoshi/ebiten/v2"

	"github.com/connectedlearning/diagram/wasm/diagram"
	"github.com/connectedlearning/diagram/wasm/internal/app"
	"github.com/connectedlearning/diagram/wasm/internal/page"
	"github.com/connectedlearning/diagram/wasm/internal/render"
	_ "github.com/connectedlearning/diagram/wasm/internal/startup" // the browser runs before Ebiten's init
)

// main starts in steps with the browser let in between (page.Yield), so that
// the page, explorable while the program starts, answers a click at once (on the
// page's main thread; in the page's worker, Yield does nothing).
func main() {
	if warmUp() {
		return
	}
	page.Yield() // after the packages' init (see package startup)
	p := page.New(render.Wake)
	page.Yield()
	if page.InWorker() {
		// Sized before its context is made: a drawing buffer resized in the
		// worker is a frame for the compositor, which without a GPU reads it back
		// once the task ends, waiting for all the GPU's work by then (a fifth of
		// a second, traced). No page waits here for the two in one task.
		render.PrepareSize()
		render.PrepareContext()
	} else {
		render.PrepareContext()
		page.Yield()
		render.PrepareSize()
		page.Yield()
	}
	c, err := diagram.ParseContent("diagram.json", p.Content())
	if err != nil {
		p.Fail(page.FailContent, err.Error())
		return
	}
	page.Yield()
	s := diagram.New(c)
	page.Yield()
	ctrl := app.New(s, p, p.Options())
	ebiten.SetScreenClearedEveryFrame(false)
	ebiten.SetRunnableOnUnfocused(true)
	op := &ebiten.RunGameOptions{InitUnfocused: true}
	if err := ebiten.RunGameWithOptions(render.New(ctrl), op); err != nil {
		p.Fail(page.FailProgram, err.Error())
	}
}
