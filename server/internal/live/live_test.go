package live_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/connectedlearning/diagram/server/internal/live"
	"github.com/connectedlearning/diagram/server/internal/live/proto"
)

func step(n int) proto.GoTo { return proto.GoTo{Type: proto.TypeStep, Step: n, Presenting: true} }

// Followers receive the presenter's steps, in order, each with a larger seq.
func TestFollow(t *testing.T) {
	e := newEnv(t, nil)
	p, code, _ := e.open(1)
	var fs []*conn
	for i := 0; i < 3; i++ {
		f, s := e.join("follower", code, "")
		if s.Room.Step != 1 || !s.Room.Presenter || !s.Room.Joining || s.Room.Max != 200 {
			t.Fatalf("snapshot: %s", s.raw)
		}
		fs = append(fs, f)
		p.expect("joined")
	}
	for _, n := range []int{2, 3, 4, 3, 5} {
		p.send(step(n))
	}
	for i, f := range fs {
		for _, n := range []int{2, 3, 4, 3, 5} {
			m := f.expect("step", "joined")
			if m.Step != n || !m.Presenting {
				t.Fatalf("follower %d: got %s, want step %d", i, m.raw, n)
			}
		}
	}
	// The presenter hears its own steps too: every screen applies the same events.
	if m := p.expect("step"); m.Step != 2 {
		t.Errorf("presenter: %s", m.raw)
	}
	if got := e.svc.Metrics().Steps.Load(); got != 5 {
		t.Errorf("%d steps counted, want 5", got)
	}
}

// A follower who joins late gets the current step in its first message.
func TestLateJoinerGetsCurrentStep(t *testing.T) {
	e := newEnv(t, nil)
	p, code, _ := e.open(1)
	for _, n := range []int{2, 3, 4} {
		p.send(step(n))
		p.expect("step")
	}
	f := e.dial("late")
	f.send(proto.Join{Type: proto.TypeJoin, Code: proto.FormatCode(strings.ToLower(code))})
	first := f.next()
	if first.Type != "snapshot" || first.Room.Step != 4 || first.Room.Code != code {
		t.Fatalf("the late joiner's first message: %s", first.raw)
	}
}

// A follower whose device drops comes back (with its id and token) after the
// presenter moved two steps: its snapshot has the current step, it is the same
// member, and nobody saw it leave.
func TestReconnectCatchesUp(t *testing.T) {
	e := newEnv(t, nil)
	p, code, _ := e.open(1)
	f, s := e.join("phone", code, "Ada")
	p.expect("joined")
	you := s.You
	f.c.CloseNow() // the phone sleeps: no close frame
	p.send(step(2))
	p.send(step(3))
	p.expect("step")
	p.expect("step")

	back := e.dial("phone again")
	back.send(proto.Join{Type: proto.TypeJoin, Code: code, ID: you.ID, Token: you.Token, Seq: s.Seq})
	snap := back.expect("snapshot")
	if snap.Room.Step != 3 || snap.Seq <= s.Seq {
		t.Errorf("after the reconnect: %s (before: seq %d)", snap.raw, s.Seq)
	}
	if snap.You == nil || snap.You.ID != you.ID || snap.You.Name != "Ada" || snap.You.Token != you.Token {
		t.Errorf("not the same member: %+v, was %+v", snap.You, you)
	}
	if len(snap.Roster) != 1 || snap.Roster[0].ID != you.ID {
		t.Errorf("roster: %s", fmtMembers(snap.Roster))
	}
	p.quiet() // no left, no joined
	if e.svc.Metrics().Rejoined.Load() != 1 {
		t.Error("the rejoin is not counted")
	}
	// A token that is not the member's makes a new member, never the old one.
	other := e.dial("impostor")
	other.send(proto.Join{Type: proto.TypeJoin, Code: code, ID: you.ID, Token: proto.NewSecret()})
	if m := other.expect("snapshot"); m.You.ID == you.ID {
		t.Errorf("a wrong token took over the member: %s", m.raw)
	}
	// A seq from the future (a page's bug, or a lie) delays its own snapshot a
	// moment, and nothing else.
	liar := e.dial("liar")
	liar.send(proto.Join{Type: proto.TypeJoin, Code: code, ID: you.ID, Token: you.Token, Seq: 1 << 60})
	if m := liar.expect("snapshot"); m.Room.Step != 3 {
		t.Errorf("%s", m.raw)
	}
}

