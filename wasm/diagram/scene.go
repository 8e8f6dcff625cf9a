package diagram

import "math"

// TPS is the number of ticks per second of simulated time.
const TPS = 60

const dt = 1.0 / TPS

// NumSteps is the number of steps of the guided presentation.
const NumSteps = 6

// Scene geometry in design units.
const (
	sceneRadius = 1.0
	sceneMargin = 0.03
)

// channel is one animated quantity that the steps drive between 0 and 1.
type channel uint8

const (
	chBrain  channel = iota // the gear brain
	chCoP                   // the CoP walks in and joins hands
	chPLN                   // the wider crowd and its links appear
	chPulses                // connections flow
	chJoin                  // a PLN member walks in and joins the ring
	chSpin                  // the gears turn
	numChannels
)

// stepTargets are the channel values each step builds towards. Step 6 (also the
// picture outside presentation mode) shows everything.
var stepTargets = [NumSteps + 1][numChannels]float64{
	1: {1, 0, 0, 0, 0, 1},
	2: {1, 1, 0, 0, 0, 1},
	3: {1, 1, 1, 0, 0, 1},
	4: {1, 1, 1, 1, 0, 1},
	5: {1, 1, 1, 0.35, 1, 1},
	6: {1, 1, 1, 1, 1, 1},
}

// channelSeconds is how long each channel takes to go from 0 to 1 in full motion;
// with reduced motion every change is a short fade instead.
var channelSeconds = [numChannels]float64{1.2, 3.4, 2.4, 1.2, 3.6, 2.4}

const reducedFadeSeconds = 0.3

// Target is what a point of the canvas is over.
type Target struct {
	Part   Part
	Person int // index into the scene's people, or -1
}

// NoTarget is empty space.
var NoTarget = Target{Person: -1}

// Changes is a set of things that changed since the page bridge last asked.
type Changes uint16

const (
	ChangedStep Changes = 1 << iota
	ChangedSelection
	ChangedHover
	ChangedLayout
	ChangedClass // a student took or left a seat
)

// Scene is the whole diagram: static layout plus the state that ticks advance.
type Scene struct {
	c *Content

	// static, in design units
	brain      brainShape // the brain's smooth outlines, for hit-testing and drawing
	outline    []Vec      // the cerebrum's outline, which the gears fill
	silhouette []Vec      // the cerebrum as drawn, with the folds of the cortex
	gears      []Gear
	shapes     []GearShape // per gear
	people     []person
	founding   int // people[0:founding] are the CoP's founding members
	joiner     int
	slotAfter  int   // the joiner takes its place after this founding member
	order      []int // ring order, the joiner included
	crowd      []int // the network's members going round (by angle)
	seat0      int   // people[seat0:] are the class's seats
	seatBand   *band // the band's free space, until the seats are laid out
	seatFit    float64
	seatID     []int // per seat: the student sitting there, -1 for none
	seatOn     []float64
	seatLink   []int // per seat: the member of the crowd its student is linked to
	classGen   float64
	sparks     [maxSparks]spark
	sparkSeq   int
	ringAngle  []float64
	links      [][2]int
	copArm     float64 // arm segment length for CoP members, in person heights

	// layout, in device pixels
	w, h      float64
	stage     Rect
	dpr       float64
	scale     float64 // pixels per design unit
	origin    Vec     // pixel position of the scene's centre
	layoutGen int     // counts layouts, so that cached layers know to redraw

	// state
	tick       int64
	anim       float64 // seconds of animation time; stands still while paused
	drive      float64 // the driver gear's angle
	glow       float64 // the brain's response to arriving pulses, 0..1
	copScale   float64 // the rings' breathing: each ring is drawn scaled by this
	plnScale   float64
	gearGlow   []float64
	playing    bool
	speed      float64
	reduced    bool
	presenting bool
	step       int
	ch         [numChannels]float64
	target     [numChannels]float64
	hover      Target
	selected   Target
	focus      Part
	profile    Profile
	pulses     []pulse
	changes    Changes
	dirty      bool
}

