package diagram

import "math"

// Vec is a point or a direction in the plane. Y grows downwards, as on screen.
type Vec struct{ X, Y float64 }

func (a Vec) Add(b Vec) Vec       { return Vec{a.X + b.X, a.Y + b.Y} }
func (a Vec) Sub(b Vec) Vec       { return Vec{a.X - b.X, a.Y - b.Y} }
func (a Vec) Mul(s float64) Vec   { return Vec{a.X * s, a.Y * s} }
func (a Vec) Dot(b Vec) float64   { return a.X*b.X + a.Y*b.Y }
func (a Vec) Cross(b Vec) float64 { return a.X*b.Y - a.Y*b.X }
func (a Vec) Len() float64        { return math.Hypot(a.X, a.Y) }
func (a Vec) Dist(b Vec) float64  { return math.Hypot(a.X-b.X, a.Y-b.Y) }

// Dist2 is the squared distance from a to b: for comparisons, with no square root.
func (a Vec) Dist2(b Vec) float64       { d := a.Sub(b); return d.Dot(d) }
func (a Vec) Perp() Vec                 { return Vec{-a.Y, a.X} }
func (a Vec) Lerp(b Vec, t float64) Vec { return Vec{a.X + (b.X-a.X)*t, a.Y + (b.Y-a.Y)*t} }

// Norm returns a unit vector in the direction of a, or the zero vector.
func (a Vec) Norm() Vec {
	l := a.Len()
	if l == 0 {
		return Vec{}
	}
	return Vec{a.X / l, a.Y / l}
}

// Rot rotates a by angle radians (clockwise on screen, as Y grows downwards).
func (a Vec) Rot(angle float64) Vec {
	s, c := math.Sincos(angle)
	return Vec{a.X*c - a.Y*s, a.X*s + a.Y*c}
}

// Polar returns the point at distance r in direction angle.
func Polar(r, angle float64) Vec {
	s, c := math.Sincos(angle)
	return Vec{r * c, r * s}
}

func clamp01(t float64) float64 {
	if t < 0 {
		return 0
	}
	if t > 1 {
		return 1
	}
	return t
}

func clamp(x, lo, hi float64) float64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

func lerp(a, b, t float64) float64 { return a + (b-a)*t }

// easeInOut is the cubic ease used for every transition: it starts and ends at rest,
// so nothing in the picture jerks into or out of motion.
func easeInOut(t float64) float64 {
	t = clamp01(t)
	if t < 0.5 {
		return 4 * t * t * t
	}
	u := -2*t + 2
	return 1 - u*u*u/2
}

// smoothstep maps x in [e0, e1] to [0, 1] with zero slope at both ends.
func smoothstep(e0, e1, x float64) float64 {
	t := clamp01((x - e0) / (e1 - e0))
	return t * t * (3 - 2*t)
}

// cubicAt evaluates a cubic Bézier curve at t.
func cubicAt(p0, p1, p2, p3 Vec, t float64) Vec {
	u := 1 - t
	a := u * u * u
	b := 3 * u * u * t
	c := 3 * u * t * t
	d := t * t * t
	return Vec{a*p0.X + b*p1.X + c*p2.X + d*p3.X, a*p0.Y + b*p1.Y + c*p2.Y + d*p3.Y}
}

// quadAt evaluates a quadratic Bézier curve at t.
func quadAt(p0, p1, p2 Vec, t float64) Vec {
	u := 1 - t
	return Vec{u*u*p0.X + 2*u*t*p1.X + t*t*p2.X, u*u*p0.Y + 2*u*t*p1.Y + t*t*p2.Y}
}

// bow returns the control point of a gentle quadratic arc from a to b: the midpoint
// pushed sideways by k times the chord length. Links and pulse routes are drawn as
// such arcs so that nothing in the picture is a ruler-straight line.
func bow(a, b Vec, k float64) Vec {
	m := a.Lerp(b, 0.5)
	return m.Add(b.Sub(a).Perp().Mul(k))
}

// pointInPolygon reports whether p lies inside the closed polygon poly (even-odd rule).
func pointInPolygon(p Vec, poly []Vec) bool {
	in := false
	j := len(poly) - 1
	for i := range poly {
		a, b := poly[i], poly[j]
		if (a.Y > p.Y) != (b.Y > p.Y) {
			x := a.X + (p.Y-a.Y)*(b.X-a.X)/(b.Y-a.Y)
			if p.X < x {
				in = !in
			}
		}
		j = i
	}
	return in
}

// segDist returns the distance from p to the segment ab.
func segDist(p, a, b Vec) float64 { return math.Sqrt(segDist2(p, a, b)) }

// segDist2 returns the squared distance from p to the segment ab.
func segDist2(p, a, b Vec) float64 {
	ab := b.Sub(a)
	t := 0.0
	if l2 := ab.Dot(ab); l2 > 0 {
		t = clamp01(p.Sub(a).Dot(ab) / l2)
	}
	return p.Dist2(a.Add(ab.Mul(t)))
}

// edgesFarther reports whether every edge of poly is at least d from p. It stops
// at the first edge nearer than that and skips edges whose box is out of reach:
// the gear placer asks it of every candidate.
func edgesFarther(p Vec, poly []Vec, d float64) bool {
	d2 := d * d
	j := len(poly) - 1
	for i := range poly {
		a, b := poly[j], poly[i]
		j = i
		if min(a.X, b.X) > p.X+d || max(a.X, b.X) < p.X-d || min(a.Y, b.Y) > p.Y+d || max(a.Y, b.Y) < p.Y-d {
			continue
		}
		if segDist2(p, a, b) < d2 {
			return false
		}
	}
	return true
}

// Rect is an axis-aligned rectangle.
type Rect struct{ X, Y, W, H float64 }

// Contains reports whether p is inside r.
func (r Rect) Contains(p Vec) bool {
	return p.X >= r.X && p.X <= r.X+r.W && p.Y >= r.Y && p.Y <= r.Y+r.H
}

// Overlaps reports whether r and s share any area.
func (r Rect) Overlaps(s Rect) bool {
	return r.X < s.X+s.W && s.X < r.X+r.W && r.Y < s.Y+s.H && s.Y < r.Y+r.H
}

// hash32 is a small integer hash (lowbias32) used wherever the picture needs variety
// that is the same on every run: person sizes, hues, pulse routes.
func hash32(x uint32) uint32 {
	x ^= x >> 16
	x *= 0x7feb352d
	x ^= x >> 15
	x *= 0x846ca68b
	x ^= x >> 16
	return x
}

// rand01 returns a deterministic number in [0, 1) for the pair (a, b).
func rand01(a, b uint32) float64 {
	return float64(hash32(a*0x9e3779b9^hash32(b))) / (1 << 32)
}
