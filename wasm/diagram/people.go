package diagram

import (
	"math"
	"sort"
)

// Design dimensions of the two rings, in scene units (the scene spans -1..1).
const (
	copFeetR     = 0.385 // the ring's feet, around the brain
	copHeight    = 0.23
	plnHeightMin = 0.118
	plnHeightMax = 0.158
	resourceSize = 0.094           // a resource icon's height, at the crowd's full size
	plnInner     = 0.655           // no member of the network comes nearer the centre than this
	plnOuter     = 0.985           // nor farther out (the ring's heads, breathing, reach 0.623)
	plnSpace     = 0.018           // free space around each member of the network
	plnBandIn    = plnInner - 0.02 // the network's band, for hovering and its halo
	plnBandOut   = plnOuter + 0.012
	copBandIn    = copFeetR - 0.035 // the ring's band, likewise
	copBandOut   = copFeetR + copHeight + 0.03
	plnMaxTilt   = 6 * math.Pi / 180
	startR       = 1.12 // where people walk in from, outside the picture
)

// Label zones kept free of people: the PLN label sits in a gap at the top of the
// crowd, the CoP label between the rings at the bottom.
const (
	plnGapAngle    = -math.Pi / 2
	plnGapHalf     = 0.34 // radians either side of the top left empty for the label
	copLabelRadius = 0.655
	brainLabelY    = -0.318
	plnLabelRadius = 0.845
	labelMargin    = 0.02 // around a label's largest box, so breathing never reaches it
)

// Person proportions, as fractions of the person's height, feet at 0, head at 1:
// a chunky pictogram, with a big round head and a rounded body, legible when small.
// The head sits a little into the shoulders, so that head and body read as one
// figure even when small, and the arms start from the shoulders' round.
const (
	headY       = 0.795
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
	readHandX   = 0.17 // a reader holds the book by its lower corners
	readHandY   = 0.4
	hipHandX    = 0.2
	hipHandY    = 0.33
	contactDrop = 0.04 // hands meet a little below the shoulders, arms slightly lowered
)

// pose is how a member of the network stands.
type pose uint8

const (
	poseDown pose = iota // arms hanging
	poseWave             // the right hand raised, waving
	poseRead             // both hands hold an open book in front
	poseHips             // hands on the hips, elbows out
	numPoses
)

// person is one member of either ring: a person, or in the network a resource
// drawn as an icon. Static fields are set at layout; the pose fields are recomputed
// every tick.
type person struct {
	// static
	founding bool    // a founding member of the CoP (not the PLN)
	class    bool    // a seat for a student of a live session
	kind     Kind    // a person, or a resource
	pose     pose    // PLN people: how they stand
	home     Vec     // PLN: where the feet (a resource: its base) stand
	homeUp   Vec     // PLN: the person's up, within plnMaxTilt of upright
	homeA    float64 // PLN: polar angle of the member's middle, for routes and links
	rank     int     // PLN: place in the crowd going round, for its entrance
	h        float64 // PLN height (CoP members all have copHeight)
	wide     float64 // body width, as a factor: people differ in build
	shade    float64 // -1..1, varies the tone
	hue      float64 // 0..1, PLN: how far the colour leans towards the link hue
	phase    float64 // personal phase for drifting
	role     int     // index into the language file's word list for its kind and ring

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
	return p.feet.Add(r.Mul(x * p.wide * p.height)).Add(p.up.Mul(y * p.height))
}

func (p *person) shoulder(side int) Vec {
	if side == 0 {
		return p.local(-shoulderX, shoulderY)
	}
	return p.local(shoulderX, shoulderY)
}

// relaxedHand is where a hand rests in the person's pose, when it holds no one's.
func (p *person) relaxedHand(side int) Vec {
	s := float64(2*side - 1)
	switch p.pose {
	case poseWave:
		if side == 1 {
			return p.local(waveHandX, waveHandY)
		}
	case poseRead:
		return p.local(s*readHandX, readHandY)
	case poseHips:
		return p.local(s*hipHandX, hipHandY)
	}
	return p.local(s*relaxHandX, relaxHandY)
}