// New lays out a scene for the content. It starts playing, outside presentation
// mode, showing the whole picture.
func New(c *Content) *Scene {
	s := &Scene{c: c, speed: 1, playing: true, step: NumSteps, dpr: 1, hover: NoTarget, selected: NoTarget}
	s.brain = newBrainShape()
	s.outline = s.brain.cerebrum
	s.silhouette = foldedOutline(s.outline)
	s.gears = placeGears(s.outline, 40)
	s.shapes = make([]GearShape, len(s.gears))
	byTeeth := map[int]GearShape{}
	for i, g := range s.gears {
		sh, ok := byTeeth[g.Teeth]
		if !ok {
			sh = newGearShape(g.Teeth)
			byTeeth[g.Teeth] = sh
		}
		s.shapes[i] = sh
	}
	s.gearGlow = make([]float64, len(s.gears))
	s.people = layoutPeople(c)
	s.founding = c.CoP.People
	sp, fit := s.layoutCrowd()
	s.layoutRing()
	s.links = layoutLinks(s, c.PLN.Links, uint32(c.PLN.Seed))
	s.seatBand, s.seatFit = sp, fit // the class's seats are found when first needed
	s.seat0 = len(s.people)
	s.pulses = make([]pulse, c.Pulses.Count+maxSparks) // the connections' come last
	s.ch = stepTargets[NumSteps]
	s.target = s.ch
	// Open on a moment when the pulses are spread along their routes, so that even a
	// still picture shows connections on their way in and out.
	s.anim = 0.27 * c.Pulses.Period
	s.SetViewport(1280, 720, Rect{0, 0, 1280, 720}, 1)
	s.update(0)
	s.changes = ChangedStep | ChangedLayout
	s.dirty = true
	return s
}

// layoutRing fixes the ring order (the joiner's slot) and the arm length that lets
// every pair of neighbours hold hands, with or without the joiner.
func (s *Scene) layoutRing() {
	n := s.founding
	jA := s.people[s.joiner].homeA
	s.slotAfter = n - 1
	for i := 0; i < n; i++ {
		a := foundingAngle(i, n)
		b := foundingAngle(i+1, n)
		if angleDiff(jA, a) >= 0 && angleDiff(b, jA) > 0 {
			s.slotAfter = i
			break
		}
	}
	s.order = s.order[:0]
	for i := 0; i < n; i++ {
		s.order = append(s.order, i)
		if i == s.slotAfter {
			s.order = append(s.order, s.joiner)
		}
	}
	s.ringAngle = make([]float64, len(s.order))
	// Arms long enough for the sparser ring (before the joiner), with a little
	// slack so elbows always bend. (Breathing scales the whole ring, arms too.)
	r := copFeetR
	chord := 2 * (r + shoulderY*copHeight) * math.Sin(math.Pi/float64(n))
	reach := math.Hypot(chord/2-shoulderX*copHeight, contactDrop*copHeight)
	s.copArm = reach * 1.035 / 2 / copHeight
}

const breathAmp = 0.012

// foundingAngle is the angle of founding member i of n before anyone joins: evenly
// spaced, with the gap between the last and first at the bottom, under the label.
func foundingAngle(i, n int) float64 {
	return math.Pi/2 + 2*math.Pi*(float64(i)+0.5)/float64(n)
}

// SetViewport lays the scene out for a canvas of w×h device pixels, inside the
// stage rectangle (the part of the canvas not covered by the page's panels), at a
// device pixel ratio of dpr.
func (s *Scene) SetViewport(w, h float64, stage Rect, dpr float64) {
	if !(w >= 1) || !(h >= 1) || math.IsInf(w, 0) || math.IsInf(h, 0) {
		return
	}
	if !(dpr > 0) || math.IsInf(dpr, 0) {
		dpr = 1
	}
	// A stage that is missing, not finite, or mostly off the canvas falls back to
	// the whole canvas.
	if !(stage.W >= 8*dpr) || !(stage.H >= 8*dpr) || math.IsInf(stage.W+stage.H+stage.X+stage.Y, 0) ||
		stage.X < -1 || stage.Y < -1 || stage.X+stage.W > w+1 || stage.Y+stage.H > h+1 {
		stage = Rect{0, 0, w, h}
	}
	if s.w == w && s.h == h && s.stage == stage && s.dpr == dpr {
		return
	}
	s.w, s.h, s.stage, s.dpr = w, h, stage, dpr
	s.layoutGen++
	s.scale = math.Min(stage.W, stage.H) / (2 * (sceneRadius + sceneMargin))
	s.origin = Vec{stage.X + stage.W/2, stage.Y + stage.H/2}
	s.changes |= ChangedLayout
	s.dirty = true
}

