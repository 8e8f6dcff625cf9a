//go:build js && wasm

package page

import (
	"sync"
	"syscall/js"
)

// Page is the bridge to window.diagramBridge, the object the page's bridge module
// (assets/page/bridge.js) sets up before the loader starts the wasm.
type Page struct {
	bridge js.Value
	mu     sync.Mutex
	queue  []Command
	wake   func()
}

// New connects to the page. wake is called (from the page's event loop) whenever a
// command arrives, so that a paused renderer can schedule a frame.
func New(wake func()) *Page {
	p := &Page{bridge: js.Global().Get("diagramBridge"), wake: wake}
	if !p.bridge.Truthy() {
		p.bridge = js.Global().Get("Object").New()
		js.Global().Set("diagramBridge", p.bridge)
	}
	p.bridge.Set("command", js.FuncOf(p.command))
	// The loader now sends what it queued while the program loaded (the stage's
	// place among them), so that the first frame is drawn with it.
	if f := p.bridge.Get("connected"); f.Type() == js.TypeFunction {
		f.Invoke()
	}
	return p
}

// Yield lets the browser run (paint, take a click on the placeholder) before the
// program goes on: the program's start is cut into tasks at its steps, so none of
// them holds the page for long. The Go scheduler returns to the browser while
// every goroutine waits, and a task queued behind the browser's own resumes it.
// In the page's worker (InWorker) there is no page to let in, and it does nothing.
func Yield() {
	if inWorker {
		return
	}
	done := make(chan struct{})
	var f js.Func
	f = js.FuncOf(func(js.Value, []js.Value) any {
		f.Release()
		close(done)
		return nil
	})
	js.Global().Call("setTimeout", f, 0)
	<-done
}

// inWorker: see InWorker.
var inWorker = js.Global().Get("WorkerGlobalScope").Truthy() && !js.Global().Get("diagramWarmUp").Truthy()

// InWorker reports whether the program runs in the page's worker (assets/warm.js),
// on the canvas the page handed over, rather than on the page's main thread: its
// start holds no task of the page there, and needs not be cut up. It is false in
// the warm-up run (wasm/warm.go), which walks the start as the page's run would.
func InWorker() bool { return inWorker }

func warn(args ...any) { js.Global().Get("console").Call("warn", args...) }

// command is called by the page: diagramBridge.command(name, arg).
func (p *Page) command(this js.Value, args []js.Value) any {
	if len(args) == 0 || args[0].Type() != js.TypeString {
		warn("diagram: command ignored: the first argument must be a command name")
		return false
	}
	c := Command{Kind: ParseKind(args[0].String())}
	if c.Kind == CmdNone {
		warn("diagram: unknown command ignored:", args[0])
		return false
	}
	var a js.Value
	if len(args) > 1 {
		a = args[1]
	}
	num := func(v js.Value) (float64, bool) {
		if v.Type() != js.TypeNumber {
			return 0, false
		}
		f := v.Float()
		return f, f == f
	}
	switch c.Kind {
	case CmdClass:
		// A list of whole numbers, at most a room's worth; anything else is refused.
		if a.Type() != js.TypeObject || a.Length() > 10000 {
			warn("diagram: command class needs a list of numbers, ignored:", a)
			return false
		}
		for i := 0; i < a.Length(); i++ {
			f, ok := num(a.Index(i))
			if !ok || f != float64(int(f)) || f < 0 {
				warn("diagram: command class needs whole numbers, ignored:", a)
				return false
			}
			c.Ns = append(c.Ns, int(f))
		}
	case CmdGoto, CmdPresent, CmdMotion, CmdVisible, CmdConnection, CmdSelectMember:
		f, ok := num(a)
		if !ok {
			warn("diagram: command "+c.Kind.String()+" needs a number, ignored:", a)
			return false
		}
		c.N = int(f)
	case CmdSpeed:
		f, ok := num(a)
		if !ok {
			warn("diagram: command speed needs a number, ignored:", a)
			return false
		}
		c.F = f
	case CmdSelect, CmdFocus, CmdProfile:
		if a.Type() == js.TypeString {
			c.S = a.String()
		} else if a.Truthy() {
			warn("diagram: command "+c.Kind.String()+" needs text, ignored:", a)
			return false
		}
	case CmdStage:
		if a.Type() != js.TypeObject {
			warn("diagram: command stage needs {x, y, width, height}, ignored")
			return false
		}
		var ok [4]bool
		c.X, ok[0] = num(a.Get("x"))
		c.Y, ok[1] = num(a.Get("y"))
		c.W, ok[2] = num(a.Get("width"))
		c.H, ok[3] = num(a.Get("height"))
		if !ok[0] || !ok[1] || !ok[2] || !ok[3] {
			warn("diagram: command stage needs numbers, ignored")
			return false
		}
	case CmdPointer:
		if a.Type() != js.TypeObject {
			warn("diagram: command pointer needs {x, y}, ignored")
			return false
		}
		var okX, okY bool
		c.X, okX = num(a.Get("x"))
		c.Y, okY = num(a.Get("y"))
		if !okX || !okY {
			warn("diagram: command pointer needs numbers, ignored")
			return false
		}
	case CmdExportSVG:
		if a.Type() == js.TypeObject && a.Length() > 0 {
			for i := 0; i < a.Length(); i++ {
				if v := a.Index(i); v.Type() == js.TypeString {
					c.Texts = append(c.Texts, v.String())
				} else {
					c.Texts = append(c.Texts, "")
				}
			}
		}
		if len(c.Texts) > 6 && !IDPrefixOK(c.Texts[6]) {
			warn("diagram: an export's id prefix may hold only letters, digits, - and _: ignored")
			c.Texts[6] = ""
		}
		// A third argument names the colours of the export (the print handout's).
		if len(args) > 2 && args[2].Type() == js.TypeString {
			c.S = args[2].String()
		}
	}
	p.mu.Lock()
	if len(p.queue) < 256 { // a flood of messages is dropped rather than buffered
		p.queue = append(p.queue, c)
	}
	p.mu.Unlock()
	if p.wake != nil {
		p.wake()
	}
	return true
}

