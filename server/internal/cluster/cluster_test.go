package cluster

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectedlearning/diagram/server/internal/live/liveclient"
)

// A presenter and 50 followers, all through Caddy and spread over both
// servers, follow every step in order with the same roster; a pulse from one
// reaches everyone on both servers; a late joiner on either gets the current
// snapshot; nothing about the students is in any log.
func TestFollowThroughCaddy(t *testing.T) {
	h := newHarness(t)
	p, fols := h.class(50)
	a, b := h.metrics(0).Connections, h.metrics(1).Connections
	t.Logf("connections: %d on A, %d on B", a, b)
	if a+b != 51 || a < 10 || b < 10 {
		t.Fatalf("connections: %d on A and %d on B, want 51 spread over both", a, b)
	}
	steps := []int{2, 3, 4, 5, 6, 5, 4, 3, 2, 1, 6}
	for _, s := range steps {
		p.GoTo(s)
		// The room has it (its event came back) before the next: every step
		// is a revision of its own.
		h.atStep(fmt.Sprintf("the presenter at step %d", s), []*liveclient.Client{p}, s)
	}
	h.atStep("every follower at the last step", fols, 6)
	for i, f := range fols {
		seen := f.Seen()
		var got []int
		for _, x := range seen[1:] {
			got = append(got, x.Step)
		}
		if !seen[0].Snapshot || seen[0].Step != 1 || !slices.Equal(got, steps) {
			t.Errorf("follower %d showed %+v, want the snapshot at 1 then %v", i, seen, steps)
		}
		checkSeen(t, i, f, 6)
	}
	sameMembers(t, p, fols)

	fols[0].Pulse()
	h.waitFor("the pulse on every screen", append(fols, p), func(s liveclient.State) bool { return s.Pulses >= 1 })

	for i := range h.servers {
		late := h.client(liveclient.Config{Code: p.State().Code, Name: "Late Xq7"})
		h.atStep("a late joiner at the current step", []*liveclient.Client{late}, 6)
		if st := late.State(); len(st.Roster) != 51+i || st.Snapshots != 1 {
			t.Errorf("late joiner %d: %d in its roster, %d snapshots", i, len(st.Roster), st.Snapshots)
		}
	}
	if m := h.metrics(0).Connections + h.metrics(1).Connections; m != 53 {
		t.Errorf("%d connections after the late joiners", m)
	}
	h.noStudentsIn(h.logs()...)
}

// Kill -9 one diagram server: its pages come back through Caddy to the other
// within 5 s, at the step the presenter set after the kill. Restart it, then
// SIGTERM the other while it holds everyone: they are told 1012 and move, and
// no step is lost.
func TestServersFailOver(t *testing.T) {
	h := newHarness(t)
	p, fols := h.class(50)
	all := append([]*liveclient.Client{p}, fols...)
	onA := h.metrics(0).Connections
	if onA < 10 || onA > 41 {
		t.Fatalf("%d of 51 connections on A: not spread", onA)
	}

	killed := time.Now()
	h.servers[0].kill()
	for _, s := range []int{2, 3, 4} {
		p.GoTo(s)
	}
	h.atStep("everyone back at the step sent after the kill", all, 4)
	moved := 0
	for i, c := range all {
		st := c.State()
		if st.Drops == 0 {
			continue
		}
		moved++
		if d := st.LastLive.Sub(killed); d > 5*time.Second {
			t.Errorf("client %d was back %v after the kill, want within 5s", i, d.Round(time.Millisecond))
		}
	}
	if moved != int(onA) {
		t.Errorf("%d clients reconnected, but %d were on the killed server", moved, onA)
	}
	if n := h.metrics(1).Connections; n != 51 {
		t.Errorf("%d connections on B, want all 51", n)
	}
	for i, f := range fols {
		checkSeen(t, i, f, 4)
	}
	sameMembers(t, p, fols)

	// Somewhere to go: A again, and Caddy routing to it.
	h.servers[0].start()
	h.eventually("A healthy again", func() bool { return status(h.servers[0].url+"/healthz") == 200 })
	h.routedTo(0)

	exit := make(chan error, 1)
	go func() { exit <- h.servers[1].term() }()
	for _, s := range []int{5, 6} {
		p.GoTo(s)
	}
	h.atStep("everyone on A at the step sent during the shutdown", all, 6)
	if err := <-exit; err != nil {
		t.Errorf("B's exit after SIGTERM: %v, want 0", err)
	}
	for i, c := range all {
		if closes := c.State().LastCloses; !slices.Contains(closes, 1012) {
			t.Errorf("client %d's connections closed with %v, want a 1012", i, closes)
		}
	}
	// The step may reach a page from B while B drains, before B closes it: the
	// pages are all on A only once each has reconnected.
	h.eventually("all 51 connections on A", func() bool { return h.metrics(0).Connections == 51 })
	for i, f := range fols {
		checkSeen(t, i, f, 6)
	}
	sameMembers(t, p, fols)
}

