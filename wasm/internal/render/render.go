//go:build js && wasm

// Package render draws the diagram's display list with Ebiten and turns pointer
// input into model events. It holds no logic of its own: what to draw and what a
// click means are the model's (package diagram) and the controller's (package app).
//
// Invariants:
//   - It draws only when the model says the picture changed; the screen is not
//     cleared between frames (SetScreenClearedEveryFrame(false)), so a paused or
//     idle diagram costs no drawing at all.
//   - Shapes are rasterised on the CPU (package raster: exact-area anti-aliasing)
//     and reach the GPU as textures, drawn as rarely as possible: the cached
//     layers of the display list are kept as images and repainted only when their
//     version changes (one texture upload each); gears, hubs and pulses are
//     sprites made once per size and tinted per frame. A frame in steady motion
//     is a few dozen textured quads. Ebiten's vector fills are not used: each
//     anti-aliased path cost seventeen draw calls, and the scene's 250 paths most
//     of a second of the first frame.
//   - The canvas, the frame and the options are reused; drawing a frame
//     allocates nothing of its own.
//   - Keyboard input is the page's: the loader keeps keys away from Ebiten's canvas.
package render

import (
	"image"
	"iter"
	"math"
	"slices"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/connectedlearning/diagram/wasm/diagram"
	"github.com/connectedlearning/diagram/wasm/internal/app"
	"github.com/connectedlearning/diagram/wasm/internal/page"
	"github.com/connectedlearning/diagram/wasm/internal/raster"
)

// Game is the ebiten.Game of the diagram.
type Game struct {
	ctrl  *app.Controller
	scene *diagram.Scene

	frame   diagram.Frame
	canvas  raster.Canvas
	gear    diagram.Path
	imgOp   ebiten.DrawImageOptions
	scratch *ebiten.Image // shapes drawn in a moving layer, uploaded each frame

	layers [diagram.NumLayers]layerCache
	gears  []sprite              // by gear index
	discs  map[int]*ebiten.Image // white discs by radius in quarter pixels
	glow   *ebiten.Image

	w, h       float64
	lastRect   image.Rectangle // where the opaque layer was drawn last
	lastBg     diagram.Color   // and on which background
	cx, cy     int
	cursorHand bool
	mouseDown  bool             // the left button, at the last tick
	touches    []ebiten.TouchID // the touches at the last tick
	newTouches []ebiten.TouchID // and at this one
	drawn      bool             // the first frame was drawn
	shown      bool             // and the GPU has done it: the canvas is seen
	prep       int              // the frames spent preparing the first (prepareFirst)
	updated    bool             // Update ran

	warmSrc, warmDst *ebiten.Image // for warmShader
	idle             bool
}

type layerCache struct {
	img     *ebiten.Image
	version uint64
	valid   bool
	rect    image.Rectangle
	back    raster.Backdrop // an opaque layer's background and glows, painted
}

type sprite struct {
	img   *ebiten.Image
	scale float32
	half  float64
}

// New returns the game for a controller.
func New(c *app.Controller) *Game {
	return &Game{ctrl: c, scene: c.Scene, discs: map[int]*ebiten.Image{}}
}

// LayoutF makes the screen as large as the canvas in device pixels, so every shape is
// drawn at the display's full resolution (crisp on a 2x screen and a projector).
func (g *Game) LayoutF(outsideW, outsideH float64) (float64, float64) {
	dpr := ebiten.Monitor().DeviceScaleFactor()
	w, h := outsideW*dpr, outsideH*dpr
	if w != g.w || h != g.h {
		g.w, g.h = w, h
		g.ctrl.Layout(w, h, dpr)
		g.scene.Invalidate()
	}
	return w, h
}

// Layout is required by ebiten.Game; LayoutF is used instead.
func (g *Game) Layout(w, h int) (int, int) { return w, h }

