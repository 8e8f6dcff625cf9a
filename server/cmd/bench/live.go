package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/connectedlearning/diagram/server/internal/live/proto"
)

// The live classroom's fan-out: one presenter and liveFollowers followers on one
// server (embedded NATS), Go WebSocket clients in this process, loopback only.
const (
	liveFollowers = 200
	liveSteps     = 40                     // step changes per run
	livePace      = 100 * time.Millisecond // between them: a fast clicker, under the presenter's rate limit
)

// liveRows measures, over b.runs fresh servers: the time from the presenter's
// send of a step to each follower's receipt (p50 and p99 of every receipt of a
// run; medians over runs), and the server's memory per connection (its RSS
// growth from before the followers joined to after the steps, over their
// number).
func (b *bench) liveRows() []Row {
	if b.tmp == "" {
		var err error
		if b.tmp, err = os.MkdirTemp("", "diagram-bench-"); err != nil {
			log.Fatal(err)
		}
	}
	bin := filepath.Join(b.tmp, "server-live")
	b.gobuild(bin, "./server")
	site := filepath.Join(b.tmp, "live-site")
	os.MkdirAll(site, 0o755)
	// The smallest site with a live classroom: what is measured is the WebSocket
	// fan-out, not the pages.
	os.WriteFile(filepath.Join(site, "index.html"), []byte("<!doctype html><title>bench</title>"), 0o644)
	os.WriteFile(filepath.Join(site, "site.json"), []byte(`{"title":"bench","version":"bench","steps":6}`), 0o644)

	var p50s, p99s, maxs, perConn []float64
	dropped := 0
	for i := 0; i < b.runs; i++ {
		log.Printf("live fan-out: run %d of %d (%d followers, %d steps)", i+1, b.runs, liveFollowers, liveSteps)
		r := b.liveRun(bin, site)
		p50s, p99s, maxs, perConn = append(p50s, r.p50), append(p99s, r.p99), append(maxs, r.max), append(perConn, r.perConn)
		dropped += r.dropped
	}
	p50, p99, mem := median(p50s), median(p99s), median(perConn)
	spread := func(xs []float64) string {
		s := append([]float64(nil), xs...)
		sort.Float64s(s)
		return fmt.Sprintf("%.2f-%.2f", s[0], s[len(s)-1])
	}
	note := fmt.Sprintf("%d followers, %d steps a run, %d runs; p50 over runs %s ms, p99 %s ms, max %s ms; memory per connection %s KB; %d receipts missing",
		liveFollowers, liveSteps, b.runs, spread(p50s), spread(p99s), spread(maxs), spread(divide(perConn, 1024)), dropped)
	return []Row{
		{Name: fmt.Sprintf("Live fan-out to %d followers: p50", liveFollowers), Unit: "msf", Baseline: "budget 50 ms", Base: 50, Value: p50, Ratio: p50 / 50, Target: "< 1", Pass: p50 < 50 && dropped == 0},
		{Name: fmt.Sprintf("Live fan-out to %d followers: p99", liveFollowers), Unit: "msf", Baseline: "budget 100 ms", Base: 100, Value: p99, Ratio: p99 / 100, Target: "< 1", Pass: p99 < 100 && dropped == 0, Note: note},
		{Name: "Live memory per connection (server RSS growth / N)", Unit: "bytes", Baseline: "budget 64 KB", Base: 64 << 10, Value: mem, Ratio: mem / (64 << 10), Target: "< 1", Pass: mem < 64<<10},
	}
}

func divide(xs []float64, d float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x / d
	}
	return out
}

type liveResult struct {
	p50, p99, max float64 // ms
	perConn       float64 // bytes
	dropped       int
}

