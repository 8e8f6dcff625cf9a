//go:build js && wasm

package render

import (
	"image/color"
	"syscall/js"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
)

// On the page's main thread the program's start is a series of tasks with the
// page let in between (page.Yield): the page is explorable while it runs, and a
// click waits at most for the task under way. (In the page's worker no page
// waits on it, and the steps follow each other; see page.InWorker.) Setting up WebGL and the drawing buffer, and the GPU's
// work on the first frame, used to fall in one task, the longest of the start;
// what is here spreads them out (PrepareContext, PrepareSize, awaitGPU, and
// Game.prepareFirst).

var (
	canvas js.Value // the canvas Ebiten made when its package started
	gl     js.Value // the context PrepareContext made on it (and Ebiten uses)
)

// engineCanvas finds the canvas Ebiten made (the last one), once.
func engineCanvas() js.Value {
	if !canvas.Truthy() {
		if cs := js.Global().Get("document").Call("getElementsByTagName", "canvas"); cs.Length() > 0 {
			canvas = cs.Index(cs.Length() - 1)
		}
	}
	return canvas
}

// PrepareContext creates the WebGL 2 context on the engine's canvas (a round trip
// to the GPU process). When Ebiten asks for it (graphicsdriver/opengl/
// graphics_js.go) it gets this one: a canvas has one context of a kind, and the
// attributes are Ebiten's except two it does not need, since it draws into its
// own offscreen images and copies the result to the screen: no multisampling
// (antialias) and no depth buffer, which made the browser's first resize of the
// drawing buffer three times as long here (SwiftShader clears each of them).
// Nothing drawn changes: the diagram's shapes are rasterised on the CPU.
func PrepareContext() {
	c := engineCanvas()
	if !c.Truthy() {
		return
	}
	attr := js.Global().Get("Object").New()
	attr.Set("alpha", true)
	attr.Set("premultipliedAlpha", true)
	attr.Set("stencil", true)
	attr.Set("antialias", false)
	attr.Set("depth", false)
	gl = c.Call("getContext", "webgl2", attr) // if it fails, Ebiten reports it
	if gl.Truthy() {
		c.Get("style").Call("setProperty", "visibility", "hidden")
	}
}

// The WebGL 2 constants of a fence.
const (
	glSyncGPUCommandsComplete = 0x9117
	glSyncStatus              = 0x9114
	glSignaled                = 0x9119
)

// awaitGPU waits, without holding the page, until the GPU has done every command
// given so far, then lets the canvas be seen. Without a GPU (SwiftShader, as in a
// school's virtual desktop and on this project's test machines) the commands of
// the first frame (its textures' uploads, the engine's first use of each of its
// shaders) take the GPU process half a second, and they ran when the browser
// first composited the canvas, reading its pixels back: in that task, the page
// waited for all of it. While the canvas is hidden the browser does not composite
// it; here the commands are sent (flush) with a fence after them, the program
// sleeps until the fence is passed (its status is read between tasks, which
// never waits), and the page, meanwhile free, still shows the explorable picture.
// The wait is bounded: a lost context or a fence never passed shows the canvas
// after 5 s.
func awaitGPU() {
	if !gl.Truthy() {
		return
	}
	defer canvas.Get("style").Call("removeProperty", "visibility")
	sync := gl.Call("fenceSync", glSyncGPUCommandsComplete, 0)
	if !sync.Truthy() {
		return
	}
	defer gl.Call("deleteSync", sync)
	gl.Call("flush")
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); {
		time.Sleep(4 * time.Millisecond)
		st := gl.Call("getSyncParameter", sync, glSyncStatus)
		if st.Type() != js.TypeNumber || st.Int() == glSignaled {
			return
		}
	}
}

// PrepareSize gives the engine's canvas the size Ebiten gives it when the game
// starts (the body's client size in device pixels, ui_js.go updateScreenSize),
// so the drawing buffer is allocated and cleared now (or, called before
// PrepareContext as in the worker, made at this size) and setting the same size
// again finds nothing to do.
func PrepareSize() {
	if !engineCanvas().Truthy() {
		return
	}
	body := js.Global().Get("document").Get("body")
	f := js.Global().Get("devicePixelRatio").Float()
	if f == 0 {
		f = 1
	}
	canvas.Set("width", int(body.Get("clientWidth").Float()*f))
	canvas.Set("height", int(body.Get("clientHeight").Float()*f))
}

// warmShader has the engine compile, when this frame is sent, the shader it
// draws images with through filter f (the first use of each is the costly part
// of the first frame), by drawing a small image with it.
func (g *Game) warmShader(f ebiten.Filter) {
	if g.warmSrc == nil {
		g.warmSrc = ebiten.NewImage(4, 4)
		g.warmSrc.Fill(color.White)
		g.warmDst = ebiten.NewImage(8, 8)
	}
	op := ebiten.DrawImageOptions{Filter: f}
	op.GeoM.Scale(1.5, 1.5)
	op.GeoM.Rotate(0.3)
	op.ColorScale.ScaleAlpha(0.5)
	g.warmDst.DrawImage(g.warmSrc, &op)
}
