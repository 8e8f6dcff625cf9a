//go:build !(js && wasm)

// The protocol is tested against the page package's native stand-in.

package app

import (
	"os"
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
	p.Send(page.Command{Kind: page.CmdNext})
	ticks(c, 1)
	if !p.Last.Presenting || p.Last.Step != 1 {
		t.Fatalf("next outside presentation should open step 1, got step %d presenting %v", p.Last.Step, p.Last.Presenting)
	}
	for _, tc := range []struct {
		cmd  page.Command
		want int
	}{
		{page.Command{Kind: page.CmdNext}, 2},
		{page.Command{Kind: page.CmdNext}, 3},
		{page.Command{Kind: page.CmdPrev}, 2},
		{page.Command{Kind: page.CmdLast}, 6},
		{page.Command{Kind: page.CmdNext}, 6}, // stays at the end
		{page.Command{Kind: page.CmdFirst}, 1},
		{page.Command{Kind: page.CmdPrev}, 1}, // stays at the start
		{page.Command{Kind: page.CmdGoto, N: 4}, 4},
		{page.Command{Kind: page.CmdGoto, N: 99}, 6}, // clamped
		{page.Command{Kind: page.CmdGoto, N: -3}, 1},
	} {
		p.Send(tc.cmd)
		ticks(c, 1)
		if got := c.Scene.Step(); got != tc.want {
			t.Errorf("after %s %d: step %d, want %d", tc.cmd.Kind, tc.cmd.N, got, tc.want)
		}
	}
	p.Send(page.Command{Kind: page.CmdPresent, N: 0})
	ticks(c, 1)
	if c.Scene.Presenting() || c.Scene.Step() != diagram.NumSteps {
		t.Error("leaving presentation mode should show the whole picture")
	}
}

func TestStartOptions(t *testing.T) {
	o := defaults()
	o.Present, o.Step, o.Profile, o.Reduced = true, 3, "projector", true
	c, p := newController(t, o)
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
	if p.Last.Step != 3 {
		t.Errorf("the page was told step %d", p.Last.Step)
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
	p.Send(page.Command{Kind: page.CmdSelectPerson, N: 12})
	ticks(c, 1)
	if s := p.Last.Selection; s.Person != 12 || s.Ring != "pln" || s.Kind != "person" {
		t.Errorf("select person 12: page told %+v", s)
	}
	// Members past the people are the network's resources, named by kind, each
	// numbered within its kind; the founding ring members are people.
	ms := c.Scene.Members()
	seen := map[string]int{}
	for i, m := range ms {
		if !m.Kind.Resource() {
			continue
		}
		p.Send(page.Command{Kind: page.CmdSelectPerson, N: i})
		ticks(c, 1)
		want := page.Selection{Part: "pln", Person: i, Ring: "pln", Kind: m.Kind.String(), Role: seen[m.Kind.String()]}
		if got := p.Last.Selection; got != want {
			t.Errorf("select resource %d: page told %+v, want %+v", i, got, want)
		}
		seen[m.Kind.String()]++
	}
	if len(seen) < 3 {
		t.Errorf("resources of %d kinds, want at least 3", len(seen))
	}
	p.Send(page.Command{Kind: page.CmdSelectPerson, N: 2})
	ticks(c, 1)
	if s := p.Last.Selection; s.Ring != "cop" || s.Kind != "person" || s.Role != 2 {
		t.Errorf("select ring member 2: page told %+v", s)
	}
	p.Send(page.Command{Kind: page.CmdSelectPerson, N: 12})
	ticks(c, 1)
	p.Send(page.Command{Kind: page.CmdSelect, S: "nonsense"})
	ticks(c, 1)
	if p.Last.Selection.Person != 12 {
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
	if c.Scene.Playing() || p.Last.Playing {
		t.Error("pause did not pause")
	}
	p.Send(page.Command{Kind: page.CmdPlay})
	ticks(c, 1)
	if !c.Scene.Playing() || !p.Last.Playing {
		t.Error("play did not play")
	}
	// Hidden or scrolled away: motion stops without changing the person's choice.
	n := len(p.Events)
	p.Send(page.Command{Kind: page.CmdVisible, N: 0})
	ticks(c, 1)
	if c.Scene.Playing() || !c.UserPlaying() {
		t.Error("a hidden diagram keeps moving, or forgot it was playing")
	}
	for _, e := range p.Events[n:] {
		if e == "playing" {
			t.Error("hiding the diagram told the page it was paused by the person")
		}
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
	p.Send(page.Command{Kind: page.CmdSelectPerson, N: p.Last.Seats[0].Member})
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
