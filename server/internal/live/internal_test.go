package live

import (
	"context"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"

	"github.com/connectedlearning/diagram/server/internal/live/proto"
)

// Every generated name, in every language, is a valid display name with room
// for a number after it, and French and Spanish adjectives agree with the animal.
func TestFriendlyNames(t *testing.T) {
	for _, lang := range []string{"en", "fr", "es"} {
		seen := map[string]bool{}
		for a := range adjectives {
			for n := range animals {
				name := compose(lang, a, n)
				if got, ok := proto.NormalizeName(name + " 99"); !ok || got != name+" 99" {
					t.Errorf("%s: %q does not make a display name with a number (%q, %v)", lang, name, got, ok)
				}
				if seen[name] {
					t.Errorf("%s: %q twice", lang, name)
				}
				seen[name] = true
				if r, _ := utf8.DecodeRuneInString(name); strings.ToUpper(string(r)) != string(r) {
					t.Errorf("%s: %q does not start with a capital", lang, name)
				}
			}
		}
	}
	for _, tt := range []struct {
		lang     string
		adj, ani int
		want     string
	}{
		{"en", 0, 0, "Curious Otter"}, {"fr", 0, 0, "Loutre curieuse"}, {"es", 0, 0, "Nutria curiosa"},
		{"fr", 0, 1, "Renard curieux"}, {"es", 0, 1, "Zorro curioso"}, {"es", 0, 3, "Garza curiosa"},
		{"fr", 0, 3, "Héron curieux"}, {"fr", 12, 2, "Chouette vive"}, {"xx", 1, 1, "Brave Fox"},
	} {
		if got := compose(language(tt.lang), tt.adj, tt.ani); got != tt.want {
			t.Errorf("compose(%s, %d, %d) = %q, want %q", tt.lang, tt.adj, tt.ani, got, tt.want)
		}
	}
	if language("fr-CA") != "fr" || language("ES") != "es" || language("de") != "en" || language("") != "en" {
		t.Error("language() does not read a page's lang")
	}
	// Names already taken are avoided; when all are, a number makes one.
	taken := map[string]bool{}
	for i := 0; i < len(adjectives)*len(animals)+5; i++ {
		n := friendlyName("en", func(s string) bool { return taken[s] })
		if taken[n] {
			t.Fatalf("%q given twice", n)
		}
		taken[n] = true
	}
}

// diff turns two revisions into the events a page applies, in order.
func TestDiff(t *testing.T) {
	m := func(id, name string) memberRec { return memberRec{ID: id, Name: name} }
	old := &record{Step: 1, Presenting: true, Presenter: "c1", Max: 200, Members: []memberRec{m("ma", "Ada"), m("mb", "Bob"), m("mc", "Cy")}}
	new := old.clone()
	new.Step, new.Closed, new.Presenter = 2, true, ""
	new.remove("mb", proto.LeftRemoved)
	new.remove("mc", proto.LeftTimeout)
	new.Members[0].Name = "Ada L."
	new.Members = append(new.Members, m("md", "Dee"))
	var got []string
	for _, b := range diff(old, new, 9) {
		got = append(got, string(b))
	}
	want := []string{
		`{"type":"step","seq":9,"step":2,"presenting":true}`,
		`{"type":"joining","seq":9,"open":false}`,
		`{"type":"presenter","seq":9,"online":false}`,
		`{"type":"left","seq":9,"id":"mb","reason":"removed","members":2}`,
		`{"type":"left","seq":9,"id":"mc","reason":"timeout","members":2}`,
		`{"type":"renamed","seq":9,"member":{"id":"ma","name":"Ada L."}}`,
		`{"type":"joined","seq":9,"member":{"id":"md","name":"Dee"},"members":2}`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("diff:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(diff(new, new.clone(), 10)) != 0 {
		t.Error("no change, yet events")
	}
	// A record round-trips, and a clone shares nothing the writer changes.
	r, err := decodeRecord(new.encode(), nil)
	if err != nil || !reflect.DeepEqual(r, new) {
		t.Errorf("round trip: %+v, %v", r, err)
	}
	c := new.clone()
	c.setName(0, "changed", false)
	c.remove("md", proto.LeftLeft)
	if new.Members[0].Name != "Ada L." || len(new.Gone) != 2 {
		t.Error("a clone changed its original")
	}
	// The members' JSON is kept between revisions: a step shares them, and
	// every change of the members is written (none is lost to the cache).
	prev, _ := decodeRecord(new.encode(), nil)
	st := prev.clone()
	st.Step = 5
	stepped, _ := decodeRecord(st.encode(), prev)
	if !sameMembers(stepped, prev) || stepped.Step != 5 {
		t.Errorf("a step's revision decoded its members again, or lost the step: %+v", stepped)
	}
	for name, change := range map[string]func(r *record){
		"rename": func(r *record) { r.setName(1, "Bea", false) },
		"join":   func(r *record) { r.addMember(memberRec{ID: "mz", Name: "Zed", Token: hash("z")}) },
		"remove": func(r *record) { r.remove("ma", proto.LeftLeft) },
	} {
		w := stepped.clone()
		change(w)
		r, _ := decodeRecord(w.encode(), stepped)
		if sameMembers(r, stepped) || !reflect.DeepEqual(r.roster(), w.roster()) {
			t.Errorf("%s: the stored roster is %v, want %v", name, r.roster(), w.roster())
		}
	}
}

// A page that stops reading while messages keep coming fills its queue, and is
// closed (too-slow) instead of holding the room's fan-out.
func TestSlowClientIsCut(t *testing.T) {
	s, err := Start(Options{Config: Config{Enabled: true, MaxRooms: 2, MaxMembers: 10, Idle: time.Minute, Grace: 3 * time.Second},
		Steps: 6, QueueLen: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	srv := newLoopback(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, srv+"/live/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	c.Write(ctx, websocket.MessageText, proto.Encode(proto.Open{Type: proto.TypeOpen, Step: 1}))
	var cl *client
	for cl == nil {
		s.mu.Lock()
		for k := range s.conns {
			if k.role == proto.RolePresenter {
				cl = k
			}
		}
		s.mu.Unlock()
		if ctx.Err() != nil {
			t.Fatal("no connection")
		}
		time.Sleep(10 * time.Millisecond) // polling for the condition
	}
	// The page reads nothing: once the socket's buffers are full, the writer
	// waits, and the queue fills.
	big := []byte(`{"type":"pong","t":0,"pad":"` + strings.Repeat("x", 1<<20) + `"}`)
	for i := 0; i < 256 && !cl.closing(); i++ {
		cl.send(big)
	}
	if !cl.closing() || cl.reason != proto.ReasonTooSlow {
		t.Fatalf("256 MB queued to a page that reads nothing, and it is not cut off (%q)", cl.reason)
	}
	select {
	case <-cl.done:
	case <-ctx.Done():
		t.Fatal("the writer of a cut-off page is still running")
	}
	if n := s.metrics.Refused[proto.ReasonTooSlow].Load(); n < 1 {
		t.Error("not counted")
	}
}

// newLoopback serves s on a loopback port and returns its ws:// address.
func newLoopback(t *testing.T, s *Service) string {
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}
