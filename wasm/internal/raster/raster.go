// Package raster paints display-list items into an RGBA pixel buffer on the CPU:
// filled paths (non-zero and even-odd), strokes with round caps and joins,
// circles and soft glows, anti-aliased by exact area coverage.
//
// The renderer uses it for everything that is drawn once and then reused: the
// cached layers and the gear and disc sprites. Drawing those with the GPU's
// stencil fills meant seventeen draw calls per path (eight anti-aliasing passes
// for the polygon, eight for its curves, one to colour it), about 250 paths for
// the scene, most of a second of main-thread time on the first frame and again
// on every hover; here a path costs its outline and the pixels it paints, and a
// layer goes to the GPU as one texture upload.
//
// A path's coverage is found by a sparse scanline rasteriser (see rast), whose
// work follows the outline and the pixels painted rather than the bounding box,
// and composited run by run over the canvas, source over, premultiplied. Nothing
// here allocates once its buffers have grown to the largest shape.
package raster

import (
	"image"
	"math"

	"github.com/connectedlearning/diagram/wasm/diagram"
)

// Canvas is a premultiplied RGBA pixel buffer items are painted into.
type Canvas struct {
	// Pix holds W×H pixels, 4 bytes each (R, G, B, A premultiplied), row after row.
	Pix  []byte
	W, H int

	z     rast
	poly  []pt      // one sub-path, flattened
	norm  []segNorm // its segments' normals and lengths
	segs  []seg
	areas []float32          // the signed areas of a path's sub-paths
	glow  [glowLUT]uint16    // glow alpha (0..65535) by squared distance
	tone  [glowLUT][5]uint32 // one glow's colour by squared distance
	lut   bool
}

type pt struct{ x, y float32 }

// seg is a path segment kept for reversing a sub-path: from p0 to p1, with its
// control points.
type seg struct {
	op             diagram.PathOp
	p0, c1, c2, p1 pt
}

// Reset makes the canvas w×h pixels, all transparent.
func (c *Canvas) Reset(w, h int) {
	if !c.resize(w, h) {
		clear(c.Pix)
	}
}

// resize makes the canvas w×h pixels, leaving what they hold; it reports
// whether it allocated them (then they are transparent).
func (c *Canvas) resize(w, h int) bool {
	w, h = max(w, 0), max(h, 0)
	c.W, c.H = w, h
	n := 4 * w * h
	if cap(c.Pix) < n {
		c.Pix = make([]byte, n)
		return true
	}
	c.Pix = c.Pix[:n]
	return false
}

// Fill paints the whole canvas with col (its alpha included), replacing what was there.
func (c *Canvas) Fill(col diagram.Color) {
	if len(c.Pix) == 0 {
		return
	}
	r, g, b, a := premul(col)
	c.Pix[0], c.Pix[1], c.Pix[2], c.Pix[3] = byte(r), byte(g), byte(b), byte(a)
	for n := 4; n < len(c.Pix); n *= 2 {
		copy(c.Pix[n:], c.Pix[:n])
	}
}

// Draw paints one item of frame f, its coordinates moved by (-ox, -oy). Items of
// kind ItemDots, and gears (drawn as sprites by the renderer), are not drawn
// here: Supports tells which items are.
func (c *Canvas) Draw(f *diagram.Frame, it *diagram.Item, ox, oy float32) {
	if it.Color.A == 0 {
		return
	}
	switch it.Kind {
	case diagram.ItemFill, diagram.ItemFillEvenOdd:
		ops, pts := f.Path.Ops[it.Op0:it.Op1], f.Path.Pts[it.Pt0:]
		c.FillPath(ops, pts, it.Kind == diagram.ItemFillEvenOdd, it.Color, ox, oy)
	case diagram.ItemStroke:
		c.StrokePath(f.Path.Ops[it.Op0:it.Op1], f.Path.Pts[it.Pt0:], it.Width, it.Color, ox, oy)
	case diagram.ItemCircle:
		c.Circle(it.X-ox, it.Y-oy, it.R, it.Color)
	case diagram.ItemGlow:
		c.Glow(it.X-ox, it.Y-oy, it.R, it.Color)
	}
}

// Supports reports whether Draw paints items of kind k.
func Supports(k diagram.ItemKind) bool {
	switch k {
	case diagram.ItemFill, diagram.ItemFillEvenOdd, diagram.ItemStroke, diagram.ItemCircle, diagram.ItemGlow:
		return true
	}
	return false
}

