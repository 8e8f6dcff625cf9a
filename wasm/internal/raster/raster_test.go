package raster

import (
	"math"
	"strings"
	"testing"

	"github.com/connectedlearning/diagram/wasm/diagram"
)

var white = diagram.Color{R: 255, G: 255, B: 255, A: 255}

func alphaAt(c *Canvas, x, y int) float64 { return float64(c.Pix[4*(y*c.W+x)+3]) / 255 }

func coverage(c *Canvas) float64 {
	s := 0.0
	for i := 3; i < len(c.Pix); i += 4 {
		s += float64(c.Pix[i]) / 255
	}
	return s
}

// path builds a diagram path from ops and flat x, y pairs.
func path(ops []diagram.PathOp, xy ...float32) ([]diagram.PathOp, []diagram.Pt) {
	var pts []diagram.Pt
	for i := 0; i+1 < len(xy); i += 2 {
		pts = append(pts, diagram.Pt{X: xy[i], Y: xy[i+1]})
	}
	return ops, pts
}

const (
	M = diagram.OpMove
	L = diagram.OpLine
	Q = diagram.OpQuad
	C = diagram.OpCubic
	Z = diagram.OpClose
)

func TestCircleArea(t *testing.T) {
	var c Canvas
	c.Reset(100, 100)
	c.Circle(50, 50, 30, white)
	if got, want := coverage(&c), math.Pi*900; math.Abs(got-want)/want > 0.005 {
		t.Errorf("circle of radius 30 covers %.1f px, want %.1f", got, want)
	}
	if a := alphaAt(&c, 50, 50); a != 1 {
		t.Errorf("centre alpha %v, want 1", a)
	}
	if a := alphaAt(&c, 5, 5); a != 0 {
		t.Errorf("corner alpha %v, want 0", a)
	}
}

func TestEvenOddCutsHolesWhicheverWayTheyAreWound(t *testing.T) {
	square := func(x0, y0, x1, y1 float32, cw bool) []float32 {
		if cw {
			return []float32{x0, y0, x1, y0, x1, y1, x0, y1}
		}
		return []float32{x0, y0, x0, y1, x1, y1, x1, y0}
	}
	for _, same := range []bool{true, false} {
		xy := append(square(10, 10, 90, 90, true), square(30, 30, 70, 70, same)...)
		ops, pts := path([]diagram.PathOp{M, L, L, L, Z, M, L, L, L, Z}, xy...)
		var c Canvas
		c.Reset(100, 100)
		c.FillPath(ops, pts, true, white, 0, 0)
		if a := alphaAt(&c, 50, 50); a != 0 {
			t.Errorf("hole wound the same way=%v: alpha %v inside the hole, want 0", same, a)
		}
		if a := alphaAt(&c, 20, 20); a != 1 {
			t.Errorf("hole wound the same way=%v: alpha %v on the ring, want 1", same, a)
		}
		if got, want := coverage(&c), 80.0*80-40*40; math.Abs(got-want) > 1 {
			t.Errorf("hole wound the same way=%v: covers %.1f px, want %.1f", same, got, want)
		}
	}
}

func TestNonZeroFillsCurves(t *testing.T) {
	// The body's shape: a rounded bell of cubic curves.
	ops, pts := path([]diagram.PathOp{M, L, C, C, C, C, Z},
		35, 26, 65, 26, 70, 26, 71.5, 38, 72, 52, 72.5, 64, 64, 67.5, 50, 67.5,
		36, 67.5, 27.5, 64, 28, 52, 28.5, 38, 30, 26, 35, 26)
	var c Canvas
	c.Reset(100, 100)
	c.FillPath(ops, pts, false, white, 0, 0)
	bell := bellOutline()
	want := supersample(100, 100, func(x, y float64) bool { return inside(bell, x, y) })
	compare(t, "bell", &c, want, 0.01)
}

