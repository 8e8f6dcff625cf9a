package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/coder/websocket"

	"github.com/connectedlearning/diagram/server/internal/live/proto"
)

// The live classroom's fan-out, side by side with peers: one presenter and N
// followers of one room (one channel), Go WebSocket clients in this process,
// loopback only, every system given the same clients' work:
//
//   - ours, one server with its embedded NATS;
//   - ours, two servers on a three-node NATS cluster (R3, file storage, as
//     the README deploys it), the followers alternating between them;
//   - Centrifugo v6.9.1 (built from the module proxy), its own broadcast: the
//     presenter publishes to a channel its followers subscribed to;
//   - socket.io 4.8.4 (npm) on Node.js, the presenter's event broadcast to a
//     room (what reveal.js's multiplex does).
//
// Runs are interleaved (run i of every system before run i+1 of any), each on
// fresh server processes, so that the machine's load falls on all alike.
var liveNs []int

var (
	liveN       = flag.String("live-n", "200,2000", "numbers of followers of the live fan-out rows")
	liveSystems = flag.String("live-systems", "", "for profiling: only these live systems (comma-separated: ours1,ours2,centrifugo,socketio); the rows need all four")
)

const (
	livePace = 100 * time.Millisecond // between steps: a fast clicker, under the presenter's rate limit
	// liveJoiners is how many followers connect at once while a room fills.
	liveJoiners = 50
)

// liveSteps per run: enough receipts for a p99 and for CPU counted in clock
// ticks.
func liveSteps(n int) int {
	if n >= 1000 {
		return 40
	}
	return 100
}

// system is one server under test, started fresh for a run.
type system struct {
	name  string
	start func(b *bench) *sysRun
}

// sysRun is a started system: its processes (whose memory and CPU are the
// system's), how its presenter and followers connect, and how to stop it.
type sysRun struct {
	memPids []int // processes whose RSS growth is memory per connection
	cpuPids []int // processes whose CPU counts per delivered message
	// presenter connects the presenter; send sends step n (a change each).
	presenter func(ctx context.Context) (send func(n int) error, err error)
	// follower i connects, waits until it follows the room, then calls onStep
	// for every step it receives (in its reader goroutine) until the end.
	follower func(ctx context.Context, i int, onStep func()) (ended <-chan struct{}, err error)
	stop     func()
}

type liveResult struct {
	p50, p99, max float64 // ms
	perConn       float64 // bytes
	cpuPerMsg     float64 // µs of CPU per delivered message
	dropped       int     // receipts missing, and connections that ended early
}

func (b *bench) liveRows() []Row {
	if b.tmp == "" {
		var err error
		if b.tmp, err = os.MkdirTemp("", "diagram-bench-"); err != nil {
			log.Fatal(err)
		}
	}
	liveNs = nil
	for _, f := range strings.Split(*liveN, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 10000 {
			log.Fatalf("-live-n: %q is not a number of followers (1 to 10000)", f)
		}
		liveNs = append(liveNs, n)
	}
	raiseFileLimit()
	bin := filepath.Join(b.tmp, "server-live")
	b.gobuild(bin, "./server")
	site := filepath.Join(b.tmp, "live-site")
	os.MkdirAll(site, 0o755)
	// The smallest site with a live classroom: what is measured is the WebSocket
	// fan-out, not the pages.
	// The steps reach the server through the page's manifest, as the build writes it.
	os.WriteFile(filepath.Join(site, "index.html"), []byte(`<!doctype html><title>bench</title><script type="application/json" id="manifest">{"version":"bench","steps":6}</script>`), 0o644)
	os.WriteFile(filepath.Join(site, "site.json"), []byte(`{"title":"bench"}`), 0o644)

	cluster := b.natsCluster()
	systems := []system{
		{"ours, 1 server", func(b *bench) *sysRun { return b.oursLive(bin, site, nil) }},
		{"ours, 2 servers + NATS cluster", func(b *bench) *sysRun { return b.oursLive(bin, site, cluster) }},
		{"Centrifugo 6.9.1", b.centrifugo()},
		{"socket.io 4.8.4", b.socketio()},
	}
	if *liveSystems != "" {
		keys := []string{"ours1", "ours2", "centrifugo", "socketio"}
		var some []system
		for i, s := range systems {
			if strings.Contains(","+*liveSystems+",", ","+keys[i]+",") {
				some = append(some, s)
			}
		}
		for _, n := range liveNs {
			for i := 0; i < b.runs; i++ {
				for _, s := range some {
					r := b.liveRun(s, n)
					log.Printf("live: %s, %d followers: p50 %.2f ms, p99 %.2f ms, max %.1f ms, %.1f KB per connection, %.1f µs CPU per message, %d missing",
						s.name, n, r.p50, r.p99, r.max, r.perConn/1024, r.cpuPerMsg, r.dropped)
				}
			}
		}
		return nil
	}
	var rows []Row
	for _, n := range liveNs {
		res := make([][]liveResult, len(systems))
		for i := 0; i < b.runs; i++ {
			for j, s := range systems {
				log.Printf("live fan-out: %s, %d followers, run %d of %d", s.name, n, i+1, b.runs)
				res[j] = append(res[j], b.liveRun(s, n))
			}
		}
		rows = append(rows, liveTable(n, systems, res)...)
	}
	return rows
}

