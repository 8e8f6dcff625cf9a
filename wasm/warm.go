//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/connectedlearning/diagram/wasm/diagram"
	"github.com/connectedlearning/diagram/wasm/internal/app"
	"github.com/connectedlearning/diagram/wasm/internal/page"
	"github.com/connectedlearning/diagram/wasm/internal/render"
)

// The warm-up run. Browsers compile a WebAssembly function the first time it is
// called, on the thread that calls it: left to the page, the program's start
// compiles some 2,000 functions on the main thread, a third of its time there.
// The page's worker (assets/warm.js) compiles the module and runs it once first,
// with diagramWarmUp set and no page or canvas: the program then walks its own
// start (the runtime and every package's init, the content, the model, the
// controller, the cached layers painted on the CPU, a Kage shader compiled), and
// the code compiled for it is the page's too, since both threads share the module.
//
// warmUp reports whether this is that run; it tells the worker that main has
// started (every init done), then does the rest and returns.
func warmUp() bool {
	w := js.Global().Get("diagramWarmUp")
	if !w.Truthy() {
		return false
	}
	if f := w.Get("started"); f.Type() == js.TypeFunction {
		f.Invoke()
	}
	c, err := diagram.ParseContent("diagram.json", w.Get("content").String())
	if err != nil {
		return true // the page's own run reports it
	}
	s := diagram.New(c)
	ctrl := app.New(s, nobody{}, page.Options{})
	ctrl.Layout(w.Get("width").Float(), w.Get("height").Float(), 1)
	ctrl.Update()
	render.WarmUp(s)
	s.HitTest(0, 0)
	ebiten.NewShader(warmShader) //nolint:errcheck // compiled only to be compiled
	return true
}

// warmShader is a Kage program like Ebiten's own, which it compiles (with the
// same compiler) at its first frame.
var warmShader = []byte(`//kage:unit pixels
package main

var Scale float

func Fragment(dst vec4, src vec2, color vec4) vec4 {
	c := imageSrc0At(src)
	if c.a == 0 {
		return vec4(0)
	}
	return mix(c, color, clamp(Scale, 0, 1)) * color.a
}
`)

// nobody is the page of the warm-up run: it sends nothing and hears nothing.
type nobody struct{}

func (nobody) Poll(dst []page.Command) []page.Command { return dst }
func (nobody) Select(page.Selection)                  {}
func (nobody) Hover(page.Selection)                   {}
func (nobody) Anchors([]page.Anchor, float64)         {}
func (nobody) SVG(string)                             {}
func (nobody) Ready()                                 {}
func (nobody) Idle(bool)                              {}
func (nobody) Class([]page.Seat, int, int)            {}
