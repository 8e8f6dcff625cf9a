package diagram

import (
	"math"
	"reflect"
	"testing"
)

func newScene(t testing.TB, w, h float64) *Scene {
	t.Helper()
	s := New(defaultContent(t))
	s.SetViewport(w, h, Rect{W: w, H: h}, 1)
	return s
}

func run(s *Scene, ticks int) {
	for i := 0; i < ticks; i++ {
		s.Tick()
	}
}

var viewports = []struct {
	name  string
	w, h  float64
	stage Rect
	dpr   float64
}{
	{"smallest 320x240", 320, 240, Rect{0, 0, 320, 240}, 1},
	{"embed 280x200", 280, 200, Rect{0, 0, 280, 200}, 1},
	{"small 400x300", 400, 300, Rect{0, 0, 400, 300}, 1},
	{"phone portrait 390x844 @3x", 1170, 2532, Rect{0, 150, 1170, 1500}, 3},
	{"laptop 1280x720 with panel", 1280, 720, Rect{0, 56, 900, 664}, 1},
	{"projector 1920x1080", 1920, 1080, Rect{0, 0, 1920, 1080}, 1},
	{"retina 1280x720 @2x", 2560, 1440, Rect{0, 112, 1800, 1328}, 2},
	{"4k 3840x2160", 3840, 2160, Rect{0, 0, 3840, 2160}, 1},
	{"ultra-wide 3440x1000", 3440, 1000, Rect{0, 0, 3440, 1000}, 1},
	{"tall strip 300x1600", 300, 1600, Rect{0, 0, 300, 1600}, 1},
}

// Every shape is inside the stage, with a margin, at every size and aspect, and the
// picture is as big as the stage allows.
func TestLayoutFitsEveryViewport(t *testing.T) {
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			s := New(defaultContent(t))
			s.SetViewport(vp.w, vp.h, vp.stage, vp.dpr)
			run(s, 90)
			var f Frame
			s.Build(&f)
			margin := 0.005 * math.Min(vp.stage.W, vp.stage.H)
			in := func(x, y, r float64) bool {
				return x-r >= vp.stage.X+margin && x+r <= vp.stage.X+vp.stage.W-margin &&
					y-r >= vp.stage.Y+margin && y+r <= vp.stage.Y+vp.stage.H-margin
			}
			minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
			for _, it := range f.Items {
				switch it.Kind {
				case ItemGlow:
					continue // soft light may fade out past the edge
				case ItemCircle:
					if !in(float64(it.X), float64(it.Y), float64(it.R)) {
						t.Fatalf("circle of %s at (%.0f,%.0f) r %.1f leaves the stage", it.Part, it.X, it.Y, it.R)
					}
					minX, maxX = math.Min(minX, float64(it.X)), math.Max(maxX, float64(it.X))
					minY, maxY = math.Min(minY, float64(it.Y)), math.Max(maxY, float64(it.Y))
				default:
					pad := float64(it.Width) / 2
					n := pointCount(&f.Path, it)
					for k := it.Pt0; k < it.Pt0+int32(n); k++ {
						p := f.Path.Pts[k]
						if !in(float64(p.X), float64(p.Y), pad) {
							t.Fatalf("shape of %s at (%.0f,%.0f) leaves the stage %+v", it.Part, p.X, p.Y, vp.stage)
						}
					}
				}
			}
			// Fills the stage's smaller side: heads reach within 10% of its edges.
			span := math.Max(maxX-minX, maxY-minY)
			if span < 0.8*math.Min(vp.stage.W, vp.stage.H) {
				t.Errorf("the picture spans %.0f px of a %.0f px stage", span, math.Min(vp.stage.W, vp.stage.H))
			}
		})
	}
}

func pointCount(p *Path, it Item) int {
	n := 0
	for _, op := range p.Ops[it.Op0:it.Op1] {
		switch op {
		case OpMove, OpLine:
			n++
		case OpQuad:
			n += 2
		case OpCubic:
			n += 3
		}
	}
	return n
}