// A presenter who reloads (a new connection with the secret) keeps control.
func TestPresenterReloadKeepsControl(t *testing.T) {
	e := newEnv(t, nil)
	p, code, secret := e.open(2)
	f, _ := e.join("follower", code, "")
	p.send(step(3))
	f.expect("step")
	p.c.Close(websocket.StatusGoingAway, "reload")

	p2 := e.dial("presenter after reload")
	p2.send(proto.Present{Type: proto.TypePresent, Code: code, Secret: secret})
	s := p2.expect("snapshot")
	if s.Role != "presenter" || s.Room.Step != 3 || len(s.Roster) != 1 {
		t.Fatalf("after the reload: %s", s.raw)
	}
	p2.send(step(4))
	if m := f.expect("step", "presenter"); m.Step != 4 {
		t.Errorf("the follower got %s", m.raw)
	}
}

// A second presenter connection with the secret replaces the first, which is
// told; a wrong secret changes nothing and is counted.
func TestSecondPresenterReplacesFirst(t *testing.T) {
	e := newEnv(t, nil)
	p1, code, secret := e.open(1)
	f, _ := e.join("follower", code, "")
	p1.expect("joined")

	p2 := e.dial("phone as a clicker")
	p2.send(proto.Present{Type: proto.TypePresent, Code: code, Secret: secret})
	p2.expect("snapshot")
	m := p1.expect("error", "step", "presenter")
	if m.Code != string(proto.ReasonReplaced) || !m.Fatal {
		t.Fatalf("the first presenter got %s", m.raw)
	}
	if got := p1.closed(); got != 4006 {
		t.Errorf("the first presenter closed with %d, want 4006", got)
	}
	p2.send(step(5))
	if m := f.expect("step", "presenter"); m.Step != 5 {
		t.Errorf("follower: %s", m.raw)
	}

	e.refusedWith(proto.Present{Type: proto.TypePresent, Code: code, Secret: proto.NewSecret()}, proto.ReasonNotAllowed)
	e.refusedWith(map[string]string{"type": "present", "code": code, "secret": "guess"}, proto.ReasonNotAllowed)
	if n := e.metrics().Refused[proto.ReasonNotAllowed]; n != 2 {
		t.Errorf("%d wrong secrets counted, want 2", n)
	}
	p2.quiet("presenter", "step") // still in control, nothing changed
}

// A follower's connection can only rename, leave, pulse and ping: a step
// command, presenter actions, a replay of the presenter's messages or a second
// first message change nothing, and each is counted.
func TestFollowerCommandsRefused(t *testing.T) {
	e := newEnv(t, nil)
	p, code, secret := e.open(2)
	f, _ := e.join("mallory", code, "Mallory")
	other, _ := e.join("other", code, "")
	p.expect("joined")
	p.expect("joined")
	attempts := []string{
		`{"type":"step","step":6,"presenting":true}`,
		`{"type":"step","seq":99,"step":5,"presenting":false}`, // a replay of a step event
		`{"type":"joining","open":false}`,
		`{"type":"remove","id":"` + other.name + `x"}`,
		`{"type":"end"}`,
		`{"type":"open","step":1,"presenting":true}`,
		`{"type":"present","code":"` + code + `","secret":"` + secret + `"}`, // even with the secret
		`{"type":"join","code":"` + code + `"}`,
	}
	for _, a := range attempts {
		f.sendRaw(a)
		m := f.expect("error", "joined")
		if m.Code != string(proto.ReasonNotAllowed) || m.Fatal {
			t.Errorf("%s: got %s, want a non-fatal not-allowed", a, m.raw)
		}
	}
	f.quiet("joined")
	p.quiet() // the presenter saw nothing change
	if n := e.metrics().Refused[proto.ReasonNotAllowed]; n != int64(len(attempts)) {
		t.Errorf("%d refusals counted, want %d", n, len(attempts))
	}
	late, s := e.join("late", code, "")
	if s.Room.Step != 2 || !s.Room.Joining || s.Room.Members != 3 {
		t.Errorf("the room changed: %s", s.raw)
	}
	late.quiet()
}

