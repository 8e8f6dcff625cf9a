package diagram

import "math"

// Gear tooth geometry. All gears of the brain share one module (tooth size), so any
// two can mesh; a gear with z teeth has pitch radius module*z/2. The tooth flanks are
// true involutes of the base circle, as on a machined gear, with a 25° pressure angle
// (small gears then need no undercut) and a little backlash so that meshing teeth
// never touch.
const (
	pressureAngle = 25 * math.Pi / 180
	addendum      = 0.85 // × module, tip above the pitch circle
	dedendum      = 1.15 // × module, root below the pitch circle
	backlash      = 0.12 // × module, taken off each tooth's thickness at the pitch circle
	flankSteps    = 4    // points along each involute flank
)

// GearShape is a gear's outline in its own frame: centred at the origin, tooth 0
// pointing along +X, in units of the module.
type GearShape struct {
	Teeth   int
	Outline []Vec // closed polygon, angles increasing
	Pitch   float64
	Tip     float64 // addendum (outer) radius
	Root    float64 // root radius
}

func involute(a float64) float64 { return math.Tan(a) - a }

// newGearShape builds the outline of a gear with z teeth at module 1.
func newGearShape(z int) GearShape {
	zf := float64(z)
	r := zf / 2
	rb := r * math.Cos(pressureAngle)
	ra := r + addendum
	rf := r - dedendum
	halfPitch := (math.Pi/2 - backlash) / (2 * r) // half the tooth's angular thickness at the pitch circle
	inv0 := involute(pressureAngle)
	psi := func(rho float64) float64 { // half angular thickness at radius rho >= rb
		a := math.Acos(math.Min(1, rb/rho))
		return math.Max(0.004, halfPitch+inv0-involute(a))
	}
	start := math.Max(rb, rf)
	g := GearShape{Teeth: z, Pitch: r, Tip: ra, Root: rf}
	pts := make([]Vec, 0, z*(2*flankSteps+6))
	step := 2 * math.Pi / zf
	for k := 0; k < z; k++ {
		c := float64(k) * step
		// Root fillet point midway from the previous tooth.
		pts = append(pts, Polar(rf, c-step/2))
		if rb > rf {
			pts = append(pts, Polar(rf, c-psi(rb)-0.15/r))
		}
		for i := 0; i < flankSteps; i++ {
			rho := lerp(start, ra, float64(i)/float64(flankSteps-1))
			pts = append(pts, Polar(rho, c-psi(rho)))
		}
		pts = append(pts, Polar(ra, c))
		for i := flankSteps - 1; i >= 0; i-- {
			rho := lerp(start, ra, float64(i)/float64(flankSteps-1))
			pts = append(pts, Polar(rho, c+psi(rho)))
		}
		if rb > rf {
			pts = append(pts, Polar(rf, c+psi(rb)+0.15/r))
		}
	}
	g.Outline = pts
	return g
}

// GearStyle is how a gear's body is cut: spokes for big gears, round lightening
// holes for middling ones, solid for small ones.
type GearStyle uint8

const (
	GearSolid GearStyle = iota
	GearHoles
	GearSpokes
)

// Gear is one gear of the brain, placed in design units.
type Gear struct {
	Teeth  int
	Center Vec
	Parent int     // index of the gear it meshes with, -1 for the driver
	Depth  int     // meshes between it and the driver
	Ratio  float64 // angular speed relative to the driver, signed: neighbours turn opposite ways
	Phase  float64 // its angle when the driver is at angle 0
	Style  GearStyle
	Shade  float64 // 0..1, varies the gear's tone
}

// Angle returns the gear's rotation when the driver has turned by drive radians.
func (g *Gear) Angle(drive float64) float64 { return g.Phase + g.Ratio*drive }

// meshPhase returns the phase a gear of zj teeth at angle theta (seen from gear i)
// must have so that its teeth fall into gear i's gaps: with u the fraction of a
// tooth pitch by which gear i's nearest tooth is off the line of centres, the two
// fractions must sum to one half, and rolling without slip keeps that sum constant.
func meshPhase(phaseI float64, zi, zj int, theta float64) float64 {
	u := (theta - phaseI) * float64(zi) / (2 * math.Pi)
	u -= math.Floor(u)
	return theta + math.Pi - (0.5-u)*2*math.Pi/float64(zj)
}
