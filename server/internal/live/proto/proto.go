package proto

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Version is the protocol's version, in every Snapshot and in /live/info.
const Version = 1

// MaxMessage bounds a message from a page, in bytes; the server closes a
// connection that sends a longer one (1009).
const MaxMessage = 2048

// Type is a message's "type" field.
type Type string

// Role is what a connection may do in its room, decided by the server.
type Role string

const (
	RolePresenter Role = "presenter" // drives the steps; holds the secret
	RoleFollower  Role = "follower"  // may only join, rename, leave and send connections
)

// Languages the server generates names in; anything else gets English.
var Languages = []string{"en", "es", "fr"}

// Messages from a page to the server. The first message of a connection is Open,
// Present or Join; it decides the connection's role for its whole life.
const (
	TypeOpen    Type = "open"    // presenter: open a new room
	TypePresent Type = "present" // presenter: take (or keep, after a reload) control of a room, with its secret
	TypeJoin    Type = "join"    // follower: join a room by its code, or rejoin as the same member
	TypeRename  Type = "rename"  // follower: change the display name
	TypeLeave   Type = "leave"   // follower: leave the room (the server then closes, 1000)
	TypePulse   Type = "pulse"   // follower: send a connection; from the server, a connection sent
	TypeStep    Type = "step"    // presenter: go to a step; from the server, the room's step changed
	TypeJoining Type = "joining" // presenter: open or close joining; from the server, it changed
	TypeRemove  Type = "remove"  // presenter: remove a member
	TypeEnd     Type = "end"     // presenter: end the session (the room and its members are deleted)
	TypePing    Type = "ping"    // either role: the server answers with a pong
)

// Messages from the server to a page.
const (
	TypeSnapshot  Type = "snapshot"  // the whole state; the first message after Open, Present or Join
	TypeOpened    Type = "opened"    // to the presenter who opened a room: its code and secret
	TypeJoined    Type = "joined"    // a member joined
	TypeRenamed   Type = "renamed"   // a member changed name
	TypeLeft      Type = "left"      // a member left, was removed, or timed out
	TypePresenter Type = "presenter" // the presenter connected or went away
	TypeEnded     Type = "ended"     // the session ended; the server closes (4003)
	TypeError     Type = "error"     // a refusal, or why the connection is about to close
	TypePong      Type = "pong"      // the answer to a ping
)

// --- From a page ---

// Open opens a new room; the server answers Opened, then a Snapshot.
type Open struct {
	Type       Type   `json:"type"`
	Step       int    `json:"step"` // the presenter's current step, 1..steps
	Presenting bool   `json:"presenting"`
	Lang       string `json:"lang,omitempty"`
}

// Present takes control of a room with its secret (after a reload, or from a
// second device); an earlier presenter connection is told (Error "replaced") and
// closed.
type Present struct {
	Type   Type   `json:"type"`
	Code   string `json:"code"`
	Secret string `json:"secret"`
	Seq    uint64 `json:"seq,omitempty"` // the last seq this page applied, if any
}

// Join joins a room. With ID and Token (from an earlier Snapshot's You) it
// rejoins as the same member, keeping the name and the place in the roster.
type Join struct {
	Type  Type   `json:"type"`
	Code  string `json:"code"`           // as typed: any case, spaces allowed
	Name  string `json:"name,omitempty"` // empty: a generated name
	Lang  string `json:"lang,omitempty"` // the language of the generated name
	ID    string `json:"id,omitempty"`
	Token string `json:"token,omitempty"`
	Seq   uint64 `json:"seq,omitempty"` // the last seq this page applied, if any
}

// Rename changes the member's display name ("" for a generated one).
type Rename struct {
	Type Type   `json:"type"`
	Name string `json:"name"`
}

// Leave leaves the room.
type Leave struct {
	Type Type `json:"type"`
}

// Pulse sends a connection from the member's figure.
type Pulse struct {
	Type Type `json:"type"`
}

// GoTo moves the room to a step.
type GoTo struct {
	Type       Type `json:"type"` // "step"
	Step       int  `json:"step"`
	Presenting bool `json:"presenting"`
}

// SetJoining opens or closes joining.
type SetJoining struct {
	Type Type `json:"type"` // "joining"
	Open bool `json:"open"`
}

// Remove removes a member from the room.
type Remove struct {
	Type Type   `json:"type"`
	ID   string `json:"id"`
}

// End ends the session.
type End struct {
	Type Type `json:"type"`
}

// Ping asks for a Pong; T comes back in it (the page's clock, for round trips).
type Ping struct {
	Type Type    `json:"type"`
	T    float64 `json:"t,omitempty"`
}