// bellOutline is the bell's outline, flattened finely.
func bellOutline() []pt {
	_, pts := path(nil, 35, 26, 65, 26, 70, 26, 71.5, 38, 72, 52, 72.5, 64, 64, 67.5, 50, 67.5,
		36, 67.5, 27.5, 64, 28, 52, 28.5, 38, 30, 26, 35, 26)
	poly := []pt{{35, 26}, {65, 26}}
	for k := 2; k+2 < len(pts); k += 3 {
		p0, p1, p2, p3 := poly[len(poly)-1], pts[k], pts[k+1], pts[k+2]
		for i := 1; i <= 200; i++ {
			tt := float32(i) / 200
			u := 1 - tt
			poly = append(poly, pt{u*u*u*p0.x + 3*u*u*tt*p1.X + 3*u*tt*tt*p2.X + tt*tt*tt*p3.X, u*u*u*p0.y + 3*u*u*tt*p1.Y + 3*u*tt*tt*p2.Y + tt*tt*tt*p3.Y})
		}
	}
	return poly
}

// inside tests a point against a polygon (even-odd).
func inside(poly []pt, x, y float64) bool {
	in := false
	for i, j := 0, len(poly)-1; i < len(poly); j, i = i, i+1 {
		a, b := poly[i], poly[j]
		if (float64(a.y) > y) != (float64(b.y) > y) && x < float64(b.x-a.x)*(y-float64(a.y))/float64(b.y-a.y)+float64(a.x) {
			in = !in
		}
	}
	return in
}

// supersample returns each pixel's coverage by inside, sampled 8×8 per pixel.
func supersample(w, h int, inside func(x, y float64) bool) []float64 {
	out := make([]float64, w*h)
	for py := 0; py < h; py++ {
		for px := 0; px < w; px++ {
			n := 0
			for sy := 0; sy < 8; sy++ {
				for sx := 0; sx < 8; sx++ {
					if inside(float64(px)+(float64(sx)+0.5)/8, float64(py)+(float64(sy)+0.5)/8) {
						n++
					}
				}
			}
			out[py*w+px] = float64(n) / 64
		}
	}
	return out
}

// distanceCoverage is each pixel's coverage by the points within hw of a shape
// (dist gives the distance): whole pixels well inside or outside at once, pixels
// near the edge sampled 8×8.
func distanceCoverage(w, h int, dist func(x, y float64) float64, hw float64) []float64 {
	out := make([]float64, w*h)
	for py := 0; py < h; py++ {
		for px := 0; px < w; px++ {
			d := dist(float64(px)+0.5, float64(py)+0.5)
			switch {
			case d < hw-0.75:
				out[py*w+px] = 1
			case d > hw+0.75:
			default:
				n := 0
				for sy := 0; sy < 8; sy++ {
					for sx := 0; sx < 8; sx++ {
						if dist(float64(px)+(float64(sx)+0.5)/8, float64(py)+(float64(sy)+0.5)/8) <= hw {
							n++
						}
					}
				}
				out[py*w+px] = float64(n) / 64
			}
		}
	}
	return out
}

// compare checks the canvas's alpha against a reference coverage: in total
// within rel, and pixel by pixel within a quarter (edges sampled 8×8 against
// exact areas differ a little; a wrong join or a hole differs by far more).
func compare(t *testing.T, name string, c *Canvas, want []float64, rel float64) {
	t.Helper()
	var got, ref, worst float64
	wx, wy := 0, 0
	for i, w := range want {
		a := float64(c.Pix[4*i+3]) / 255
		got += a
		ref += w
		if d := math.Abs(a - w); d > worst {
			worst, wx, wy = d, i%c.W, i/c.W
		}
	}
	if math.Abs(got-ref)/ref > rel {
		t.Errorf("%s: covers %.1f px, reference %.1f (%.2f%%)", name, got, ref, 100*(got-ref)/ref)
	}
	if worst > 0.25 {
		t.Errorf("%s: pixel (%d, %d) off by %.2f", name, wx, wy, worst)
	}
}

// distToPolyline is the distance from (x, y) to a polyline.
func distToPolyline(poly []pt, x, y float64) float64 {
	best := math.Inf(1)
	for i := 0; i+1 < len(poly); i++ {
		ax, ay, bx, by := float64(poly[i].x), float64(poly[i].y), float64(poly[i+1].x), float64(poly[i+1].y)
		dx, dy := bx-ax, by-ay
		l2 := dx*dx + dy*dy
		u := 0.0
		if l2 > 0 {
			u = math.Max(0, math.Min(1, ((x-ax)*dx+(y-ay)*dy)/l2))
		}
		best = math.Min(best, math.Hypot(x-ax-u*dx, y-ay-u*dy))
	}
	return best
}

