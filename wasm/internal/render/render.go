//go:build js && wasm

// Package render draws the diagram's display list with Ebiten and turns pointer
// input into model events. It holds no logic of its own: what to draw and what a
// click means are the model's (package diagram) and the controller's (package app).
//
// Invariants:
//   - It draws only when the model says the picture changed; the screen is not
//     cleared between frames (SetScreenClearedEveryFrame(false)), so a paused or
//     idle diagram costs no drawing at all.
//   - Paths, options and the frame are reused; drawing a frame allocates nothing
//     of its own.
//   - Keyboard input is the page's: the loader keeps keys away from Ebiten's canvas.
package render

import (
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
	glow     *ebiten.Image

	w, h       float64
	cx, cy     int
	cursorHand bool
	touches    []ebiten.TouchID
	drawn      bool
}

// New returns the game for a controller.
func New(c *app.Controller) *Game {
	g := &Game{ctrl: c, scene: c.Scene}
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
	return nil
}

// Draw paints the display list when the picture changed, and nothing otherwise.
func (g *Game) Draw(screen *ebiten.Image) {
	if !g.scene.NeedsDraw() && g.drawn {
		return
	}
	g.scene.Build(&g.frame)
	screen.Fill(rgba(g.frame.Background))
	f := &g.frame
	for i := range f.Items {
		it := &f.Items[i]
		switch it.Kind {
		case diagram.ItemGlow:
			g.drawGlow(screen, it)
		case diagram.ItemCircle:
			g.path.Reset()
			g.path.Arc(it.X, it.Y, it.R, 0, 2*3.14159265, vector.Clockwise)
			g.path.Close()
			g.fillOpt.FillRule = vector.FillRuleNonZero
			g.setColor(it.Color)
			vector.FillPath(screen, &g.path, &g.fillOpt, &g.drawOpt)
		case diagram.ItemFill, diagram.ItemFillEvenOdd:
			g.buildPath(&g.path, it)
			g.fillOpt.FillRule = vector.FillRuleNonZero
			if it.Kind == diagram.ItemFillEvenOdd {
				g.fillOpt.FillRule = vector.FillRuleEvenOdd
			}
			g.setColor(it.Color)
			vector.FillPath(screen, &g.path, &g.fillOpt, &g.drawOpt)
		case diagram.ItemStroke:
			g.buildPath(&g.path, it)
			g.stroke.Reset()
			g.strokeOp.Width = it.Width
			g.stroke.AddStroke(&g.path, &g.strokeOp)
			g.fillOpt.FillRule = vector.FillRuleNonZero
			g.setColor(it.Color)
			vector.FillPath(screen, &g.stroke, &g.fillOpt, &g.drawOpt)
		}
	}
	if !g.drawn {
		g.drawn = true
		g.ctrl.FirstFrameDrawn()
	}
}

func (g *Game) setColor(c diagram.Color) {
	a := float32(c.A) / 255
	g.drawOpt.ColorScale.Reset()
	g.drawOpt.ColorScale.Scale(float32(c.R)/255*a, float32(c.G)/255*a, float32(c.B)/255*a, a)
}

func (g *Game) buildPath(p *vector.Path, it *diagram.Item) {
	p.Reset()
	pts := g.frame.Path.Pts
	k := it.Pt0
	for _, op := range g.frame.Path.Ops[it.Op0:it.Op1] {
		switch op {
		case diagram.OpMove:
			p.MoveTo(pts[k].X, pts[k].Y)
			k++
		case diagram.OpLine:
			p.LineTo(pts[k].X, pts[k].Y)
			k++
		case diagram.OpQuad:
			p.QuadTo(pts[k].X, pts[k].Y, pts[k+1].X, pts[k+1].Y)
			k += 2
		case diagram.OpCubic:
			p.CubicTo(pts[k].X, pts[k].Y, pts[k+1].X, pts[k+1].Y, pts[k+2].X, pts[k+2].Y)
			k += 3
		case diagram.OpClose:
			p.Close()
		}
	}
}

const glowSize = 128

// drawGlow paints a soft radial glow from a sprite made once, with the same
// fall-off as the SVG writer's gradient.
func (g *Game) drawGlow(screen *ebiten.Image, it *diagram.Item) {
	if g.glow == nil {
		g.glow = ebiten.NewImage(glowSize, glowSize)
		pix := make([]byte, 4*glowSize*glowSize)
		for y := 0; y < glowSize; y++ {
			for x := 0; x < glowSize; x++ {
				dx := (float64(x) + 0.5 - glowSize/2) / (glowSize / 2)
				dy := (float64(y) + 0.5 - glowSize/2) / (glowSize / 2)
				a := byte(diagram.GlowAlpha(min(1, sqrt(dx*dx+dy*dy)))*255 + 0.5)
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
	op.GeoM.Translate(float64(it.X), float64(it.Y))
	op.ColorScale.Reset()
	c := it.Color
	a := float32(c.A) / 255
	op.ColorScale.Scale(float32(c.R)/255*a, float32(c.G)/255*a, float32(c.B)/255*a, a)
	op.Filter = ebiten.FilterLinear
	screen.DrawImage(g.glow, op)
}

func sqrt(x float64) float64 {
	// Newton's method is plenty for a one-off sprite and avoids importing math here.
	if x <= 0 {
		return 0
	}
	r := x
	for i := 0; i < 20; i++ {
		r = (r + x/r) / 2
	}
	return r
}
