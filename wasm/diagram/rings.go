package diagram

import "math"

// breath is the rings' gentle expansion and contraction, a factor near 1.
func (s *Scene) breath(period, phase float64) float64 {
	return 1 + breathAmp*math.Sin(2*math.Pi*s.anim/period+phase)
}

// updateRing places the CoP: founding members walk in from outside and join
// hands; the joiner leaves the crowd and takes a slot in the ring.
func (s *Scene) updateRing() {
	n := s.founding
	c := s.ch[chCoP]
	w := s.ch[chJoin]
	ew := easeInOut(w)
	R := copFeetR

	// Angles by weight: the joiner's weight grows from 0 to 1 as it arrives, and the
	// ring spreads to make room for it. The bottom gap stays under the label.
	total := float64(n) + ew
	acc := 0.0
	for q, idx := range s.order {
		wt := 1.0
		if idx == s.joiner {
			wt = ew
		}
		s.ringAngle[q] = math.Pi/2 + 2*math.Pi*(acc+wt/2)/total
		acc += wt
	}

	stagger := 0.45 / float64(n)
	for q, idx := range s.order {
		p := &s.people[idx]
		a := s.ringAngle[q]
		up := Polar(1, a)
		if idx == s.joiner {
			continue // placed by updatePLN, which owns it until it has joined
		}
		t := clamp01((c - stagger*float64(idx)) / (1 - stagger*float64(n-1)))
		p.height = copHeight
		p.cop = 1
		p.up = up
		p.armLen = s.copArm
		if s.reduced {
			p.feet = Polar(R, a)
			p.alpha = c
			p.walkAmt = 0
		} else {
			e := easeInOut(t)
			r := lerp(startR, R, e)
			p.feet = Polar(r, a)
			p.alpha = smoothstep(0, 0.18, t)
			p.walkAmt = math.Min(1, 4*t*(1-t)*1.6)
			p.walk = (startR - r) / (0.07 * copHeight / 0.23) * math.Pi
		}
		p.hand[0], p.hand[1] = p.relaxedHand(0), p.relaxedHand(1)
		p.grip = [2]float64{}
		_ = t
	}

	// The joiner, between the crowd and the ring.
	j := &s.people[s.joiner]
	slotA := s.ringAngle[s.slotIndex()]
	home := s.plnHome(s.joiner)
	slot := Polar(R, slotA)
	homeUp := j.homeUp
	if s.reduced {
		// A cross-fade: it fades out at home and in at its slot.
		if w < 0.5 {
			s.placeJoiner(home, homeUp, 0, (1-2*w)*s.plnAlpha(s.joiner), 0)
		} else {
			s.placeJoiner(slot, Polar(1, slotA), 1, 2*w-1, 0)
		}
	} else {
		ctrl := bow(home, slot, -0.28)
		pos := quadAt(home, ctrl, slot, ew)
		up := homeUp.Lerp(Polar(1, slotA), ew).Norm()
		walkAmt := math.Min(1, 4*w*(1-w)*1.6)
		s.placeJoiner(pos, up, ew, s.plnAlpha(s.joiner), walkAmt)
		j.walk = ew * 9 * math.Pi
	}

	// Hands: each neighbouring pair meets just below their shoulders, once both
	// have arrived. The pair either side of the joiner's slot let go as the slot
	// opens, and the joiner takes both their hands as it arrives.
	ringN := len(s.order)
	gJoin := smoothstep(0.84, 1, w)
	gDirect := 1 - smoothstep(0, 0.1, w)
	for q := 0; q < ringN; q++ {
		ai, bi := s.order[q], s.order[(q+1)%ringN]
		g := 1.0
		switch {
		case ai == s.joiner || bi == s.joiner:
			g = gJoin
		}
		s.grip(ai, bi, g, c, stagger)
	}
	// The founding pair around the slot, while the joiner is not there.
	k, k1 := s.slotAfter, (s.slotAfter+1)%n
	if gDirect > 0 {
		s.grip(k, k1, gDirect, c, stagger)
	}
}

// slotIndex is the joiner's position in the ring order.
func (s *Scene) slotIndex() int {
	for q, idx := range s.order {
		if idx == s.joiner {
			return q
		}
	}
	return 0
}

func (s *Scene) placeJoiner(feet, up Vec, copness, alpha, walkAmt float64) {
	j := &s.people[s.joiner]
	j.feet, j.up = feet, up
	j.cop = copness
	j.height = lerp(j.h, copHeight, copness)
	j.alpha = alpha
	j.walkAmt = walkAmt
	j.armLen = lerp(plnArm, s.copArm, copness)
	j.hand[0], j.hand[1] = j.relaxedHand(0), j.relaxedHand(1)
	j.grip = [2]float64{}
}