// Hostile display names come out as every screen shows them.
func TestNames(t *testing.T) {
	e := newEnv(t, nil)
	p, code, _ := e.open(1)
	for _, tt := range []struct{ in, want string }{
		{"  Ada   Lovelace ", "Ada Lovelace"},
		{"\u202egnp.exe", "gnp.exe"},
		{"a\u0000b\u200bc", "abc"},
		{"e\u0301mile", "émile"},
		{"👩\u200d💻", "👩\u200d💻"},
		{"<img src=x>", "<img src=x>"},
	} {
		_, s := e.join("n", code, tt.in)
		if s.You.Name != tt.want {
			t.Errorf("join as %+q: named %+q, want %+q", tt.in, s.You.Name, tt.want)
		}
		if m := p.expect("joined"); m.Member.Name != tt.want {
			t.Errorf("the presenter sees %+q, want %+q", m.Member.Name, tt.want)
		}
	}
	// No name, or only invisible characters: a friendly generated name in the
	// page's language.
	for lang, words := range map[string][]string{"en": {"Otter", "Fox", "Owl"}, "fr": {"Loutre", "Renard", "Chouette"}, "es": {"Nutria", "Zorro", "Lechuza"}} {
		f := e.dial("anonymous " + lang)
		f.send(proto.Join{Type: proto.TypeJoin, Code: code, Lang: lang, Name: "\u200b\u202e"})
		s := f.expect("snapshot")
		if n, ok := proto.NormalizeName(s.You.Name); !ok || n != s.You.Name || !strings.Contains(s.You.Name, " ") || len([]rune(s.You.Name)) > proto.MaxName {
			t.Errorf("%s: generated %q", lang, s.You.Name)
		}
		_ = words
		p.expect("joined")
	}
	// Too long: refused (bad-name), and the name is unchanged.
	f, s := e.join("renamer", code, "Grace")
	p.expect("joined")
	f.send(proto.Rename{Type: proto.TypeRename, Name: strings.Repeat("x", proto.MaxName+1)})
	if m := f.expect("error"); m.Code != string(proto.ReasonBadName) || m.Fatal {
		t.Errorf("a long rename: %s", m.raw)
	}
	f.send(proto.Rename{Type: proto.TypeRename, Name: " Grace\u00a0 Hopper\u2066 "})
	if m := p.expect("renamed"); m.Member.ID != s.You.ID || m.Member.Name != "Grace Hopper" {
		t.Errorf("rename: %s", m.raw)
	}
	f.send(proto.Rename{Type: proto.TypeRename, Name: ""}) // back to a generated name
	if m := p.expect("renamed"); m.Member.Name == "Grace Hopper" || m.Member.Name == "" {
		t.Errorf("rename to nothing: %s", m.raw)
	}
	// A join with a name too long joins anyway, with a generated name, and says so.
	g := e.dial("long")
	g.send(proto.Join{Type: proto.TypeJoin, Code: code, Name: strings.Repeat("é", 30)})
	if m := g.expect("error"); m.Code != string(proto.ReasonBadName) || m.Fatal {
		t.Errorf("%s", m.raw)
	}
	if s := g.expect("snapshot"); strings.Contains(s.You.Name, "é") {
		t.Errorf("named %q", s.You.Name)
	}
}

// A room takes -live-max-members members; a server holds -live-max-rooms rooms.
func TestCaps(t *testing.T) {
	e := newEnv(t, func(o *live.Options) { o.MaxMembers = 2; o.MaxRooms = 2; o.Linger = time.Millisecond })
	p, code, _ := e.open(1)
	e.join("one", code, "")
	e.join("two", code, "")
	e.refusedWith(proto.Join{Type: proto.TypeJoin, Code: code}, proto.ReasonRoomFull)
	p.expect("joined")
	p.expect("joined")
	p.quiet()

	p2, _, _ := e.open(1)
	e.refusedWith(proto.Open{Type: proto.TypeOpen, Step: 1}, proto.ReasonServerFull)
	// Once a room ends, the server has room for another.
	p2.send(proto.End{Type: proto.TypeEnd})
	p2.expect("ended")
	p2.closed()
	eventually(t, "the ended room released", func() bool { return e.svc.Metrics().Rooms.Load() == 1 })
	e.open(1)
	if n := e.metrics().Refused; n[proto.ReasonRoomFull] != 1 || n[proto.ReasonServerFull] != 1 {
		t.Errorf("refusals counted: %v", n)
	}
}

