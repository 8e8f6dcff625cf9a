// Package page is the diagram's only door to the web page: it reads the options and
// content the page's loader prepared, takes the commands the page sends (the page's
// state as it changes: step, selection, motion, colours...), and tells the page what
// only the program knows (what was clicked or hovered on the canvas, where the
// labels go, that the first frame is drawn, an export, a failure), so that all
// words stay in HTML. The page owns its state; the program reports nothing back
// that the page told it.
//
// Invariants:
//   - syscall/js is used in page_js.go only. page_other.go is a native stand-in with
//     the same API that records what was emitted, so everything else builds and
//     tests natively.
//   - Nothing here holds words shown to people.
//   - Commands cross as small plain values; a malformed command from the page is
//     dropped with a console warning, never a panic.
package page

// Options are the page's choices at start, already checked by the loader.
type Options struct {
	Present bool    // open in presentation mode
	Step    int     // 1..diagram.NumSteps when presenting
	Profile string  // "dark" or "projector"
	Reduced bool    // reduced motion
	Paused  bool    // start paused
	Speed   float64 // 0.5, 1 or 2
}

// Kind is the kind of a command from the page.
type Kind uint8

const (
	CmdNone         Kind = iota
	CmdGoto              // N: present step N
	CmdPresent           // N: 0 leaves the presentation (the whole picture), else opens it at step 1
	CmdSelect            // S: part id, "" clears
	CmdFocus             // S: part id highlighted by keyboard focus, "" none
	CmdPlay              // start motion
	CmdPause             // stop motion
	CmdSpeed             // F: speed factor
	CmdProfile           // S: profile id
	CmdMotion            // N: 1 reduced, 0 full
	CmdStage             // X, Y, W, H: the stage rectangle in CSS pixels
	CmdVisible           // N: 1 visible, 0 hidden or scrolled away
	CmdPointerLeave      // the pointer left the canvas
	CmdExportSVG         // Texts: labels (3), caption, title, heading, id prefix; S: profile or ""; answered with SVG
	CmdClass             // Ns: the students in the live session, by the page's numbers for them
	CmdConnection        // N: a student's number: their connection pulse
	CmdSelectMember      // N: member of the picture (the manifest's members, by index)
	CmdPointer           // X, Y: where the pointer is, in CSS pixels of the page (the placeholder's hover, handed over)
)

var kindNames = [...]string{"", "goto", "present", "select", "focus", "play", "pause", "speed", "profile",
	"motion", "stage", "visible", "pointerLeave", "exportSVG", "class", "connection", "selectMember", "pointer"}

// ParseKind maps a command name to its kind (CmdNone if unknown).
func ParseKind(s string) Kind {
	for i, n := range kindNames {
		if n == s && i > 0 {
			return Kind(i)
		}
	}
	return CmdNone
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Command is one instruction from the page.
type Command struct {
	Kind       Kind
	N          int
	F          float64
	S          string
	X, Y, W, H float64
	Texts      []string
	Ns         []int
}

// Seat is a student's place in the picture: the page's number for them and the
// member of the picture that draws them (hover and selection events name it).
type Seat struct {
	ID, Member int
}

// Selection describes what is selected or hovered, for the page's panel and the
// canvas's title.
type Selection struct {
	Part   string // "" when nothing is selected
	Person int    // -1 unless a member (a person or a resource) is selected
	Ring   string // the member's ring: "cop" or "pln"
	// Kind names the language file's words for the member: "person" (roles[Ring]),
	// "newcomer" (roles.newcomer: the network's person who joined the ring), or a
	// resource kind, "book", "video", "podcast" or "article" (resources[Kind]).
	Kind string
	Role int // index into that list (modulo its length)
}

// Failure says what failed, for the page's message.
type Failure string

const (
	FailContent Failure = "content" // the content file has a problem
	FailProgram Failure = "program" // the program itself (the engine, the graphics) stopped
)

// Anchor is a label position in CSS pixels (see diagram.Anchor).
type Anchor struct {
	Part             string
	X, Y, MaxW, MaxH float64
	Shown            bool
}

// IDPrefixOK reports whether p may start the ids of an exported SVG that a page
// puts into its document: letters, digits, '-' and '_' only.
func IDPrefixOK(p string) bool {
	for _, r := range p {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
