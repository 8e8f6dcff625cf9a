package live

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"slices"

	"github.com/connectedlearning/diagram/server/internal/live/proto"
)

// record is a room as stored under its code in the rooms bucket. Only servers
// read it: pages get Snapshots and events made from it, never the hashes.
type record struct {
	V          int    `json:"v"`
	Secret     []byte `json:"secret,omitempty"`    // SHA-256 of the presenter's secret
	Presenter  string `json:"presenter,omitempty"` // id of the connection in control; "" when none is
	Step       int    `json:"step"`
	Presenting bool   `json:"presenting"`
	Closed     bool   `json:"closed,omitempty"` // joining closed
	Max        int    `json:"max"`
	// Members change only through addMember, setName and remove, which drop
	// membersRaw: a room's members are most of its record (100 kB and more for
	// a large class), and a step leaves them as they were.
	Members []memberRec `json:"-"`
	// Gone says why the last members to leave left (proto.Left*), the newest
	// last: a server that did not see every revision still tells why.
	Gone    []gone `json:"gone,omitempty"`
	Ended   bool   `json:"ended,omitempty"` // the presenter ended the session
	Touched int64  `json:"touched"`         // Unix milliseconds of the write

	// membersRaw is Members' JSON as last encoded or decoded; nil once they
	// changed.
	membersRaw []byte
}

// recordFields is record without its methods, for the wire form below.
type recordFields record

// recordWire is a record as stored: its fields, with the members' JSON kept
// apart so that it is made once per change of the members and decoded only
// when they changed.
type recordWire struct {
	*recordFields
	Members json.RawMessage `json:"members"`
}

type gone struct {
	ID  string `json:"id"`
	Why string `json:"why"`
}

// maxGone bounds Gone: departures older than that many are told as "left".
const maxGone = 256

type memberRec struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Token []byte `json:"token"`         // SHA-256 of the member's resume token
	Gen   bool   `json:"gen,omitempty"` // the name was generated
}

// decodeRecord decodes a stored record. prev, if not nil, is an earlier one:
// when the members are byte for byte the same, the new record shares prev's
// (records are never changed in place: clone first), and they are not
// decoded again.
func decodeRecord(b []byte, prev *record) (*record, error) {
	r := &record{}
	w := recordWire{recordFields: (*recordFields)(r)}
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, err
	}
	if prev != nil && prev.membersRaw != nil && bytes.Equal(prev.membersRaw, w.Members) {
		r.Members = prev.Members
	} else if err := json.Unmarshal(w.Members, &r.Members); err != nil {
		return nil, err
	}
	if r.Members == nil {
		r.Members = []memberRec{}
	}
	r.membersRaw = w.Members
	return r, nil
}

func (r *record) encode() []byte {
	if r.membersRaw == nil {
		if r.Members == nil {
			r.Members = []memberRec{}
		}
		r.membersRaw, _ = json.Marshal(r.Members)
	}
	b, _ := json.Marshal(recordWire{recordFields: (*recordFields)(r), Members: r.membersRaw})
	return b
}

func (r *record) clone() *record {
	c := *r
	c.Members = slices.Clone(r.Members)
	c.Gone = slices.Clone(r.Gone)
	return &c
}

// sameMembers says whether two records share their members (decoded once).
func sameMembers(a, b *record) bool {
	return len(a.Members) == len(b.Members) && (len(a.Members) == 0 || &a.Members[0] == &b.Members[0])
}

func (r *record) addMember(m memberRec) {
	r.Members = append(r.Members, m)
	r.membersRaw = nil
}

func (r *record) setName(i int, name string, gen bool) {
	r.Members[i].Name, r.Members[i].Gen = name, gen
	r.membersRaw = nil
}

func (r *record) member(id string) int {
	for i, m := range r.Members {
		if m.ID == id {
			return i
		}
	}
	return -1
}

// index maps each member's id to its place: for whole-roster work, which is
// linear with it (a room of 2,000 would otherwise cost millions of
// comparisons a revision).
func (r *record) index() map[string]int {
	m := make(map[string]int, len(r.Members))
	for i, x := range r.Members {
		m[x.ID] = i
	}
	return m
}

// named says whether a member has this name.
func (r *record) named(name string) bool {
	for _, m := range r.Members {
		if m.Name == name {
			return true
		}
	}
	return false
}

func (r *record) generated(i int) bool { return r.Members[i].Gen }

func (r *record) remove(id, why string) bool {
	i := r.member(id)
	if i < 0 {
		return false
	}
	r.Members = slices.Delete(r.Members, i, i+1)
	r.membersRaw = nil
	r.Gone = append(r.Gone, gone{id, why})
	if len(r.Gone) > maxGone {
		r.Gone = slices.Delete(r.Gone, 0, len(r.Gone)-maxGone)
	}
	return true
}

// why says why member id left.
func (r *record) why(id string) string {
	for i := len(r.Gone) - 1; i >= 0; i-- {
		if r.Gone[i].ID == id {
			return r.Gone[i].Why
		}
	}
	return proto.LeftLeft
}

func (r *record) roster() []proto.Member {
	out := make([]proto.Member, len(r.Members))
	for i, m := range r.Members {
		out[i] = proto.Member{ID: m.ID, Name: m.Name}
	}
	return out
}

func (r *record) room(code string) proto.Room {
	return proto.Room{Code: code, Step: r.Step, Presenting: r.Presenting, Joining: !r.Closed,
		Presenter: r.Presenter != "", Members: len(r.Members), Max: r.Max}
}

func hash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// matches compares a secret with a stored hash in constant time.
func matches(stored []byte, secret string) bool {
	return len(stored) == sha256.Size && subtle.ConstantTimeCompare(stored, hash(secret)) == 1
}

// equalHash compares two hashes in constant time.
func equalHash(a, b []byte) bool {
	return len(a) == sha256.Size && len(b) == sha256.Size && subtle.ConstantTimeCompare(a, b) == 1
}

// diff makes the events that take a page from old to new, encoded once.
func diff(old, new *record, seq uint64) [][]byte {
	var out [][]byte
	if old.Step != new.Step || old.Presenting != new.Presenting {
		out = append(out, proto.Encode(proto.StepEvent{Type: proto.TypeStep, Seq: seq, Step: new.Step, Presenting: new.Presenting}))
	}
	if old.Closed != new.Closed {
		out = append(out, proto.Encode(proto.JoiningEvent{Type: proto.TypeJoining, Seq: seq, Open: !new.Closed}))
	}
	if (old.Presenter != "") != (new.Presenter != "") {
		out = append(out, proto.Encode(proto.PresenterEvent{Type: proto.TypePresenter, Seq: seq, Online: new.Presenter != ""}))
	}
	if sameMembers(old, new) {
		return out
	}
	oi, ni := old.index(), new.index()
	for _, m := range old.Members {
		if _, ok := ni[m.ID]; !ok {
			why := new.why(m.ID)
			out = append(out, proto.Encode(proto.Left{Type: proto.TypeLeft, Seq: seq, ID: m.ID, Reason: why, Members: len(new.Members)}))
		}
	}
	for _, m := range new.Members {
		switch i, ok := oi[m.ID]; {
		case !ok:
			out = append(out, proto.Encode(proto.Joined{Type: proto.TypeJoined, Seq: seq, Member: proto.Member{ID: m.ID, Name: m.Name}, Members: len(new.Members)}))
		case old.Members[i].Name != m.Name:
			out = append(out, proto.Encode(proto.Renamed{Type: proto.TypeRenamed, Seq: seq, Member: proto.Member{ID: m.ID, Name: m.Name}}))
		}
	}
	return out
}