// toPx maps design units to device pixels.
//
//go:noinline
func (s *Scene) toPx(v Vec) Vec { return s.origin.Add(v.Mul(s.scale)) }

// fromPx maps device pixels to design units.
func (s *Scene) fromPx(p Vec) Vec { return p.Sub(s.origin).Mul(1 / s.scale) }

// Tick advances the scene by one tick. It allocates nothing.
func (s *Scene) Tick() {
	s.tick++
	step := dt * s.speed
	moving := false
	for i := range s.ch {
		if s.ch[i] != s.target[i] {
			d := step / channelSeconds[i]
			if s.reduced {
				d = step / reducedFadeSeconds
			}
			if s.ch[i] < s.target[i] {
				s.ch[i] = math.Min(s.target[i], s.ch[i]+d)
			} else {
				s.ch[i] = math.Max(s.target[i], s.ch[i]-d)
			}
			moving = true
		}
	}
	adv := 0.0
	if s.playing {
		adv = step
		moving = true
	}
	if s.advanceClass(step, s.playing) {
		moving = true
	}
	if moving {
		s.update(adv)
		s.dirty = true
	}
}

// update advances animation time by adv seconds and recomputes every pose.
func (s *Scene) update(adv float64) {
	s.anim += adv
	omega := 2 * math.Pi * s.c.Brain.GearSpeed / 60
	// The rings breathe as wholes, each at its own pace: one scale per ring keeps
	// them still relative to themselves, so a renderer can keep each as an image.
	s.copScale = s.breath(s.c.CoP.Breathe, 0)
	s.plnScale = s.breath(s.c.CoP.Breathe*1.37, 1.3)
	s.updatePulses()
	s.drive += omega * adv * easeInOut(s.ch[chSpin]) * (1 + s.c.Brain.Boost*s.glow)
	s.updateRing()
	s.updatePLN()
}

// Changes returns what changed since the last call and clears the set.
func (s *Scene) Changes() Changes {
	c := s.changes
	s.changes = 0
	return c
}

// NeedsDraw reports whether the picture changed since the last Build.
func (s *Scene) NeedsDraw() bool { return s.dirty }

// Invalidate forces the next frame to be drawn (after the canvas was cleared).
func (s *Scene) Invalidate() { s.dirty = true }

// --- inputs -----------------------------------------------------------------

// SetPlaying starts or pauses the motion. Paused, nothing moves unless a step
// transition, started by the user, is still running.
func (s *Scene) SetPlaying(on bool) {
	if s.playing != on {
		s.playing = on
	}
}

// Playing reports whether the motion is running.
func (s *Scene) Playing() bool { return s.playing }

// SetSpeed sets the speed of all motion; it is clamped to 0.25..4.
func (s *Scene) SetSpeed(f float64) {
	if !(f > 0) {
		return
	}
	s.speed = clamp(f, 0.25, 4)
}

// Speed returns the speed factor.
func (s *Scene) Speed() float64 { return s.speed }

// SetReducedMotion makes step changes short fades instead of walks.
func (s *Scene) SetReducedMotion(on bool) {
	if s.reduced != on {
		s.reduced = on
		s.update(0)
		s.dirty = true
	}
}

// SetProfile switches the colour profile.
func (s *Scene) SetProfile(p Profile) {
	if p < numProfiles && s.profile != p {
		s.profile = p
		s.dirty = true
	}
}

// Profile returns the colour profile in use.
func (s *Scene) Profile() Profile { return s.profile }

// Palette returns the colours in use.
func (s *Scene) Palette() *Palette { return &s.c.Palettes[s.profile] }

// Presenting reports whether the guided steps are on.
func (s *Scene) Presenting() bool { return s.presenting }

// Step returns the current step, 1..NumSteps (NumSteps outside presentation mode).
func (s *Scene) Step() int { return s.step }

// SetPresenting turns the guided steps on (at step 1, or at the given step) or
// off (back to the whole picture). Either way the picture animates there.
func (s *Scene) SetPresenting(on bool, step int) {
	if on {
		s.presenting = true
		step = ClampStep(step)
		s.goTo(step)
		if step == 1 {
			s.ch[chSpin] = 0 // the gears start turning as the presentation opens
		}
	} else {
		s.presenting = false
		s.goTo(NumSteps)
	}
	s.changes |= ChangedStep
}