// liveTable makes the rows of one N: ours against Centrifugo (p99, memory)
// and socket.io (p99), with every system's figures and spread in the notes.
func liveTable(n int, systems []system, res [][]liveResult) []Row {
	type sum struct {
		p50, p99, max, mem, cpu float64
		dropped                 int
		note                    string
	}
	sums := make([]sum, len(systems))
	for j, rs := range res {
		var p50s, p99s, maxs, mems, cpus []float64
		s := &sums[j]
		for _, r := range rs {
			p50s, p99s, maxs = append(p50s, r.p50), append(p99s, r.p99), append(maxs, r.max)
			mems, cpus = append(mems, r.perConn), append(cpus, r.cpuPerMsg)
			s.dropped += r.dropped
		}
		s.p50, s.p99, s.max, s.mem, s.cpu = median(p50s), median(p99s), median(maxs), median(mems), median(cpus)
		s.note = fmt.Sprintf("%s: p50 %.2f ms (%s), p99 %.2f ms (%s), max %.1f ms (%s), memory per connection %.1f KB (%s), CPU %.1f µs per delivered message (%s), %d receipts or connections missing",
			systems[j].name, s.p50, spreadOf(p50s), s.p99, spreadOf(p99s), s.max, spreadOf(maxs), s.mem/1024, spreadOf(divide(mems, 1024)), s.cpu, spreadOf(cpus), s.dropped)
	}
	one, two, cent, sio := sums[0], sums[1], sums[2], sums[3]
	var notes []string
	for _, s := range sums {
		notes = append(notes, s.note)
	}
	note := fmt.Sprintf("%d followers, %d steps a run; medians over runs (spread min-max): ", n, liveSteps(n)) + strings.Join(notes, "; ")
	name := func(what string) string { return fmt.Sprintf("Live fan-out to %d followers: %s", n, what) }
	return []Row{
		{Name: name("p99, 1 server"), Unit: "msf", Baseline: "Centrifugo", Base: cent.p99, Value: one.p99, Ratio: one.p99 / cent.p99, Target: "≤ 1.0", Pass: one.p99 <= cent.p99 && one.dropped == 0},
		{Name: name("p99, 2 servers + cluster"), Unit: "msf", Baseline: "Centrifugo", Base: cent.p99, Value: two.p99, Ratio: two.p99 / cent.p99, Target: "≤ 1.0", Pass: two.p99 <= cent.p99 && two.dropped == 0},
		{Name: name("p99, 1 server"), Unit: "msf", Baseline: "socket.io", Base: sio.p99, Value: one.p99, Ratio: one.p99 / sio.p99, Target: "≤ 0.5", Pass: one.p99 <= sio.p99/2 && one.dropped == 0},
		{Name: name("p50, 1 server"), Unit: "msf", Baseline: "Centrifugo", Base: cent.p50, Value: one.p50, Ratio: one.p50 / cent.p50, Target: "(shown)", Pass: true},
		{Name: name("memory per connection, 1 server"), Unit: "bytes", Baseline: "Centrifugo", Base: cent.mem, Value: one.mem, Ratio: one.mem / cent.mem, Target: "≤ 1.0", Pass: one.mem <= cent.mem},
		{Name: name("CPU per delivered message, 1 server"), Unit: "µs", Baseline: "Centrifugo", Base: cent.cpu, Value: one.cpu, Ratio: one.cpu / cent.cpu, Target: "(shown)", Pass: true},
		{Name: name("connections dropped, every system of ours"), Unit: "", Baseline: "none", Base: 0, Value: float64(one.dropped + two.dropped), Ratio: 0, Target: "0", Pass: one.dropped+two.dropped == 0, Note: note},
	}
}

