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
// with diagramWarmUp set and no page: the program then walks its own start (the
// runtime and every package's init, the content, the model, the controller, a
// Kage shader compiled, then the game itself drawing its first picture on the
// worker's OffscreenCanvas; where the worker has no WebGL 2, the cached layers
// painted on the CPU alone), and the code compiled for it is the page's too,
// since both threads share the module.
//
// warmUp reports whether this is that run; it tells the worker that main has
// started (every init done) and, when it draws, that the engine's first frames
// are done (warmGame), then does the rest and returns.
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
	s.HitTest(0, 0)
	ebiten.NewShader(warmShader) //nolint:errcheck // compiled only to be compiled
	if w.Get("canvas").Truthy() && drawWarm(ctrl) {
		if f := w.Get("drew"); f.Type() == js.TypeFunction {
			f.Invoke()
		}
		return true
	}
	ctrl.Layout(w.Get("width").Float(), w.Get("height").Float(), 1)
	ctrl.Update()
	render.WarmUp(s)
	return true
}

// drawWarm runs the game itself, as the page's run will, on the worker's canvas
// (an OffscreenCanvas with WebGL 2; warm.js gives Ebiten a stand-in document
// around it): the context made as the page makes it, the first picture prepared
// and drawn, until it is shown and one frame more. That walks the engine's
// start, its drawing and its WebGL calls, which the page's run otherwise
// compiles on the main thread during its first frames (some 400 functions, a
// third of its blocking time there). It reports whether the game ran.
func drawWarm(ctrl *app.Controller) bool {
	render.PrepareContext()
	render.PrepareSize()
	ebiten.SetScreenClearedEveryFrame(false)
	ebiten.SetRunnableOnUnfocused(true)
	g := &warmGame{Game: render.New(ctrl), warmed: js.Global().Get("diagramWarmUp").Get("warmed")}
	err := ebiten.RunGameWithOptions(g, &ebiten.RunGameOptions{InitUnfocused: true})
	return err == nil && g.after > 0
}

// warmGame is the game until its first picture has been shown and one frame more.
// After the engine's first three frames (its start, its shaders, ours: the WebGL
// calls of every frame after), it tells the page, whose own run waits for that
// so as not to compile the same code at the same time.
type warmGame struct {
	*render.Game
	updates int
	warmed  js.Value // diagramWarmUp.warmed
	after   int      // frames since the picture was shown
}

func (g *warmGame) Update() error {
	if g.updates++; g.updates == 4 && g.warmed.Type() == js.TypeFunction {
		g.warmed.Invoke()
	}
	if g.Shown() {
		if g.after++; g.after > 1 {
			return ebiten.Termination
		}
	}
	return g.Game.Update()
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