// Update reads the pointer and advances the model by one tick.
func (g *Game) Update() error {
	if !g.updated {
		// The engine's start and its first frame are a task each (page.Yield; on
		// the page's main thread only).
		g.updated = true
		page.Yield()
	}
	x, y := ebiten.CursorPosition()
	if x != g.cx || y != g.cy {
		g.cx, g.cy = x, y
		g.ctrl.Pointer(float64(x), float64(y), true)
	}
	// A press or a touch that began since the last tick is a click. (Tracked here
	// rather than with ebiten/inpututil, whose state for every key, button and
	// gamepad is 7 KB of the wasm for the two facts read here.)
	down := ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft)
	if down && !g.mouseDown {
		g.ctrl.Click(float64(x), float64(y))
	}
	g.mouseDown = down
	g.newTouches = ebiten.AppendTouchIDs(g.newTouches[:0])
	for _, id := range g.newTouches {
		if slices.Contains(g.touches, id) {
			continue
		}
		tx, ty := ebiten.TouchPosition(id)
		g.ctrl.Pointer(float64(tx), float64(ty), true)
		g.ctrl.Click(float64(tx), float64(ty))
	}
	g.touches, g.newTouches = g.newTouches, g.touches
	g.ctrl.Update()
	hand := g.scene.Hover().Part != diagram.PartNone
	if hand != g.cursorHand {
		g.cursorHand = hand
		if hand {
			ebiten.SetCursorShape(ebiten.CursorShapePointer)
		} else {
			ebiten.SetCursorShape(ebiten.CursorShapeDefault)
		}
	}
	// Not at rest before the first frame is shown (see Draw).
	g.setIdle(g.shown && !g.scene.Playing() && !g.scene.Transitioning() && !g.scene.NeedsDraw())
	return nil
}

// setIdle lets the game loop rest while nothing moves: Ebiten then runs Update
// only on input or when the page wakes it with a command (ScheduleFrame), so a
// paused diagram, or one scrolled out of view, costs next to nothing. The FPS mode
// API is deprecated in favour of skipping draws, but skipping draws still runs the
// whole frame loop sixty times a second; this is the documented way to stop it.
func (g *Game) setIdle(idle bool) {
	if idle == g.idle {
		return
	}
	g.idle = idle
	g.ctrl.Idle(idle)
	if idle {
		ebiten.SetFPSMode(ebiten.FPSModeVsyncOffMinimum) //nolint:staticcheck // see above
	} else {
		ebiten.SetFPSMode(ebiten.FPSModeVsyncOn) //nolint:staticcheck // see above
	}
}

// Wake makes an idle game run its next frame (the page calls it with a command).
func Wake() { ebiten.ScheduleFrame() } //nolint:staticcheck // see setIdle

// DrawFinalScreen puts the game's screen on the canvas (ebiten.FinalScreenDrawer),
// as Ebiten does by default, but only once the first picture is to be shown: while
// it is prepared (see prepareFirst), the canvas is left untouched. A canvas
// drawn on is a frame for the compositor, which without a GPU reads it back,
// waiting for the GPU's whole work so far: on the page's main thread the hidden
// canvas is not composited, but where the program runs in the page's worker its
// canvas's frames are sent whatever the page shows (there, assets/warm.js's
// unseen also leaves out the engine's own clears of the hidden canvas). Either
// way the GPU is spared a copy of the whole picture in each preparing frame.
func (g *Game) DrawFinalScreen(screen ebiten.FinalScreen, offscreen *ebiten.Image, geoM ebiten.GeoM) {
	if !g.shown {
		return
	}
	ebiten.DefaultDrawFinalScreen(screen, offscreen, geoM)
}