func spreadOf(xs []float64) string {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return fmt.Sprintf("%.2f-%.2f", s[0], s[len(s)-1])
}

func divide(xs []float64, d float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x / d
	}
	return out
}

// raiseFileLimit lifts the soft limit on open files to the hard one: 2,000
// followers are 2,000 sockets here and as many in the server (and the servers
// started from here inherit the limit).
func raiseFileLimit() {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		log.Fatal(err)
	}
	if l.Cur < l.Max {
		l.Cur = l.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
			log.Fatal(err)
		}
	}
	if l.Cur < 3*uint64(liveNs[len(liveNs)-1])+1000 {
		log.Fatalf("open files: a hard limit of %d is too low for %d followers (raise it: ulimit -Hn)", l.Max, liveNs[len(liveNs)-1])
	}
}

// liveRun measures one run of s with n followers.
func (b *bench) liveRun(s system, n int) liveResult {
	sr := s.start(b)
	defer sr.stop()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	send, err := sr.presenter(ctx)
	if err != nil {
		log.Fatalf("live: %s: the presenter: %v", s.name, err)
	}
	time.Sleep(500 * time.Millisecond) // let the server settle before the baseline
	before := rss(sr.memPids)

	steps := liveSteps(n)
	var mu sync.Mutex
	received := make([][]time.Time, steps)
	for i := range received {
		received[i] = make([]time.Time, 0, n)
	}
	counts := make(chan struct{}, n*steps)
	var ended []<-chan struct{}
	var endedMu sync.Mutex
	sem := make(chan struct{}, liveJoiners)
	var wg sync.WaitGroup
	var joinErr atomic.Value
	for i := 0; i < n; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			k := 0
			done, err := sr.follower(ctx, i, func() {
				now := time.Now()
				mu.Lock()
				if k < steps {
					received[k] = append(received[k], now)
				}
				mu.Unlock()
				k++
				counts <- struct{}{}
			})
			if err != nil {
				joinErr.Store(err)
				return
			}
			endedMu.Lock()
			ended = append(ended, done)
			endedMu.Unlock()
		}()
	}
	wg.Wait()
	if err, _ := joinErr.Load().(error); err != nil {
		log.Fatalf("live: %s: a follower: %v", s.name, err)
	}
	time.Sleep(2 * time.Second) // the joins' own traffic (rosters) done before the steps

	cpu0 := cpuTicks(sr.cpuPids)
	var lat []float64
	dropped := 0
	for st := 0; st < steps; st++ {
		sent := time.Now()
		if err := send(st); err != nil {
			log.Fatalf("live: %s: step: %v", s.name, err)
		}
		deadline := time.After(5 * time.Second)
		got := 0
	wait:
		for got < n {
			select {
			case <-counts:
				got++
			case <-deadline:
				break wait
			}
		}
		if got < n {
			log.Printf("live: %s: step %d: %d of %d receipts", s.name, st, got, n)
		}
		dropped += n - got
		mu.Lock()
		for _, t := range received[st] {
			lat = append(lat, float64(t.Sub(sent).Microseconds())/1000)
		}
		mu.Unlock()
		time.Sleep(livePace)
	}
	cpu1 := cpuTicks(sr.cpuPids)
	for _, e := range ended {
		select {
		case <-e:
			dropped++ // a connection that ended during the run
		default:
		}
	}
	// Memory once the joins' garbage is collected and returned: what the
	// connections keep, with the collector's usual headroom.
	time.Sleep(2 * time.Second)
	after := rss(sr.memPids)
	sort.Float64s(lat)
	q := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return lat[int(p*float64(len(lat)-1))]
	}
	delivered := float64(len(lat))
	return liveResult{p50: q(0.5), p99: q(0.99), max: q(1), perConn: float64(after-before) / float64(n),
		cpuPerMsg: float64(cpu1-cpu0) * 1e6 / clockTicks / max(delivered, 1), dropped: dropped}
}