// Bounds returns the pixels item it can touch, its coordinates moved by (-ox, -oy).
func Bounds(f *diagram.Frame, it *diagram.Item, ox, oy float32) image.Rectangle {
	switch it.Kind {
	case diagram.ItemCircle, diagram.ItemGlow:
		return rect(it.X-ox-it.R, it.Y-oy-it.R, it.X-ox+it.R, it.Y-oy+it.R, 1)
	}
	pad := float32(1)
	if it.Kind == diagram.ItemStroke {
		pad += it.Width / 2
	}
	return pathRect(f.Path.Ops[it.Op0:it.Op1], f.Path.Pts[it.Pt0:], ox, oy, pad)
}

// pathPoints is how many of pts the operations ops use.
func pathPoints(ops []diagram.PathOp) int {
	n := 0
	for _, op := range ops {
		n += op.Points()
	}
	return n
}

// pathRect is the pixel rectangle holding a path's points, moved by (-ox, -oy)
// and grown by pad (empty for a path without points).
func pathRect(ops []diagram.PathOp, pts []diagram.Pt, ox, oy, pad float32) image.Rectangle {
	n := pathPoints(ops)
	if n == 0 {
		return image.Rectangle{}
	}
	x0, y0, x1, y1 := bbox(pts[:n])
	return rect(x0-ox, y0-oy, x1-ox, y1-oy, pad)
}

func bbox(pts []diagram.Pt) (x0, y0, x1, y1 float32) {
	x0, y0 = float32(math.Inf(1)), float32(math.Inf(1))
	x1, y1 = -x0, -y0
	for _, p := range pts {
		x0, y0 = fmin(x0, p.X), fmin(y0, p.Y)
		x1, y1 = fmax(x1, p.X), fmax(y1, p.Y)
	}
	return
}

// rect is the pixel rectangle holding [x0, x1]×[y0, y1] grown by pad.
func rect(x0, y0, x1, y1, pad float32) image.Rectangle {
	if !(x0 <= x1 && y0 <= y1) { // empty, or NaN
		return image.Rectangle{}
	}
	const lim = 1 << 24 // far outside any canvas; keeps the conversions defined
	clamp := func(v float64) int { return int(math.Max(-lim, math.Min(lim, v))) }
	return image.Rect(clamp(math.Floor(float64(x0-pad))), clamp(math.Floor(float64(y0-pad))),
		clamp(math.Ceil(float64(x1+pad))), clamp(math.Ceil(float64(y1+pad))))
}

// begin starts a shape that lies within r (canvas pixels). It reports false,
// and the shape need not be added, when nothing of r is on the canvas.
func (c *Canvas) begin(r image.Rectangle) bool {
	if !r.Overlaps(image.Rect(0, 0, c.W, c.H)) {
		return false
	}
	c.z.reset(c.W, c.H)
	return true
}

// end composites the shape added since begin, in colour col, over the canvas.
func (c *Canvas) end(col diagram.Color) {
	sr, sg, sb, sa := premul(col)
	c.z.sweep(c.Pix, sr, sg, sb, sa)
}

// blendRun composites a premultiplied colour at coverage cov (1..255) over the
// pixels of d.
func blendRun(d []byte, cov, sr, sg, sb, sa uint32) {
	if cov == 255 && sa == 255 {
		for i := 0; i+3 < len(d); i += 4 {
			d[i], d[i+1], d[i+2], d[i+3] = byte(sr), byte(sg), byte(sb), 255
		}
		return
	}
	k := cov * 257 // 0..65535
	a := (sa*k + 1<<15) >> 16
	inv := (255 - a) * 257
	pr, pg, pb := sr*k+1<<15, sg*k+1<<15, sb*k+1<<15
	for i := 0; i+3 < len(d); i += 4 {
		d[i] = byte((pr + uint32(d[i])*inv) >> 16)
		d[i+1] = byte((pg + uint32(d[i+1])*inv) >> 16)
		d[i+2] = byte((pb + uint32(d[i+2])*inv) >> 16)
		d[i+3] = byte(a + (uint32(d[i+3])*inv+1<<15)>>16)
	}
}

// div255 is x/255 rounded, for x up to 255*255.
func div255(x uint32) uint32 { x += 128; return (x + x>>8) >> 8 }

func premul(c diagram.Color) (r, g, b, a uint32) {
	a = uint32(c.A)
	return div255(uint32(c.R) * a), div255(uint32(c.G) * a), div255(uint32(c.B) * a), a
}