// Kill one NATS node: rooms go on. Restart it: it rejoins, and carries the
// rooms: with another node then killed, the two left still make a quorum.
func TestNATSNodeLost(t *testing.T) {
	h := newHarness(t)
	p, fols := h.class(10)
	all := append([]*liveclient.Client{p}, fols...)

	h.nats[0].kill()
	p.GoTo(2)
	h.atStep("rooms go on without a node", all, 2)
	for _, s := range h.servers {
		h.eventually(s.name+" healthy on two nodes", func() bool { return status(s.url+"/healthz") == 200 })
	}

	h.nats[0].start()
	h.eventually("nats1 rejoined and current", func() bool { return h.natsRejoined(0) })
	h.nats[1].kill()
	p.GoTo(3)
	h.atStep("rooms go on with the rejoined node and one other", all, 3)
	p.GoTo(4)
	h.atStep("and on", all, 4)
	for i, f := range fols {
		checkSeen(t, i, f, 4)
	}
	sameMembers(t, p, fols)
}

// Stop the whole NATS cluster for 10 s: both servers say 503 on /healthz, the
// pages are told (1013) and show "reconnecting"; NATS back, everything resumes
// with the rooms as they were, read from the buckets on disk, which hold
// nothing readable about the students.
func TestNATSClusterStopped(t *testing.T) {
	h := newHarness(t)
	p, fols := h.class(10)
	all := append([]*liveclient.Client{p}, fols...)
	p.GoTo(3)
	h.atStep("everyone at step 3", all, 3)
	before := p.State()

	stopped := time.Now()
	var wg sync.WaitGroup
	for _, n := range h.nats {
		wg.Add(1)
		go func() { defer wg.Done(); n.term() }()
	}
	wg.Wait()
	for _, s := range h.servers {
		h.eventually(s.name+" unhealthy without NATS", func() bool { return status(s.url+"/healthz") == 503 })
	}
	h.waitFor("every page reconnecting", all, func(s liveclient.State) bool { return s.Status == liveclient.Reconnecting })
	time.Sleep(time.Until(stopped.Add(10 * time.Second))) // the outage lasts 10 s
	for _, s := range h.servers {
		if c := status(s.url + "/healthz"); c != 503 {
			t.Errorf("%s: /healthz %d after 10 s without NATS", s.name, c)
		}
	}
	for i, c := range all {
		if st := c.State(); st.Status != liveclient.Reconnecting || !slices.Contains(st.LastCloses, 1013) {
			t.Errorf("client %d after 10 s without NATS: %s, closes %v; want reconnecting after a 1013", i, st.Status, st.LastCloses)
		}
	}

	for _, n := range h.nats {
		n.start()
	}
	for _, s := range h.servers {
		h.eventually(s.name+" healthy again", func() bool { return status(s.url+"/healthz") == 200 })
	}
	h.atStep("everyone back at step 3", all, 3)
	after := p.State()
	if after.Seq < before.Seq || !mapsEqual(after.Roster, before.Roster) {
		t.Errorf("after the outage: seq %d (before %d), roster %v (before %v)", after.Seq, before.Seq, after.Roster, before.Roster)
	}
	p.GoTo(4)
	h.atStep("and on", all, 4)
	for i, f := range fols {
		checkSeen(t, i, f, 4)
	}
	sameMembers(t, p, fols)

	// The buckets are on disk (that is how the rooms came back), encrypted.
	var stored int64
	for _, n := range h.nats {
		filepath.WalkDir(n.store, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.Contains(path, "KV_diagram_rooms") {
				if i, err := d.Info(); err == nil {
					stored += i.Size()
				}
			}
			return nil
		})
	}
	if stored == 0 {
		t.Error("no rooms bucket on disk under the nodes' store directories")
	}
	var files []string
	for _, n := range h.nats {
		filepath.WalkDir(n.store, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files = append(files, path)
			}
			return nil
		})
	}
	h.noStudentsIn(append(files, h.logs()...)...)
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// natsRejoined: node i answers /healthz (JetStream current with the cluster)
// and is routed to both others.
func (h *harness) natsRejoined(i int) bool {
	n := h.nats[i]
	if status(fmt.Sprintf("http://127.0.0.1:%d/healthz", n.mport)) != 200 {
		return false
	}
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/routez", n.mport))
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var rz struct {
		Routes []struct {
			RemoteName string `json:"remote_name"`
		} `json:"routes"`
	}
	json.NewDecoder(resp.Body).Decode(&rz)
	peers := map[string]bool{}
	for _, r := range rz.Routes {
		peers[r.RemoteName] = true
	}
	return len(peers) == 2
}

func (h *harness) logs() []string {
	var out []string
	for _, s := range h.servers {
		out = append(out, s.log)
	}
	return append(out, h.caddy.log)
}

// noStudentsIn checks that no file holds a student's display name.
func (h *harness) noStudentsIn(files ...string) {
	h.t.Helper()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if strings.Contains(string(b), "Xq7") {
			h.t.Errorf("%s holds a student's display name", f)
		}
	}
}