// Connections sent are limited per member, by the server: the burst goes out,
// the next is refused with the time to wait, and nobody sees it.
func TestPulseRateLimit(t *testing.T) {
	e := newEnv(t, func(o *live.Options) { o.PulseRate = 0.2; o.PulseBurst = 3 })
	p, code, _ := e.open(4)
	f, s := e.join("eager", code, "")
	p.expect("joined")
	for i := 0; i < 3; i++ {
		f.send(proto.Pulse{Type: proto.TypePulse})
		if m := p.expect("pulse"); m.From != s.You.ID {
			t.Fatalf("pulse from %q, want %q", m.From, s.You.ID)
		}
		f.expect("pulse") // the sender sees its own pulse
	}
	f.send(proto.Pulse{Type: proto.TypePulse})
	m := f.expect("error")
	if m.Code != string(proto.ReasonRateLimited) || m.Fatal || m.Retry < 1000 || m.Retry > 5000 {
		t.Errorf("the fourth pulse: %s", m.raw)
	}
	p.quiet()
	// Reconnecting as the same member does not refill the bucket.
	f.c.CloseNow()
	back := e.dial("eager again")
	back.send(proto.Join{Type: proto.TypeJoin, Code: code, ID: s.You.ID, Token: s.You.Token})
	back.expect("snapshot")
	back.send(proto.Pulse{Type: proto.TypePulse})
	if m := back.expect("error"); m.Code != string(proto.ReasonRateLimited) {
		t.Errorf("after reconnecting: %s", m.raw)
	}
	if n := e.svc.Metrics().Pulses.Load(); n != 3 {
		t.Errorf("%d pulses counted, want 3", n)
	}
}

// Messages beyond a connection's rate are refused, then the connection is cut.
func TestMessageRateLimit(t *testing.T) {
	e := newEnv(t, func(o *live.Options) { o.MessageRate = 1; o.MessageBurst = 2 })
	_, code, _ := e.open(1)
	f, _ := e.join("flood", code, "")
	for i := 0; i < 200; i++ {
		if err := f.c.Write(context.Background(), websocket.MessageText, []byte(`{"type":"ping"}`)); err != nil {
			break // cut off
		}
	}
	if got := f.closed("pong", "error"); got != 4008 {
		t.Errorf("a flood closed with %d, want 4008", got)
	}
	if e.svc.Metrics().Refused[proto.ReasonRateLimited].Load() == 0 {
		t.Error("no refusal counted")
	}
}

