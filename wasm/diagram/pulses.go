package diagram

import "math"

// A pulse is one connection in motion: it leaves a member of the PLN, passes
// through a member of the CoP into a gear of the brain, makes the brain respond, and
// goes back out through another CoP member to another PLN member. Each round trip
// takes a new route, chosen by hash, so the picture shows many connections over time.

const pulseTrail = 4

// Phases of a round trip, as fractions of the period.
const (
	puInEnd    = 0.18 // PLN -> CoP
	puBrainIn  = 0.36 // CoP -> brain
	puBrainOut = 0.50 // resting in the brain
	puOutMid   = 0.64 // brain -> CoP
	puOutEnd   = 0.82 // CoP -> PLN, then unseen until the next trip
)

type pulse struct {
	visible  bool
	inbound  bool
	pos      Vec
	trail    [pulseTrail]Vec
	alpha    float64
	a, c, b  Vec     // current hop: from a to b with control c (design units)
	side     float64 // which way the hops bow
	hopT     float64
	routePLN [2]int // people at the ends of this trip (in, out)
	routeCoP [2]int
	gear     [2]int
}

func (s *Scene) updatePulses() {
	k := len(s.pulses) - maxSparks
	P := s.c.Pulses.Period
	glow := 0.0
	for i := range s.gearGlow {
		s.gearGlow[i] = 0
	}
	vis := s.ch[chPulses] * math.Min(s.ch[chCoP], s.ch[chPLN]) * s.ch[chBrain]
	for i := 0; i < k; i++ {
		pu := &s.pulses[i]
		ph := s.anim/P + float64(i)/float64(k)
		cycle := math.Floor(ph)
		u := ph - cycle
		s.route(pu, uint32(i), uint32(int64(cycle)))
		pu.side = 0.2
		if hash32(uint32(i)*31+uint32(int64(cycle))*7)&1 == 0 {
			pu.side = -0.2
		}
		glow = math.Max(glow, s.placePulse(pu, u, vis))
	}
	glow = math.Max(glow, s.updateSparks(vis))
	s.glow = glow
}

// placePulse puts pulse pu at fraction u of its round trip, shown at opacity vis,
// and returns how much the brain lights up for it.
func (s *Scene) placePulse(pu *pulse, u, vis float64) float64 {
	// The brain lights up as a pulse arrives, and fades as it leaves.
	bump := smoothstep(puBrainIn-0.03, puBrainIn+0.01, u) * (1 - smoothstep(puBrainIn+0.04, puBrainOut+0.06, u))
	s.gearGlow[pu.gear[0]] = math.Max(s.gearGlow[pu.gear[0]], bump*vis)

	pu.visible = vis > 0.01 && (u < puBrainIn || u >= puBrainOut && u < puOutEnd)
	pu.alpha = vis
	var hopStart, hopEnd float64
	var from, to Vec
	switch {
	case u < puInEnd:
		hopStart, hopEnd = 0, puInEnd
		from, to = s.chestOnScreen(pu.routePLN[0]), s.chestOnScreen(pu.routeCoP[0])
		pu.inbound = true
	case u < puBrainOut:
		hopStart, hopEnd = puInEnd, puBrainIn
		from, to = s.chestOnScreen(pu.routeCoP[0]), s.gears[pu.gear[0]].Center
		pu.inbound = true
	case u < puOutMid:
		hopStart, hopEnd = puBrainOut, puOutMid
		from, to = s.gears[pu.gear[1]].Center, s.chestOnScreen(pu.routeCoP[1])
		pu.inbound = false
	default:
		hopStart, hopEnd = puOutMid, puOutEnd
		from, to = s.chestOnScreen(pu.routeCoP[1]), s.chestOnScreen(pu.routePLN[1])
		pu.inbound = false
	}
	pu.a, pu.b, pu.c = from, to, bow(from, to, pu.side)
	t := clamp01((u - hopStart) / (hopEnd - hopStart))
	pu.hopT = t
	pu.pos = quadAt(pu.a, pu.c, pu.b, easeInOut(t))
	for j := range pu.trail {
		tt := clamp01(t - 0.045*float64(j+1))
		pu.trail[j] = quadAt(pu.a, pu.c, pu.b, easeInOut(tt))
	}
	return bump * vis
}

// route picks the people and gears of pulse i's trip number cycle.
func (s *Scene) route(pu *pulse, i, cycle uint32) {
	h := hash32(i*0x9e3779b9 ^ hash32(cycle+uint32(s.c.PLN.Seed)*977))
	n, m := s.founding, len(s.crowd) // the crowd, not the class's seats after it
	// In: a PLN member (not the joiner, who is busy walking), then the ring member
	// nearest to it.
	in := n + int(h%uint32(m))
	if in == s.joiner {
		in = n + (in-n+1)%m
	}
	pu.routePLN[0] = in
	pu.routeCoP[0] = s.nearestRing(s.people[in].homeA)
	// Out: a ring member a little way round, then a PLN member near it.
	ringN := len(s.order)
	q := s.ringPos(pu.routeCoP[0])
	q2 := (q + 2 + int((h>>8)%uint32(max(1, ringN-3)))) % ringN
	out := s.order[q2]
	if out == s.joiner && s.ch[chJoin] < 1 {
		out = s.order[(q2+1)%ringN]
	}
	pu.routeCoP[1] = out
	pu.routePLN[1] = s.nearestPLN(s.ringAngle[s.ringPos(out)], int((h>>16)%3))
	g := len(s.gears)
	pu.gear[0] = int((h >> 20) % uint32(g))
	pu.gear[1] = (pu.gear[0] + 1 + int((h>>4)%uint32(g-1))) % g
}

// nearestRing returns the ring member (joined members only) nearest angle a.
func (s *Scene) nearestRing(a float64) int {
	best, bd := 0, math.Inf(1)
	for q, idx := range s.order {
		if idx == s.joiner && s.ch[chJoin] < 1 {
			continue
		}
		if d := math.Abs(angleDiff(a, s.ringAngle[q])); d < bd {
			best, bd = idx, d
		}
	}
	return best
}

func (s *Scene) ringPos(idx int) int {
	for q, v := range s.order {
		if v == idx {
			return q
		}
	}
	return 0
}

// nearestPLN returns the member of the network (a person or a resource) nearest
// angle a, or the skip-th after it going round (so that outbound pulses fan out).
func (s *Scene) nearestPLN(a float64, skip int) int {
	best, bd := 0, math.Inf(1)
	for k, i := range s.crowd {
		if i == s.joiner {
			continue
		}
		if d := math.Abs(angleDiff(a, s.people[i].homeA)); d < bd {
			best, bd = k, d
		}
	}
	m := len(s.crowd)
	for ; skip > 0; skip-- {
		best = (best + 1) % m
		if s.crowd[best] == s.joiner {
			best = (best + 1) % m
		}
	}
	return s.crowd[best]
}

// chestOnScreen is where person i's chest is drawn, breathing included.
func (s *Scene) chestOnScreen(i int) Vec { return s.onScreen(i, s.people[i].chest()) }