// --- From the server ---

// Room is the room's state.
type Room struct {
	Code       string `json:"code"`
	Step       int    `json:"step"`
	Presenting bool   `json:"presenting"`
	Joining    bool   `json:"joining"`   // true while new members may join
	Presenter  bool   `json:"presenter"` // a presenter is connected
	Members    int    `json:"members"`
	Max        int    `json:"max"` // the most members the room takes
}

// Member is a member as every page shows it.
type Member struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// You is what a follower needs to rejoin as itself: its id, its name, and a token
// (128 random bits) that only this page holds, kept in memory, never stored.
type You struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Token string `json:"token"`
}

// Snapshot is the whole state of the room, the first message after Open, Present
// or Join, on every (re)connect.
type Snapshot struct {
	Type   Type     `json:"type"`
	V      int      `json:"v"`
	Seq    uint64   `json:"seq"`
	Role   Role     `json:"role"`
	Room   Room     `json:"room"`
	You    *You     `json:"you,omitempty"` // followers only
	Roster []Member `json:"roster"`        // in order of joining
}

// Opened gives the presenter who opened a room its code and its secret. The page
// keeps the secret in the address's fragment (never in a query or storage) and
// sends it only in Present.
type Opened struct {
	Type   Type   `json:"type"`
	Code   string `json:"code"`
	Secret string `json:"secret"`
}

// StepEvent: the room moved to a step.
type StepEvent struct {
	Type       Type   `json:"type"` // "step"
	Seq        uint64 `json:"seq"`
	Step       int    `json:"step"`
	Presenting bool   `json:"presenting"`
}

// JoiningEvent: joining opened or closed.
type JoiningEvent struct {
	Type Type   `json:"type"` // "joining"
	Seq  uint64 `json:"seq"`
	Open bool   `json:"open"`
}

// Joined: a member joined.
type Joined struct {
	Type    Type   `json:"type"`
	Seq     uint64 `json:"seq"`
	Member  Member `json:"member"`
	Members int    `json:"members"`
}

// Renamed: a member changed name.
type Renamed struct {
	Type   Type   `json:"type"`
	Seq    uint64 `json:"seq"`
	Member Member `json:"member"`
}

// Why a member left.
const (
	LeftLeft    = "left"    // it said so
	LeftRemoved = "removed" // the presenter removed it
	LeftTimeout = "timeout" // its device stopped answering for longer than the grace time
)

// Left: a member left.
type Left struct {
	Type    Type   `json:"type"`
	Seq     uint64 `json:"seq"`
	ID      string `json:"id"`
	Reason  string `json:"reason"`
	Members int    `json:"members"`
}

// PresenterEvent: the presenter connected or went away.
type PresenterEvent struct {
	Type   Type   `json:"type"` // "presenter"
	Seq    uint64 `json:"seq"`
	Online bool   `json:"online"`
}

// PulseEvent: a member sent a connection. Pulses are not state: they carry no
// seq, and a page drops one from a member it does not know.
type PulseEvent struct {
	Type Type   `json:"type"` // "pulse"
	From string `json:"from"`
}

// Why a session ended.
const (
	EndedByPresenter = "ended"   // the presenter ended it
	EndedExpired     = "expired" // nobody was connected for the idle time
)

// Ended: the session is over; the server closes the connection (4003).
type Ended struct {
	Type   Type   `json:"type"`
	Seq    uint64 `json:"seq"`
	Reason string `json:"reason"`
}

// Error is a refusal (Fatal false: the connection goes on, nothing changed) or
// the reason the server is about to close the connection (Fatal true, with the
// reason's close status).
type Error struct {
	Type   Type   `json:"type"`
	Code   Reason `json:"code"`
	Fatal  bool   `json:"fatal"`
	Retry  int    `json:"retry,omitempty"`  // milliseconds before trying again (rate-limited)
	Detail string `json:"detail,omitempty"` // English, for the console; the page words it itself
}

// Pong answers a Ping.
type Pong struct {
	Type Type    `json:"type"`
	T    float64 `json:"t,omitempty"`
}

// Client is a parsed message from a page.
type Client interface{ ClientType() Type }

func (Open) ClientType() Type       { return TypeOpen }
func (Present) ClientType() Type    { return TypePresent }
func (Join) ClientType() Type       { return TypeJoin }
func (Rename) ClientType() Type     { return TypeRename }
func (Leave) ClientType() Type      { return TypeLeave }
func (Pulse) ClientType() Type      { return TypePulse }
func (GoTo) ClientType() Type       { return TypeStep }
func (SetJoining) ClientType() Type { return TypeJoining }
func (Remove) ClientType() Type     { return TypeRemove }
func (End) ClientType() Type        { return TypeEnd }
func (Ping) ClientType() Type       { return TypePing }