// Poll appends the commands that arrived since the last call to dst.
func (p *Page) Poll(dst []Command) []Command {
	p.mu.Lock()
	dst = append(dst, p.queue...)
	p.queue = p.queue[:0]
	p.mu.Unlock()
	return dst
}

// Content returns the text of diagram.json, fetched by the loader.
func (p *Page) Content() string {
	v := p.bridge.Get("content")
	if v.Type() != js.TypeString {
		return ""
	}
	return v.String()
}

// Options returns the loader's checked options.
func (p *Page) Options() Options {
	o := Options{Step: 1, Profile: "dark", Speed: 1}
	v := p.bridge.Get("options")
	if v.Type() != js.TypeObject {
		return o
	}
	if x := v.Get("present"); x.Type() == js.TypeBoolean {
		o.Present = x.Bool()
	}
	if x := v.Get("step"); x.Type() == js.TypeNumber {
		o.Step = x.Int()
	}
	if x := v.Get("colorProfile"); x.Type() == js.TypeString {
		o.Profile = x.String()
	}
	if x := v.Get("reducedMotion"); x.Type() == js.TypeBoolean {
		o.Reduced = x.Bool()
	}
	if x := v.Get("paused"); x.Type() == js.TypeBoolean {
		o.Paused = x.Bool()
	}
	if x := v.Get("speed"); x.Type() == js.TypeNumber {
		o.Speed = x.Float()
	}
	return o
}

func (p *Page) emit(name string, payload map[string]any) {
	f := p.bridge.Get("onEvent")
	if f.Type() != js.TypeFunction {
		return
	}
	f.Invoke(name, js.ValueOf(payload))
}

// Ready tells the page the first frame is on the canvas.
func (p *Page) Ready() { p.emit("ready", map[string]any{}) }

// Fail shows an error on the page instead of the diagram; what failed chooses the
// message.
func (p *Page) Fail(what Failure, msg string) {
	p.emit("error", map[string]any{"kind": string(what), "message": msg})
}

// Select reports a selection made on the canvas (or the page's own, confirmed).
func (p *Page) Select(s Selection) { p.emit("select", s.js()) }

// Hover reports what the pointer is over.
func (p *Page) Hover(s Selection) { p.emit("hover", s.js()) }

func (s Selection) js() map[string]any {
	return map[string]any{"part": s.Part, "person": s.Person, "ring": s.Ring, "kind": s.Kind, "role": s.Role}
}

// Class reports the students' seats in the picture, how many found none, and how
// many there are.
func (p *Page) Class(seats []Seat, overflow, capacity int) {
	list := make([]any, len(seats))
	for i, st := range seats {
		list[i] = map[string]any{"id": st.ID, "member": st.Member}
	}
	p.emit("class", map[string]any{"seats": list, "overflow": overflow, "capacity": capacity})
}

// Anchors reports where the labels go.
func (p *Page) Anchors(as []Anchor, scale float64) {
	list := make([]any, len(as))
	for i, a := range as {
		list[i] = map[string]any{"part": a.Part, "x": a.X, "y": a.Y, "maxWidth": a.MaxW, "maxHeight": a.MaxH, "shown": a.Shown}
	}
	p.emit("anchors", map[string]any{"anchors": list, "scale": scale})
}

// Idle tells the page the diagram is at rest, or not.
func (p *Page) Idle(on bool) {
	if f := p.bridge.Get("idle"); f.Type() == js.TypeFunction {
		f.Invoke(on)
	}
}

// SVG delivers an exported SVG.
func (p *Page) SVG(svg string) { p.emit("svg", map[string]any{"svg": svg}) }