func (p *person) chest() Vec { return p.local(0, 0.5) }
func (p *person) head() Vec  { return p.local(0, headY) }

// stand puts the member at its home in the network, at the given fraction of its
// height, hands in its pose.
func (p *person) stand(grow float64) {
	p.feet, p.up = p.home, p.homeUp
	p.cop = 0
	p.height = p.h * grow
	p.walkAmt = 0
	p.armLen = plnArm
	if p.pose == poseRead {
		p.armLen = readArm // elbows in, close to the body
	}
	p.hand[0], p.hand[1] = p.relaxedHand(0), p.relaxedHand(1)
	p.grip = [2]float64{}
}

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

// Resource icons in their own frame: x from -w to w, y from 0 (the base) to 1,
// in units of the icon's height.
var resourceHalfWidth = [numKinds]float64{KindBook: 0.66, KindVideo: 0.64, KindPodcast: 0.56, KindArticle: 0.42}

// bounds returns the box the member covers as posed now, in scene units (before
// its ring's breathing), strokes included.
func (p *person) bounds() Rect {
	lo, hi := Vec{math.Inf(1), math.Inf(1)}, Vec{math.Inf(-1), math.Inf(-1)}
	add := func(v Vec, pad float64) {
		lo = Vec{math.Min(lo.X, v.X-pad), math.Min(lo.Y, v.Y-pad)}
		hi = Vec{math.Max(hi.X, v.X+pad), math.Max(hi.Y, v.Y+pad)}
	}
	h := p.height
	if p.kind.Resource() {
		w := resourceHalfWidth[p.kind]
		for _, c := range [4][2]float64{{-w, 0}, {w, 0}, {-w, 1}, {w, 1}} {
			add(p.local(c[0], c[1]), 0.03*h)
		}
		return Rect{lo.X, lo.Y, hi.X - lo.X, hi.Y - lo.Y}
	}
	for _, side := range [2]float64{-1, 1} {
		add(p.local(side*(footX+0.08), 0), legWidth/2*h) // feet, swinging a little
		add(p.local(side*0.225, 0.265), 0)               // the body's widest
		add(p.local(side*0.225, 0.64), 0)
	}
	add(p.head(), headR*h)
	for side := 0; side < 2; side++ {
		el, hand := elbow(p.shoulder(side), p.hand[side], p.armLen*h, p.up, float64(2*side-1))
		add(el, limbWidth/2*h)
		add(hand, handR*h)
	}
	if p.pose == poseRead && p.cop == 0 {
		for _, c := range [2][2]float64{{-bookW, bookY - bookH/2}, {bookW, bookY + bookH/2}} {
			add(p.local(c[0], c[1]), 0)
		}
	}
	return Rect{lo.X, lo.Y, hi.X - lo.X, hi.Y - lo.Y}
}

// The open book a reader holds, in the person's frame: half its width, its height.
const (
	bookW   = 0.26
	bookH   = 0.22
	bookY   = 0.5   // the middle of the book, in the person's frame
	readArm = 0.112 // a reader's arm segments, shorter: the elbows stay in
)

// layoutPeople creates the founding CoP members, the PLN's people and its resources.
// PLN people come first, resources after them; the crowd is placed by layoutCrowd.
func layoutPeople(c *Content) []person {
	n, m, r := c.CoP.People, c.PLN.People, len(c.PLN.Resources)
	people := make([]person, n+m+r)
	seed := uint32(c.PLN.Seed)
	for i := 0; i < n; i++ {
		people[i] = person{founding: true, wide: 1, shade: rand01(seed+101, uint32(i))*2 - 1, role: i}
	}
	byKind := [numKinds]int{}
	for j := 0; j < m+r; j++ {
		p := &people[n+j]
		p.kind = KindPerson
		if j >= m {
			p.kind = c.PLN.Resources[j-m]
		}
		p.shade = rand01(seed+17, uint32(j))*2 - 1
		p.hue = rand01(seed+19, uint32(j))
		p.phase = rand01(seed+23, uint32(j)) * 2 * math.Pi
		p.wide = 1
		p.role = byKind[p.kind]
		byKind[p.kind]++
		if p.kind == KindPerson {
			p.h = lerp(plnHeightMin, plnHeightMax, rand01(seed+7, uint32(j)))
			p.wide = lerp(0.9, 1.14, rand01(seed+29, uint32(j)))
			// Mostly arms down; a few wave, stand with hands on hips, or read.
			switch u := rand01(seed+31, uint32(j)); {
			case u < 0.14:
				p.pose = poseWave
			case u < 0.26:
				p.pose = poseHips
			case u < 0.32:
				p.pose = poseRead
			}
		} else {
			p.h = resourceSize * lerp(0.95, 1.1, rand01(seed+7, uint32(j)))
		}
	}
	// Someone must wave and someone read, whatever the seed.
	if m >= 4 {
		people[n+1].pose, people[n+m/2].pose = poseWave, poseRead
	}
	return people
}