// Draw paints the display list when the picture changed, and nothing otherwise.
func (g *Game) Draw(screen *ebiten.Image) {
	// The first frame is drawn on a hidden canvas and shown, with the page told,
	// once the GPU has done it: the frame after, which waits here (see awaitGPU).
	if g.drawn && !g.shown {
		awaitGPU()
		g.shown = true
		g.ctrl.FirstFrameDrawn()
		// This frame puts the first one on the canvas as it is: the browser reads
		// it back to show it (without a GPU), and it waits for less.
		return
	}
	if !g.scene.NeedsDraw() && g.drawn {
		return
	}
	g.scene.Build(&g.frame)
	f := &g.frame
	if !g.drawn && !g.prepareFirst() {
		return
	}
	// Before the first frame on the page's main thread, prepareFirst has painted
	// the cached layers one a frame on the hidden canvas (in the worker they are
	// painted here, by drawLayer). (Painting them one a frame on a canvas already
	// seen, the background alone on the screen meanwhile, cost a compositor frame
	// each, which without a GPU is a read-back of the whole canvas: the first
	// frame came 1-2.5 s later; see the README's start figures.)
	// The screen is not cleared between frames. It is filled only when the opaque
	// layer (the scene's square, background included) will not cover what changed.
	if len(f.Items) == 0 || f.Items[0].Layer != diagram.LayerPLN || !g.drawn ||
		g.layerRect(diagram.LayerPLN) != g.lastRect || f.Background != g.lastBg {
		screen.Fill(rgba(f.Background))
	}
	g.lastRect, g.lastBg = g.layerRect(diagram.LayerPLN), f.Background
	for l, items := range layerRuns(f) {
		if l.Cached() {
			g.drawLayer(screen, l, items)
			continue
		}
		for i := 0; i < len(items); {
			if isShape(&items[i]) {
				j := i + 1
				for j < len(items) && isShape(&items[j]) {
					j++
				}
				g.drawShapes(screen, items[i:j])
				i = j
				continue
			}
			g.drawItem(screen, &items[i], 0, 0)
			i++
		}
	}
	g.drawn = true
}

// prepareFirst does the costly parts of the first picture ahead of it while the
// canvas is hidden (see awaitGPU). On the page's main thread, one a frame: the
// shaders, then each cached layer, painted and sent to the GPU, each with the
// engine's end of frame in a task of its own; in the page's worker, in two steps
// (below). It reports whether the picture is ready to be drawn.
func (g *Game) prepareFirst() bool {
	g.prep++
	// In the page's worker nothing of the page waits on the program's tasks, and
	// the steps are two: the shaders, sent to the GPU at this frame's end, which
	// compiles them while the next frame paints every layer on the CPU and draws
	// the picture (traced: the first frame 0.3 s sooner than with both in one
	// frame, where the GPU began once the painting was done).
	if page.InWorker() {
		if g.prep == 1 {
			g.warmShader(ebiten.FilterNearest)
			g.warmShader(ebiten.FilterLinear)
			return false
		}
		return g.warmEnd()
	}
	switch g.prep {
	case 1: // the engine's own shaders, made when it started, are compiled
		return false
	case 2:
		g.warmShader(ebiten.FilterNearest)
		return false
	case 3:
		g.warmShader(ebiten.FilterLinear)
		return false
	}
	for l, items := range layerRuns(&g.frame) {
		if l.Cached() && g.paintLayer(l, items) {
			return false
		}
	}
	return g.warmEnd()
}

// warmEnd lets go of warmShader's images once the picture is ready to be drawn.
func (g *Game) warmEnd() bool {
	if g.warmSrc != nil {
		g.warmSrc.Deallocate()
		g.warmDst.Deallocate()
		g.warmSrc, g.warmDst = nil, nil
	}
	return true
}

// layerRect is where layer l's image goes on the screen: its bounds, in whole
// pixels, with a margin for anti-aliasing.
func (g *Game) layerRect(l diagram.Layer) image.Rectangle { return layerRect(&g.frame, l) }

func layerRect(f *diagram.Frame, l diagram.Layer) image.Rectangle {
	b := f.Layers[l].Bounds
	return image.Rect(int(math.Floor(b.X))-2, int(math.Floor(b.Y))-2, int(math.Ceil(b.X+b.W))+2, int(math.Ceil(b.Y+b.H))+2)
}