// extent returns the nearest and farthest points of a member from the centre.
func (p *person) extent() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	if p.kind.Resource() {
		b := p.bounds()
		for _, v := range []Vec{{b.X, b.Y}, {b.X + b.W, b.Y}, {b.X, b.Y + b.H}, {b.X + b.W, b.Y + b.H}} {
			lo, hi = math.Min(lo, v.Len()), math.Max(hi, v.Len())
		}
		return lo, hi
	}
	pts := []Vec{p.feet, p.local(-footX, 0), p.local(footX, 0), p.head().Add(p.up.Mul(headR * p.height)), p.hand[0], p.hand[1],
		p.local(-0.22, 0.5), p.local(0.22, 0.5)}
	for _, v := range pts {
		lo, hi = math.Min(lo, v.Len()), math.Max(hi, v.Len())
	}
	return lo, hi
}

// The three layers never overlap: the brain sits inside the ring's feet, the
// ring's heads inside the crowd, at every breath.
func TestLayersDoNotOverlap(t *testing.T) {
	s := newScene(t, 1280, 720)
	brainMax := 0.0
	for _, v := range append(append(append([]Vec{}, s.silhouette...), s.brain.cerebellum...), s.brain.stem...) {
		brainMax = math.Max(brainMax, v.Len())
	}
	for tick := 0; tick < 60*20; tick += 7 {
		run(s, 7)
		copMin, copMax := math.Inf(1), 0.0
		plnMin := math.Inf(1)
		for i := range s.people {
			lo, hi := s.people[i].extent()
			lo, hi = lo*s.layerScale(i), hi*s.layerScale(i)
			if s.personPart(i) == PartCoP {
				copMin, copMax = math.Min(copMin, lo), math.Max(copMax, hi)
			} else {
				plnMin = math.Min(plnMin, lo)
			}
		}
		if brainMax >= copMin {
			t.Fatalf("tick %d: the brain (to %.3f) reaches the ring (from %.3f)", s.tick, brainMax, copMin)
		}
		if copMax >= plnMin {
			t.Fatalf("tick %d: the ring (to %.3f) reaches the crowd (from %.3f)", s.tick, copMax, plnMin)
		}
	}
}

func TestPeopleCounts(t *testing.T) {
	s := newScene(t, 1280, 720)
	cop, pln := s.People()
	if cop < 8 || pln < 16 {
		t.Errorf("%d in the ring and %d in the crowd; want at least 8 and 16", cop, pln)
	}
	// The crowd is irregular: spacing between neighbours varies.
	var gaps []float64
	for k := 0; k+1 < len(s.crowd); k++ {
		gaps = append(gaps, math.Abs(angleDiff(s.people[s.crowd[k+1]].homeA, s.people[s.crowd[k]].homeA)))
	}
	lo, hi := math.Inf(1), 0.0
	for _, g := range gaps {
		lo, hi = math.Min(lo, g), math.Max(hi, g)
	}
	if hi < 2*lo {
		t.Errorf("crowd spacing %.3f..%.3f rad is too regular", lo, hi)
	}
	if len(s.links) < 5 || len(s.links) > s.c.PLN.Links {
		t.Errorf("%d links (content allows %d)", len(s.links), s.c.PLN.Links)
	}
}

// In the ring, each person's right hand meets the next person's left hand: the
// drawn hands (after the arm's reach) coincide, at every breath, and no arm is
// stretched past its length.
func TestCoPHandsMeet(t *testing.T) {
	s := newScene(t, 1280, 720)
	for tick := 0; tick < 60*12; tick += 5 {
		run(s, 5)
		ringN := len(s.order)
		for q := 0; q < ringN; q++ {
			a, b := &s.people[s.order[q]], &s.people[s.order[(q+1)%ringN]]
			if a.grip[1] < 1 || b.grip[0] < 1 {
				t.Fatalf("tick %d: neighbours %d and %d are not holding hands (grip %.2f, %.2f)", s.tick, s.order[q], s.order[(q+1)%ringN], a.grip[1], b.grip[0])
			}
			_, ha := elbow(a.shoulder(1), a.hand[1], a.armLen*a.height, a.up, 1)
			_, hb := elbow(b.shoulder(0), b.hand[0], b.armLen*b.height, b.up, -1)
			if d := ha.Dist(hb); d > 1e-9 {
				t.Fatalf("tick %d: hands of %d and %d are %.4f apart", s.tick, s.order[q], s.order[(q+1)%ringN], d)
			}
			// Arms bend: the hand is short of full reach.
			if a.shoulder(1).Dist(ha) > 2*a.armLen*a.height*0.999 {
				t.Fatalf("tick %d: an arm is stretched straight", s.tick)
			}
		}
	}
	// PLN members hold no one's hand.
	for i := s.founding; i < len(s.people); i++ {
		if i != s.joiner && (s.people[i].grip[0] > 0 || s.people[i].grip[1] > 0) {
			t.Errorf("PLN member %d is holding hands", i)
		}
	}
}

