package diagram

import "math"

// HitTest returns what is under the device-pixel point (x, y): a pulse, a person or
// a resource, the brain, one of the rings' bands, or nothing. People are tested before their
// band, and the crowd before the ring, in the reverse of the drawing order.
func (s *Scene) HitTest(x, y float64) Target {
	if s.scale <= 0 || math.IsNaN(x) || math.IsNaN(y) {
		return NoTarget
	}
	p := s.fromPx(Vec{x, y})
	// A finger is bigger than a pixel: give small things a minimum radius of 12 CSS px.
	slop := 12 * s.dpr / s.scale
	for i := range s.pulses {
		pu := &s.pulses[i]
		if pu.visible && pu.alpha > 0.3 && p.Dist(pu.pos) < math.Max(0.03, slop) {
			return Target{Part: PartConnections, Person: -1}
		}
	}
	best, bestD := -1, math.Inf(1)
	for i := range s.people {
		q := &s.people[i]
		if q.alpha < 0.3 {
			continue
		}
		// A figure is a line from feet to head, thick as the body; a resource is its
		// icon's box (in its ring's breathing frame).
		at := p.Mul(1 / s.layerScale(i))
		var d, reach float64
		if q.kind.Resource() {
			b := q.bounds()
			d = at.Dist(Vec{clamp(at.X, b.X, b.X+b.W), clamp(at.Y, b.Y, b.Y+b.H)})
			reach = math.Max(0.08*q.height, slop*0.6)
		} else {
			d = segDist(at, q.local(0, 0.1), q.head())
			reach = math.Max(0.2*q.height, slop*0.8)
		}
		if d < reach && d < bestD {
			best, bestD = i, d
		}
	}
	if best >= 0 {
		return Target{Part: s.personPart(best), Person: best}
	}
	r := p.Len()
	if s.ch[chBrain] > 0.3 {
		a := easeInOut(s.ch[chBrain])
		pop := 0.9 + 0.1*a
		q := brainCenter.Add(p.Sub(brainCenter).Mul(1 / pop))
		if s.brain.contains(q) {
			return Target{Part: PartConnectivism, Person: -1}
		}
	}
	if s.ch[chCoP] > 0.3 && r >= copBandIn && r <= copBandOut {
		return Target{Part: PartCoP, Person: -1}
	}
	if s.ch[chPLN] > 0.3 && r >= plnBandIn && r <= plnBandOut {
		return Target{Part: PartPLN, Person: -1}
	}
	return NoTarget
}

// Anchor is where the page puts a part's label: centred on (X, Y), at most MaxW wide
// and MaxH tall, all in CSS pixels. Shown is 0..1, as far as the part is shown.
type Anchor struct {
	Part       Part
	X, Y       float64
	MaxW, MaxH float64
	Shown      float64
}

// Anchors returns the label positions for the three layers. The spots are gaps the
// layout keeps free: above the brain inside the ring, between the rings at the
// bottom, and a gap in the crowd at the top, so a label never covers what it names.
func (s *Scene) Anchors() [3]Anchor {
	css := func(v Vec) (float64, float64) {
		p := s.toPx(v)
		return p.X / s.dpr, p.Y / s.dpr
	}
	u := s.scale / s.dpr
	a := DesignAnchors()
	for i := range a {
		a[i].X, a[i].Y = css(Vec{a[i].X, a[i].Y})
		a[i].MaxW *= u
		a[i].MaxH *= u
	}
	a[0].Shown, a[1].Shown, a[2].Shown = s.ch[chBrain], s.ch[chCoP], s.ch[chPLN]
	return a
}

// DesignAnchors are the label spots in design units, centred on the scene.
func DesignAnchors() [3]Anchor {
	return [3]Anchor{
		{PartConnectivism, 0, brainLabelY, 0.46, 0.095, 1},
		{PartCoP, 0, copLabelRadius, 0.62, 0.095, 1},
		{PartPLN, 0, -plnLabelRadius, 0.50, 0.11, 1},
	}
}

// Extent is the half-size, in design units, of the square the scene is fitted into.
func Extent() float64 { return sceneRadius + sceneMargin }

// Scale returns the CSS pixels per design unit, which the page uses to size label text.
func (s *Scene) Scale() float64 { return s.scale / s.dpr }