// drawLayer draws a cached layer: redrawn into its image when its version
// changed, then put on the screen with the layer's breathing scale and opacity.
func (g *Game) drawLayer(screen *ebiten.Image, l diagram.Layer, items []diagram.Item) {
	info := &g.frame.Layers[l]
	c := &g.layers[l]
	r := g.layerRect(l)
	if r.Dx() <= 0 || r.Dy() <= 0 {
		return
	}
	g.paintLayer(l, items)
	op := &g.imgOp
	op.GeoM.Reset()
	op.GeoM.Translate(float64(r.Min.X), float64(r.Min.Y))
	s := float64(info.Scale)
	op.Filter = ebiten.FilterNearest
	if s != 1 {
		op.GeoM.Translate(-float64(info.CX), -float64(info.CY))
		op.GeoM.Scale(s, s)
		op.GeoM.Translate(float64(info.CX), float64(info.CY))
		op.Filter = ebiten.FilterLinear
	}
	op.ColorScale.Reset()
	if info.Alpha != 1 {
		op.ColorScale.ScaleAlpha(info.Alpha)
	}
	if info.Opaque {
		op.Blend = ebiten.BlendCopy
	}
	screen.DrawImage(c.img, op)
	op.Blend = ebiten.Blend{}
}

// paintLayer paints cached layer l into its image when its version changed, and
// reports whether it did.
func (g *Game) paintLayer(l diagram.Layer, items []diagram.Item) bool {
	info := &g.frame.Layers[l]
	c := &g.layers[l]
	r := g.layerRect(l)
	if r.Dx() <= 0 || r.Dy() <= 0 {
		return false
	}
	if c.img == nil || c.rect.Dx() != r.Dx() || c.rect.Dy() != r.Dy() {
		if c.img != nil {
			c.img.Deallocate()
		}
		c.img = ebiten.NewImage(r.Dx(), r.Dy())
		c.valid = false
	}
	if c.valid && c.version == info.Version && c.rect == r {
		return false
	}
	rasterise(&g.canvas, &c.back, &g.frame, l, items, r)
	c.img.WritePixels(g.canvas.Pix)
	c.version, c.valid, c.rect = info.Version, true, r
	return true
}

// layerRuns yields each run of frame f's items that share a layer, in order.
func layerRuns(f *diagram.Frame) iter.Seq2[diagram.Layer, []diagram.Item] {
	return func(yield func(diagram.Layer, []diagram.Item) bool) {
		for i := 0; i < len(f.Items); {
			l := f.Items[i].Layer
			j := i
			for j < len(f.Items) && f.Items[j].Layer == l {
				j++
			}
			if !yield(l, f.Items[i:j]) {
				return
			}
			i = j
		}
	}
}

// rasterise paints the items of cached layer l of frame f on cv, as the image
// that goes at r on the screen. An opaque layer's background and the glows right
// over it come from its backdrop, repainted only when they changed.
func rasterise(cv *raster.Canvas, back *raster.Backdrop, f *diagram.Frame, l diagram.Layer, items []diagram.Item, r image.Rectangle) {
	ox, oy := float32(r.Min.X), float32(r.Min.Y)
	if f.Layers[l].Opaque {
		n := 0
		for n < len(items) && items[n].Kind == diagram.ItemGlow {
			n++
		}
		back.Paint(cv, r.Dx(), r.Dy(), f.Background, f, items[:n], ox, oy)
		items = items[n:]
	} else {
		cv.Reset(r.Dx(), r.Dy())
	}
	for i := range items {
		cv.Draw(f, &items[i], ox, oy)
	}
}

// isShape tells the items of a moving layer that are painted on the canvas each
// frame (a person walking between the rings): fills and strokes, gears aside.
func isShape(it *diagram.Item) bool {
	switch it.Kind {
	case diagram.ItemFill, diagram.ItemFillEvenOdd:
		return it.Gear == 0
	case diagram.ItemStroke:
		return true
	}
	return false
}

