package diagram

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// onScreenBox is member i's box as drawn, with its ring's breathing.
func (s *Scene) onScreenBox(i int) Rect {
	b := s.people[i].bounds()
	k := s.layerScale(i)
	return Rect{b.X * k, b.Y * k, b.W * k, b.H * k}
}

// labelBoxes are the largest boxes the page's three labels can take.
func labelBoxes() []Rect {
	var out []Rect
	for _, a := range DesignAnchors() {
		out = append(out, Rect{a.X - a.MaxW/2, a.Y - a.MaxH/2, a.MaxW, a.MaxH})
	}
	return out
}

// inNetwork lists the members standing in the network now (the joiner only while it
// is at home).
func (s *Scene) inNetwork() []int {
	var out []int
	for i := s.founding; i < len(s.people); i++ {
		if i == s.joiner && s.ch[chJoin] > 0 {
			continue
		}
		out = append(out, i)
	}
	return out
}

// checkNetwork reports the first way in which the network's layout is wrong now:
// a person tilted past 15°, two members' boxes overlapping, a member over a
// label's box or reaching the ring.
func checkNetwork(s *Scene) error {
	ringMax := 0.0
	for _, idx := range s.order {
		if idx == s.joiner {
			continue
		}
		_, hi := s.people[idx].extent()
		ringMax = math.Max(ringMax, hi*s.copScale)
	}
	net := s.inNetwork()
	labels := labelBoxes()
	for k, i := range net {
		p := &s.people[i]
		if p.kind == KindPerson {
			if tilt := math.Acos(clamp(p.up.Dot(Vec{0, -1}), -1, 1)); tilt > 15*math.Pi/180 {
				return fmt.Errorf("member %d leans %.1f° from upright", i, tilt*180/math.Pi)
			}
		}
		b := s.onScreenBox(i)
		near := Vec{clamp(0, b.X, b.X+b.W), clamp(0, b.Y, b.Y+b.H)}
		if near.Len() <= ringMax {
			return fmt.Errorf("member %d (from radius %.3f) reaches the ring (to %.3f)", i, near.Len(), ringMax)
		}
		for _, l := range labels {
			if b.Overlaps(l) {
				return fmt.Errorf("member %d %+v covers a label's box %+v", i, b, l)
			}
		}
		for _, j := range net[k+1:] {
			if b.Overlaps(s.onScreenBox(j)) {
				return fmt.Errorf("members %d and %d overlap", i, j)
			}
		}
	}
	return nil
}

// The network's people stand upright, and nobody in it overlaps anybody, the ring or
// a label: at every tick of two breaths, at every viewport.
func TestNetworkStandsUprightAndApart(t *testing.T) {
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			s := New(defaultContent(t))
			s.SetViewport(vp.w, vp.h, vp.stage, vp.dpr)
			for tick := 0; tick < int(2*s.c.CoP.Breathe*1.37*TPS); tick += 11 {
				run(s, 11)
				if err := checkNetwork(s); err != nil {
					t.Fatalf("tick %d: %v", s.tick, err)
				}
			}
		})
	}
	// And through a presentation, as the crowd appears and the joiner walks in.
	s := newScene(t, 1280, 720)
	s.SetPresenting(true, 3)
	for step := 3; step <= NumSteps; step++ {
		s.Goto(step)
		for k := 0; k < 6*TPS; k += 5 {
			run(s, 5)
			if err := checkNetwork(s); err != nil {
				t.Fatalf("step %d, tick %d: %v", step, s.tick, err)
			}
		}
	}
}

// Every content file the limits allow lays out: any number of people and resources
// within range, any seed.
func TestNetworkLayoutForEveryCrowd(t *testing.T) {
	base := readContent(t)
	for _, people := range []int{12, 16, 22, 30, 40} {
		for _, res := range []string{`["book", "video", "podcast"]`, `["book", "video", "podcast", "article", "article", "book"]`} {
			for _, seed := range []int{0, 11, 12345} {
				src := edit(t, base, `"people": 22,`, fmt.Sprintf(`"people": %d,`, people))
				src = edit(t, src, `["book", "video", "podcast", "article", "article"]`, res)
				src = edit(t, src, `"seed": 11`, fmt.Sprintf(`"seed": %d`, seed))
				c, err := ParseContent("diagram.json", src)
				if err != nil {
					t.Fatal(err)
				}
				s := New(c)
				run(s, 30)
				if err := checkNetwork(s); err != nil {
					t.Errorf("%d people, resources %s, seed %d: %v", people, res, seed, err)
				}
				if got := len(s.crowd); got != people+strings.Count(res, ",")+1 {
					t.Errorf("%d people, resources %s: %d in the network", people, res, got)
				}
			}
		}
	}
}