func fine(p0, p1, p2 pt, closed bool) []pt {
	var poly []pt
	for i := 0; i <= 400; i++ {
		tt := float32(i) / 400
		u := 1 - tt
		poly = append(poly, pt{u*u*p0.x + 2*u*tt*p1.x + tt*tt*p2.x, u*u*p0.y + 2*u*tt*p1.y + tt*tt*p2.y})
	}
	return poly
}

func TestStrokesMatchTheirDistanceField(t *testing.T) {
	k := float32(0.5522847498) * 30
	cases := []struct {
		name  string
		ops   []diagram.PathOp
		xy    []float32
		width float32
		ref   []pt
	}{
		{"line", []diagram.PathOp{M, L}, []float32{20, 50, 80, 50}, 10, []pt{{20, 50}, {80, 50}}},
		{"elbow (sharp bend)", []diagram.PathOp{M, L, L}, []float32{20, 80, 50, 20, 80, 78}, 8, []pt{{20, 80}, {50, 20}, {80, 78}}},
		{"two legs", []diagram.PathOp{M, L, M, L}, []float32{40, 20, 30, 80, 60, 20, 70, 80}, 7, nil},
		{"link (quadratic)", []diagram.PathOp{M, Q}, []float32{10, 80, 50, 0, 90, 70}, 3, fine(pt{10, 80}, pt{50, 0}, pt{90, 70}, false)},
		{"thin link", []diagram.PathOp{M, Q}, []float32{10, 80, 50, 0, 90, 70}, 1, fine(pt{10, 80}, pt{50, 0}, pt{90, 70}, false)},
		{"ring (closed circle)", []diagram.PathOp{M, C, C, C, C, Z},
			[]float32{80, 50, 80, 50 + k, 50 + k, 80, 50, 80, 50 - k, 80, 20, 50 + k, 20, 50, 20, 50 - k, 50 - k, 20, 50, 20, 50 + k, 20, 80, 50 - k, 80, 50}, 12, nil},
		{"hairline ring", []diagram.PathOp{M, C, C, C, C, Z},
			[]float32{80, 50, 80, 50 + k, 50 + k, 80, 50, 80, 50 - k, 80, 20, 50 + k, 20, 50, 20, 50 - k, 50 - k, 20, 50, 20, 50 + k, 20, 80, 50 - k, 80, 50}, 1.2, nil},
		{"closed triangle", []diagram.PathOp{M, L, L, Z}, []float32{20, 80, 50, 20, 80, 80}, 6, []pt{{20, 80}, {50, 20}, {80, 80}, {20, 80}}},
	}
	for _, tc := range cases {
		ops, pts := path(tc.ops, tc.xy...)
		var c Canvas
		c.Reset(100, 100)
		c.StrokePath(ops, pts, tc.width, white, 0, 0)
		hw := float64(tc.width) / 2
		dist := func(x, y float64) float64 { return distToPolyline(tc.ref, x, y) }
		if tc.ref == nil {
			a, b := []pt{{40, 20}, {30, 80}}, []pt{{60, 20}, {70, 80}}
			dist = func(x, y float64) float64 { return math.Min(distToPolyline(a, x, y), distToPolyline(b, x, y)) }
		}
		if strings.Contains(tc.name, "ring") {
			dist = func(x, y float64) float64 { return math.Abs(math.Hypot(x-50, y-50) - 30) }
		}
		want := distanceCoverage(100, 100, dist, hw)
		rel := 0.01
		if tc.width < 2 {
			rel = 0.03 // a hairline's area is mostly edge
		}
		compare(t, tc.name, &c, want, rel)
	}
}