// --- Ours ---

// natsCluster starts three nats-server processes (built from the module
// version go.mod pins), clustered with JetStream, for the whole live bench;
// it returns their client URLs and pids.
type natsNodes struct {
	urls []string
	pids []int
}

func (b *bench) natsCluster() *natsNodes {
	bin := filepath.Join(b.tmp, "nats-server")
	b.gobuild(bin, "github.com/nats-io/nats-server/v2")
	key := make([]byte, 32)
	rand.Read(key)
	ports := make([][3]int, 3)
	var routes []string
	for i := range ports {
		ports[i] = [3]int{freePort(), freePort(), freePort()}
		routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", ports[i][1]))
	}
	nn := &natsNodes{}
	for i, p := range ports {
		conf := filepath.Join(b.tmp, fmt.Sprintf("nats%d.conf", i+1))
		os.WriteFile(conf, []byte(fmt.Sprintf(`server_name: n%d
listen: 127.0.0.1:%d
http: 127.0.0.1:%d
jetstream { store_dir: %q, max_memory_store: 256MB, max_file_store: 1GB, cipher: chachapoly, key: %q }
cluster { name: bench, listen: 127.0.0.1:%d, routes: [%s] }
`, i+1, p[0], p[2], filepath.Join(b.tmp, fmt.Sprintf("nats%d", i+1)), fmt.Sprintf("%x", key), p[1], strings.Join(routes, ", "))), 0o600)
		cmd := b.start(bin, "-c", conf)
		nn.pids = append(nn.pids, cmd.Process.Pid)
		nn.urls = append(nn.urls, fmt.Sprintf("nats://127.0.0.1:%d", p[0]))
	}
	for _, p := range ports {
		waitHTTP(fmt.Sprintf("http://127.0.0.1:%d/healthz", p[2]))
	}
	return nn
}