func TestHitTesting(t *testing.T) {
	s := newScene(t, 1280, 720)
	run(s, 30)
	px := func(v Vec) (float64, float64) { p := s.toPx(v); return p.X, p.Y }
	copPerson := s.order[2]
	plnPerson := s.founding + 3
	cx, cy := px(s.people[copPerson].chest())
	c2x, c2y := px(s.people[plnPerson].chest())
	// A point of the PLN band far from anyone: halfway between two PLN members.
	gap := Polar(0.93, plnGapAngle+plnGapHalf*0.2)
	tests := []struct {
		name   string
		x, y   float64
		part   Part
		person bool
	}{
		{"brain centre", 640, 360 + brainCenter.Y*s.scale, PartConnectivism, false},
		{"a gear", 0, 0, PartConnectivism, false},
		{"a ring member", cx, cy, PartCoP, true},
		{"a crowd member", c2x, c2y, PartPLN, true},
		{"the PLN band, between people", 0, 0, PartPLN, false},
		{"corner", 5, 5, PartNone, false},
		{"outside the canvas", -50, 900, PartNone, false},
	}
	tests[1].x, tests[1].y = px(s.gears[3].Center)
	tests[4].x, tests[4].y = px(gap)
	for _, tc := range tests {
		got := s.HitTest(tc.x, tc.y)
		if got.Part != tc.part || (got.Person >= 0) != tc.person {
			t.Errorf("%s (%.0f,%.0f): got %+v, want part %s person %v", tc.name, tc.x, tc.y, got, tc.part, tc.person)
		}
	}
	// Clicking selects; clicking empty space clears.
	s.Click(cx, cy)
	if sel := s.Selected(); sel.Person != copPerson || sel.Part != PartCoP {
		t.Errorf("click on a ring member selected %+v", sel)
	}
	s.Click(5, 5)
	if sel := s.Selected(); sel.Part != PartNone {
		t.Errorf("click on empty space left %+v selected", sel)
	}
	// A hidden layer cannot be hit: at step 1 only the brain is there.
	s.JumpTo(1)
	if got := s.HitTest(cx, cy); got.Part == PartCoP {
		t.Errorf("step 1: hit a ring member that is not shown")
	}
}

// The scene after N ticks is a function of N and the inputs alone.
func TestDeterministic(t *testing.T) {
	script := func(s *Scene) Frame {
		for i := 0; i < 600; i++ {
			switch i {
			case 40:
				s.SetPresenting(true, 1)
			case 100:
				s.Next()
			case 160:
				s.Pointer(700, 300, true)
			case 250:
				s.Next()
				s.Next()
			case 300:
				s.SetSpeed(2)
			case 420:
				s.Select(PartPLN)
			case 500:
				s.SetPlaying(false)
			}
			s.Tick()
		}
		var f Frame
		s.Build(&f)
		return f
	}
	a, b := script(newScene(t, 1280, 720)), script(newScene(t, 1280, 720))
	if !reflect.DeepEqual(a.Items, b.Items) || !reflect.DeepEqual(a.Path, b.Path) {
		t.Fatal("two runs of the same inputs drew different frames")
	}
	// And the inputs matter: a different script gives a different frame.
	s := newScene(t, 1280, 720)
	run(s, 600)
	var c Frame
	s.Build(&c)
	if reflect.DeepEqual(a.Path, c.Path) {
		t.Fatal("different inputs drew the same frame")
	}
}