// FillPath fills a path (operations and their points), moved by (-ox, -oy), by
// the non-zero rule, or the even-odd rule if evenOdd.
//
// The coverage of overlapping sub-paths is summed with its sign and clamped, so
// sub-paths wound alike add up and sub-paths wound against each other cut holes.
// The even-odd rule is honoured for what this program fills with it, an outline
// with holes inside (the gears): the largest sub-path is wound one way and every
// other sub-path the other, whichever way they were given.
func (c *Canvas) FillPath(ops []diagram.PathOp, pts []diagram.Pt, evenOdd bool, col diagram.Color, ox, oy float32) {
	if !c.begin(pathRect(ops, pts, ox, oy, 1)) {
		return
	}
	if !evenOdd {
		k := 0
		for _, op := range ops {
			switch op {
			case diagram.OpMove: // closes the sub-path before
				c.z.MoveTo(pts[k].X-ox, pts[k].Y-oy)
			case diagram.OpClose:
				c.z.ClosePath()
			default:
				c.segment(op, pts[k:], ox, oy)
			}
			k += op.Points()
		}
		c.z.ClosePath()
		c.end(col)
		return
	}
	// Even-odd: the sub-paths' windings, the largest one's first, then each
	// sub-path added wound to match.
	c.areas = c.areas[:0]
	big := 0
	forEachSubPath(ops, pts, func(start pt, sops []diagram.PathOp, p []diagram.Pt) {
		c.areas = append(c.areas, area(start, sops, p))
		if i := len(c.areas) - 1; abs(c.areas[i]) > abs(c.areas[big]) {
			big = i
		}
	})
	i := 0
	forEachSubPath(ops, pts, func(start pt, sops []diagram.PathOp, p []diagram.Pt) {
		want := -sign(c.areas[big])
		if i == big {
			want = -want
		}
		c.addSubPath(start, sops, p, sign(c.areas[i]) != want, ox, oy)
		i++
	})
	c.end(col)
}

// forEachSubPath calls fn for each sub-path: its start point and its segments
// (operations after the move, Close excluded) with their points.
func forEachSubPath(ops []diagram.PathOp, pts []diagram.Pt, fn func(start pt, ops []diagram.PathOp, pts []diagram.Pt)) {
	k := 0
	for i := 0; i < len(ops); {
		if ops[i] != diagram.OpMove {
			k += ops[i].Points()
			i++
			continue
		}
		start := pt{pts[k].X, pts[k].Y}
		k++
		i++
		j, kk := i, k
		for j < len(ops) && ops[j] != diagram.OpMove && ops[j] != diagram.OpClose {
			kk += ops[j].Points()
			j++
		}
		fn(start, ops[i:j], pts[k:kk])
		i, k = j, kk
	}
}

// area is the signed area of a sub-path's control polygon: its sign is the
// sub-path's winding.
func area(start pt, ops []diagram.PathOp, pts []diagram.Pt) float32 {
	var s float32
	prev := start
	k := 0
	for _, op := range ops {
		for j := 0; j < op.Points(); j++ {
			p := pt{pts[k].X, pts[k].Y}
			s += prev.x*p.y - p.x*prev.y
			prev = p
			k++
		}
	}
	s += prev.x*start.y - start.x*prev.y
	return s / 2
}

// addSubPath adds one closed sub-path to the rasterizer, reversed if rev.
func (c *Canvas) addSubPath(start pt, ops []diagram.PathOp, pts []diagram.Pt, rev bool, dx, dy float32) {
	if !rev {
		c.z.MoveTo(start.x-dx, start.y-dy)
		k := 0
		for _, op := range ops {
			c.segment(op, pts[k:], dx, dy)
			k += op.Points()
		}
		c.z.ClosePath()
		return
	}
	// Reversed: the closing edge first, then the segments back to front, each
	// from its end to its start with its control points swapped.
	c.segs = c.segs[:0]
	prev := start
	k := 0
	for _, op := range ops {
		sg := seg{op: op, p0: prev}
		switch op {
		case diagram.OpLine:
			sg.p1 = pt{pts[k].X, pts[k].Y}
		case diagram.OpQuad:
			sg.c1, sg.p1 = pt{pts[k].X, pts[k].Y}, pt{pts[k+1].X, pts[k+1].Y}
		case diagram.OpCubic:
			sg.c1, sg.c2, sg.p1 = pt{pts[k].X, pts[k].Y}, pt{pts[k+1].X, pts[k+1].Y}, pt{pts[k+2].X, pts[k+2].Y}
		}
		k += op.Points()
		prev = sg.p1
		c.segs = append(c.segs, sg)
	}
	c.z.MoveTo(start.x-dx, start.y-dy)
	c.z.LineTo(prev.x-dx, prev.y-dy)
	for i := len(c.segs) - 1; i >= 0; i-- {
		sg := &c.segs[i]
		switch sg.op {
		case diagram.OpLine:
			c.z.LineTo(sg.p0.x-dx, sg.p0.y-dy)
		case diagram.OpQuad:
			c.quadTo(pt{sg.c1.x - dx, sg.c1.y - dy}, pt{sg.p0.x - dx, sg.p0.y - dy})
		case diagram.OpCubic:
			c.cubeTo(pt{sg.c2.x - dx, sg.c2.y - dy}, pt{sg.c1.x - dx, sg.c1.y - dy}, pt{sg.p0.x - dx, sg.p0.y - dy})
		}
	}
	c.z.ClosePath()
}

