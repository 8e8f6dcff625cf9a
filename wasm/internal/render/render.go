//go:build js && wasm

// Package render draws the diagram's display list with Ebiten and turns pointer
// input into model events. It holds no logic of its own: what to draw and what a
// click means are the model's (package diagram) and the controller's (package app).
//
// Invariants:
//   - It draws only when the model says the picture changed; the screen is not
//     cleared between frames (SetScreenClearedEveryFrame(false)), so a paused or
//     idle diagram costs no drawing at all.
//   - Anti-aliased vector fills are expensive (each path is drawn eight times into
//     a stencil buffer), so they are drawn as rarely as possible: the cached layers
//     of the display list are kept as images and redrawn only when their version
//     changes; gears, hubs and pulses are sprites made once per size and tinted
//     per frame. A frame in steady motion is a few dozen textured quads. Inside a
//     cached layer circles are paths too: Ebiten fills consecutive paths on one
//     image in one batch, where a new sprite per radius is a batch of its own.
//   - Paths, options and the frame are reused; drawing a frame allocates nothing
//     of its own.
//   - Keyboard input is the page's: the loader keeps keys away from Ebiten's canvas.
package render

import (
	"image"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/connectedlearning/diagram/wasm/diagram"
	"github.com/connectedlearning/diagram/wasm/internal/app"
)

// Game is the ebiten.Game of the diagram.
type Game struct {
	ctrl  *app.Controller
	scene *diagram.Scene

	frame    diagram.Frame
	path     vector.Path
	stroke   vector.Path
	fillOpt  vector.FillOptions
	drawOpt  vector.DrawPathOptions
	strokeOp vector.AddStrokeOptions
	imgOp    ebiten.DrawImageOptions

	layers [diagram.NumLayers]layerCache
	gears  []sprite              // by gear index
	discs  map[int]*ebiten.Image // white discs by radius in quarter pixels
	glow   *ebiten.Image

	w, h       float64
	lastRect   image.Rectangle // where the opaque layer was drawn last
	lastBg     diagram.Color   // and on which background
	cx, cy     int
	cursorHand bool
	touches    []ebiten.TouchID
	drawn      bool
	idle       bool
}

type layerCache struct {
	img     *ebiten.Image
	version uint64
	valid   bool
	rect    image.Rectangle
}

type sprite struct {
	img   *ebiten.Image
	scale float32
	half  float64
}

// New returns the game for a controller.
func New(c *app.Controller) *Game {
	g := &Game{ctrl: c, scene: c.Scene, discs: map[int]*ebiten.Image{}}
	g.strokeOp.LineCap = vector.LineCapRound
	g.strokeOp.LineJoin = vector.LineJoinRound
	g.drawOpt.AntiAlias = true
	return g
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
	x, y := ebiten.CursorPosition()
	if x != g.cx || y != g.cy {
		g.cx, g.cy = x, y
		g.ctrl.Pointer(float64(x), float64(y), true)
	}
	if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
		g.ctrl.Click(float64(x), float64(y))
	}
	g.touches = inpututil.AppendJustPressedTouchIDs(g.touches[:0])
	for _, id := range g.touches {
		tx, ty := ebiten.TouchPosition(id)
		g.ctrl.Pointer(float64(tx), float64(ty), true)
		g.ctrl.Click(float64(tx), float64(ty))
	}
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
	g.setIdle(!g.scene.Playing() && !g.scene.Transitioning() && !g.scene.NeedsDraw())
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