// oursLive starts one server on its embedded NATS (cluster nil), or two on the
// cluster, followers alternating between them.
func (b *bench) oursLive(bin, site string, cluster *natsNodes) *sysRun {
	var cmds []*exec.Cmd
	var addrs []string
	count := 1
	args := []string{"-dir", site, "-access-log=false", "-live-max-members", "10000"}
	if cluster != nil {
		count = 2
		args = append(args, "-nats", strings.Join(cluster.urls, ","), "-nats-replicas", "3", "-nats-storage", "file")
	}
	for i := 0; i < count; i++ {
		addr := fmt.Sprintf("127.0.0.1:%d", freePort())
		cmds = append(cmds, b.start(bin, append([]string{"-addr", addr}, args...)...))
		addrs = append(addrs, addr)
	}
	for _, a := range addrs {
		waitHTTP("http://" + a + "/healthz")
	}
	sr := &sysRun{stop: func() { b.stopAll(cmds) }}
	for _, c := range cmds {
		sr.memPids = append(sr.memPids, c.Process.Pid)
	}
	sr.cpuPids = sr.memPids
	if cluster != nil {
		sr.cpuPids = append(append([]int(nil), sr.memPids...), cluster.pids...)
	}
	var code string
	sr.presenter = func(ctx context.Context) (func(int) error, error) {
		p, err := wsDial(ctx, "ws://"+addrs[0]+"/live/ws")
		if err != nil {
			return nil, err
		}
		if err := p.Write(ctx, websocket.MessageText, proto.Encode(proto.Open{Type: proto.TypeOpen, Step: 1, Presenting: true})); err != nil {
			return nil, err
		}
		var m struct{ Type, Code string }
		for m.Type != "snapshot" {
			_, data, err := p.Read(ctx)
			if err != nil {
				return nil, err
			}
			json.Unmarshal(data, &m)
			if m.Type == "opened" {
				code = m.Code
			}
		}
		go drain(ctx, p)
		return func(n int) error {
			return p.Write(ctx, websocket.MessageText, proto.Encode(proto.GoTo{Type: proto.TypeStep, Step: 2 + n%5, Presenting: true}))
		}, nil
	}
	sr.follower = func(ctx context.Context, i int, onStep func()) (<-chan struct{}, error) {
		f, err := wsDial(ctx, "ws://"+addrs[i%len(addrs)]+"/live/ws")
		if err != nil {
			return nil, err
		}
		if err := f.Write(ctx, websocket.MessageText, proto.Encode(proto.Join{Type: proto.TypeJoin, Code: code})); err != nil {
			return nil, err
		}
		for {
			_, data, err := f.Read(ctx)
			if err != nil {
				return nil, fmt.Errorf("joining: %v", err)
			}
			if bytes.Contains(data, []byte(`"type":"snapshot"`)) {
				break
			}
		}
		return reader(ctx, f, func(data []byte) bool { return bytes.HasPrefix(data, []byte(`{"type":"step"`)) }, nil, onStep), nil
	}
	return sr
}

// --- Centrifugo ---