// layoutCrowd places the network's members, people and resources alike: spread
// round the circle (but for the gap at the top that holds the PLN label), at
// irregular angles and radii, some in small clusters, people upright and leaning a
// little, every one in the band between the ring and the edge, clear of the labels'
// boxes and of one another. It then picks the joiner of step 5: the person nearest
// the lower right, where the walk inwards is in plain view and clear of every label.
// It returns the band's free space as it leaves it, and the crowd's size factor.
func (s *Scene) layoutCrowd() (*band, float64) {
	n := s.founding
	seed := uint32(s.c.PLN.Seed)
	crowd := len(s.people) - n
	best := 0.0
	// A bigger crowd stands smaller, so that everyone keeps room around them.
	fit := clamp(math.Sqrt(27/float64(crowd)), 0.74, 1.04)

	// Going round: the resources are dealt among the people at even intervals.
	m := s.c.PLN.People
	r := crowd - m
	slots := make([]int, 0, crowd)
	pi, ri := 0, 0
	for k := 0; k < crowd; k++ {
		if ri < r && (pi >= m || float64(k+1)*float64(r)/float64(crowd) >= float64(ri)+0.5) {
			slots = append(slots, n+m+ri)
			ri++
		} else {
			slots = append(slots, n+pi)
			pi++
		}
	}

	sp := newBand(crowd)
	// try stands member p with its box's middle at c, and reports whether it fits.
	try := func(p *person, c Vec) bool { return sp.stand(p, c) }

	span := 2*math.Pi - 2*plnGapHalf
	a0 := plnGapAngle + plnGapHalf
	step := span / float64(crowd)
	angle := make([]float64, crowd)
	s.joiner, best = -1, math.Inf(1)
	for k, i := range slots {
		angle[k] = a0 + (float64(k)+0.5+(rand01(seed, uint32(k))-0.5)*0.6)*step
		if d := math.Abs(angleDiff(angle[k], 0.42)); i < n+m && d < best {
			s.joiner, best = i, d
		}
	}
	var prev *person
	var prevBox Rect
	for k, i := range slots {
		p := &s.people[i]
		p.rank = k
		p.h *= fit
		p.homeUp = Vec{0, -1}
		if i == s.joiner {
			p.pose = poseDown // it walks, arms swinging
		} else if p.kind == KindPerson {
			p.homeUp = p.homeUp.Rot((rand01(seed+41, uint32(k))*2 - 1) * plnMaxTilt)
		}
		a := angle[k]
		u := rand01(seed+13, uint32(k))
		ok := false
		// One in three stands close beside the one before: small clusters.
		if prev != nil && rand01(seed+43, uint32(k)) < 0.34 {
			tang := Vec{-math.Sin(prev.homeA), math.Cos(prev.homeA)} // going round
			for _, dy := range [3]float64{0, -0.025, 0.025} {
				for _, side := range [2]float64{1, -1} {
					w := p.h * 0.5
					if p.kind.Resource() {
						w = p.h * resourceHalfWidth[p.kind]
					}
					mid := Vec{prevBox.X + prevBox.W/2, prevBox.Y + prevBox.H/2}
					dx := side * math.Copysign(prevBox.W/2+w+plnSpace*1.2, tang.X+1e-9)
					if ok = try(p, mid.Add(Vec{dx, dy})); ok {
						break
					}
				}
				if ok {
					break
				}
			}
		}
		// Otherwise at its own angle: at a radius of its own, or the nearest that
		// fits, a little either side if need be; smaller if the crowd is tight.
		for shrink := 0; !ok && shrink < 6; shrink++ {
			for da := 0.0; !ok && da <= 0.7*step; da += 0.12 * step {
				for _, sg := range [2]float64{1, -1} {
					aa := a + sg*da
					lo, hi := plnInner+0.05, plnOuter-0.05
					r0 := lerp(lo, hi, u)
					for dr := 0.0; !ok && dr <= hi-lo; dr += 0.012 {
						for _, rr := range [2]float64{r0 + dr, r0 - dr} {
							if rr >= lo-0.03 && rr <= hi+0.03 && try(p, Polar(rr, aa)) {
								ok = true
								break
							}
						}
					}
					if ok || da == 0 {
						break
					}
				}
			}
			if !ok {
				p.h *= 0.9
			}
		}
		if !ok {
			// No room left at all (only for crowds far beyond the content limits):
			// stand at its own angle, overlapping.
			p.stand(1)
			p.home = Polar(lerp(plnInner, plnOuter, 0.5), a)
			p.homeA = a
		}
		prev = p
		prevBox = sp.placed[len(sp.placed)-1]
	}
	// The crowd in order going round, for links and routes between neighbours.
	s.crowd = s.crowd[:0]
	for i := n; i < len(s.people); i++ {
		s.crowd = append(s.crowd, i)
	}
	sort.Slice(s.crowd, func(a, b int) bool { return s.people[s.crowd[a]].homeA < s.people[s.crowd[b]].homeA })
	for i := n; i < len(s.people); i++ {
		s.people[i].stand(1)
	}
	return sp, fit
}