// drawShapes paints a run of shapes of a moving layer on the canvas, as large as
// they are, and puts them on the screen through the scratch image.
func (g *Game) drawShapes(screen *ebiten.Image, items []diagram.Item) {
	var r image.Rectangle
	for i := range items {
		r = r.Union(raster.Bounds(&g.frame, &items[i], 0, 0))
	}
	r = r.Intersect(screen.Bounds())
	if r.Empty() {
		return
	}
	cv := &g.canvas
	cv.Reset(r.Dx(), r.Dy())
	for i := range items {
		cv.Draw(&g.frame, &items[i], float32(r.Min.X), float32(r.Min.Y))
	}
	if g.scratch == nil || g.scratch.Bounds().Dx() < r.Dx() || g.scratch.Bounds().Dy() < r.Dy() {
		if g.scratch != nil {
			g.scratch.Deallocate()
		}
		g.scratch = ebiten.NewImage((r.Dx()+63)&^63, (r.Dy()+63)&^63)
	}
	sub := g.scratch.SubImage(image.Rect(0, 0, r.Dx(), r.Dy())).(*ebiten.Image)
	sub.WritePixels(cv.Pix)
	op := &g.imgOp
	op.GeoM.Reset()
	op.GeoM.Translate(float64(r.Min.X), float64(r.Min.Y))
	op.Filter = ebiten.FilterNearest
	op.ColorScale.Reset()
	screen.DrawImage(sub, op)
}

// drawItem draws one item of a moving layer (a cached layer's items are painted
// on the canvas), its coordinates moved by (-ox, -oy).
func (g *Game) drawItem(dst *ebiten.Image, it *diagram.Item, ox, oy float32) {
	switch it.Kind {
	case diagram.ItemGlow:
		g.drawGlow(dst, it, ox, oy)
	case diagram.ItemCircle:
		g.drawDisc(dst, it.X-ox, it.Y-oy, it.R, it.Color)
	case diagram.ItemDots:
		g.drawDots(dst, it, ox, oy)
	case diagram.ItemFill, diagram.ItemFillEvenOdd:
		if it.Gear > 0 {
			g.drawGear(dst, it, ox, oy)
		}
	}
}

func (g *Game) tint(c diagram.Color) {
	a := float32(c.A) / 255
	g.imgOp.ColorScale.Reset()
	g.imgOp.ColorScale.Scale(float32(c.R)/255*a, float32(c.G)/255*a, float32(c.B)/255*a, a)
}

// drawGear draws a gear from its sprite: the gear's outline filled in white once
// per size, then rotated and tinted each frame.
func (g *Game) drawGear(dst *ebiten.Image, it *diagram.Item, ox, oy float32) {
	gi := int(it.Gear - 1)
	for len(g.gears) <= gi {
		g.gears = append(g.gears, sprite{})
	}
	sp := &g.gears[gi]
	if sp.img == nil || sp.scale != it.Scale {
		if sp.img != nil {
			sp.img.Deallocate()
		}
		sh := g.scene.GearShape(gi)
		half := math.Ceil(sh.Tip*float64(it.Scale)) + 2
		sp.half, sp.scale = half, it.Scale
		g.gear.Reset()
		diagram.AppendGear(&g.gear, sh, g.scene.GearStyle(gi), diagram.NewAffine(diagram.Vec{X: half, Y: half}, 0, float64(it.Scale)))
		g.canvas.Reset(int(2*half), int(2*half))
		g.canvas.FillPath(g.gear.Ops, g.gear.Pts, true, white, 0, 0)
		sp.img = g.canvasImage()
	}
	op := &g.imgOp
	op.GeoM.Reset()
	op.GeoM.Translate(-sp.half, -sp.half)
	op.GeoM.Rotate(float64(it.Angle))
	op.GeoM.Translate(float64(it.X-ox), float64(it.Y-oy))
	op.Filter = ebiten.FilterLinear
	g.tint(it.Color)
	dst.DrawImage(sp.img, op)
}

