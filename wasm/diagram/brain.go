package diagram

import "math"

// The brain, seen from the side and facing left, as in every anatomy book: the
// cerebrum (frontal lobe at the front, parietal on top, occipital at the back, the
// temporal lobe hanging below the lateral fissure), the cerebellum tucked under its
// back, and the brain stem going down between them. Seen from the front, two lobes
// over a stem read as a tooth; from the side the silhouette alone says "brain".
//
// Design units: the whole scene spans about -1..1; the brain about 0.64 wide, inside
// the ring of people (whose feet stand at radius 0.385).

// brainKey is a point of an outline drawn as a smooth closed curve through its keys;
// a sharp key is a corner (a notch of the silhouette).
type brainKey struct {
	X, Y  float64
	Sharp bool
}

// The three outlines, clockwise on screen. The cerebrum starts at the frontal pole
// and goes over the top to the occipital pole, forward along the underside over the
// cerebellum and the temporal lobe, round the temporal pole, into the notch where
// the lateral fissure opens, and along the frontal lobe's underside.
var (
	cerebrumKeys = [...]brainKey{
		{-0.328, -0.040, false}, // frontal pole
		{-0.300, -0.150, false},
		{-0.222, -0.222, false},
		{-0.100, -0.254, false},
		{0.035, -0.248, false}, // parietal, the top
		{0.160, -0.210, false},
		{0.256, -0.138, false},
		{0.304, -0.052, false}, // occipital pole
		{0.290, 0.010, false},
		{0.215, 0.034, false}, // the underside, over the cerebellum
		{0.090, 0.066, false},
		{0.000, 0.110, false}, // the temporal lobe's underside
		{-0.100, 0.122, false},
		{-0.172, 0.092, false}, // temporal pole
		{-0.180, 0.048, false},
		{-0.150, 0.014, true}, // the notch of the lateral fissure
		{-0.222, 0.040, false},
		{-0.300, 0.030, false},
	}
	cerebellumKeys = [...]brainKey{
		{0.078, 0.062, false},
		{0.170, 0.026, false},
		{0.262, 0.030, false},
		{0.300, 0.080, false},
		{0.268, 0.140, false},
		{0.182, 0.170, false},
		{0.104, 0.150, false},
		{0.072, 0.106, false},
	}
	stemKeys = [...]brainKey{ // the pons bulges forward; the medulla tapers down
		{-0.010, 0.090, false},
		{0.064, 0.070, false},
		{0.088, 0.130, false},
		{0.078, 0.205, false},
		{0.074, 0.262, false},
		{0.042, 0.276, false},
		{0.026, 0.220, false},
		{-0.004, 0.160, false},
	}
)

// brainCenter is the middle of the whole brain: its glow, its halo and the "pop" of
// its entrance are centred here.
var brainCenter = Vec{-0.012, 0.012}

// brainShape holds the brain's outlines as smooth closed polygons, design units.
type brainShape struct {
	cerebrum   []Vec // gears live inside this one
	cerebellum []Vec
	stem       []Vec
}

func newBrainShape() brainShape {
	return brainShape{
		cerebrum:   smoothClosed(cerebrumKeys[:], 6),
		cerebellum: smoothClosed(cerebellumKeys[:], 10),
		stem:       smoothClosed(stemKeys[:], 8),
	}
}

// contains reports whether p (design units) is on the brain: any of its parts.
func (b *brainShape) contains(p Vec) bool {
	return pointInPolygon(p, b.cerebrum) || pointInPolygon(p, b.cerebellum) || pointInPolygon(p, b.stem)
}

// smoothClosed samples the closed Catmull-Rom curve through keys, n points per
// span. A sharp key has no tangent: the curve meets it in a corner.
func smoothClosed(keys []brainKey, n int) []Vec {
	k := len(keys)
	at := func(i int) Vec { q := keys[(i+k)%k]; return Vec{q.X, q.Y} }
	tangent := func(i int) Vec {
		if keys[(i+k)%k].Sharp {
			return Vec{}
		}
		return at(i + 1).Sub(at(i - 1)).Mul(0.5)
	}
	out := make([]Vec, 0, k*n)
	for i := 0; i < k; i++ {
		p0, p3 := at(i), at(i+1)
		p1 := p0.Add(tangent(i).Mul(1.0 / 3))
		p2 := p3.Sub(tangent(i + 1).Mul(1.0 / 3))
		for j := 0; j < n; j++ {
			out = append(out, cubicAt(p0, p1, p2, p3, float64(j)/float64(n)))
		}
	}
	return out
}

