package live_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/connectedlearning/diagram/server/internal/live"
	"github.com/connectedlearning/diagram/server/internal/live/proto"
)

// twoServers runs two live servers on one NATS server (in this process, no
// port), each with its own connection to it, as two machines would share a
// cluster.
func twoServers(t *testing.T) (*env, *env) {
	ns, err := server.NewServer(&server.Options{DontListen: true, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(wait) {
		t.Fatal("NATS did not start")
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	var envs []*env
	for i := 0; i < 2; i++ {
		nc, err := nats.Connect("", nats.InProcessServer(ns))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(nc.Close)
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		eng, err := live.NewEngine(ctx, nc, live.EngineConfig{Idle: 3 * time.Second, Grace: 3 * time.Second})
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		envs = append(envs, newEnvOn(t, eng, nil))
	}
	return envs[0], envs[1]
}

// A presenter on one server drives followers on another; a late joiner on
// either gets the current step; the presenter can take control back through
// the other server, and the first connection is told.
func TestTwoServersShareRooms(t *testing.T) {
	a, b := twoServers(t)
	p, code, secret := a.open(1)
	fa, _ := a.join("on a", code, "Ada")
	fb, sb := b.join("on b", code, "Bob")
	if len(sb.Roster) != 2 {
		t.Errorf("b's roster: %s", fmtMembers(sb.Roster))
	}
	for _, n := range []int{2, 3, 4} {
		p.send(step(n))
	}
	for _, f := range []*conn{fa, fb} {
		for _, n := range []int{2, 3, 4} {
			if m := f.expect("step", "joined"); m.Step != n {
				t.Fatalf("%s: %s, want step %d", f.name, m.raw, n)
			}
		}
	}
	_, late := b.join("late on b", code, "")
	if late.Room.Step != 4 || late.Room.Members != 3 {
		t.Errorf("late joiner: %s", late.raw)
	}
	fb.send(proto.Pulse{Type: proto.TypePulse})
	if m := p.expect("pulse", "joined", "step"); m.From != sb.You.ID {
		t.Errorf("the presenter on a got %s", m.raw)
	}

	p2 := b.dial("presenter on b")
	p2.send(proto.Present{Type: proto.TypePresent, Code: code, Secret: secret})
	p2.expect("snapshot")
	if m := p.expect("error", "joined", "step"); m.Code != string(proto.ReasonReplaced) {
		t.Errorf("the first presenter: %s", m.raw)
	}
	p2.send(step(6))
	if m := fa.expect("step", "joined", "pulse", "presenter"); m.Step != 6 {
		t.Errorf("%s", m.raw)
	}
	// Ending it through b ends it on a too.
	p2.send(proto.End{Type: proto.TypeEnd})
	if m := fa.expect("ended", "joined", "pulse", "presenter"); m.Reason != proto.EndedByPresenter {
		t.Errorf("%s", m.raw)
	}
}