// Members leave the roster when they leave, and when their device stops
// answering for longer than the grace time; a page that comes back within it
// keeps its place (TestReconnectCatchesUp).
func TestPresence(t *testing.T) {
	e := newEnv(t, func(o *live.Options) { o.PingInterval = 300 * time.Millisecond })
	p, code, _ := e.open(1)
	a, sa := e.join("leaves", code, "")
	p.expect("joined")
	// A device that goes to sleep: it joined, and then reads nothing, so it
	// answers no pings.
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	b, _, err := websocket.Dial(ctx, e.wsURL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.CloseNow()
	b.Write(ctx, websocket.MessageText, proto.Encode(proto.Join{Type: proto.TypeJoin, Code: code}))
	sb := p.expect("joined")

	a.send(proto.Leave{Type: proto.TypeLeave})
	if got := a.closed("joined", "left"); got != websocket.StatusNormalClosure {
		t.Errorf("leave closed with %d", got)
	}
	if m := p.expect("left"); m.ID != sa.You.ID || m.Reason != proto.LeftLeft || m.Members != 1 {
		t.Errorf("leave: %s", m.raw)
	}

	// The server closes it when a ping goes unanswered; its presence expires
	// after the grace time, and it leaves the roster.
	start := time.Now()
	m := p.expect("left")
	if m.ID != sb.Member.ID || m.Reason != proto.LeftTimeout || m.Members != 0 {
		t.Errorf("timeout: %s", m.raw)
	}
	if d := time.Since(start); d < 2*time.Second {
		t.Errorf("left after %v, before the grace time (3s)", d)
	}
}

// A room with no presenter for the idle time ends: its followers are told, and
// its code joins nothing any more.
func TestRoomExpiry(t *testing.T) {
	e := newEnv(t, func(o *live.Options) { o.PingInterval = 300 * time.Millisecond })
	p, code, _ := e.open(3)
	f, _ := e.join("waits", code, "")
	p.c.Close(websocket.StatusGoingAway, "closed the laptop")
	f.expect("presenter") // the presenter went away (after the grace time)
	m := f.expect("ended")
	if m.Reason != proto.EndedExpired {
		t.Errorf("ended: %s", m.raw)
	}
	if got := f.closed(); got != 4003 {
		t.Errorf("closed with %d, want 4003", got)
	}
	e.refusedWith(proto.Join{Type: proto.TypeJoin, Code: code}, proto.ReasonUnknownCode)
}

// Ending the session tells everyone, and leaves nothing of the room or its
// members in NATS.
func TestEndSession(t *testing.T) {
	e := newEnv(t, nil)
	p, code, secret := e.open(2)
	f1, _ := e.join("one", code, "Ada Lovelace")
	f2, _ := e.join("two", code, "Grace Hopper")
	f1.send(proto.Pulse{Type: proto.TypePulse})
	p.send(proto.End{Type: proto.TypeEnd})
	for _, c := range []*conn{p, f1, f2} {
		if m := c.expect("ended", "joined", "pulse"); m.Reason != proto.EndedByPresenter {
			t.Errorf("%s: %s", c.name, m.raw)
		}
		if got := c.closed("pulse"); got != 4003 {
			t.Errorf("%s closed with %d, want 4003", c.name, got)
		}
	}
	ctx := context.Background()
	js, _ := jetstream.New(e.svc.Engine().Conn())
	for _, b := range []string{"diagram_rooms", "diagram_presence"} {
		kv, err := js.KeyValue(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, b+" without keys", func() bool {
			keys, err := kv.ListKeys(ctx)
			if err != nil {
				return false
			}
			n := 0
			for range keys.Keys() {
				n++
			}
			return n == 0
		})
		// The purge markers expire too: then the bucket holds no message at all.
		eventually(t, b+" empty", func() bool {
			s, err := js.Stream(ctx, "KV_"+b)
			return err == nil && s.CachedInfo().State.Msgs == 0
		})
	}
	e.refusedWith(proto.Join{Type: proto.TypeJoin, Code: code}, proto.ReasonUnknownCode)
	e.refusedWith(proto.Present{Type: proto.TypePresent, Code: code, Secret: secret}, proto.ReasonUnknownCode)
}

// The presenter closes joining and removes a member.
func TestJoiningAndRemove(t *testing.T) {
	e := newEnv(t, nil)
	p, code, _ := e.open(1)
	f, s := e.join("removed", code, "")
	g, _ := e.join("stays", code, "")
	p.expect("joined")
	p.expect("joined")
	p.send(proto.SetJoining{Type: proto.TypeJoining, Open: false})
	if m := g.expect("joining", "joined"); m.Open {
		t.Errorf("%s", m.raw)
	}
	e.refusedWith(proto.Join{Type: proto.TypeJoin, Code: code}, proto.ReasonJoiningClosed)
	// A member already in may come back: closing joining keeps the class.
	f.c.CloseNow()
	back := e.dial("back")
	back.send(proto.Join{Type: proto.TypeJoin, Code: code, ID: s.You.ID, Token: s.You.Token})
	back.expect("snapshot")

	p.send(proto.Remove{Type: proto.TypeRemove, ID: s.You.ID})
	if m := back.expect("error", "joining", "left"); m.Code != string(proto.ReasonRemoved) || !m.Fatal {
		t.Errorf("the removed member got %s", m.raw)
	}
	if got := back.closed(); got != 4005 {
		t.Errorf("closed with %d, want 4005", got)
	}
	if m := g.expect("left", "joining"); m.ID != s.You.ID || m.Reason != proto.LeftRemoved {
		t.Errorf("the others see %s", m.raw)
	}
	p.send(proto.SetJoining{Type: proto.TypeJoining, Open: true})
	g.expect("joining")
	e.join("new", code, "")
}

// The first message decides everything: garbage, silence and a code that names
// no room each end the connection with their close code.
func TestFirstMessage(t *testing.T) {
	e := newEnv(t, func(o *live.Options) { o.HelloTimeout = 500 * time.Millisecond })
	e.refusedWith(map[string]any{"type": "teleport"}, proto.ReasonBadMessage)
	e.refusedWith(proto.Pulse{Type: proto.TypePulse}, proto.ReasonBadMessage)
	e.refusedWith(proto.Open{Type: proto.TypeOpen, Step: 7}, proto.ReasonBadMessage) // the site has 6 steps
	e.refusedWith(proto.Join{Type: proto.TypeJoin, Code: "ZZZZZZ"}, proto.ReasonUnknownCode)
	e.refusedWith(proto.Join{Type: proto.TypeJoin, Code: "hello!"}, proto.ReasonUnknownCode)
	silent := e.dial("silent")
	m := silent.expect("error")
	if m.Code != string(proto.ReasonTimeout) || silent.closed() != 4011 {
		t.Errorf("silence: %s", m.raw)
	}
}

// A message over the size limit closes the connection (1009), and is counted.
func TestOversizeMessage(t *testing.T) {
	e := newEnv(t, nil)
	_, code, _ := e.open(1)
	f, _ := e.join("big", code, "")
	f.sendRaw(`{"type":"rename","name":"` + strings.Repeat("x", proto.MaxMessage) + `"}`)
	if got := f.closed(); got != websocket.StatusMessageTooBig {
		t.Errorf("closed with %d, want 1009", got)
	}
	// The WebSocket library sends the 1009 itself as its read fails; the server
	// counts the refusal as that read returns, so the page may see the close first.
	tooBig := func() int64 { return e.svc.Metrics().Refused[proto.ReasonTooBig].Load() }
	eventually(t, "the oversize message counted", func() bool { return tooBig() > 0 })
	if n := tooBig(); n != 1 {
		t.Errorf("counted %d times, want once", n)
	}
}

// The WebSocket takes pages of this site, sites that may frame it, and
// sandboxed frames (an opaque origin); a foreign origin gets 403.
func TestOrigins(t *testing.T) {
	e := newEnv(t, func(o *live.Options) {
		o.FrameAncestors = []string{"https://lms.example.edu", "https://*.school.example"}
		o.BaseURL = "https://diagram.example.org/diagram/"
	})
	for _, o := range []string{"", e.url, "null", "https://lms.example.edu", "https://moodle.school.example", "https://diagram.example.org"} {
		c, err := e.tryDial(o)
		if err != nil {
			t.Errorf("origin %q refused: %v", o, err)
			continue
		}
		c.c.CloseNow()
	}
	for _, o := range []string{"https://evil.example", "http://lms.example.edu", "https://school.example.evil", "https://lms.example.edu.evil", "file://", "nonsense"} {
		c, err := e.tryDial(o)
		if err == nil {
			c.c.CloseNow()
			t.Errorf("origin %q accepted", o)
			continue
		}
		if c.resp == nil || c.resp.StatusCode != http.StatusForbidden {
			t.Errorf("origin %q: %v, want 403", o, err)
		}
	}
	if n := e.metrics().Origin; n != 6 {
		t.Errorf("%d refused origins counted, want 6", n)
	}
	none := newEnv(t, func(o *live.Options) { o.FrameAncestors = []string{"'none'"} })
	if c, err := none.tryDial("null"); err == nil {
		c.c.CloseNow()
		t.Error("a sandboxed frame may connect although framing is refused")
	}
}

// Nothing a live session does sets a cookie or puts a member's name, the room's
// code or the presenter's secret in the access log.
func TestNoCookiesNothingInLogs(t *testing.T) {
	e := newEnv(t, nil)
	p, code, secret := e.open(1)
	f, s := e.join("ada", code, "Ada Lovelace")
	f.send(proto.Rename{Type: proto.TypeRename, Name: "Grace Hopper"})
	p.expect("joined")
	p.expect("renamed")
	p.c.CloseNow()
	p2 := e.dial("reload")
	p2.send(proto.Present{Type: proto.TypePresent, Code: code, Secret: secret})
	p2.expect("snapshot")

	responses := []*http.Response{p.resp, f.resp, p2.resp}
	for _, path := range []string{"/?join=" + code, "/live/info", "/live/metrics", "/live/ws", "/live/nothing"} {
		resp, err := http.Get(e.url + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		responses = append(responses, resp)
	}
	if c, err := e.tryDial("https://evil.example"); err == nil {
		c.c.CloseNow()
	} else {
		responses = append(responses, c.resp)
	}
	for _, r := range responses {
		if r == nil {
			t.Fatal("a response is missing")
		}
		if v := r.Header.Values("Set-Cookie"); len(v) > 0 {
			t.Errorf("%s %s sets a cookie: %q", r.Request.URL.Path, r.Status, v)
		}
	}
	p2.send(proto.End{Type: proto.TypeEnd})
	p2.expect("ended", "step")
	log := e.log.String()
	if !strings.Contains(log, "path=/live/ws") || !strings.Contains(log, "status=101") {
		t.Fatalf("the access log lacks the WebSocket's requests:\n%s", log)
	}
	for _, secretish := range []string{"Ada", "Lovelace", "Grace", "Hopper", code, strings.ToLower(code), secret, s.You.ID, s.You.Token} {
		if strings.Contains(log, secretish) {
			t.Errorf("the access log holds %q:\n%s", secretish, log)
		}
	}
}

// /live/info tells a page that a live server is here; without the service the
// path is not found, as on a static host.
func TestInfo(t *testing.T) {
	e := newEnv(t, nil)
	resp, err := http.Get(e.url + "/live/info")
	if err != nil {
		t.Fatal(err)
	}
	var info live.Info
	json.NewDecoder(resp.Body).Decode(&info)
	resp.Body.Close()
	if resp.StatusCode != 200 || info.V != proto.Version || info.WS != "live/ws" || info.Steps != 6 || info.MaxMembers != 200 ||
		resp.Header.Get("Access-Control-Allow-Origin") != "*" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("/live/info: %s %+v %v", resp.Status, info, resp.Header)
	}
	resp, err = http.Get(e.url + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("/healthz: %v %v", resp.Status, err)
	}
	resp.Body.Close()
	// A server that cannot reach NATS says so, so that a load balancer sends new
	// pages elsewhere.
	e.svc.Engine().Conn().Close()
	resp, err = http.Get(e.url + "/healthz")
	if err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/healthz without NATS: %v %v", resp.Status, err)
	}
	resp.Body.Close()
}

