// Package app connects the model to the page: it applies the page's commands to the
// scene and reports back what only the scene knows (a selection or hover made on the
// canvas, where the labels go). It imports neither ebiten nor syscall/js, so the
// whole command and event protocol is tested natively against the page package's
// stand-in.
package app

import (
	"math"

	"github.com/connectedlearning/diagram/wasm/diagram"
	"github.com/connectedlearning/diagram/wasm/internal/page"
)

// Page is what the controller needs of the page (page.Page in the browser and its
// native stand-in both satisfy it).
type Page interface {
	Poll(dst []page.Command) []page.Command
	Select(s page.Selection)
	Hover(s page.Selection)
	Anchors(as []page.Anchor, scale float64)
	SVG(svg string)
	Ready()
	Idle(on bool)
	Class(seats []page.Seat, overflow, capacity int)
}

// Controller owns the scene between the renderer and the page.
type Controller struct {
	Scene *diagram.Scene
	page  Page

	cmds        []page.Command
	userPlaying bool // what the person chose with play/pause
	visible     bool // the page is visible and the diagram on screen
	stage       diagram.Rect
	haveStage   bool
	w, h, dpr   float64
	anchors     []page.Anchor
	export      diagram.Frame
	svg         []byte
	readySent   bool
	pointer     bool    // a pointer position from the page waits for the layout
	px, py      float64 // its CSS pixels
	overflow    int     // students without a seat
	seats       []page.Seat
}

// New sets up a controller and applies the page's starting options.
func New(s *diagram.Scene, p Page, o page.Options) *Controller {
	c := &Controller{Scene: s, page: p, userPlaying: !o.Paused && !o.Reduced, visible: true}
	if prof, ok := diagram.ParseProfile(o.Profile); ok {
		s.SetProfile(prof)
	}
	s.SetReducedMotion(o.Reduced)
	if o.Speed > 0 {
		s.SetSpeed(o.Speed)
	}
	if o.Present {
		s.JumpTo(o.Step)
	}
	s.SetPlaying(c.userPlaying)
	c.anchors = make([]page.Anchor, 3)
	return c
}

// Layout tells the controller the canvas size in device pixels and the ratio of
// device to CSS pixels.
func (c *Controller) Layout(w, h, dpr float64) {
	c.w, c.h, c.dpr = w, h, dpr
	c.applyViewport()
}

func (c *Controller) applyViewport() {
	if c.w <= 0 || c.h <= 0 {
		return
	}
	st := diagram.Rect{W: c.w, H: c.h}
	if c.haveStage {
		st = diagram.Rect{X: c.stage.X * c.dpr, Y: c.stage.Y * c.dpr, W: c.stage.W * c.dpr, H: c.stage.H * c.dpr}
	}
	c.Scene.SetViewport(c.w, c.h, st, c.dpr)
}

// Update applies the page's pending commands, advances the scene by one tick and
// reports what changed.
func (c *Controller) Update() {
	c.cmds = c.page.Poll(c.cmds[:0])
	for i := range c.cmds {
		c.apply(&c.cmds[i])
	}
	// The page's pointer (over its placeholder, before the canvas was there) is
	// hit-tested once the canvas has its size, so the first frame shows its hover.
	if c.pointer && c.w > 0 && c.h > 0 {
		c.pointer = false
		c.Scene.Pointer(c.px*c.dpr, c.py*c.dpr, true)
	}
	c.Scene.Tick()
	c.report()
}

// Pointer reports the pointer's position in device pixels.
func (c *Controller) Pointer(x, y float64, inside bool) { c.Scene.Pointer(x, y, inside) }

// Click selects what is under the device-pixel point (x, y).
func (c *Controller) Click(x, y float64) { c.Scene.Click(x, y) }

// Idle tells the page whether the diagram is at rest (nothing moving, nothing to
// draw), so that it can stop asking the browser for animation frames.
func (c *Controller) Idle(on bool) { c.page.Idle(on) }

// FirstFrameDrawn is called once the renderer has put a frame on the canvas.
func (c *Controller) FirstFrameDrawn() {
	if !c.readySent {
		c.readySent = true
		c.page.Ready()
	}
}