// segment adds a line or a curve from the pen, through the points p starts
// with, moved by (-dx, -dy).
func (c *Canvas) segment(op diagram.PathOp, p []diagram.Pt, dx, dy float32) {
	switch op {
	case diagram.OpLine:
		c.z.LineTo(p[0].X-dx, p[0].Y-dy)
	case diagram.OpQuad:
		c.quadTo(pt{p[0].X - dx, p[0].Y - dy}, pt{p[1].X - dx, p[1].Y - dy})
	case diagram.OpCubic:
		c.cubeTo(pt{p[0].X - dx, p[0].Y - dy}, pt{p[1].X - dx, p[1].Y - dy}, pt{p[2].X - dx, p[2].Y - dy})
	}
}

// quadTo and cubeTo add curves from the pen to the rasterizer, flattened to
// within flatTol (the rasterizer's own flattening is coarser).
func (c *Canvas) quadTo(p1, p2 pt) {
	x, y := c.z.Pen()
	c.poly = append(c.poly[:0], pt{x, y})
	c.flattenQuad(p1, p2)
	for _, p := range c.poly[1:] {
		c.z.LineTo(p.x, p.y)
	}
}

func (c *Canvas) cubeTo(p1, p2, p3 pt) {
	x, y := c.z.Pen()
	c.poly = append(c.poly[:0], pt{x, y})
	c.flattenCubic(p1, p2, p3)
	for _, p := range c.poly[1:] {
		c.z.LineTo(p.x, p.y)
	}
}

func abs(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

func sign(x float32) float32 {
	if x < 0 {
		return -1
	}
	return 1
}

// Circle fills a circle of radius r at (x, y).
func (c *Canvas) Circle(x, y, r float32, col diagram.Color) {
	if !(r > 0) || col.A == 0 {
		return
	}
	if !c.begin(rect(x-r, y-r, x+r, y+r, 1)) {
		return
	}
	c.z.MoveTo(x+r, y)
	c.arc(pt{x, y}, r, 0, 2*math.Pi)
	c.z.ClosePath()
	c.end(col)
}

const glowLUT = 1024

// Glow paints a soft radial glow of radius r at (x, y): the display list's glow,
// alpha diagram.GlowAlpha(distance/r) times the colour's.
func (c *Canvas) Glow(x, y, r float32, col diagram.Color) {
	if !(r > 0) || col.A == 0 {
		return
	}
	if !c.lut {
		for i := range c.glow {
			// Entry i is the alpha at squared relative distance (i+0.5)/glowLUT.
			c.glow[i] = uint16(diagram.GlowAlpha(math.Sqrt((float64(i)+0.5)/glowLUT))*65535 + 0.5)
		}
		c.lut = true
	}
	rr := rect(x-r, y-r, x+r, y+r, 0).Intersect(image.Rect(0, 0, c.W, c.H))
	if rr.Empty() {
		return
	}
	// What the colour adds and what it leaves of the pixel under it, by distance.
	sr, sg, sb, sa := premul(col)
	for i, g := range c.glow {
		k := uint32(g)
		a := (sa*k + 1<<15) >> 16
		c.tone[i] = [5]uint32{sr * k, sg * k, sb * k, a, (255 - a) * 257}
	}
	inv2 := glowLUT / (r * r)
	for py := rr.Min.Y; py < rr.Max.Y; py++ {
		fy := float32(py) + 0.5 - y
		if fy*fy >= r*r {
			continue
		}
		// Only the pixels of this row inside the circle.
		half := float32(math.Sqrt(float64(r*r - fy*fy)))
		x0, x1 := max(rr.Min.X, int(x-half-0.5)), min(rr.Max.X, int(x+half+1.5))
		fy2 := fy * fy
		row := c.Pix[4*(py*c.W):]
		for px := x0; px < x1; px++ {
			fx := float32(px) + 0.5 - x
			u := (fx*fx + fy2) * inv2
			if u >= glowLUT {
				continue
			}
			t := &c.tone[int(u)]
			i := 4 * px
			inv := t[4]
			row[i] = byte((t[0] + uint32(row[i])*inv + 1<<15) >> 16)
			row[i+1] = byte((t[1] + uint32(row[i+1])*inv + 1<<15) >> 16)
			row[i+2] = byte((t[2] + uint32(row[i+2])*inv + 1<<15) >> 16)
			row[i+3] = byte(t[3] + (uint32(row[i+3])*inv+1<<15)>>16)
		}
	}
}