// The crowd has character: people of different sizes and builds, standing in
// different poses, spaced irregularly, some in small clusters.
func TestNetworkVaries(t *testing.T) {
	s := newScene(t, 1280, 720)
	poses := map[pose]int{}
	hMin, hMax := math.Inf(1), 0.0
	for _, i := range s.inNetwork() {
		p := &s.people[i]
		if p.kind != KindPerson {
			continue
		}
		poses[p.pose]++
		hMin, hMax = math.Min(hMin, p.h), math.Max(hMax, p.h)
	}
	for _, want := range []pose{poseDown, poseWave, poseRead} {
		if poses[want] == 0 {
			t.Errorf("no one in the network stands in pose %d (poses %v)", want, poses)
		}
	}
	if poses[poseDown] < len(s.inNetwork())/3 {
		t.Errorf("only %d of the crowd stand at rest: too busy a picture", poses[poseDown])
	}
	if hMax < 1.15*hMin {
		t.Errorf("heights %.3f..%.3f: too alike", hMin, hMax)
	}
	// Gaps between neighbours' boxes, going round: some close (clusters), some wide.
	close, wide := 0, 0
	for k, i := range s.crowd {
		j := s.crowd[(k+1)%len(s.crowd)]
		a, b := s.onScreenBox(i), s.onScreenBox(j)
		dx := math.Max(0, math.Max(a.X-(b.X+b.W), b.X-(a.X+a.W)))
		dy := math.Max(0, math.Max(a.Y-(b.Y+b.H), b.Y-(a.Y+a.H)))
		switch gap := math.Hypot(dx, dy); {
		case gap < 0.04:
			close++
		case gap > 0.1:
			wide++
		}
	}
	if close < 3 || wide < 3 {
		t.Errorf("%d close neighbours and %d far apart: want small clusters and open spaces", close, wide)
	}
}

// Resources stand among the people: each of the content's kinds, each linked to
// the network, hit by a click on it, named as what it is, and pulses start at them.
func TestResources(t *testing.T) {
	s := newScene(t, 1280, 720)
	run(s, 30)
	var res []int
	for i := range s.people {
		if s.people[i].kind.Resource() {
			res = append(res, i)
		}
	}
	if len(res) != len(s.c.PLN.Resources) || len(res) < 3 {
		t.Fatalf("%d resources drawn, content lists %d", len(res), len(s.c.PLN.Resources))
	}
	byKind := map[Kind]int{}
	for _, i := range res {
		m, _ := s.Member(i)
		if m.Part != PartPLN || !m.Kind.Resource() || m.Words() != m.Kind.String() {
			t.Errorf("resource %d: member %+v", i, m)
		}
		if m.Role != byKind[m.Kind] {
			t.Errorf("resource %d is %s number %d, its role says %d", i, m.Kind, byKind[m.Kind], m.Role)
		}
		byKind[m.Kind]++
		linked := false
		for _, l := range s.links {
			linked = linked || l[0] == i || l[1] == i
		}
		if !linked {
			t.Errorf("resource %d (%s) has no link to the network", i, m.Kind)
		}
		// A click on the middle of its icon selects it.
		b := s.people[i].bounds()
		c := s.toPx(Vec{b.X + b.W/2, b.Y + b.H/2}.Mul(s.layerScale(i)))
		if got := s.HitTest(c.X, c.Y); got != (Target{Part: PartPLN, Person: i}) {
			t.Errorf("a click on resource %d (%s) hit %+v", i, m.Kind, got)
		}
		s.Click(c.X, c.Y)
		if s.Selected().Person != i {
			t.Errorf("clicking resource %d selected %+v", i, s.Selected())
		}
	}
	for _, k := range s.c.PLN.Resources {
		if byKind[k] == 0 {
			t.Errorf("no %s drawn", k)
		}
	}
	// Over a few minutes of pulses, some leave from a resource.
	fromResource := false
	for tick := 0; tick < 4*60*TPS && !fromResource; tick += 30 {
		run(s, 30)
		for k := range s.pulses {
			fromResource = fromResource || s.people[s.pulses[k].routePLN[0]].kind.Resource()
		}
	}
	if !fromResource {
		t.Error("no pulse ever starts at a resource")
	}
}

// Members: the ring's founding members, the network's people, its resources; the
// person who joins the ring is its newcomer once there.
func TestMembers(t *testing.T) {
	s := newScene(t, 1280, 720)
	ms := s.Members()
	if len(ms) != len(s.people) {
		t.Fatalf("%d members for %d people", len(ms), len(s.people))
	}
	for i, m := range ms {
		switch {
		case i < s.founding:
			if m.Part != PartCoP || m.Kind != KindPerson || m.Joined || m.Role != i {
				t.Errorf("founding member %d: %+v", i, m)
			}
		case i == s.joiner:
			if m.Part != PartCoP || !m.Joined || m.Words() != "newcomer" {
				t.Errorf("the joiner, in the ring in the whole picture: %+v", m)
			}
		case i < s.founding+s.c.PLN.People:
			if m.Part != PartPLN || m.Kind != KindPerson || m.Words() != "person" {
				t.Errorf("network person %d: %+v", i, m)
			}
		case i < s.seat0:
			if !m.Kind.Resource() {
				t.Errorf("member %d should be a resource: %+v", i, m)
			}
		default:
			if !m.Class || m.Part != PartPLN || m.Words() != "class" || m.Role != i-s.seat0 {
				t.Errorf("member %d should be a seat of the class: %+v", i, m)
			}
		}
	}
	s.JumpTo(4)
	if m, _ := s.Member(s.joiner); m.Part != PartPLN || m.Joined || m.Words() != "person" {
		t.Errorf("the joiner before it walks in: %+v", m)
	}
	if _, ok := s.Member(len(s.people)); ok {
		t.Error("a member past the end")
	}
}