// JumpTo shows step n at once, without a transition (opening a page at ?step=N).
func (s *Scene) JumpTo(n int) {
	s.presenting = true
	s.goTo(ClampStep(n))
	s.ch = s.target
	s.update(0)
	s.dirty = true
}

// Next moves to the next step; it reports false at the last step.
func (s *Scene) Next() bool {
	if s.step >= NumSteps {
		return false
	}
	s.goTo(s.step + 1)
	return true
}

// Prev moves to the previous step; it reports false at the first step.
func (s *Scene) Prev() bool {
	if s.step <= 1 {
		return false
	}
	s.goTo(s.step - 1)
	return true
}

// Goto moves to step n (clamped to 1..NumSteps).
func (s *Scene) Goto(n int) { s.goTo(ClampStep(n)) }

// goTo moves to step n, which is in range.
func (s *Scene) goTo(n int) {
	if s.step != n {
		s.changes |= ChangedStep
	}
	s.step = n
	s.target = stepTargets[n]
	s.dirty = true
	// A selection of a part the step no longer shows is dropped.
	if !s.partShown(s.selected.Part) {
		s.setSelected(NoTarget)
	}
}

// partShown reports whether the current step's targets show the part.
func (s *Scene) partShown(p Part) bool { return shows(&s.target, p) }

// Transitioning reports whether a step change is still animating.
func (s *Scene) Transitioning() bool { return s.ch != s.target }

// Pointer tells the scene where the pointer is (device pixels); inside is false
// when it has left the canvas.
func (s *Scene) Pointer(x, y float64, inside bool) {
	t := NoTarget
	if inside {
		t = s.HitTest(x, y)
	}
	if t != s.hover {
		s.hover = t
		s.changes |= ChangedHover
		s.dirty = true
	}
}

// Hover returns what the pointer is over.
func (s *Scene) Hover() Target { return s.hover }

// Click selects what is at (x, y), or clears the selection on empty space.
func (s *Scene) Click(x, y float64) {
	s.setSelected(s.HitTest(x, y))
}

// Select selects a part (PartNone clears the selection).
func (s *Scene) Select(p Part) {
	if p >= numParts {
		return
	}
	s.setSelected(Target{Part: p, Person: -1})
}

// SelectMember selects member i of the picture (see Members), as a click on it
// would; a member out of range or of a part the step does not show is not
// selected, and the
// selection stays as it was.
func (s *Scene) SelectMember(i int) {
	if i < 0 || i >= len(s.people) {
		return
	}
	part := s.personPart(i)
	if !s.partShown(part) {
		return
	}
	s.setSelected(Target{Part: part, Person: i})
}

func (s *Scene) setSelected(t Target) {
	if t != s.selected {
		s.selected = t
		s.changes |= ChangedSelection
		s.dirty = true
	}
}

// Selected returns the selection.
func (s *Scene) Selected() Target { return s.selected }

// SetFocus highlights a part because keyboard focus is on its label or its
// description (PartNone for none).
func (s *Scene) SetFocus(p Part) {
	if p < numParts && s.focus != p {
		s.focus = p
		s.dirty = true
	}
}

func (s *Scene) personPart(i int) Part {
	if s.people[i].founding || i == s.joiner && s.ch[chJoin] > 0.5 {
		return PartCoP
	}
	return PartPLN
}

// People returns how many people there are in each ring now.
func (s *Scene) People() (cop, pln int) {
	cop = s.founding
	if s.ch[chJoin] > 0.5 {
		cop++
	}
	return cop, len(s.people) - cop
}

// Tick count, for tests and the page.
func (s *Scene) Ticks() int64 { return s.tick }

// PartShown reports whether the current step shows the part (its label is shown).
func (s *Scene) PartShown(p Part) bool { return s.partShown(p) }

// GearShape returns gear i's outline (module units), for renderers that draw each
// gear once and turn the picture.
func (s *Scene) GearShape(i int) *GearShape { return &s.shapes[i] }

// GearStyle returns how gear i's body is cut.
func (s *Scene) GearStyle(i int) GearStyle { return s.gears[i].Style }