func TestSourceOverPremultiplied(t *testing.T) {
	var c Canvas
	c.Reset(10, 10)
	c.Fill(diagram.Color{R: 10, G: 20, B: 30, A: 255})
	c.Circle(5, 5, 20, diagram.Color{R: 200, G: 100, B: 50, A: 128})
	got := c.Pix[4*(5*10+5):][:4]
	a := 128.0 / 255
	want := []float64{200*a + 10*(1-a), 100*a + 20*(1-a), 50*a + 30*(1-a), 255}
	for i := range want {
		if math.Abs(float64(got[i])-want[i]) > 1 {
			t.Fatalf("pixel %v, want %v", got, want)
		}
	}
	// Over transparent: premultiplied.
	c.Reset(10, 10)
	c.Circle(5, 5, 20, diagram.Color{R: 200, G: 100, B: 50, A: 128})
	got = c.Pix[4*(5*10+5):][:4]
	want = []float64{200 * a, 100 * a, 50 * a, 128}
	for i := range want {
		if math.Abs(float64(got[i])-want[i]) > 1 {
			t.Fatalf("pixel over transparent %v, want %v", got, want)
		}
	}
}

func TestGlowFollowsGlowAlpha(t *testing.T) {
	var c Canvas
	c.Reset(200, 200)
	c.Glow(100, 100, 80, white)
	for _, d := range []float64{0.5, 20.5, 40.5, 60.5, 79.5} {
		got := alphaAt(&c, 100+int(d), 100)
		want := diagram.GlowAlpha((d + 0.5) / 80)
		if math.Abs(got-want) > 0.02 {
			t.Errorf("glow at distance %.1f: alpha %.3f, want %.3f", d+0.5, got, want)
		}
	}
	if a := alphaAt(&c, 100, 15); a != 0 {
		t.Errorf("glow beyond its radius: alpha %v", a)
	}
}

func TestShapesOffTheCanvasOrMalformedDrawNothingAndDoNotPanic(t *testing.T) {
	var c Canvas
	c.Reset(50, 50)
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))
	c.Circle(-100, -100, 10, white)
	c.Circle(nan, 5, 10, white)
	c.Circle(5, 5, nan, white)
	c.Glow(inf, 5, 10, white)
	c.Glow(5, 5, -1, white)
	ops, pts := path([]diagram.PathOp{M, L, L, Z}, 0, 0, nan, 5, 1e30, 1e30)
	c.FillPath(ops, pts, false, white, 0, 0)
	c.FillPath(ops, pts, true, white, 0, 0)
	c.StrokePath(ops, pts, 3, white, 0, 0)
	ops, pts = path([]diagram.PathOp{M, L}, 1e9, 1e9, 2e9, 2e9)
	c.StrokePath(ops, pts, 3, white, 0, 0)
	c.StrokePath(ops, pts, float32(math.NaN()), white, 0, 0)
	if got := coverage(&c); got != 0 {
		t.Errorf("shapes off the canvas or malformed covered %.1f px", got)
	}
	// Partly on the canvas: the part on it is drawn.
	c.Circle(0, 0, 20, white)
	if got, want := coverage(&c), math.Pi*400/4; math.Abs(got-want)/want > 0.01 {
		t.Errorf("quarter circle covers %.1f px, want %.1f", got, want)
	}
	// A single point stroked is a dot.
	c.Reset(50, 50)
	ops, pts = path([]diagram.PathOp{M, L}, 25, 25, 25, 25)
	c.StrokePath(ops, pts, 10, white, 0, 0)
	if got, want := coverage(&c), math.Pi*25; math.Abs(got-want)/want > 0.02 {
		t.Errorf("stroked point covers %.1f px, want a dot of %.1f", got, want)
	}
}

func TestOffsetMovesShapes(t *testing.T) {
	var a, b Canvas
	a.Reset(60, 60)
	b.Reset(60, 60)
	ops, pts := path([]diagram.PathOp{M, Q}, 10, 50, 30, 0, 50, 40)
	a.StrokePath(ops, pts, 4, white, 0, 0)
	ops2, pts2 := path([]diagram.PathOp{M, Q}, 110, 250, 130, 200, 150, 240)
	b.StrokePath(ops2, pts2, 4, white, 100, 200)
	for i := range a.Pix {
		if d := int(a.Pix[i]) - int(b.Pix[i]); d < -1 || d > 1 {
			t.Fatalf("byte %d: %d drawn at the origin, %d drawn moved back by the offset", i, a.Pix[i], b.Pix[i])
		}
	}
}