// The brain is seen from the side, facing left, the same way whatever the palette:
// the frontal lobe in front, the cerebellum behind and below the cerebrum, the stem
// lowest; centred on the scene, inside the ring.
func TestBrainSideView(t *testing.T) {
	s := newScene(t, 1280, 720)
	box := func(pts []Vec) Rect {
		lo, hi := Vec{math.Inf(1), math.Inf(1)}, Vec{math.Inf(-1), math.Inf(-1)}
		for _, v := range pts {
			lo = Vec{math.Min(lo.X, v.X), math.Min(lo.Y, v.Y)}
			hi = Vec{math.Max(hi.X, v.X), math.Max(hi.Y, v.Y)}
		}
		return Rect{lo.X, lo.Y, hi.X - lo.X, hi.Y - lo.Y}
	}
	cb, cl, st := box(s.brain.cerebrum), box(s.brain.cerebellum), box(s.brain.stem)
	if cb.W < 1.5*cb.H {
		t.Errorf("the cerebrum is %.2f wide and %.2f tall: from the side it is long", cb.W, cb.H)
	}
	if mid := cl.X + cl.W/2; mid < cb.X+cb.W*0.6 {
		t.Errorf("the cerebellum (middle %.2f) is not at the back of the cerebrum (%.2f..%.2f)", mid, cb.X, cb.X+cb.W)
	}
	if cl.Y+cl.H/2 < cb.Y+cb.H*0.8 {
		t.Error("the cerebellum is not under the cerebrum's back")
	}
	if st.Y+st.H < cl.Y+cl.H+0.05 || st.X < cb.X+cb.W*0.3 || st.X+st.W > cl.X+cl.W*0.5 {
		t.Errorf("the stem %+v is not under the middle, reaching lowest", st)
	}
	all := box(append(append(append([]Vec{}, s.silhouette...), s.brain.cerebellum...), s.brain.stem...))
	if mx, my := all.X+all.W/2, all.Y+all.H/2; math.Abs(mx) > 0.03 || math.Abs(my) > 0.04 {
		t.Errorf("the brain's middle is at (%.3f, %.3f): off the scene's centre", mx, my)
	}
	for _, v := range append(append(append([]Vec{}, s.silhouette...), s.brain.cerebellum...), s.brain.stem...) {
		if r := v.Len(); r > copFeetR*(1-breathAmp)-0.02 {
			t.Fatalf("the brain reaches radius %.3f, into the ring", r)
		}
	}
	// The same geometry in both palettes (and so in every language: the model has
	// no words).
	brainPts := func(p Profile) []Pt {
		s.SetProfile(p)
		var f Frame
		s.Build(&f)
		var pts []Pt
		for _, it := range f.Items {
			if it.Layer == LayerBrain && it.Kind != ItemGlow {
				pts = append(pts, f.Path.Pts[it.Pt0:it.Pt0+int32(pointCount(&f.Path, it))]...)
			}
		}
		return pts
	}
	dark, light := brainPts(ProfileDark), brainPts(ProfileProjector)
	if len(dark) == 0 || fmt.Sprint(dark) != fmt.Sprint(light) {
		t.Error("the brain is drawn differently in the two palettes")
	}
	// The pulses arrive at its gears.
	for tick := 0; tick < int(s.c.Pulses.Period*TPS); tick += 3 {
		run(s, 3)
		for k := range s.pulses {
			pu := &s.pulses[k]
			if pu.visible && pu.inbound && pu.hopT == 1 && s.HitTest(s.toPx(pu.b).X, s.toPx(pu.b).Y).Part == PartNone {
				t.Fatalf("a pulse ends off the brain at %v", pu.b)
			}
		}
	}
}

// The figures hold together at any size: the head sits on the shoulders (no gap
// between head and body), and the arms start inside the body.
func TestFiguresHoldTogether(t *testing.T) {
	const bodyTop = 0.675 // the top of the body's bell, at its middle
	if headY-headR > bodyTop-0.02 {
		t.Errorf("the head's bottom (%.3f) does not reach into the body (top %.3f)", headY-headR, bodyTop)
	}
	if shoulderY > bodyTop || shoulderX > 0.22 {
		t.Errorf("the shoulders (%.3f, %.3f) are outside the body", shoulderX, shoulderY)
	}
}