// A message that arrives from a page, whatever its bytes: nothing panics, the
// connection answers the next ping or ends with a close code of the table, and
// a follower changes nothing in the room.
func FuzzLiveMessage(f *testing.F) {
	for _, s := range []string{
		`{"type":"step","step":3,"presenting":true}`, `{"type":"ping","t":1}`, `{"type":"pulse"}`,
		`{"type":"rename","name":"\u202eevil"}`, `{"type":"leave"}`, `{"type":"end"}`, `{"type":"remove","id":"m1"}`,
		`{"type":"joining","open":false}`, `{"type":"join","code":"K7QX2M"}`, `{"type":"open","step":1}`,
		`{"type":"present","code":"K7QX2M","secret":"q1tWcD3dZ9mB0nV5xR2sAg"}`, `{}`, `[]`, `null`, "\x00\xff",
		`{"type":"step","step":1e400}`, `{"type":"rename","name":"` + strings.Repeat("é", 300) + `"}`,
	} {
		f.Add([]byte(s))
	}
	e := newEnv(f, func(o *live.Options) {
		o.MessageRate, o.MessageBurst, o.PulseRate, o.PulseBurst, o.MaxMembers = 1e6, 1e6, 1e6, 1e6, 10000
	})
	p, code, _ := e.open(2)
	f.Fuzz(func(t *testing.T, b []byte) {
		e.t, p.t = t, t
		c, _ := e.join("fuzz", code, "")
		p.expect("joined", "left", "renamed", "pulse")
		// The input may end the connection (leave, a size over the limit):
		// then the writes fail and the close status says why.
		c.c.Write(context.Background(), websocket.MessageText, b)
		c.c.Write(context.Background(), websocket.MessageText, []byte(`{"type":"ping","t":7}`))
		for {
			m, ok := <-c.in
			if !ok {
				st := c.closeStatus()
				if _, known := proto.ReasonForClose(int(st)); !known {
					t.Fatalf("closed with %d, not in the table", st)
				}
				break
			}
			if m.Type == "pong" && m.T == 7 {
				break
			}
		}
		c.c.Write(context.Background(), websocket.MessageText, []byte(`{"type":"leave"}`))
		c.c.CloseNow()
		// The presenter saw no change of the room, whatever the follower sent.
		p.send(proto.Ping{Type: proto.TypePing, T: 8})
		for {
			m := p.next()
			if m.Type == "step" || m.Type == "joining" || m.Type == "ended" || m.Type == "error" {
				t.Fatalf("a follower's %q changed the room: %s", b, m.raw)
			}
			if m.Type == "pong" && m.T == 8 {
				break
			}
		}
	})
}