// brainOutline returns the cerebrum's outline, the region the gears fill.
func brainOutline() []Vec { return newBrainShape().cerebrum }

// The sulci drawn on the cerebrum, as quadratic curves (from, control, to): the
// lateral fissure running up and back from its notch, the central sulcus from the
// top down towards it, the parieto-occipital sulcus at the back, and the superior
// temporal sulcus along the temporal lobe. Gears cover much of them; what shows
// between the gears, with the silhouette, names the lobes.
var brainSulci = [...][3]Vec{
	{{-0.150, 0.014}, {-0.040, -0.030}, {0.090, -0.030}},   // lateral fissure
	{{-0.030, -0.252}, {-0.070, -0.160}, {-0.060, -0.060}}, // central sulcus
	{{0.205, -0.185}, {0.180, -0.150}, {0.196, -0.108}},    // parieto-occipital
	{{-0.120, 0.078}, {-0.020, 0.048}, {0.070, 0.030}},     // superior temporal
}

// cerebellumFolia are the fine parallel folds that make the cerebellum read as
// one: arcs following its underside, as (from, control, to).
func cerebellumFolia() [4][3]Vec {
	var out [4][3]Vec
	for i := range out {
		t := 0.22 + 0.17*float64(i)
		y := lerp(0.060, 0.150, t)
		w := 0.10 * math.Sqrt(1-math.Pow(2*t-1, 2)*0.55)
		c := Vec{0.190, y}
		out[i] = [3]Vec{{c.X - w, y - 0.018}, {c.X, y + 0.022}, {c.X + w*0.95, y - 0.012}}
	}
	return out
}

// Gear placement: a big driver gear sits where the frontal and parietal lobes meet,
// and gears are added one at a time, each meshing with one already placed, the
// biggest that fits first. The gears form a tree, so every gear's direction and phase follow from the
// driver's, and gears that do not mesh keep clear of each other.
const (
	gearModule    = 0.0058 // design units per module
	gearClearance = 0.006  // between gears that do not mesh, design units
	outlineMargin = 0.010  // between a gear's tips and the silhouette
	driverTeeth   = 24
)

var (
	gearSizes  = [...]int{24, 21, 18, 16, 14, 12, 11, 10, 9, 8}
	gearDriver = Vec{-0.100, -0.100} // where the frontal and parietal lobes meet
)

