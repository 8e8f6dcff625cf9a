package diagram

import "math"

// Pt is a point of the display list in device pixels.
type Pt struct{ X, Y float32 }

// PathOp is one drawing operation of a path.
type PathOp uint8

const (
	OpMove  PathOp = iota // 1 point
	OpLine                // 1 point
	OpQuad                // 2 points: control, end
	OpCubic               // 3 points: control, control, end
	OpClose               // 0 points
)

// Points is how many points the operation takes.
func (op PathOp) Points() int {
	switch op {
	case OpMove, OpLine:
		return 1
	case OpQuad:
		return 2
	case OpCubic:
		return 3
	}
	return 0
}

// Path is a sequence of operations and their points. It is reused frame after
// frame: Reset keeps the storage.
type Path struct {
	Ops []PathOp
	Pts []Pt
}

func (p *Path) Reset() { p.Ops, p.Pts = p.Ops[:0], p.Pts[:0] }

func pt(v Vec) Pt { return Pt{float32(v.X), float32(v.Y)} }

// The path's verbs, Frame.add, Scene.toPx and Color.Hex are kept out of line
// (go:noinline): each is called from hundreds of places in the scene's builders
// and the SVG writer, and inlined, every call was a copy of its append and
// growth check in the program's code, about 137 KB of the wasm (25 KB brotli).
// A call costs a few nanoseconds, a few microseconds a frame (BenchmarkBuild).
//
//go:noinline
func (p *Path) MoveTo(v Vec) { p.Ops = append(p.Ops, OpMove); p.Pts = append(p.Pts, pt(v)) }

//go:noinline
func (p *Path) LineTo(v Vec) { p.Ops = append(p.Ops, OpLine); p.Pts = append(p.Pts, pt(v)) }

//go:noinline
func (p *Path) QuadTo(c, v Vec) {
	p.Ops = append(p.Ops, OpQuad)
	p.Pts = append(p.Pts, pt(c), pt(v))
}

//go:noinline
func (p *Path) CubicTo(c1, c2, v Vec) {
	p.Ops = append(p.Ops, OpCubic)
	p.Pts = append(p.Pts, pt(c1), pt(c2), pt(v))
}

//go:noinline
func (p *Path) Close() { p.Ops = append(p.Ops, OpClose) }

// circleK is the cubic Bézier handle length for a quarter circle.
const circleK = 0.5522847498

// Circle adds a closed circle as four cubic arcs (dir > 0: clockwise on screen).
func (p *Path) Circle(c Vec, r float64, dir float64) {
	k := r * circleK
	s := dir
	p.MoveTo(Vec{c.X + r, c.Y})
	p.CubicTo(Vec{c.X + r, c.Y + s*k}, Vec{c.X + k, c.Y + s*r}, Vec{c.X, c.Y + s*r})
	p.CubicTo(Vec{c.X - k, c.Y + s*r}, Vec{c.X - r, c.Y + s*k}, Vec{c.X - r, c.Y})
	p.CubicTo(Vec{c.X - r, c.Y - s*k}, Vec{c.X - k, c.Y - s*r}, Vec{c.X, c.Y - s*r})
	p.CubicTo(Vec{c.X + k, c.Y - s*r}, Vec{c.X + r, c.Y - s*k}, Vec{c.X + r, c.Y})
	p.Close()
}

// Polygon adds a closed polygon through pts, transformed by xf.
func (p *Path) Polygon(pts []Vec, xf Affine) {
	for i, v := range pts {
		if i == 0 {
			p.MoveTo(xf.Apply(v))
		} else {
			p.LineTo(xf.Apply(v))
		}
	}
	p.Close()
}

// Affine maps a local frame into pixels: rotation and uniform scale, then offset.
type Affine struct {
	A, B, C, D float64 // x' = A x + C y + E; y' = B x + D y + F
	E, F       float64
}

// Identity is the affine that leaves points where they are.
var Identity = Affine{A: 1, D: 1}

// NewAffine returns the map that rotates by angle, scales by s and moves the origin
// to at.
func NewAffine(at Vec, angle, s float64) Affine {
	sn, cs := math.Sincos(angle)
	return Affine{A: cs * s, B: sn * s, C: -sn * s, D: cs * s, E: at.X, F: at.Y}
}

// Apply maps v.
func (m Affine) Apply(v Vec) Vec {
	return Vec{m.A*v.X + m.C*v.Y + m.E, m.B*v.X + m.D*v.Y + m.F}
}

// AppendGear adds a gear's body (teeth, with its spokes or holes cut out, to be
// filled with the even-odd rule) to p, mapped by xf. Both renderers draw gears
// through it, so the live canvas and the SVG have the very same outline.
func AppendGear(p *Path, g *GearShape, style GearStyle, xf Affine) {
	p.Polygon(g.Outline, xf)
	rim := g.Root - 0.9 // module units: the solid ring under the teeth
	hub := math.Max(1.1, g.Pitch*0.26)
	switch style {
	case GearSpokes:
		const spokes = 5
		half := math.Pi / spokes
		spoke := 0.95 / hub // half-width of a spoke at the hub, as an angle
		for i := 0; i < spokes; i++ {
			a0 := float64(i)*2*half + spoke
			a1 := float64(i+1)*2*half - spoke
			// A window between two spokes: an annular sector with rounded corners,
			// wound the other way from the outline.
			in, out := hub+0.55, rim
			aIn := (spoke * hub) / in
			aOut := (0.95 * 0.8) / out
			p.MoveTo(xf.Apply(Polar(in, a0-spoke+aIn+0.12)))
			p.LineTo(xf.Apply(Polar(out, a0-spoke+aOut+0.02)))
			arcTo(p, out, a0-spoke+aOut+0.02, a1+spoke-aOut-0.02, xf)
			p.LineTo(xf.Apply(Polar(in, a1+spoke-aIn-0.12)))
			arcTo(p, in, a1+spoke-aIn-0.12, a0-spoke+aIn+0.12, xf)
			p.Close()
		}
	case GearHoles:
		const holes = 4
		ring := (hub + rim) / 2
		r := math.Min((rim-hub)/2-0.35, ring*math.Sin(math.Pi/holes)-0.5)
		for i := 0; i < holes; i++ {
			c := Polar(ring, (float64(i)+0.5)*2*math.Pi/holes)
			circleXF(p, c, r, xf)
		}
	}
}

// arcTo adds a circular arc of radius r about the origin from angle a0 to a1, as
// line segments fine enough to look round at any size.
func arcTo(p *Path, r, a0, a1 float64, xf Affine) {
	n := int(math.Ceil(math.Abs(a1-a0) / 0.2))
	for i := 1; i <= n; i++ {
		p.LineTo(xf.Apply(Polar(r, lerp(a0, a1, float64(i)/float64(n)))))
	}
}

// circleXF adds a circle at c of radius r (local units), mapped by xf.
func circleXF(p *Path, c Vec, r float64, xf Affine) {
	k := r * circleK
	a := func(x, y float64) Vec { return xf.Apply(Vec{c.X + x, c.Y + y}) }
	p.MoveTo(a(r, 0))
	p.CubicTo(a(r, -k), a(k, -r), a(0, -r))
	p.CubicTo(a(-k, -r), a(-r, -k), a(-r, 0))
	p.CubicTo(a(-r, k), a(-k, r), a(0, r))
	p.CubicTo(a(k, r), a(r, k), a(r, 0))
	p.Close()
}