// band is the network's free space while members are placed in it: the annulus
// between the ring and the edge, less the labels' largest boxes and the boxes of
// the members placed so far, each with room round it.
type band struct {
	keep, placed []Rect
}

func newBand(n int) *band {
	b := &band{placed: make([]Rect, 0, n)}
	for _, a := range DesignAnchors() {
		b.keep = append(b.keep, Rect{a.X - a.MaxW/2 - labelMargin, a.Y - a.MaxH/2 - labelMargin, a.MaxW + 2*labelMargin, a.MaxH + 2*labelMargin})
	}
	return b
}

// fits reports whether box r is free.
func (sp *band) fits(r Rect) bool {
	for _, c := range [4]Vec{{r.X, r.Y}, {r.X + r.W, r.Y}, {r.X, r.Y + r.H}, {r.X + r.W, r.Y + r.H}} {
		if c.Len() > plnOuter {
			return false
		}
	}
	// The nearest point of the box to the centre.
	near := Vec{clamp(0, r.X, r.X+r.W), clamp(0, r.Y, r.Y+r.H)}
	if near.Len() < plnInner {
		return false
	}
	g := Rect{r.X - plnSpace/2, r.Y - plnSpace/2, r.W + plnSpace, r.H + plnSpace}
	for _, k := range sp.keep {
		if g.Overlaps(k) {
			return false
		}
	}
	for _, q := range sp.placed {
		q = Rect{q.X - plnSpace/2, q.Y - plnSpace/2, q.W + plnSpace, q.H + plnSpace}
		if g.Overlaps(q) {
			return false
		}
	}
	return true
}

// stand tries member p with its box's middle at c: if it fits, p stays there and
// its box is taken.
func (sp *band) stand(p *person, c Vec) bool {
	p.home = Vec{}
	p.stand(1)
	r := p.bounds()
	p.home = c.Sub(Vec{r.X + r.W/2, r.Y + r.H/2})
	r.X, r.Y = r.X+p.home.X, r.Y+p.home.Y
	if !sp.fits(r) {
		return false
	}
	sp.placed = append(sp.placed, r)
	p.homeA = math.Atan2(c.Y, c.X)
	p.stand(1)
	return true
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