// centrifugo builds Centrifugo v6.9.1 with go install from the module proxy
// (once, into .cache/bench), and runs it with a memory broker, anonymous
// clients allowed to subscribe and publish, on loopback.
func (b *bench) centrifugo() func(*bench) *sysRun {
	dir := filepath.Join(b.root, ".cache", "bench")
	bin := filepath.Join(dir, "centrifugo")
	if _, err := os.Stat(bin); err != nil {
		log.Printf("building Centrifugo v6.9.1 from the module proxy (the first time takes ten minutes)")
		cmd := exec.Command("go", "install", "github.com/centrifugal/centrifugo/v6@v6.9.1")
		cmd.Dir = os.TempDir() // outside this module
		cmd.Env = append(os.Environ(), "GOBIN="+dir, "GOFLAGS=")
		if out, err := cmd.CombinedOutput(); err != nil {
			log.Fatalf("go install centrifugo: %v\n%s", err, out)
		}
	}
	return func(b *bench) *sysRun {
		port := freePort()
		conf := filepath.Join(b.tmp, "centrifugo.json")
		os.WriteFile(conf, []byte(fmt.Sprintf(`{
  "http_server": {"address": "127.0.0.1", "port": %d},
  "log": {"level": "error"},
  "usage_stats": {"disabled": true},
  "health": {"enabled": true},
  "client": {"allow_anonymous_connect_without_token": true, "allowed_origins": ["*"]},
  "channel": {"without_namespace": {"allow_subscribe_for_anonymous": true, "allow_subscribe_for_client": true,
    "allow_publish_for_anonymous": true, "allow_publish_for_client": true}}
}`, port)), 0o644)
		cmd := b.start(bin, "--config", conf)
		waitHTTP(fmt.Sprintf("http://127.0.0.1:%d/health", port))
		url := fmt.Sprintf("ws://127.0.0.1:%d/connection/websocket", port)
		pid := cmd.Process.Pid
		sr := &sysRun{memPids: []int{pid}, cpuPids: []int{pid}, stop: func() { b.stopAll([]*exec.Cmd{cmd}) }}
		// Its JSON protocol: commands with ids, replies with the same id,
		// pushes without; an empty object is a ping, answered by one.
		connect := func(ctx context.Context, subscribe bool) (*websocket.Conn, error) {
			c, err := wsDial(ctx, url)
			if err != nil {
				return nil, err
			}
			cmds := `{"id":1,"connect":{}}`
			if subscribe {
				cmds += "\n" + `{"id":2,"subscribe":{"channel":"room"}}`
			}
			if err := c.Write(ctx, websocket.MessageText, []byte(cmds)); err != nil {
				return nil, err
			}
			want := 1
			if subscribe {
				want = 2
			}
			for got := 0; got < want; {
				_, data, err := c.Read(ctx)
				if err != nil {
					return nil, err
				}
				for _, l := range bytes.Split(data, []byte("\n")) {
					if bytes.Contains(l, []byte(`"error"`)) {
						return nil, fmt.Errorf("centrifugo: %s", l)
					}
					if bytes.HasPrefix(l, []byte(`{"id":`)) {
						got++
					}
				}
			}
			return c, nil
		}
		sr.presenter = func(ctx context.Context) (func(int) error, error) {
			p, err := connect(ctx, false)
			if err != nil {
				return nil, err
			}
			go reader(ctx, p, func([]byte) bool { return false }, []byte("{}"), nil)
			id := 10
			return func(n int) error {
				id++
				return p.Write(ctx, websocket.MessageText, []byte(fmt.Sprintf(`{"id":%d,"publish":{"channel":"room","data":{"type":"step","seq":%d,"step":%d,"presenting":true}}}`, id, n+2, 2+n%5)))
			}, nil
		}
		sr.follower = func(ctx context.Context, i int, onStep func()) (<-chan struct{}, error) {
			f, err := connect(ctx, true)
			if err != nil {
				return nil, err
			}
			return reader(ctx, f, func(data []byte) bool { return bytes.Contains(data, []byte(`"push":{"channel":"room","pub"`)) }, []byte("{}"), onStep), nil
		}
		return sr
	}
}

// --- socket.io ---

// socketio installs socket.io 4.8.4 with npm into .cache/bench (never
// committed) and runs it on Node.js: every connection joins one room, and a
// presenter's "step" is broadcast to the room, as reveal.js's multiplex does.
func (b *bench) socketio() func(*bench) *sysRun {
	dir := filepath.Join(b.root, ".cache", "bench", "socketio")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "socket.io", "package.json")); err != nil {
		log.Printf("installing socket.io 4.8.4 with npm into %s", dir)
		os.MkdirAll(dir, 0o755)
		cmd := exec.Command("npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", dir, "socket.io@4.8.4")
		if out, err := cmd.CombinedOutput(); err != nil {
			log.Fatalf("npm install socket.io: %v\n%s", err, out)
		}
	}
	script := filepath.Join(dir, "server.js")
	os.WriteFile(script, []byte(`const { Server } = require('socket.io');
const port = Number(process.argv[2]);
const io = new Server(port, { serveClient: false, transports: ['websocket'], perMessageDeflate: false });
io.on('connection', (s) => {
  s.join('room');
  s.on('step', (d) => s.to('room').emit('step', d));
});
`), 0o644)
	return func(b *bench) *sysRun {
		port := freePort()
		cmd := b.start("node", script, strconv.Itoa(port))
		waitPort(fmt.Sprintf("127.0.0.1:%d", port))
		url := fmt.Sprintf("ws://127.0.0.1:%d/socket.io/?EIO=4&transport=websocket", port)
		pid := cmd.Process.Pid
		sr := &sysRun{memPids: []int{pid}, cpuPids: []int{pid}, stop: func() { b.stopAll([]*exec.Cmd{cmd}) }}
		// engine.io v4: "0{...}" opens, "40" connects to the namespace and is
		// answered "40{...}"; "42[...]" is an event; the server pings "2",
		// the client answers "3".
		connect := func(ctx context.Context) (*websocket.Conn, error) {
			c, err := wsDial(ctx, url)
			if err != nil {
				return nil, err
			}
			if _, data, err := c.Read(ctx); err != nil || data[0] != '0' {
				return nil, fmt.Errorf("socket.io open: %q %v", data, err)
			}
			if err := c.Write(ctx, websocket.MessageText, []byte("40")); err != nil {
				return nil, err
			}
			if _, data, err := c.Read(ctx); err != nil || !bytes.HasPrefix(data, []byte("40")) {
				return nil, fmt.Errorf("socket.io connect: %q %v", data, err)
			}
			return c, nil
		}
		sr.presenter = func(ctx context.Context) (func(int) error, error) {
			p, err := connect(ctx)
			if err != nil {
				return nil, err
			}
			go reader(ctx, p, func([]byte) bool { return false }, nil, nil)
			return func(n int) error {
				return p.Write(ctx, websocket.MessageText, []byte(fmt.Sprintf(`42["step",{"type":"step","seq":%d,"step":%d,"presenting":true}]`, n+2, 2+n%5)))
			}, nil
		}
		sr.follower = func(ctx context.Context, i int, onStep func()) (<-chan struct{}, error) {
			f, err := connect(ctx)
			if err != nil {
				return nil, err
			}
			return reader(ctx, f, func(data []byte) bool { return bytes.HasPrefix(data, []byte(`42["step"`)) }, nil, onStep), nil
		}
		return sr
	}
}

