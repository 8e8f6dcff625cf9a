package diagram

import "math"

// Design dimensions of the two rings, in scene units (the scene spans -1..1).
const (
	copFeetR     = 0.385 // the ring's feet, around the brain
	copHeight    = 0.23
	plnFeetMin   = 0.715
	plnFeetMax   = 0.840
	plnHeightMin = 0.112
	plnHeightMax = 0.150
	plnOuter     = 0.985 // no head reaches past this radius
	startR       = 1.12  // where people walk in from, outside the picture
)

// Label zones kept free of people: the PLN label sits in a gap at the top of the
// crowd, the CoP label between the rings at the bottom.
const (
	plnGapAngle    = -math.Pi / 2
	plnGapHalf     = 0.36 // radians either side of the top left empty for the label
	copLabelAngle  = math.Pi / 2
	copLabelHalf   = 0.62 // below the ring, PLN people stand further out
	copLabelFeetR  = 0.765
	copLabelRadius = 0.655 // centre of the CoP label
	brainLabelY    = -0.318
	plnLabelRadius = 0.845
)

// Person proportions, as fractions of the person's height, feet at 0, head at 1:
// a chunky pictogram, with a big round head and a rounded body, legible when small.
const (
	headY       = 0.835
	headR       = 0.158
	shoulderY   = 0.585
	shoulderX   = 0.175
	hipY        = 0.29
	hipX        = 0.085
	footX       = 0.10
	limbWidth   = 0.115 // arms
	legWidth    = 0.125
	handR       = 0.062
	relaxHandX  = 0.245
	relaxHandY  = 0.22
	waveHandX   = 0.36
	waveHandY   = 0.96
	contactDrop = 0.04 // hands meet a little below the shoulders, arms slightly lowered
)

// person is one figure in either ring. Static fields are set at layout; the pose
// fields are recomputed every tick.
type person struct {
	// static
	founding bool    // a founding member of the CoP (not the PLN)
	homeA    float64 // PLN: polar angle of the home spot
	homeR    float64 // PLN: feet radius of the home spot
	h        float64 // PLN height (CoP members all have copHeight)
	shade    float64 // -1..1, varies the tone
	hue      float64 // 0..1, PLN: how far the colour leans towards the link hue
	waves    bool    // PLN: raises a hand to wave
	phase    float64 // personal phase for drifting
	role     int     // index into the language file's role list for its ring

	// pose, recomputed each tick (scene units)
	feet    Vec
	up      Vec
	height  float64
	alpha   float64
	cop     float64 // 0: drawn as PLN, 1: drawn as CoP (the joiner blends)
	walk    float64 // walking phase, radians
	walkAmt float64 // 0..1, how much the legs swing
	hand    [2]Vec  // hand positions: 0 left, 1 right
	grip    [2]float64
	armLen  float64 // length of each arm segment
}

// right is the person's right-hand direction: for a person whose head points away
// from the centre, it runs along the ring towards increasing angle.
func right(up Vec) Vec { return Vec{-up.Y, up.X} }

// local maps a point of the person's own frame (x right, y up, height 1) to scene units.
func (p *person) local(x, y float64) Vec {
	r := right(p.up)
	return p.feet.Add(r.Mul(x * p.height)).Add(p.up.Mul(y * p.height))
}

func (p *person) shoulder(side int) Vec {
	if side == 0 {
		return p.local(-shoulderX, shoulderY)
	}
	return p.local(shoulderX, shoulderY)
}

func (p *person) relaxedHand(side int) Vec {
	s := float64(2*side - 1)
	if side == 1 && p.waves {
		return p.local(waveHandX, waveHandY)
	}
	return p.local(s*relaxHandX, relaxHandY)
}

func (p *person) chest() Vec { return p.local(0, 0.5) }
func (p *person) head() Vec  { return p.local(0, headY) }

// elbow solves the two-bone arm from shoulder s to hand t with segments of length
// l. The elbow bends outwards and down (towards side·right and the feet), as arms do.
func elbow(s, t Vec, l float64, up Vec, side float64) (Vec, Vec) {
	d := t.Sub(s)
	dist := d.Len()
	if dist > 2*l*0.999 {
		// Out of reach: straighten towards the target. Layout chooses arm lengths so
		// that hands which must meet always can.
		dir := d.Norm()
		return s.Add(dir.Mul(l)), s.Add(dir.Mul(2 * l * 0.999))
	}
	if dist < 1e-9 {
		return s.Sub(up.Mul(l)), t
	}
	dir := d.Mul(1 / dist)
	h := math.Sqrt(l*l - dist*dist/4)
	n := dir.Perp()
	pref := right(up).Mul(side).Sub(up.Mul(0.7))
	if n.Dot(pref) < 0 {
		n = n.Mul(-1)
	}
	return s.Add(d.Mul(0.5)).Add(n.Mul(h)), t
}

// layoutPeople creates the founding CoP members and the PLN crowd. The crowd is
// irregular but the same on every run: angles and radii come from hashes of the seed.
func layoutPeople(c *Content) (people []person, joiner int) {
	n, m := c.CoP.People, c.PLN.People
	people = make([]person, n+m)
	seed := uint32(c.PLN.Seed)
	for i := 0; i < n; i++ {
		people[i] = person{founding: true, shade: rand01(seed+101, uint32(i))*2 - 1, role: i}
	}
	// PLN angles: spread over the circle minus the label gap at the top, jittered,
	// with every fourth person stepping towards a neighbour to form small clusters.
	span := 2*math.Pi - 2*plnGapHalf
	a0 := plnGapAngle + plnGapHalf
	step := span / float64(m)
	for j := 0; j < m; j++ {
		p := &people[n+j]
		jit := (rand01(seed, uint32(j)) - 0.5) * 0.55
		if j%4 == 2 {
			jit -= 0.42 // cluster with the previous person
		}
		p.homeA = a0 + (float64(j)+0.5+jit)*step
		p.h = lerp(plnHeightMin, plnHeightMax, rand01(seed+7, uint32(j)))
		lo := plnFeetMin
		if d := math.Abs(angleDiff(p.homeA, copLabelAngle)); d < copLabelHalf {
			lo = copLabelFeetR
		}
		hi := math.Min(plnFeetMax, plnOuter-p.h)
		p.homeR = lerp(lo, math.Max(lo, hi), rand01(seed+13, uint32(j)))
		p.shade = rand01(seed+17, uint32(j))*2 - 1
		p.hue = rand01(seed+19, uint32(j))
		p.waves = j%6 == 1
		p.phase = rand01(seed+23, uint32(j)) * 2 * math.Pi
		p.role = j
	}
	// The joiner of step 5 is the PLN member nearest the lower right, where the
	// walk inwards is in plain view and clear of every label.
	joiner, best := n, math.Inf(1)
	for j := 0; j < m; j++ {
		if d := math.Abs(angleDiff(people[n+j].homeA, 0.42)); d < best {
			joiner, best = n+j, d
		}
	}
	return people, joiner
}

// angleDiff returns a-b wrapped to (-π, π].
func angleDiff(a, b float64) float64 {
	d := math.Mod(a-b, 2*math.Pi)
	if d > math.Pi {
		d -= 2 * math.Pi
	} else if d <= -math.Pi {
		d += 2 * math.Pi
	}
	return d
}
