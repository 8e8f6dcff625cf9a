package diagram

import "math"

// Probe is a point of the canvas (device pixels) and what is there.
type Probe struct {
	X, Y   float64
	Target Target
}

// Probes returns points that hit each part of the picture as it is now: the centre
// of every gear, the chest of every person, a spot of every resource in its tone,
// and spots of each ring's band between people. Every point is checked with HitTest, so it is exactly what a click there
// selects. Browser tests use them to click and to check colours at the right
// places; nothing in the drawing depends on them.
func (s *Scene) Probes() []Probe {
	var out []Probe
	add := func(v Vec, want Part, person bool) {
		p := s.toPx(v)
		t := s.HitTest(p.X, p.Y)
		if t.Part == want && (t.Person >= 0) == person {
			out = append(out, Probe{p.X, p.Y, t})
		}
	}
	for i := range s.gears {
		add(s.gears[i].Center, PartConnectivism, false)
	}
	for i := range s.people {
		p := &s.people[i]
		if p.alpha <= 0.5 {
			continue
		}
		at := s.chestOnScreen(i)
		if p.kind.Resource() {
			sp := resourceSpot[p.kind]
			at = s.onScreen(i, p.local(sp[0], sp[1]))
		}
		add(at, s.personPart(i), true)
	}
	ringN := len(s.order)
	for q := 0; q < ringN; q++ {
		a := (s.ringAngle[q] + s.ringAngle[(q+1)%ringN]) / 2
		if q == ringN-1 {
			a += math.Pi
		}
		add(Polar(copFeetR+copHeight*0.45, a), PartCoP, false)
	}
	for k := 0; k < 72; k++ {
		a := 2 * math.Pi * float64(k) / 72
		add(Polar((plnBandIn+plnBandOut)/2, a), PartPLN, false)
	}
	return out
}

// ProbeColor returns the palette colour the shape at a probe is drawn in.
func (s *Scene) ProbeColor(t Target) Color {
	p := s.Palette()
	switch t.Part {
	case PartConnectivism:
		return p.Brain
	case PartCoP:
		return p.CoP
	case PartPLN:
		return p.PLN
	}
	return p.Background
}