func TestMotionChangesFramesAndPauseFreezesThem(t *testing.T) {
	s := newScene(t, 1280, 720)
	var f1, f2 Frame
	run(s, 10)
	s.Build(&f1)
	run(s, 30)
	if !s.NeedsDraw() {
		t.Fatal("playing, the scene does not ask to be drawn")
	}
	s.Build(&f2)
	if reflect.DeepEqual(f1.Path.Pts, f2.Path.Pts) {
		t.Fatal("playing, half a second later the frame is unchanged")
	}
	s.SetPlaying(false)
	run(s, 1)
	s.Build(&f1)
	run(s, 120)
	if s.NeedsDraw() {
		t.Fatal("paused, the scene asks to be drawn")
	}
	s.Build(&f2)
	if !reflect.DeepEqual(f1.Path.Pts, f2.Path.Pts) {
		t.Fatal("paused, the frame changed")
	}
}

func TestTickAndBuildAllocateNothing(t *testing.T) {
	s := newScene(t, 1920, 1080)
	var f Frame
	run(s, 10)
	s.Build(&f)
	if n := testing.AllocsPerRun(200, s.Tick); n != 0 {
		t.Errorf("Tick allocates %v times", n)
	}
	s.SetPresenting(true, 2)
	if n := testing.AllocsPerRun(100, s.Tick); n != 0 {
		t.Errorf("Tick during a step transition allocates %v times", n)
	}
	s.SetPresenting(false, 0)
	run(s, 600)
	s.Build(&f)
	if n := testing.AllocsPerRun(50, func() { s.Tick(); s.Build(&f) }); n != 0 {
		t.Errorf("Tick+Build allocates %v times", n)
	}
}

func TestPulsesReachTheBrainAndReturn(t *testing.T) {
	s := newScene(t, 1280, 720)
	in, out, glowed := false, false, false
	for i := 0; i < int(s.c.Pulses.Period*TPS)+10; i++ {
		s.Tick()
		for k := range s.pulses {
			p := &s.pulses[k]
			if p.visible && p.inbound {
				in = true
			}
			if p.visible && !p.inbound {
				out = true
			}
		}
		if s.glow > 0.5 {
			glowed = true
		}
	}
	if !in || !out || !glowed {
		t.Errorf("over one period: inbound %v, outbound %v, brain responded %v", in, out, glowed)
	}
}

func BenchmarkTick(b *testing.B) {
	s := newScene(b, 1920, 1080)
	b.ReportAllocs()
	for b.Loop() {
		s.Tick()
	}
}

// BenchmarkNew is the scene's start-up, before the first frame: placing the
// gears, the people and the links.
func BenchmarkNew(b *testing.B) {
	c := defaultContent(b)
	b.ReportAllocs()
	for b.Loop() {
		New(c)
	}
}

func BenchmarkBuild(b *testing.B) {
	s := newScene(b, 1920, 1080)
	var f Frame
	b.ReportAllocs()
	for b.Loop() {
		s.Tick()
		s.Build(&f)
	}
}

func TestProbesCoverEveryPart(t *testing.T) {
	s := newScene(t, 1280, 720)
	count := map[Part]int{}
	people := 0
	for _, p := range s.Probes() {
		count[p.Target.Part]++
		if p.Target.Person >= 0 {
			people++
		}
	}
	if count[PartConnectivism] < 12 || count[PartCoP] < 10 || count[PartPLN] < 20 || people < 25 {
		t.Errorf("probes: %v, %d people", count, people)
	}
}

// SelectMember selects a member as a click on it would (the page's placeholder
// hands such a selection over), and refuses a member the step does not show.
func TestSelectMember(t *testing.T) {
	s := newScene(t, 1000, 1000)
	ms := s.Members()
	for i, m := range ms {
		s.SelectMember(i)
		if got := s.Selected(); got != (Target{Part: m.Part, Person: i}) {
			t.Fatalf("SelectMember(%d) selected %+v, want member of %v", i, got, m.Part)
		}
	}
	before := s.Selected()
	for _, i := range []int{-1, len(ms), 1 << 20} {
		s.SelectMember(i)
		if s.Selected() != before {
			t.Errorf("SelectMember(%d) changed the selection to %+v", i, s.Selected())
		}
	}
	s.JumpTo(1) // the brain alone
	s.Select(PartNone)
	s.SelectMember(0)
	if got := s.Selected(); got.Part != PartNone {
		t.Errorf("at step 1 a member of the ring was selected: %+v", got)
	}
}