// canvasImage is a new image holding what the canvas holds (a sprite, made in
// white and tinted when drawn).
func (g *Game) canvasImage() *ebiten.Image {
	img := ebiten.NewImage(g.canvas.W, g.canvas.H)
	img.WritePixels(g.canvas.Pix)
	return img
}

// drawDisc draws a filled circle from a white disc sprite made once per radius.
func (g *Game) drawDisc(dst *ebiten.Image, x, y, r float32, c diagram.Color) {
	if r <= 0 || c.A == 0 {
		return
	}
	key := int(math.Round(float64(r) * 4))
	img, ok := g.discs[key]
	rr := float32(key) / 4
	half := float32(math.Ceil(float64(rr))) + 1
	if !ok {
		// Every layout brings its own sizes; keep the cache from growing without
		// bound when a window is resized again and again.
		if len(g.discs) > 256 {
			for k, d := range g.discs {
				d.Deallocate()
				delete(g.discs, k)
			}
		}
		g.canvas.Reset(int(2*half), int(2*half))
		g.canvas.Circle(half, half, rr, white)
		img = g.canvasImage()
		g.discs[key] = img
	}
	op := &g.imgOp
	op.GeoM.Reset()
	s := float64(r / rr)
	op.GeoM.Translate(-float64(half), -float64(half))
	op.GeoM.Scale(s, s)
	op.GeoM.Translate(float64(x), float64(y))
	op.Filter = ebiten.FilterLinear
	g.tint(c)
	dst.DrawImage(img, op)
}

// drawDots draws a dotted thread along a path of quadratic curves.
func (g *Game) drawDots(dst *ebiten.Image, it *diagram.Item, ox, oy float32) {
	pts := g.frame.Path.Pts
	k := it.Pt0
	var cur diagram.Pt
	gap := float64(it.R)
	carry := 0.0
	for _, op := range g.frame.Path.Ops[it.Op0:it.Op1] {
		switch op {
		case diagram.OpMove:
			cur = pts[k]
			k++
			g.drawDisc(dst, cur.X-ox, cur.Y-oy, it.Width/2, it.Color)
		case diagram.OpQuad:
			c, e := pts[k], pts[k+1]
			k += 2
			// Walk the curve in small steps, dropping a dot every gap pixels.
			const steps = 64
			prev := cur
			for i := 1; i <= steps; i++ {
				t := float32(i) / steps
				u := 1 - t
				p := diagram.Pt{X: u*u*cur.X + 2*u*t*c.X + t*t*e.X, Y: u*u*cur.Y + 2*u*t*c.Y + t*t*e.Y}
				carry += math.Hypot(float64(p.X-prev.X), float64(p.Y-prev.Y))
				if carry >= gap {
					carry -= gap
					g.drawDisc(dst, p.X-ox, p.Y-oy, it.Width/2, it.Color)
				}
				prev = p
			}
			cur = e
		default:
			k += int32(op.Points())
		}
	}
}

const glowSize = 128

// drawGlow paints a soft radial glow from a sprite made once, with the same
// fall-off as the SVG writer's gradient.
func (g *Game) drawGlow(dst *ebiten.Image, it *diagram.Item, ox, oy float32) {
	if g.glow == nil {
		g.canvas.Reset(glowSize, glowSize)
		g.canvas.Glow(glowSize/2, glowSize/2, glowSize/2, white)
		g.glow = g.canvasImage()
	}
	op := &g.imgOp
	op.GeoM.Reset()
	op.GeoM.Translate(-glowSize/2, -glowSize/2)
	s := float64(it.R) / (glowSize / 2)
	op.GeoM.Scale(s, s)
	op.GeoM.Translate(float64(it.X-ox), float64(it.Y-oy))
	op.Filter = ebiten.FilterLinear
	g.tint(it.Color)
	dst.DrawImage(g.glow, op)
}
