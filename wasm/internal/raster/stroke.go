package raster

import (
	"math"

	"github.com/connectedlearning/diagram/wasm/diagram"
)

// flatTol is how far (pixels) a flattened curve may stray from the true one.
const flatTol = 0.15

// StrokePath strokes a path, moved by (-ox, -oy), with a line of width w, round
// caps and round joins.
//
// Each sub-path is flattened and its outline added as one closed polygon: along
// one side, round about the end, back along the other side, round about the
// start (a closed sub-path gives two loops, one each way, that bound a band).
// Outer corners are arcs; inner corners go through the corner point itself, so
// the overlap they make is wound the same way as the rest and counts once.
func (c *Canvas) StrokePath(ops []diagram.PathOp, pts []diagram.Pt, w float32, col diagram.Color, ox, oy float32) {
	if !(w > 0) || col.A == 0 {
		return
	}
	hw := w / 2
	if !c.begin(pathRect(ops, pts, ox, oy, hw+1)) {
		return
	}
	at := func(p diagram.Pt) pt { return pt{p.X - ox, p.Y - oy} }
	c.poly = c.poly[:0]
	k := 0
	for _, op := range ops {
		switch op {
		case diagram.OpMove:
			c.strokeSub(hw, false)
			c.poly = append(c.poly[:0], at(pts[k]))
		case diagram.OpLine:
			c.poly = append(c.poly, at(pts[k]))
		case diagram.OpQuad:
			c.flattenQuad(at(pts[k]), at(pts[k+1]))
		case diagram.OpCubic:
			c.flattenCubic(at(pts[k]), at(pts[k+1]), at(pts[k+2]))
		case diagram.OpClose:
			c.strokeSub(hw, true)
			c.poly = c.poly[:0]
		}
		k += op.Points()
	}
	c.strokeSub(hw, false)
	c.end(col)
}

func (c *Canvas) flattenQuad(p1, p2 pt) {
	if len(c.poly) == 0 {
		return
	}
	p0 := c.poly[len(c.poly)-1]
	dd := hypot(p0.x-2*p1.x+p2.x, p0.y-2*p1.y+p2.y)
	n := steps(dd / (4 * flatTol))
	for i := 1; i <= n; i++ {
		t := float32(i) / float32(n)
		u := 1 - t
		c.poly = append(c.poly, pt{u*u*p0.x + 2*u*t*p1.x + t*t*p2.x, u*u*p0.y + 2*u*t*p1.y + t*t*p2.y})
	}
}

func (c *Canvas) flattenCubic(p1, p2, p3 pt) {
	if len(c.poly) == 0 {
		return
	}
	p0 := c.poly[len(c.poly)-1]
	dd := fmax(hypot(p0.x-2*p1.x+p2.x, p0.y-2*p1.y+p2.y), hypot(p1.x-2*p2.x+p3.x, p1.y-2*p2.y+p3.y))
	n := steps(0.75 * dd / flatTol)
	for i := 1; i <= n; i++ {
		t := float32(i) / float32(n)
		u := 1 - t
		a, b, cc, d := u*u*u, 3*u*u*t, 3*u*t*t, t*t*t
		c.poly = append(c.poly, pt{a*p0.x + b*p1.x + cc*p2.x + d*p3.x, a*p0.y + b*p1.y + cc*p2.y + d*p3.y})
	}
}

// steps is the number of segments, ceil(sqrt(v)), kept between 1 and 256.
func steps(v float32) int {
	if !(v > 1) {
		return 1
	}
	return int(min(256, math.Ceil(math.Sqrt(float64(v)))))
}

func hypot(x, y float32) float32 { return float32(math.Sqrt(float64(x*x + y*y))) }