func (b *bench) liveRun(bin, site string) liveResult {
	port := freePort()
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	srv := b.start(bin, "-addr", addr, "-dir", site, "-access-log=false")
	defer func() {
		stop(srv)
		for i, p := range b.procs {
			if p == srv {
				b.procs = append(b.procs[:i], b.procs[i+1:]...)
				break
			}
		}
	}()
	waitPort(addr)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	url := "ws://" + addr + "/live/ws"

	dial := func(first any) *websocket.Conn {
		c, _, err := websocket.Dial(ctx, url, nil)
		if err != nil {
			log.Fatalf("live: dial: %v", err)
		}
		c.SetReadLimit(1 << 20)
		if err := c.Write(ctx, websocket.MessageText, proto.Encode(first)); err != nil {
			log.Fatalf("live: %v", err)
		}
		return c
	}
	type message struct {
		Type string `json:"type"`
		Code string `json:"code"`
		Step int    `json:"step"`
	}
	readUntil := func(c *websocket.Conn, typ string) message {
		for {
			_, data, err := c.Read(ctx)
			if err != nil {
				log.Fatalf("live: waiting for %s: %v", typ, err)
			}
			var m message
			json.Unmarshal(data, &m)
			if m.Type == typ {
				return m
			}
		}
	}
	p := dial(proto.Open{Type: proto.TypeOpen, Step: 1, Presenting: true})
	defer p.CloseNow()
	code := readUntil(p, "opened").Code
	readUntil(p, "snapshot")
	// The presenter's page reads everything; here its reader just drains.
	go func() {
		for {
			if _, _, err := p.Read(ctx); err != nil {
				return
			}
		}
	}()
	time.Sleep(500 * time.Millisecond) // let the server settle before the baseline
	before := rssOf(srv.Process.Pid)

	// Each follower records when it receives each step.
	var mu sync.Mutex
	received := make([][]time.Time, liveSteps)
	for i := range received {
		received[i] = make([]time.Time, 0, liveFollowers)
	}
	counts := make(chan int, liveFollowers*liveSteps)
	followers := make([]*websocket.Conn, liveFollowers)
	for i := range followers {
		f := dial(proto.Join{Type: proto.TypeJoin, Code: code})
		readUntil(f, "snapshot")
		followers[i] = f
		go func() {
			n := 0
			for {
				_, data, err := f.Read(ctx)
				if err != nil {
					return
				}
				now := time.Now()
				var m message
				json.Unmarshal(data, &m)
				if m.Type != "step" {
					continue
				}
				mu.Lock()
				if n < liveSteps {
					received[n] = append(received[n], now)
				}
				mu.Unlock()
				n++
				counts <- n
			}
		}()
	}
	defer func() {
		for _, f := range followers {
			f.CloseNow()
		}
	}()

	var lat []float64
	dropped := 0
	for s := 0; s < liveSteps; s++ {
		sent := time.Now()
		if err := p.Write(ctx, websocket.MessageText, proto.Encode(proto.GoTo{Type: proto.TypeStep, Step: 2 + s%5, Presenting: true})); err != nil {
			log.Fatalf("live: %v", err)
		}
		deadline := time.After(5 * time.Second)
		got := 0
	wait:
		for got < liveFollowers {
			select {
			case <-counts:
				got++
			case <-deadline:
				break wait
			}
		}
		if got < liveFollowers {
			log.Printf("live: step %d: %d of %d receipts", s, got, liveFollowers)
		}
		dropped += liveFollowers - got
		mu.Lock()
		for _, t := range received[s] {
			lat = append(lat, float64(t.Sub(sent).Microseconds())/1000)
		}
		mu.Unlock()
		time.Sleep(livePace)
	}
	// Memory once the joins' garbage is collected and returned: what the
	// connections keep, with the heap's usual headroom.
	time.Sleep(2 * time.Second)
	after := rssOf(srv.Process.Pid)
	sort.Float64s(lat)
	q := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return lat[int(p*float64(len(lat)-1))]
	}
	return liveResult{p50: q(0.5), p99: q(0.99), max: q(1), perConn: float64(after-before) / liveFollowers, dropped: dropped}
}

// rssOf is a process's resident memory in bytes.
func rssOf(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		log.Fatal(err)
	}
	var kb int64
	for _, l := range strings.Split(string(b), "\n") {
		if _, err := fmt.Sscanf(l, "VmRSS: %d kB", &kb); err == nil {
			return kb * 1024
		}
	}
	log.Fatal("no VmRSS")
	return 0
}