// --- Shared ---

func wsDial(ctx context.Context, url string) (*websocket.Conn, error) {
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(dctx, url, nil)
	if err != nil {
		return nil, err
	}
	c.SetReadLimit(4 << 20)
	return c, nil
}

func drain(ctx context.Context, c *websocket.Conn) {
	for {
		if _, _, err := c.Read(ctx); err != nil {
			return
		}
	}
}

// reader reads c until it ends (closing the channel it returns): a message
// isStep counts as a step received; a ping of the protocol's own is answered
// (Centrifugo: "{}" with "{}"; engine.io: "2" with "3").
func reader(ctx context.Context, c *websocket.Conn, isStep func([]byte) bool, pong []byte, onStep func()) <-chan struct{} {
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		for {
			_, data, err := c.Read(ctx)
			if err != nil {
				return
			}
			switch {
			case isStep(data):
				if onStep != nil {
					onStep()
				}
			case pong != nil && bytes.Equal(data, pong):
				c.Write(ctx, websocket.MessageText, pong)
			case len(data) == 1 && data[0] == '2': // engine.io ping
				c.Write(ctx, websocket.MessageText, []byte("3"))
			}
		}
	}()
	return ended
}

func (b *bench) stopAll(cmds []*exec.Cmd) {
	for _, c := range cmds {
		stop(c)
		for i, p := range b.procs {
			if p == c {
				b.procs = append(b.procs[:i], b.procs[i+1:]...)
				break
			}
		}
	}
}

// waitHTTP waits until url answers 200 (a minute at most).
func waitHTTP(url string) {
	c := http.Client{Timeout: 5 * time.Second}
	for i := 0; i < 600; i++ {
		if resp, err := c.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	log.Fatalf("%s never answered", url)
}

// rss is the resident memory of the processes, in bytes.
func rss(pids []int) int64 {
	var sum int64
	for _, pid := range pids {
		sum += rssOf(pid)
	}
	return sum
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

// clockTicks is the kernel's USER_HZ, the unit of /proc/PID/stat's times.
const clockTicks = 100

// cpuTicks is the user and system CPU time of the processes, in clock ticks.
func cpuTicks(pids []int) int64 {
	var sum int64
	for _, pid := range pids {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			log.Fatal(err)
		}
		// After the command's name in parentheses: state is field 3, utime
		// and stime fields 14 and 15.
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		sum += u + s
	}
	return sum
}