// strokeSub adds the outline of the flattened sub-path in c.poly, of half-width hw.
func (c *Canvas) strokeSub(hw float32, closed bool) {
	// Drop repeated points; a closed path need not repeat its start.
	p := c.poly
	m := 0
	for i := range p {
		if m > 0 && abs(p[i].x-p[m-1].x) < 1e-3 && abs(p[i].y-p[m-1].y) < 1e-3 {
			continue
		}
		p[m] = p[i]
		m++
	}
	p = p[:m]
	if closed && m > 1 && abs(p[0].x-p[m-1].x) < 1e-3 && abs(p[0].y-p[m-1].y) < 1e-3 {
		p = p[:m-1]
		m--
	}
	if m == 0 {
		return
	}
	if m == 1 {
		// A dot: the two round caps meet.
		c.z.MoveTo(p[0].x+hw, p[0].y)
		c.arc(p[0], hw, 0, -2*math.Pi)
		c.z.ClosePath()
		return
	}
	// Each segment's left normal, of length hw, and its length; segment i runs
	// from p[i] to p[i+1], the last of a closed path back to p[0].
	segs := m - 1
	if closed {
		segs = m
	}
	c.norm = c.norm[:0]
	for i := 0; i < segs; i++ {
		d := p[(i+1)%m].sub(p[i])
		l := hypot(d.x, d.y)
		c.norm = append(c.norm, segNorm{pt{-d.y * hw / l, d.x * hw / l}, l})
	}
	nm := c.norm
	if closed && m >= 3 {
		// Two loops: along the left side forwards, then along the right side
		// backwards; together they bound the band.
		c.z.MoveTo(p[0].x+nm[0].n.x, p[0].y+nm[0].n.y)
		for i := 0; i < m; i++ {
			j := (i + 1) % m
			c.z.LineTo(p[j].x+nm[i].n.x, p[j].y+nm[i].n.y)
			c.join(p[j], nm[i].n, nm[j].n, hw, nm[i].l, nm[j].l)
		}
		c.z.ClosePath()
		c.z.MoveTo(p[0].x-nm[m-1].n.x, p[0].y-nm[m-1].n.y)
		for i := m - 1; i >= 0; i-- {
			c.z.LineTo(p[i].x-nm[i].n.x, p[i].y-nm[i].n.y)
			prev := (i - 1 + m) % m
			c.join(p[i], nm[i].n.neg(), nm[prev].n.neg(), hw, nm[i].l, nm[prev].l)
		}
		c.z.ClosePath()
		return
	}
	// Open: along the left side, round the end, back along the right side,
	// round the start.
	last := m - 2 // the last segment
	c.z.MoveTo(p[0].x+nm[0].n.x, p[0].y+nm[0].n.y)
	for i := 0; i <= last; i++ {
		c.z.LineTo(p[i+1].x+nm[i].n.x, p[i+1].y+nm[i].n.y)
		if i < last {
			c.join(p[i+1], nm[i].n, nm[i+1].n, hw, nm[i].l, nm[i+1].l)
		}
	}
	c.arc(p[m-1], hw, atan2(nm[last].n.y, nm[last].n.x), -math.Pi)
	for i := last; i >= 0; i-- {
		c.z.LineTo(p[i].x-nm[i].n.x, p[i].y-nm[i].n.y)
		if i > 0 {
			c.join(p[i], nm[i].n.neg(), nm[i-1].n.neg(), hw, nm[i].l, nm[i-1].l)
		}
	}
	c.arc(p[0], hw, atan2(-nm[0].n.y, -nm[0].n.x), -math.Pi)
	c.z.ClosePath()
}

// segNorm is a flattened segment's left normal n (of the stroke's half-width)
// and its length l.
type segNorm struct {
	n pt
	l float32
}

func (a pt) sub(b pt) pt { return pt{a.x - b.x, a.y - b.y} }
func (a pt) neg() pt     { return pt{-a.x, -a.y} }

// join turns the outline's corner at centre o, from offset a to offset b (the
// pen is at o+a), between segments of lengths la and lb. The outline runs with
// its outer arcs turning clockwise on screen (negative angles): a corner that
// turns that way is outer and gets an arc. An inner corner is cut where the two
// offset lines cross, when they cross within both segments (always, along a
// flattened curve narrower than twice its radius); otherwise the outline goes
// through o, which overlaps the stroke itself, wound the same way.
func (c *Canvas) join(o, a, b pt, hw, la, lb float32) {
	dot := a.x*b.x + a.y*b.y
	sweep := math.Atan2(float64(a.x*b.y-a.y*b.x), float64(dot))
	if sweep < 0 {
		c.arc(o, hw, atan2(a.y, a.x), sweep)
		return
	}
	if sweep < 1e-4 {
		c.z.LineTo(o.x+b.x, o.y+b.y)
		return
	}
	// The offset lines cross at o + (a+b)·hw²/(hw²+a·b), hw·tan(sweep/2) back
	// along each segment.
	if back := float64(hw) * math.Tan(sweep/2); back <= float64(fmin(la, lb)) {
		k := hw * hw / (hw*hw + dot)
		c.z.LineTo(o.x+(a.x+b.x)*k, o.y+(a.y+b.y)*k)
		return
	}
	c.z.LineTo(o.x, o.y)
	c.z.LineTo(o.x+b.x, o.y+b.y)
}

// arc continues the outline along a circle of radius r about o, from angle a0
// (where the pen is) through sweep radians.
func (c *Canvas) arc(o pt, r float32, a0, sweep float64) {
	step := math.Pi / 2
	if r > flatTol {
		step = 2 * math.Acos(1-flatTol/float64(r))
	}
	n := max(1, int(math.Ceil(math.Abs(sweep)/step)))
	// The chords' corners sit a little outside the circle, so the polygon covers
	// the arc's area (chords through the circle would shave it).
	th := math.Abs(sweep) / float64(n)
	rr := float64(r) * math.Sqrt(th/math.Sin(th))
	for i := 1; i < n; i++ {
		a := a0 + sweep*float64(i)/float64(n)
		s, co := math.Sincos(a)
		c.z.LineTo(o.x+float32(rr*co), o.y+float32(rr*s))
	}
	s, co := math.Sincos(a0 + sweep)
	c.z.LineTo(o.x+r*float32(co), o.y+r*float32(s))
}

func atan2(y, x float32) float64 { return math.Atan2(float64(y), float64(x)) }
