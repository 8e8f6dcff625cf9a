//go:build !(js && wasm)

package page

import "sync"

// Page is the native stand-in for the browser bridge: tests push commands into it
// and read back what the diagram emitted.
type Page struct {
	mu sync.Mutex

	ContentText string
	Opts        Options
	Queue       []Command

	Events []string // names of emitted events, in order
	Last   struct {
		Selection Selection
		Hover     Selection
		Anchors   []Anchor
		Scale     float64
		SVG       string
		Failure   Failure
		Error     string
		Idle      bool
		Seats     []Seat
		Overflow  int
		Capacity  int
	}
}

// Yield does nothing natively (see the browser's).
func Yield() {}

// InWorker is false natively (see the browser's).
func InWorker() bool { return false }

// New returns a stand-in page.
func New(wake func()) *Page { return &Page{Opts: Options{Step: 1, Profile: "dark", Speed: 1}} }

// Send queues a command as the browser page would.
func (p *Page) Send(c Command) {
	p.mu.Lock()
	p.Queue = append(p.Queue, c)
	p.mu.Unlock()
}

func (p *Page) Poll(dst []Command) []Command {
	p.mu.Lock()
	dst = append(dst, p.Queue...)
	p.Queue = p.Queue[:0]
	p.mu.Unlock()
	return dst
}

func (p *Page) Content() string    { return p.ContentText }
func (p *Page) Options() Options   { return p.Opts }
func (p *Page) Ready()             { p.Events = append(p.Events, "ready") }
func (p *Page) SVG(svg string)     { p.Events = append(p.Events, "svg"); p.Last.SVG = svg }
func (p *Page) Idle(on bool)       { p.Last.Idle = on }
func (p *Page) Select(s Selection) { p.Events = append(p.Events, "select"); p.Last.Selection = s }
func (p *Page) Hover(s Selection)  { p.Events = append(p.Events, "hover"); p.Last.Hover = s }

func (p *Page) Fail(what Failure, msg string) {
	p.Events = append(p.Events, "error")
	p.Last.Failure, p.Last.Error = what, msg
}

func (p *Page) Class(seats []Seat, overflow, capacity int) {
	p.Events = append(p.Events, "class")
	p.Last.Seats = append(p.Last.Seats[:0], seats...)
	p.Last.Overflow, p.Last.Capacity = overflow, capacity
}

func (p *Page) Anchors(as []Anchor, scale float64) {
	p.Events = append(p.Events, "anchors")
	p.Last.Anchors = append(p.Last.Anchors[:0], as...)
	p.Last.Scale = scale
}
