package diagram

import (
	"math"
	"testing"
)

func TestStepsBuildThePictureInOrder(t *testing.T) {
	s := newScene(t, 1280, 720)
	s.SetPresenting(true, 1)
	shown := func() [numChannels]float64 { run(s, 60*6); return s.ch }
	want := [NumSteps + 1][]channel{
		1: {chBrain},
		2: {chBrain, chCoP},
		3: {chBrain, chCoP, chPLN},
		4: {chBrain, chCoP, chPLN, chPulses},
		5: {chBrain, chCoP, chPLN, chJoin},
		6: {chBrain, chCoP, chPLN, chPulses, chJoin},
	}
	for step := 1; step <= NumSteps; step++ {
		if step > 1 && !s.Next() {
			t.Fatalf("Next refused at step %d", step-1)
		}
		ch := shown()
		on := map[channel]bool{}
		for _, c := range want[step] {
			on[c] = true
		}
		for c := chBrain; c < chSpin; c++ {
			if on[c] && ch[c] < 1 || !on[c] && c != chPulses && ch[c] != 0 {
				t.Errorf("step %d: channel %d is %.2f", step, c, ch[c])
			}
		}
		cop, _ := s.People()
		if step >= 5 && cop != s.founding+1 || step < 5 && cop != s.founding {
			t.Errorf("step %d: %d people in the ring", step, cop)
		}
	}
	if s.Next() {
		t.Error("Next went past the last step")
	}
}

// Transitions are eased animations, not jumps, and going back plays them in reverse.
func TestStepTransitionsAreAnimatedAndReversible(t *testing.T) {
	s := newScene(t, 1280, 720)
	s.JumpTo(1)
	s.Next() // step 2: the ring walks in
	var prev []float64
	var radii []float64
	for i := 0; i < int(channelSeconds[chCoP]*TPS)+10; i++ {
		s.Tick()
		prev = append(prev, s.ch[chCoP])
		radii = append(radii, s.people[0].feet.Len())
	}
	for i := 1; i < len(prev); i++ {
		if prev[i] < prev[i-1] {
			t.Fatal("the ring's channel went backwards while walking in")
		}
	}
	if prev[0] > 0.05 || prev[len(prev)-1] != 1 {
		t.Fatalf("channel ran %.2f..%.2f", prev[0], prev[len(prev)-1])
	}
	// People really walk: the first member's distance from the centre shrinks
	// smoothly from outside the picture to the ring, slowly at both ends.
	first, last := radii[0], radii[len(radii)-1]
	if first < 1 || math.Abs(last-copFeetR) > 0.02 {
		t.Fatalf("first member walked from r=%.2f to r=%.2f", first, last)
	}
	maxStep := 0.0
	for i := 1; i < len(radii); i++ {
		maxStep = math.Max(maxStep, radii[i-1]-radii[i])
	}
	if early := radii[0] - radii[1]; early > maxStep/4 {
		t.Errorf("the walk starts abruptly (%.4f per tick, peak %.4f)", early, maxStep)
	}
	// Back: the ring walks out again.
	s.Prev()
	run(s, int(channelSeconds[chCoP]*TPS)+10)
	if s.ch[chCoP] != 0 || s.people[0].alpha > 0 {
		t.Errorf("going back left the ring at %.2f", s.ch[chCoP])
	}
}

func TestReducedMotionMakesTransitionsShortFades(t *testing.T) {
	s := newScene(t, 1280, 720)
	s.SetReducedMotion(true)
	s.JumpTo(1)
	s.Next()
	for i := 0; i < int(reducedFadeSeconds*TPS)+2; i++ {
		s.Tick()
		// Nobody walks: everyone fades in where they stand.
		if r := s.people[0].feet.Len(); math.Abs(r-copFeetR) > 0.02 {
			t.Fatalf("with reduced motion a person walked (r=%.3f)", r)
		}
	}
	if s.ch[chCoP] != 1 {
		t.Fatalf("the fade took longer than %.1f s", reducedFadeSeconds)
	}
}

func TestTransitionsRunWhilePausedButMotionDoesNot(t *testing.T) {
	s := newScene(t, 1280, 720)
	s.SetPlaying(false)
	s.JumpTo(3)
	drive, anim := s.drive, s.anim
	s.Next()
	run(s, 120)
	if s.ch[chPulses] == 0 {
		t.Error("paused, a step change did not happen")
	}
	if s.drive != drive || s.anim != anim {
		t.Error("paused, the gears turned or the pulses moved")
	}
}

func TestSpeedScalesMotion(t *testing.T) {
	a, b := newScene(t, 640, 480), newScene(t, 640, 480)
	b.SetSpeed(2)
	run(a, 120)
	run(b, 60)
	if math.Abs(a.anim-b.anim) > 1e-9 {
		t.Errorf("2x speed for 60 ticks (%.3f s) should equal 1x for 120 (%.3f s)", b.anim, a.anim)
	}
	b.SetSpeed(0.5)
	if b.Speed() != 0.5 {
		t.Error("speed 0.5 refused")
	}
	b.SetSpeed(-1)
	if b.Speed() != 0.5 {
		t.Error("a negative speed was accepted")
	}
}
