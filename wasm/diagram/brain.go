package diagram

import "math"

// The brain, seen from the front: two hemispheres with a fissure between them, the
// temporal lobes hanging at the sides, and the brain stem below. Design units: the
// whole scene spans about -1..1; the brain about 0.6 wide.

// brainHalf is the left half of the silhouette as cubic Bézier segments, from the
// top of the fissure round the outside to the bottom of the stem. The right half is
// its mirror image.
var brainHalf = [...][4]Vec{
	{{0, -0.200}, {-0.020, -0.236}, {-0.070, -0.252}, {-0.135, -0.246}},
	{{-0.135, -0.246}, {-0.230, -0.236}, {-0.300, -0.175}, {-0.318, -0.080}},
	{{-0.318, -0.080}, {-0.332, 0.000}, {-0.318, 0.070}, {-0.280, 0.112}},
	{{-0.280, 0.112}, {-0.250, 0.150}, {-0.200, 0.168}, {-0.150, 0.158}},
	{{-0.150, 0.158}, {-0.110, 0.150}, {-0.082, 0.118}, {-0.056, 0.120}},
	{{-0.056, 0.120}, {-0.044, 0.150}, {-0.046, 0.200}, {-0.038, 0.262}},
	{{-0.038, 0.262}, {-0.026, 0.272}, {-0.012, 0.274}, {0, 0.274}},
}

// brainStemTop is where the stem leaves the hemispheres (for the drawing of its
// shading) and brainFissureEnd where the fissure line stops.
var (
	brainFissureEnd = Vec{0, 0.020}
	brainCenter     = Vec{0, -0.02}
)

// brainOutline returns the silhouette as a closed polygon in design units.
func brainOutline() []Vec {
	const n = 10
	var left []Vec
	for _, s := range brainHalf {
		for i := 0; i < n; i++ {
			left = append(left, cubicAt(s[0], s[1], s[2], s[3], float64(i)/n))
		}
	}
	left = append(left, brainHalf[len(brainHalf)-1][3])
	out := make([]Vec, 0, 2*len(left))
	out = append(out, left...)
	for i := len(left) - 2; i >= 1; i-- { // mirror, skipping the points on the axis
		out = append(out, Vec{-left[i].X, left[i].Y})
	}
	return out
}

// Gear placement: a driver gear sits on the midline where the hemispheres meet (the
// corpus callosum), and gears are added one at a time to the left hemisphere, each
// meshing with one already placed, mirrored into the right hemisphere. The gears form
// a tree, so every gear's direction and phase follow from the driver's, and gears that
// do not mesh keep clear of each other.
const (
	gearModule    = 0.0066 // design units per module
	gearClearance = 0.006  // between gears that do not mesh, design units
	fissureGap    = 0.010  // half-width of the fissure kept clear of gears
	outlineMargin = 0.010  // between a gear's tips and the silhouette
	driverTeeth   = 12
)

var gearSizes = [...]int{24, 21, 18, 16, 14, 12, 11, 10, 9, 8}

// placeGears fills the brain silhouette with meshing gears. It is deterministic.
func placeGears(outline []Vec, maxGears int) []Gear {
	tip := func(z int) float64 { return (float64(z)/2 + addendum) * gearModule }
	pitch := func(z int) float64 { return float64(z) / 2 * gearModule }
	gears := []Gear{{Teeth: driverTeeth, Center: Vec{0, 0.070}, Parent: -1, Ratio: 1}}

	// insideOutline reports whether a gear of z teeth centred at c keeps inside the
	// silhouette. A candidate place (parent, size, angle) comes back in every round
	// while its parent stays; its answer does not change, so it is kept.
	type place struct {
		c Vec
		z int
	}
	inside := map[place]bool{}
	insideOutline := func(c Vec, z int) bool {
		k := place{c, z}
		if v, ok := inside[k]; ok {
			return v
		}
		v := pointInPolygon(c, outline) && polygonEdgeDist(c, outline) >= tip(z)+outlineMargin
		inside[k] = v
		return v
	}

	// fits checks the cheap conditions (the fissure, the other gears) before the
	// silhouette, which costs a walk round the outline.
	fits := func(c Vec, z int, parent int, mirrorParent int) bool {
		ra := tip(z)
		if c.X+ra > -fissureGap && parent != 0 || c.X > -fissureGap {
			return false
		}
		// Distances are compared squared: no square root in the inner loop.
		m := Vec{-c.X, c.Y}
		if w := 2*ra + gearClearance; c.Dist2(m) < w*w {
			return false
		}
		for i := range gears {
			if i == parent {
				continue
			}
			need := ra + tip(gears[i].Teeth) + gearClearance
			if c.Dist2(gears[i].Center) < need*need {
				return false
			}
			// The mirror image must keep clear too (it meshes only with the mirror parent).
			if i != mirrorParent && m.Dist2(gears[i].Center) < need*need {
				return false
			}
		}
		return insideOutline(c, z)
	}

	// Candidate directions round a parent, every 4 degrees.
	var dirs [90]Vec
	for k := range dirs {
		dirs[k] = Polar(1, float64(4*k)*math.Pi/180)
	}
	mirrorOf := map[int]int{0: 0}
	for len(gears) < maxGears {
		best := struct {
			ok     bool
			score  float64
			c      Vec
			z, par int
		}{}
		for pi := range gears {
			if gears[pi].Center.X > 0 {
				continue // grow the left side; the right is its mirror
			}
			for _, z := range gearSizes {
				r := pitch(gears[pi].Teeth) + pitch(z)
				for _, u := range dirs {
					c := gears[pi].Center.Add(Vec{r * u.X, r * u.Y})
					// Big gears first; among equals, stay close to the hemisphere's
					// heart so the cluster grows as a compact mass. A candidate that
					// cannot beat the best so far is not checked further.
					score := float64(z) - 12*math.Sqrt(c.Dist2(Vec{-0.15, -0.03}))
					if best.ok && score <= best.score || !fits(c, z, pi, mirrorOf[pi]) {
						continue
					}
					if !best.ok || score > best.score {
						best.ok, best.score, best.c, best.z, best.par = true, score, c, z, pi
					}
				}
			}
		}
		if !best.ok {
			break
		}
		i := len(gears)
		gears = append(gears, Gear{Teeth: best.z, Center: best.c, Parent: best.par})
		mp := mirrorOf[best.par]
		gears = append(gears, Gear{Teeth: best.z, Center: Vec{-best.c.X, best.c.Y}, Parent: mp})
		mirrorOf[i] = i + 1
		mirrorOf[i+1] = i
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
