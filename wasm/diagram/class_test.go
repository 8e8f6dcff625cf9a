package diagram

import (
	"math"
	"testing"
)

func ids(from, to int) []int {
	var out []int
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

// Students take seats in the network as they join, never overlapping the crowd, the
// ring, the labels or one another; the ones beyond the seats are counted.
func TestClassTakesSeats(t *testing.T) {
	s := newScene(t, 1280, 720)
	n := s.Seats()
	if n < 20 {
		t.Fatalf("room for %d students, want at least 20", n)
	}
	if over := s.SetClass(ids(0, n+7)); over != 7 {
		t.Errorf("%d students without a seat, want 7", over)
	}
	run(s, 2*seatFade*TPS)
	seats := s.Class()
	if len(seats) != n {
		t.Fatalf("%d seated of %d seats", len(seats), n)
	}
	for _, st := range seats {
		m, ok := s.Member(st.Member)
		if !ok || !m.Class || m.Part != PartPLN || m.Words() != "class" {
			t.Errorf("student %d in member %d: %+v", st.ID, st.Member, m)
		}
		if a := s.people[st.Member].alpha; a < 0.99 {
			t.Errorf("student %d is shown at %.2f", st.ID, a)
		}
		// A click on them selects them.
		c := s.toPx(s.chestOnScreen(st.Member))
		if got := s.HitTest(c.X, c.Y); got.Person != st.Member {
			t.Errorf("a click on student %d hit %+v", st.ID, got)
		}
	}
	for tick := 0; tick < 60*TPS; tick += 13 {
		run(s, 13)
		if err := checkNetwork(s); err != nil {
			t.Fatalf("with a full class, tick %d: %v", s.tick, err)
		}
	}
	// And at every viewport the seats are the same design units: one layout.
	for _, vp := range viewports {
		s.SetViewport(vp.w, vp.h, vp.stage, vp.dpr)
		run(s, 3)
		if err := checkNetwork(s); err != nil {
			t.Fatalf("%s: %v", vp.name, err)
		}
	}
}

// The first students spread round the circle rather than filling one side.
func TestClassSpreadsRound(t *testing.T) {
	s := newScene(t, 1280, 720)
	s.SetClass(ids(0, 4))
	var as []float64
	for _, st := range s.Class() {
		as = append(as, s.people[st.Member].homeA)
	}
	for i := range as {
		for j := i + 1; j < len(as); j++ {
			if d := math.Abs(angleDiff(as[i], as[j])); d < math.Pi/4 {
				t.Errorf("the first four students stand %.0f° apart", d*180/math.Pi)
			}
		}
	}
}

// A student keeps their seat while others come and go; one who leaves fades out
// and frees the seat for the next.
func TestClassComesAndGoes(t *testing.T) {
	s := newScene(t, 1280, 720)
	s.SetClass([]int{10, 11, 12})
	run(s, TPS)
	seatOf := func(id int) int {
		for _, st := range s.Class() {
			if st.ID == id {
				return st.Member
			}
		}
		return -1
	}
	m11 := seatOf(11)
	s.SetClass([]int{11, 12, 13, 14})
	if seatOf(11) != m11 {
		t.Error("a student moved seats when others came and went")
	}
	if seatOf(10) >= 0 {
		t.Error("a student who left is still seated")
	}
	run(s, 2*seatFade*TPS)
	for i := s.seat0; i < len(s.people); i++ {
		if s.people[i].class && s.people[i].alpha > 0 && !seated(s, i) {
			t.Errorf("an empty seat %d still shows someone (alpha %.2f)", i, s.people[i].alpha)
		}
	}
	if ch := s.Changes(); ch&ChangedClass == 0 {
		t.Error("no class change reported")
	}
	if s.SetClass(nil); len(s.Class()) != 0 {
		t.Error("an empty class keeps students")
	}
}

func seated(s *Scene, member int) bool {
	for _, st := range s.Class() {
		if st.Member == member {
			return true
		}
	}
	return false
}

// A student's connection leaves their figure, passes a member of the ring, reaches
// a gear and comes back to them; paused, it waits at their figure and is dropped.
func TestConnectionFromAStudent(t *testing.T) {
	s := newScene(t, 1280, 720)
	s.SetClass([]int{7, 8})
	run(s, TPS)
	if s.Connection(99) {
		t.Error("a connection from a student not in the class")
	}
	if !s.Connection(8) {
		t.Fatal("a seated student's connection was refused")
	}
	me := s.Class()[1].Member
	var hops [4]bool
	pu := &s.pulses[len(s.pulses)-maxSparks]
	for tick := 0; tick < int(s.c.Pulses.Period*sparkPeriodK*TPS)+30; tick++ {
		s.Tick()
		if !pu.visible {
			continue
		}
		switch {
		case pu.inbound && pu.a == s.chestOnScreen(me):
			hops[0] = true
		case pu.inbound && s.personPart(pu.routeCoP[0]) == PartCoP && pu.b == s.gears[pu.gear[0]].Center:
			hops[1] = true
		case !pu.inbound && pu.a == s.gears[pu.gear[1]].Center:
			hops[2] = true
		case !pu.inbound && pu.b == s.chestOnScreen(me):
			hops[3] = true
		}
	}
	if hops != [4]bool{true, true, true, true} {
		t.Errorf("the connection's hops seen: %v (out, to the brain, from the brain, home)", hops)
	}
	if s.sparks[0].on {
		t.Error("the connection is still in flight after its round trip")
	}
	// Paused: it waits, at the student, then is dropped.
	s.SetPlaying(false)
	s.Connection(7)
	run(s, 10)
	if !pu.visible || pu.pos.Dist(s.chestOnScreen(s.Class()[0].Member)) > 1e-9 {
		t.Error("paused, a connection does not wait at the student's figure")
	}
	run(s, int(sparkHold*TPS))
	if s.sparks[0].on || pu.visible {
		t.Error("paused, a connection is never dropped")
	}
	// A flood keeps at most maxSparks in flight.
	s.SetPlaying(true)
	for i := 0; i < 3*maxSparks; i++ {
		s.Connection(7)
	}
	on := 0
	for k := range s.sparks {
		if s.sparks[k].on {
			on++
		}
	}
	if on != maxSparks {
		t.Errorf("%d connections in flight, want the cap %d", on, maxSparks)
	}
	// With a class and connections in flight, ticks still allocate nothing.
	var f Frame
	s.Build(&f)
	if n := testing.AllocsPerRun(50, func() { s.Tick(); s.Build(&f) }); n != 0 {
		t.Errorf("Tick+Build with a class allocates %v times", n)
	}
}