// grip joins a's right hand with b's left hand with strength g (0..1), scaled by
// how far both have arrived in the ring.
func (s *Scene) grip(ai, bi int, g, c, stagger float64) {
	a, b := &s.people[ai], &s.people[bi]
	arrived := func(i int) float64 {
		if i == s.joiner {
			return 1
		}
		if s.reduced {
			return 1
		}
		t := clamp01((c - stagger*float64(i)) / (1 - stagger*float64(s.founding-1)))
		return smoothstep(0.82, 1, t)
	}
	g *= math.Min(arrived(ai), arrived(bi))
	if g <= 0 {
		return
	}
	up := a.up.Add(b.up).Norm()
	h := (a.height + b.height) / 2
	contact := a.shoulder(1).Add(b.shoulder(0)).Mul(0.5).Sub(up.Mul(contactDrop * h))
	ge := easeInOut(g)
	if ge > a.grip[1] {
		a.hand[1] = a.relaxedHand(1).Lerp(contact, ge)
		a.grip[1] = ge
	}
	if ge > b.grip[0] {
		b.hand[0] = b.relaxedHand(0).Lerp(contact, ge)
		b.grip[0] = ge
	}
}

// plnArm is the arm segment length of PLN members, in person heights.
const plnArm = 0.2

// plnHome is where PLN member i stands (in the crowd's own frame; the crowd
// breathes as a whole).
func (s *Scene) plnHome(i int) Vec { return s.people[i].home }

// layerScale is the breathing scale of the ring person i is drawn in: the CoP's,
// the PLN's, or for the joiner on its way, a blend.
func (s *Scene) layerScale(i int) float64 {
	p := &s.people[i]
	return lerp(s.plnScale, s.copScale, p.cop)
}

// onScreen returns a point of person i's frame where it is drawn.
func (s *Scene) onScreen(i int, v Vec) Vec { return v.Mul(s.layerScale(i)) }

// plnAlpha is how far PLN member i has appeared (staggered round the crowd).
func (s *Scene) plnAlpha(i int) float64 {
	t := s.plnT(i)
	if s.reduced {
		return s.ch[chPLN]
	}
	return smoothstep(0, 0.5, t)
}

func (s *Scene) plnT(i int) float64 {
	m := len(s.people) - s.founding
	k := float64(s.people[i].rank)
	st := 0.5 / float64(m)
	return clamp01((s.ch[chPLN] - st*k) / (1 - st*float64(m-1)))
}

// updatePLN places the wider crowd: people pop into view one after another and
// then stand, drifting a little; some wave.
func (s *Scene) updatePLN() {
	for i := s.founding; i < len(s.people); i++ {
		if i == s.joiner {
			continue
		}
		p := &s.people[i]
		grow := 1.0
		if !s.reduced {
			grow = 0.6 + 0.4*easeInOut(s.plnT(i))
		}
		p.stand(grow)
		p.alpha = s.plnAlpha(i)
		if p.class {
			p.alpha = s.ch[chPLN] * s.seatOn[i-s.seat0]
		}
	}
}

// layoutLinks picks the thin links of the PLN: some neighbours in the crowd (every
// resource among them: someone follows it), and some members to the nearest CoP
// member. Sparse on purpose: a network, not a web.
func layoutLinks(s *Scene, max int, seed uint32) [][2]int {
	var links [][2]int
	n := s.founding
	m := len(s.crowd)
	for j := 0; j < m && len(links) < max; j++ {
		a, b := s.crowd[j], s.crowd[(j+1)%m]
		if a == s.joiner || b == s.joiner {
			continue
		}
		pa, pb := &s.people[a], &s.people[b]
		res := pa.kind.Resource() || pb.kind.Resource()
		if d := pa.chest().Dist(pb.chest()); d < 0.5 && (res || rand01(seed+31, uint32(j)) < 0.72) {
			links = append(links, [2]int{a, b})
		}
	}
	for j := 0; j < m && len(links) < max; j++ {
		a := s.crowd[j]
		if a == s.joiner || s.people[a].kind.Resource() || rand01(seed+37, uint32(j)) > 0.45 {
			continue
		}
		// Nearest founding member by angle.
		best, bd := 0, math.Inf(1)
		for i := 0; i < n; i++ {
			if d := math.Abs(angleDiff(s.people[a].homeA, foundingAngle(i, n))); d < bd {
				best, bd = i, d
			}
		}
		links = append(links, [2]int{a, best})
	}
	return links
}