// placeGears fills the outline with meshing gears. It is deterministic.
func placeGears(outline []Vec, maxGears int) []Gear {
	tip := func(z int) float64 { return (float64(z)/2 + addendum) * gearModule }
	pitch := func(z int) float64 { return float64(z) / 2 * gearModule }
	gears := []Gear{{Teeth: driverTeeth, Center: gearDriver, Parent: -1, Ratio: 1}}

	// Every place a gear could take is a candidate: a size, meshing with a parent
	// at one of 90 angles. A candidate is made when its parent is placed and kept
	// while nothing placed since collides with it (gears are only ever added, so a
	// collision is for good); the silhouette, a walk round the outline, is checked
	// once per candidate and only for those clear of the gears. Each round takes
	// the biggest candidate left, the first made among equals.
	type candidate struct {
		c      Vec
		z, par int
	}
	var cands []candidate
	clear := func(c Vec, z int, g *Gear) bool {
		need := tip(z) + tip(g.Teeth) + gearClearance
		return c.Dist2(g.Center) >= need*need
	}
	var dirs [90]Vec
	for k := range dirs {
		dirs[k] = Polar(1, float64(4*k)*math.Pi/180)
	}
	lo, hi := Vec{math.Inf(1), math.Inf(1)}, Vec{math.Inf(-1), math.Inf(-1)}
	for _, v := range outline {
		lo, hi = Vec{math.Min(lo.X, v.X), math.Min(lo.Y, v.Y)}, Vec{math.Max(hi.X, v.X), math.Max(hi.Y, v.Y)}
	}
	addParent := func(pi int) {
		p := gears[pi]
		for _, z := range gearSizes {
			r := pitch(p.Teeth) + pitch(z)
			m := tip(z) + outlineMargin
		dirs:
			for _, u := range dirs {
				c := p.Center.Add(Vec{r * u.X, r * u.Y})
				if c.X-m < lo.X || c.X+m > hi.X || c.Y-m < lo.Y || c.Y+m > hi.Y {
					continue
				}
				for i := range gears {
					if i != pi && !clear(c, z, &gears[i]) {
						continue dirs
					}
				}
				if pointInPolygon(c, outline) && edgesFarther(c, outline, m) {
					cands = append(cands, candidate{c, z, pi})
				}
			}
		}
	}
	addParent(0)
	for len(gears) < maxGears {
		best := -1
		for i := range cands {
			if best < 0 || cands[i].z > cands[best].z {
				best = i
			}
		}
		if best < 0 {
			break
		}
		b := cands[best]
		gears = append(gears, Gear{Teeth: b.z, Center: b.c, Parent: b.par})
		g := &gears[len(gears)-1]
		kept := cands[:0]
		for _, c := range cands {
			if clear(c.c, c.z, g) {
				kept = append(kept, c)
			}
		}
		cands = kept
		addParent(len(gears) - 1)
	}

	// Directions, speeds and phases follow from the driver along the tree.
	for i := 1; i < len(gears); i++ {
		g := &gears[i]
		p := &gears[g.Parent]
		g.Depth = p.Depth + 1
		g.Ratio = -p.Ratio * float64(p.Teeth) / float64(g.Teeth)
		theta := math.Atan2(g.Center.Y-p.Center.Y, g.Center.X-p.Center.X)
		g.Phase = meshPhase(p.Phase, p.Teeth, g.Teeth, theta)
	}
	for i := range gears {
		g := &gears[i]
		switch {
		case g.Teeth >= 19:
			g.Style = GearSpokes
		case g.Teeth >= 13:
			g.Style = GearHoles
		default:
			g.Style = GearSolid
		}
		g.Shade = rand01(uint32(g.Teeth), uint32(math.Abs(g.Center.Y)*1000))
	}
	return gears
}

// foldedOutline is the cerebrum as drawn: the smooth outline with the shallow bumps
// of the cortex's folds, full over the top and the poles, gentle along the underside
// (which rests on the cerebellum and the temporal lobe's smooth base).
func foldedOutline(smooth []Vec) []Vec {
	out := make([]Vec, 0, len(smooth)*3)
	// The outward normal is the edge's perpendicular, turned by the winding.
	outward := 1.0
	if signedArea(smooth) > 0 {
		outward = -1
	}
	// Resample evenly by arc length so the bumps are regular.
	var total float64
	for i := range smooth {
		total += smooth[i].Dist(smooth[(i+1)%len(smooth)])
	}
	const bumps = 26
	n := bumps * 8
	stepLen := total / float64(n)
	seg, segPos := 0, 0.0
	for k := 0; k < n; k++ {
		d := float64(k) * stepLen
		for {
			a, b := smooth[seg], smooth[(seg+1)%len(smooth)]
			l := a.Dist(b)
			if d-segPos <= l || seg == len(smooth)-1 {
				t := 0.0
				if l > 0 {
					t = clamp01((d - segPos) / l)
				}
				p := a.Lerp(b, t)
				n := b.Sub(a).Norm().Perp().Mul(outward)
				amp := 0.0085 * (0.5 - 0.5*math.Cos(2*math.Pi*float64(k)/8))
				amp *= lerp(0.35, 1, smoothstep(0.04, -0.03, p.Y))
				out = append(out, p.Add(n.Mul(amp)))
				break
			}
			segPos += l
			seg++
		}
	}
	return out
}

// signedArea is the polygon's area, positive when its points turn from +X towards
// +Y (clockwise on screen, where Y grows downwards).
func signedArea(poly []Vec) float64 {
	a := 0.0
	j := len(poly) - 1
	for i := range poly {
		a += poly[j].Cross(poly[i])
		j = i
	}
	return a / 2
}
