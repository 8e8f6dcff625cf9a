//go:build !(js && wasm)

// The protocol is tested against the page package's native stand-in.

package app

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/connectedlearning/diagram/wasm/diagram"
	"github.com/connectedlearning/diagram/wasm/internal/page"
)

func newController(t *testing.T, o page.Options) (*Controller, *page.Page) {
	t.Helper()
	src, err := os.ReadFile("../../../assets/diagram.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := diagram.ParseContent("diagram.json", string(src))
	if err != nil {
		t.Fatal(err)
	}
	p := page.New(nil)
	ctrl := New(diagram.New(c), p, o)
	ctrl.Layout(1280, 720, 1)
	return ctrl, p
}

func defaults() page.Options { return page.Options{Step: 1, Profile: "dark", Speed: 1} }

func ticks(c *Controller, n int) {
	for i := 0; i < n; i++ {
		c.Update()
	}
}

func TestStepCommands(t *testing.T) {
	c, p := newController(t, defaults())
	ticks(c, 2)
	if c.Scene.Presenting() {
		t.Fatal("starts presenting without ?present")
	}
	for _, tc := range []struct {
		cmd        page.Command
		step       int
		presenting bool
	}{
		{page.Command{Kind: page.CmdGoto, N: 2}, 2, true}, // opens the presentation there
		{page.Command{Kind: page.CmdGoto, N: 4}, 4, true},
		{page.Command{Kind: page.CmdGoto, N: 99}, 6, true}, // clamped
		{page.Command{Kind: page.CmdGoto, N: -3}, 1, true},
		{page.Command{Kind: page.CmdPresent, N: 0}, 6, false}, // the whole picture
		{page.Command{Kind: page.CmdPresent, N: 1}, 1, true},
		{page.Command{Kind: page.CmdPresent, N: 0}, 6, false},
		// Beyond the last step outside the presentation: the same rule as inside it
		// (this opened step 1).
		{page.Command{Kind: page.CmdGoto, N: 9}, 6, true},
		{page.Command{Kind: page.CmdPresent, N: 0}, 6, false},
		{page.Command{Kind: page.CmdGoto, N: 0}, 1, true},
	} {
		p.Send(tc.cmd)
		ticks(c, 1)
		if got, on := c.Scene.Step(), c.Scene.Presenting(); got != tc.step || on != tc.presenting {
			t.Errorf("after %s %d: step %d presenting %v, want step %d presenting %v", tc.cmd.Kind, tc.cmd.N, got, on, tc.step, tc.presenting)
		}
	}
}

// The program tells the page nothing the page told it: no step or play/pause
// echoes, which the page would announce or post to a host page a second time.
func TestNoEchoes(t *testing.T) {
	c, p := newController(t, defaults())
	ticks(c, 2)
	n := len(p.Events)
	for _, cmd := range []page.Command{{Kind: page.CmdGoto, N: 3}, {Kind: page.CmdPause}, {Kind: page.CmdPlay},
		{Kind: page.CmdSpeed, F: 2}, {Kind: page.CmdProfile, S: "projector"}, {Kind: page.CmdPresent, N: 0}, {Kind: page.CmdFocus, S: "cop"}} {
		p.Send(cmd)
		ticks(c, 1)
	}
	for _, e := range p.Events[n:] {
		if e != "anchors" { // a step moves the labels, which only the program knows
			t.Errorf("the program answered the page's commands with a %q event: %v", e, p.Events[n:])
		}
	}
}

func TestStartOptions(t *testing.T) {
	o := defaults()
	o.Present, o.Step, o.Profile, o.Reduced = true, 3, "projector", true
	c, _ := newController(t, o)
	ticks(c, 1)
	if c.Scene.Step() != 3 || !c.Scene.Presenting() {
		t.Errorf("?step=3 opened at step %d", c.Scene.Step())
	}
	if c.Scene.Profile() != diagram.ProfileProjector {
		t.Error("?colorProfile=projector ignored")
	}
	if c.Scene.Playing() || c.UserPlaying() {
		t.Error("reduced motion must start paused")
	}
}

func TestSelectionAndEvents(t *testing.T) {
	c, p := newController(t, defaults())
	ticks(c, 1)
	p.Send(page.Command{Kind: page.CmdSelect, S: "cop"})
	ticks(c, 1)
	if p.Last.Selection.Part != "cop" || p.Last.Selection.Person != -1 {
		t.Errorf("select cop: page told %+v", p.Last.Selection)
	}
	// A person clicked on the canvas: the page is told who, and their ring, for the
	// words; hovering one says the same.
	var person diagram.Probe
	for _, pr := range c.Scene.Probes() {
		if pr.Target.Part == diagram.PartPLN && pr.Target.Person >= 0 {
			person = pr
			break
		}
	}
	c.Click(person.X, person.Y)
	ticks(c, 1)
	if s := p.Last.Selection; s.Person != person.Target.Person || s.Ring != "pln" || s.Part != "pln" {
		t.Errorf("clicked person %d: page told %+v", person.Target.Person, s)
	}
	c.Pointer(person.X, person.Y, true)
	ticks(c, 1)
	if h := p.Last.Hover; h != p.Last.Selection {
		t.Errorf("hovering the person: page told %+v, the selection was %+v", h, p.Last.Selection)
	}
	n := len(p.Events)
	c.Pointer(person.X+0.5, person.Y, true) // the same person: nothing to say
	ticks(c, 1)
	if slices.Contains(p.Events[n:], "hover") {
		t.Error("a hover event without a change of what is hovered")
	}
	c.Pointer(0, 0, false)
	ticks(c, 1)
	if h := p.Last.Hover; h.Part != "" || h.Person != -1 {
		t.Errorf("the pointer left: page told hover %+v", h)
	}
	// Members past the people are the network's resources, named by kind, each
	// numbered within its kind; the founding ring members are people.
	probe := map[int]diagram.Probe{}
	for _, pr := range c.Scene.Probes() {
		if _, ok := probe[pr.Target.Person]; !ok && pr.Target.Person >= 0 {
			probe[pr.Target.Person] = pr
		}
	}
	click := func(i int) {
		t.Helper()
		pr, ok := probe[i]
		if !ok {
			t.Fatalf("no probe for member %d", i)
		}
		c.Click(pr.X, pr.Y)
		ticks(c, 1)
	}
	ms := c.Scene.Members()
	seen := map[string]int{}
	for i, m := range ms {
		if !m.Kind.Resource() {
			continue
		}
		click(i)
		want := page.Selection{Part: "pln", Person: i, Ring: "pln", Kind: m.Kind.String(), Role: seen[m.Kind.String()]}
		if got := p.Last.Selection; got != want {
			t.Errorf("select resource %d: page told %+v, want %+v", i, got, want)
		}
		seen[m.Kind.String()]++
	}
	if len(seen) < 3 {
		t.Errorf("resources of %d kinds, want at least 3", len(seen))
	}
	click(2)
	if s := p.Last.Selection; s.Ring != "cop" || s.Kind != "person" || s.Role != 2 {
		t.Errorf("select ring member 2: page told %+v", s)
	}
	click(person.Target.Person)
	p.Send(page.Command{Kind: page.CmdSelect, S: "nonsense"})
	ticks(c, 1)
	if p.Last.Selection.Person != person.Target.Person {
		t.Error("an unknown part changed the selection")
	}
	p.Send(page.Command{Kind: page.CmdSelect, S: ""})
	ticks(c, 1)
	if p.Last.Selection.Part != "" {
		t.Error("select '' did not clear")
	}
	// Anchors go out with the layout, in CSS pixels.
	if len(p.Last.Anchors) != 3 || p.Last.Anchors[0].Part != "connectivism" || p.Last.Scale <= 0 {
		t.Fatalf("anchors: %+v", p.Last.Anchors)
	}
	p.Send(page.Command{Kind: page.CmdStage, X: 0, Y: 56, W: 900, H: 664})
	ticks(c, 1)
	a := p.Last.Anchors[1]
	if a.X < 400 || a.X > 500 || a.Y < 56 || a.Y > 720 {
		t.Errorf("after the stage moved, the CoP label is at %.0f,%.0f", a.X, a.Y)
	}
}

func TestPlayPauseAndVisibility(t *testing.T) {
	c, p := newController(t, defaults())
	ticks(c, 1)
	p.Send(page.Command{Kind: page.CmdPause})
	ticks(c, 1)
	if c.Scene.Playing() {
		t.Error("pause did not pause")
	}
	p.Send(page.Command{Kind: page.CmdPlay})
	ticks(c, 1)
	if !c.Scene.Playing() {
		t.Error("play did not play")
	}
	// Hidden or scrolled away: motion stops without changing the person's choice.
	p.Send(page.Command{Kind: page.CmdVisible, N: 0})
	ticks(c, 1)
	if c.Scene.Playing() || !c.UserPlaying() {
		t.Error("a hidden diagram keeps moving, or forgot it was playing")
	}
	p.Send(page.Command{Kind: page.CmdVisible, N: 1})
	ticks(c, 1)
	if !c.Scene.Playing() {
		t.Error("visible again, the motion did not resume")
	}
}

func TestExportSVGHasWords(t *testing.T) {
	c, p := newController(t, defaults())
	ticks(c, 5)
	p.Send(page.Command{Kind: page.CmdExportSVG, Texts: []string{"Connectivism", "Community of Practice", "Personal Learning Network", "A caption", "A title"}})
	ticks(c, 1)
	svg := p.Last.SVG
	for _, w := range []string{"<svg", "Connectivism", "A caption", "<title>A title</title>"} {
		if !strings.Contains(svg, w) {
			t.Errorf("exported SVG lacks %q", w)
		}
	}
	if !c.Scene.NeedsDraw() {
		t.Error("exporting left the canvas thinking it is drawn")
	}
}

// The print handout puts its picture into the page beside the placeholder's: its
// ids carry the prefix the page asks for, and a prefix that could break out of
// an attribute is not used.
func TestExportSVGIDPrefix(t *testing.T) {
	c, p := newController(t, defaults())
	ticks(c, 5)
	p.Send(page.Command{Kind: page.CmdExportSVG, Texts: []string{"A", "B", "C", "", "", "", "print-"}, S: "projector"})
	ticks(c, 1)
	if !strings.Contains(p.Last.SVG, `id="print-`) || strings.Contains(p.Last.SVG, `id="r0"`) {
		t.Error("the export's ids do not carry the prefix")
	}
	p.Send(page.Command{Kind: page.CmdExportSVG, Texts: []string{"A", "B", "C", "", "", "", `x"><script>`}})
	ticks(c, 1)
	if strings.Contains(p.Last.SVG, "<script") || !strings.Contains(p.Last.SVG, `id="r0"`) {
		t.Error("a prefix with markup in it was used")
	}
}

func TestMalformedStageIgnored(t *testing.T) {
	c, p := newController(t, defaults())
	ticks(c, 1)
	before := p.Last.Anchors[0]
	nan := 0.0
	nan = nan / nan
	p.Send(page.Command{Kind: page.CmdStage, X: nan, Y: 0, W: 100, H: 100})
	p.Send(page.Command{Kind: page.CmdStage, X: 0, Y: 0, W: -5, H: 100})
	ticks(c, 1)
	if p.Last.Anchors[0] != before {
		t.Error("a malformed stage moved the layout")
	}
}

// The page tells the program who is in the live session; the program answers with
// their seats (the members that draw them), how many found none and how many seats
// there are, and sends a student's connection.
func TestClassAndConnections(t *testing.T) {
	c, p := newController(t, defaults())
	ticks(c, 1)
	p.Send(page.Command{Kind: page.CmdClass, Ns: []int{4, 9, 2}})
	ticks(c, 1)
	if len(p.Last.Seats) != 3 || p.Last.Capacity < 20 || p.Last.Overflow != 0 {
		t.Fatalf("class of 3: seats %+v, capacity %d, overflow %d", p.Last.Seats, p.Last.Capacity, p.Last.Overflow)
	}
	for _, st := range p.Last.Seats {
		m, ok := c.Scene.Member(st.Member)
		if !ok || !m.Class {
			t.Errorf("seat %+v is member %+v", st, m)
		}
	}
	// Selecting a student names them as the class: the page has their name.
	// (Clicked where the canvas hits the seat, once the student has walked in.)
	seat := p.Last.Seats[0].Member
	ticks(c, 10*diagram.TPS)
	found := false
	for y := 0.0; y < 720 && !found; y += 3 {
		for x := 0.0; x < 1280 && !found; x += 3 {
			if c.Scene.HitTest(x, y).Person == seat {
				c.Click(x, y)
				found = true
			}
		}
	}
	if !found {
		t.Fatalf("the seated member %d is nowhere on the canvas", seat)
	}
	ticks(c, 1)
	if s := p.Last.Selection; s.Kind != "class" || s.Ring != "pln" {
		t.Errorf("a selected student: %+v", s)
	}
	big := make([]int, p.Last.Capacity+5)
	for i := range big {
		big[i] = 100 + i
	}
	p.Send(page.Command{Kind: page.CmdClass, Ns: big})
	ticks(c, 1)
	if p.Last.Overflow != 5 || len(p.Last.Seats) != p.Last.Capacity {
		t.Errorf("a class past the seats: %d seated, %d over", len(p.Last.Seats), p.Last.Overflow)
	}
	before := len(p.Events)
	p.Send(page.Command{Kind: page.CmdConnection, N: 100})
	ticks(c, 1)
	if !c.Scene.NeedsDraw() {
		t.Error("a connection does not ask for a frame")
	}
	for _, e := range p.Events[before:] {
		if e == "class" {
			t.Error("a connection re-sent the class")
		}
	}
}

// What the page's placeholder had selected and hovered before the program ran is
// handed over with the first commands: the member by its index, the pointer in CSS
// pixels. The first tick's events say the same, so the page sees no change.
func TestHandOverFromThePlaceholder(t *testing.T) {
	o := defaults()
	src, _ := os.ReadFile("../../../assets/diagram.json")
	content, err := diagram.ParseContent("diagram.json", string(src))
	if err != nil {
		t.Fatal(err)
	}
	p := page.New(nil)
	c := New(diagram.New(content), p, o)
	// Commands before the canvas has a size, as the page sends them at connect.
	var member diagram.Probe
	probeScene := diagram.New(content)
	probeScene.SetViewport(2560, 1440, diagram.Rect{X: 0, Y: 120, W: 1800, H: 1300}, 2)
	for _, pr := range probeScene.Probes() {
		if pr.Target.Part == diagram.PartCoP && pr.Target.Person >= 0 {
			member = pr
			break
		}
	}
	var hovered diagram.Probe
	for _, pr := range probeScene.Probes() {
		if pr.Target.Part == diagram.PartPLN && pr.Target.Person >= 0 {
			hovered = pr
			break
		}
	}
	p.Send(page.Command{Kind: page.CmdStage, X: 0, Y: 60, W: 900, H: 650})
	p.Send(page.Command{Kind: page.CmdSelectMember, N: member.Target.Person})
	p.Send(page.Command{Kind: page.CmdPointer, X: hovered.X / 2, Y: hovered.Y / 2})
	c.Layout(2560, 1440, 2)
	ticks(c, 1)
	if s := p.Last.Selection; s.Person != member.Target.Person || s.Part != "cop" || s.Ring != "cop" {
		t.Errorf("selectMember %d: page told %+v", member.Target.Person, s)
	}
	if h := p.Last.Hover; h.Person != hovered.Target.Person || h.Part != "pln" {
		t.Errorf("pointer over member %d: page told hover %+v", hovered.Target.Person, h)
	}
	// A member out of range changes nothing; a bad pointer is ignored.
	n := len(p.Events)
	p.Send(page.Command{Kind: page.CmdSelectMember, N: 9999})
	p.Send(page.Command{Kind: page.CmdSelectMember, N: -1})
	ticks(c, 1)
	if slices.Contains(p.Events[n:], "select") {
		t.Errorf("a member out of range changed the selection: %+v", p.Last.Selection)
	}
	if k := page.ParseKind("selectMember"); k != page.CmdSelectMember || page.ParseKind("pointer") != page.CmdPointer {
		t.Error("selectMember and pointer are not commands")
	}
}