// Draw paints the display list when the picture changed, and nothing otherwise.
func (g *Game) Draw(screen *ebiten.Image) {
	if !g.scene.NeedsDraw() && g.drawn {
		return
	}
	g.scene.Build(&g.frame)
	f := &g.frame
	// The screen is not cleared between frames. It is filled only when the opaque
	// layer (the scene's square, background included) will not cover what changed.
	if len(f.Items) == 0 || f.Items[0].Layer != diagram.LayerPLN || !g.drawn ||
		g.layerRect(diagram.LayerPLN) != g.lastRect || f.Background != g.lastBg {
		screen.Fill(rgba(f.Background))
	}
	g.lastRect, g.lastBg = g.layerRect(diagram.LayerPLN), f.Background
	for i := 0; i < len(f.Items); {
		l := f.Items[i].Layer
		if l.Cached() {
			j := i
			for j < len(f.Items) && f.Items[j].Layer == l {
				j++
			}
			g.drawLayer(screen, l, f.Items[i:j])
			i = j
			continue
		}
		g.drawItem(screen, &f.Items[i], 0, 0)
		i++
	}
	if !g.drawn {
		g.drawn = true
		g.ctrl.FirstFrameDrawn()
	}
}

// layerRect is where layer l's image goes on the screen: its bounds, in whole
// pixels, with a margin for anti-aliasing.
func (g *Game) layerRect(l diagram.Layer) image.Rectangle {
	b := g.frame.Layers[l].Bounds
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
	if c.img == nil || c.rect.Dx() != r.Dx() || c.rect.Dy() != r.Dy() {
		if c.img != nil {
			c.img.Deallocate()
		}
		c.img = ebiten.NewImage(r.Dx(), r.Dy())
		c.valid = false
	}
	if !c.valid || c.version != info.Version || c.rect != r {
		if info.Opaque {
			c.img.Fill(rgba(g.frame.Background))
		} else {
			c.img.Clear()
		}
		for i := range items {
			g.drawItem(c.img, &items[i], float32(r.Min.X), float32(r.Min.Y))
		}
		c.version, c.valid, c.rect = info.Version, true, r
	}
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

// drawItem draws one item, its coordinates moved by (-ox, -oy).
func (g *Game) drawItem(dst *ebiten.Image, it *diagram.Item, ox, oy float32) {
	switch it.Kind {
	case diagram.ItemGlow:
		g.drawGlow(dst, it, ox, oy)
	case diagram.ItemCircle:
		if it.Layer.Cached() {
			// Into a cached layer: a path, filled with the layer's other paths in
			// one batch, rather than a sprite per radius, each filled on its own.
			g.fillCircle(dst, it.X-ox, it.Y-oy, it.R, it.Color)
			return
		}
		g.drawDisc(dst, it.X-ox, it.Y-oy, it.R, it.Color)
	case diagram.ItemDots:
		g.drawDots(dst, it, ox, oy)
	case diagram.ItemFill, diagram.ItemFillEvenOdd:
		if it.Gear > 0 {
			g.drawGear(dst, it, ox, oy)
			return
		}
		g.buildPath(&g.path, it, ox, oy)
		g.fillOpt.FillRule = vector.FillRuleNonZero
		if it.Kind == diagram.ItemFillEvenOdd {
			g.fillOpt.FillRule = vector.FillRuleEvenOdd
		}
		g.setColor(it.Color)
		vector.FillPath(dst, &g.path, &g.fillOpt, &g.drawOpt)
	case diagram.ItemStroke:
		g.buildPath(&g.path, it, ox, oy)
		g.stroke.Reset()
		g.strokeOp.Width = it.Width
		g.stroke.AddStroke(&g.path, &g.strokeOp)
		g.fillOpt.FillRule = vector.FillRuleNonZero
		g.setColor(it.Color)
		vector.FillPath(dst, &g.stroke, &g.fillOpt, &g.drawOpt)
	}
}

func (g *Game) setColor(c diagram.Color) {
	a := float32(c.A) / 255
	g.drawOpt.ColorScale.Reset()
	g.drawOpt.ColorScale.Scale(float32(c.R)/255*a, float32(c.G)/255*a, float32(c.B)/255*a, a)
}

func (g *Game) tint(c diagram.Color) {
	a := float32(c.A) / 255
	g.imgOp.ColorScale.Reset()
	g.imgOp.ColorScale.Scale(float32(c.R)/255*a, float32(c.G)/255*a, float32(c.B)/255*a, a)
}

func (g *Game) buildPath(p *vector.Path, it *diagram.Item, ox, oy float32) {
	p.Reset()
	appendPath(p, g.frame.Path.Ops[it.Op0:it.Op1], g.frame.Path.Pts[it.Pt0:], ox, oy)
}

// appendPath adds a model path (operations and their points) to p, moved by
// (-ox, -oy).
func appendPath(p *vector.Path, ops []diagram.PathOp, pts []diagram.Pt, ox, oy float32) {
	k := 0
	for _, op := range ops {
		switch op {
		case diagram.OpMove:
			p.MoveTo(pts[k].X-ox, pts[k].Y-oy)
			k++
		case diagram.OpLine:
			p.LineTo(pts[k].X-ox, pts[k].Y-oy)
			k++
		case diagram.OpQuad:
			p.QuadTo(pts[k].X-ox, pts[k].Y-oy, pts[k+1].X-ox, pts[k+1].Y-oy)
			k += 2
		case diagram.OpCubic:
			p.CubicTo(pts[k].X-ox, pts[k].Y-oy, pts[k+1].X-ox, pts[k+1].Y-oy, pts[k+2].X-ox, pts[k+2].Y-oy)
			k += 3
		case diagram.OpClose:
			p.Close()
		}
	}
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
		sp.img = ebiten.NewImage(int(2*half), int(2*half))
		sp.half, sp.scale = half, it.Scale
		var p diagram.Path
		diagram.AppendGear(&p, sh, g.scene.GearStyle(gi), diagram.NewAffine(diagram.Vec{X: half, Y: half}, 0, float64(it.Scale)))
		g.fillPath(sp.img, &p, vector.FillRuleEvenOdd)
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

// fillPath fills a model path in white (sprites are tinted when drawn).
func (g *Game) fillPath(dst *ebiten.Image, p *diagram.Path, rule vector.FillRule) {
	g.path.Reset()
	appendPath(&g.path, p.Ops, p.Pts, 0, 0)
	g.fillOpt.FillRule = rule
	g.drawOpt.ColorScale.Reset()
	vector.FillPath(dst, &g.path, &g.fillOpt, &g.drawOpt)
}

// fillCircle fills a circle of radius r at (x, y) in colour c.
func (g *Game) fillCircle(dst *ebiten.Image, x, y, r float32, c diagram.Color) {
	if r <= 0 || c.A == 0 {
		return
	}
	g.path.Reset()
	g.path.Arc(x, y, r, 0, 2*math.Pi, vector.Clockwise)
	g.path.Close()
	g.fillOpt.FillRule = vector.FillRuleNonZero
	g.setColor(c)
	vector.FillPath(dst, &g.path, &g.fillOpt, &g.drawOpt)
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
		img = ebiten.NewImage(int(2*half), int(2*half))
		g.fillCircle(img, half, half, rr, white)
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
			k += opPoints(op)
		}
	}
}

func opPoints(op diagram.PathOp) int32 {
	switch op {
	case diagram.OpMove, diagram.OpLine:
		return 1
	case diagram.OpQuad:
		return 2
	case diagram.OpCubic:
		return 3
	}
	return 0
}

const glowSize = 128

// drawGlow paints a soft radial glow from a sprite made once, with the same
// fall-off as the SVG writer's gradient.
func (g *Game) drawGlow(dst *ebiten.Image, it *diagram.Item, ox, oy float32) {
	if g.glow == nil {
		g.glow = ebiten.NewImage(glowSize, glowSize)
		pix := make([]byte, 4*glowSize*glowSize)
		for y := 0; y < glowSize; y++ {
			for x := 0; x < glowSize; x++ {
				dx := (float64(x) + 0.5 - glowSize/2) / (glowSize / 2)
				dy := (float64(y) + 0.5 - glowSize/2) / (glowSize / 2)
				a := byte(diagram.GlowAlpha(min(1, math.Sqrt(dx*dx+dy*dy)))*255 + 0.5)
				i := 4 * (y*glowSize + x)
				pix[i], pix[i+1], pix[i+2], pix[i+3] = a, a, a, a
			}
		}
		g.glow.WritePixels(pix)
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