func (c *Controller) apply(cmd *page.Command) {
	s := c.Scene
	switch cmd.Kind {
	case page.CmdGoto:
		if !s.Presenting() {
			s.SetPresenting(true, cmd.N)
		} else {
			s.Goto(cmd.N)
		}
	case page.CmdPresent:
		s.SetPresenting(cmd.N != 0, 1)
	case page.CmdSelect:
		if cmd.S == "" {
			s.Select(diagram.PartNone)
		} else if p, ok := diagram.ParsePart(cmd.S); ok {
			s.Select(p)
		}
	case page.CmdSelectMember:
		s.SelectMember(cmd.N)
	case page.CmdPointer:
		if finite(cmd.X, cmd.Y) {
			c.pointer, c.px, c.py = true, cmd.X, cmd.Y
		}
	case page.CmdFocus:
		p, _ := diagram.ParsePart(cmd.S)
		s.SetFocus(p)
	case page.CmdPlay:
		c.setUserPlaying(true)
	case page.CmdPause:
		c.setUserPlaying(false)
	case page.CmdSpeed:
		s.SetSpeed(cmd.F)
	case page.CmdProfile:
		if p, ok := diagram.ParseProfile(cmd.S); ok {
			s.SetProfile(p)
		}
	case page.CmdMotion:
		s.SetReducedMotion(cmd.N != 0)
	case page.CmdStage:
		if finite(cmd.X, cmd.Y, cmd.W, cmd.H) && cmd.W > 0 && cmd.H > 0 {
			c.stage = diagram.Rect{X: cmd.X, Y: cmd.Y, W: cmd.W, H: cmd.H}
			c.haveStage = true
			c.applyViewport()
		}
	case page.CmdVisible:
		c.visible = cmd.N != 0
		s.SetPlaying(c.userPlaying && c.visible)
		if c.visible {
			s.Invalidate()
		}
	case page.CmdPointerLeave:
		c.pointer = false
		s.Pointer(0, 0, false)
	case page.CmdExportSVG:
		c.exportSVG(cmd.Texts, cmd.S)
	case page.CmdClass:
		c.overflow = s.SetClass(cmd.Ns)
	case page.CmdConnection:
		s.Connection(cmd.N)
	}
}

func (c *Controller) setUserPlaying(on bool) {
	c.userPlaying = on
	c.Scene.SetPlaying(on && c.visible)
}

// UserPlaying reports the person's play/pause choice.
func (c *Controller) UserPlaying() bool { return c.userPlaying }

// exportSVG answers an export with the scene as it is now, as a picture of its
// own (see diagram.Scene.Export), with the step shown as it ends if it is still
// animating: texts are the three labels, then the caption, the accessible title,
// the heading and a prefix for the picture's ids, each optional (a prefix of
// other than letters, digits, '-' and '_' is ignored); profile
// names the colours ("" for those on screen). The picture is the stage's size,
// and at least 720 device pixels, so that an export from a phone is still sharp.
func (c *Controller) exportSVG(texts []string, profile string) {
	o := diagram.ExportOptions{DPR: c.dpr, Profile: c.Scene.Profile(), Settled: true}
	if p, ok := diagram.ParseProfile(profile); ok {
		o.Profile = p
	}
	for i := 0; i < 3 && i < len(texts); i++ {
		o.Labels[i] = texts[i]
	}
	at := func(i int) string {
		if i < len(texts) {
			return texts[i]
		}
		return ""
	}
	o.Caption, o.Title, o.Heading = at(3), at(4), at(5)
	if p := at(6); page.IDPrefixOK(p) { // the page's parser warned of one that is not
		o.IDPrefix = p
	}
	side := math.Min(c.w, c.h)
	if c.haveStage {
		side = math.Min(c.stage.W, c.stage.H) * c.dpr
	}
	o.Size = math.Max(720, math.Round(side))
	c.svg = c.Scene.Export(c.svg[:0], &c.export, o)
	c.page.SVG(string(c.svg))
}

func (c *Controller) report() {
	s := c.Scene
	ch := s.Changes()
	if ch&diagram.ChangedSelection != 0 {
		c.page.Select(c.describe(s.Selected()))
	}
	if ch&diagram.ChangedHover != 0 {
		c.page.Hover(c.describe(s.Hover()))
	}
	if ch&diagram.ChangedClass != 0 {
		c.seats = c.seats[:0]
		for _, st := range s.Class() {
			c.seats = append(c.seats, page.Seat{ID: st.ID, Member: st.Member})
		}
		c.page.Class(c.seats, c.overflow, s.Seats())
	}
	if ch&(diagram.ChangedLayout|diagram.ChangedStep) != 0 {
		as := s.Anchors()
		for i, a := range as {
			c.anchors[i] = page.Anchor{Part: a.Part.String(), X: a.X, Y: a.Y, MaxW: a.MaxW, MaxH: a.MaxH, Shown: s.PartShown(a.Part)}
		}
		c.page.Anchors(c.anchors, s.Scale())
	}
}

// describe says what a target is, for the page's words: a part, or a member with
// its ring, the kind of words that describe it and their index.
func (c *Controller) describe(t diagram.Target) page.Selection {
	sel := page.Selection{Part: t.Part.String(), Person: t.Person}
	if m, ok := c.Scene.Member(t.Person); ok {
		sel.Ring, sel.Kind, sel.Role = m.Part.String(), m.Words(), m.Role
	}
	return sel
}

func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