// ParseError is why ParseClient refused a message.
type ParseError struct {
	Reason Reason
	Detail string
}

func (e *ParseError) Error() string { return string(e.Reason) + ": " + e.Detail }

func bad(format string, a ...any) error {
	return &ParseError{ReasonBadMessage, fmt.Sprintf(format, a...)}
}

// ParseClient reads one message from a page. It checks the type and the shape of
// every field (a step is a whole number, a secret has a secret's shape...), not
// what the room makes of them: whether the step exists, whether the code names a
// room. Unknown fields are ignored, so that a newer page can talk to an older
// server. Display names come back as sent; NormalizeName judges them.
func ParseClient(b []byte) (Client, error) {
	if len(b) > MaxMessage {
		return nil, &ParseError{ReasonTooBig, fmt.Sprintf("%d bytes, over %d", len(b), MaxMessage)}
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return nil, bad("not a JSON object")
	}
	var env struct {
		Type *Type `json:"type"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, bad("not a JSON object with a type: %v", jsonErr(err))
	}
	if env.Type == nil {
		return nil, bad("no type")
	}
	var m Client
	switch *env.Type {
	case TypeOpen:
		m = &Open{}
	case TypePresent:
		m = &Present{}
	case TypeJoin:
		m = &Join{}
	case TypeRename:
		m = &Rename{}
	case TypeLeave:
		m = &Leave{}
	case TypePulse:
		m = &Pulse{}
	case TypeStep:
		m = &GoTo{}
	case TypeJoining:
		m = &SetJoining{}
	case TypeRemove:
		m = &Remove{}
	case TypeEnd:
		m = &End{}
	case TypePing:
		m = &Ping{}
	default:
		return nil, bad("unknown type %.32q", string(*env.Type))
	}
	if err := json.Unmarshal(b, m); err != nil {
		return nil, bad("%s: %v", *env.Type, jsonErr(err))
	}
	switch m := m.(type) {
	case *Open:
		if len(m.Lang) > 16 {
			return nil, bad("open: lang too long")
		}
		if m.Step < 1 {
			return nil, bad("open: step %d is not a step", m.Step)
		}
		return *m, nil
	case *Present:
		if len(m.Code) > 64 {
			return nil, bad("present: code too long")
		}
		if !validSecret(m.Secret) {
			return nil, &ParseError{ReasonNotAllowed, "present: not a secret"}
		}
		return *m, nil
	case *Join:
		if len(m.Code) > 64 || len(m.Name) > maxNameInput || len(m.Lang) > 16 {
			return nil, bad("join: a field is too long")
		}
		if (m.ID == "") != (m.Token == "") || m.ID != "" && (!validID(m.ID) || !validSecret(m.Token)) {
			return nil, bad("join: id and token go together and have their shapes")
		}
		return *m, nil
	case *Rename:
		if len(m.Name) > maxNameInput {
			return nil, &ParseError{ReasonBadName, "rename: name too long"}
		}
		return *m, nil
	case *GoTo:
		if m.Step < 1 {
			return nil, bad("step: %d is not a step", m.Step)
		}
		return *m, nil
	case *Remove:
		if !validID(m.ID) {
			return nil, bad("remove: not a member id")
		}
		return *m, nil
	case *Leave:
		return *m, nil
	case *Pulse:
		return *m, nil
	case *SetJoining:
		return *m, nil
	case *End:
		return *m, nil
	case *Ping:
		return *m, nil
	}
	return nil, bad("unreachable")
}

// jsonErr shortens encoding/json's errors, which may quote the input at length.
func jsonErr(err error) string {
	s := err.Error()
	if len(s) > 120 {
		s = s[:120] + "..."
	}
	return s
}

// Encode writes a message from the server. Every server message is a struct
// of this package whose Type field the constructors below fill in.
func Encode(m any) []byte {
	b, err := json.Marshal(m)
	if err != nil {
		// Only plain structs of strings, numbers and booleans are encoded, and
		// the numbers come from JSON: this does not happen.
		return []byte(`{"type":"error","code":"internal","fatal":false}`)
	}
	return b
}

// NewError builds an Error for r.
func NewError(r Reason, fatal bool, detail string) Error {
	return Error{Type: TypeError, Code: r, Fatal: fatal, Detail: detail}
}
