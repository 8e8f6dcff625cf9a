package cluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/connectedlearning/diagram/server/internal/live"
	"github.com/connectedlearning/diagram/server/internal/live/liveclient"
	"github.com/connectedlearning/diagram/server/internal/live/proto"
)

// wait bounds every wait: generous, for a busy 2-core machine where three NATS
// nodes, two servers, Caddy and the clients share the cores. Nothing waits
// this long when the system behaves.
const wait = 60 * time.Second

// The binaries and the site, built once by TestMain.
var (
	natsBin, serverBin, caddyBin, siteDir string
	noCaddy                               error
)

func TestMain(m *testing.M) {
	os.Exit(func() int {
		raiseFileLimit()
		root, _ := os.Getwd()
		for {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				break
			}
			root = filepath.Dir(root)
		}
		dir, err := os.MkdirTemp("", "diagram-cluster-bin-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		if caddyBin, noCaddy = exec.LookPath("caddy"); noCaddy != nil && os.Getenv("CI") == "true" {
			fmt.Fprintln(os.Stderr, "cluster: Caddy is missing (apt-get install caddy; .ci/run installs it)")
			return 1
		}
		// nats-server from the module version go.mod pins (the module cache,
		// or the module proxy): nothing is downloaded from anywhere else.
		natsBin, serverBin = filepath.Join(dir, "nats-server"), filepath.Join(dir, "diagram-server")
		for _, b := range [][2]string{{natsBin, "github.com/nats-io/nats-server/v2"}, {serverBin, "./server"}} {
			cmd := exec.Command("go", "build", "-o", b[0], b[1])
			cmd.Dir = root
			if out, err := cmd.CombinedOutput(); err != nil {
				fmt.Fprintf(os.Stderr, "cluster: go build %s: %v\n%s", b[1], err, out)
				return 1
			}
		}
		// The smallest site with a live classroom: the tests are about rooms.
		siteDir = filepath.Join(dir, "site")
		os.MkdirAll(siteDir, 0o755)
		// The steps reach the server through the page's manifest, as the build writes it.
		os.WriteFile(filepath.Join(siteDir, "index.html"), []byte(`<!doctype html><title>cluster</title><script type="application/json" id="manifest">{"version":"cluster","steps":6}</script>`), 0o644)
		os.WriteFile(filepath.Join(siteDir, "site.json"), []byte(`{"title":"cluster"}`), 0o644)
		return m.Run()
	}())
}

// raiseFileLimit lifts the soft limit on open files to the hard one: the tests
// and their children (which inherit it) hold hundreds of sockets.
func raiseFileLimit() {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) == nil && l.Cur < l.Max {
		l.Cur = l.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
}

// freePort finds a port to give a process, below the kernel's range of
// ephemeral ports: a port the kernel chose (listening on port 0) can be given
// again, before the process binds it, as the local port of another process's
// outgoing connection, and was: a NATS node's route connection took a port the
// next node was to listen on ("address already in use"), and the cluster never
// formed. A port is handed out once in the package's run.
var (
	portsMu sync.Mutex
	given   = map[int]bool{}
)

func freePort(t *testing.T) int {
	portsMu.Lock()
	defer portsMu.Unlock()
	lo := 32768
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if n, err := strconv.Atoi(f[0]); err == nil && n > 11000 {
				lo = n
			}
		}
	}
	for range 1000 {
		port := 10000 + mrand.IntN(lo-10000)
		if given[port] {
			continue
		}
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue
		}
		l.Close()
		given[port] = true
		return port
	}
	t.Fatal("no free port below the ephemeral range")
	return 0
}

// proc is a process the harness started, in its own process group, restartable
// with the same arguments.
type proc struct {
	t    *testing.T
	name string
	argv []string
	env  []string
	log  string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
	err  error // its exit, once done is closed
}

func (h *harness) newProc(name string, env []string, argv ...string) *proc {
	p := &proc{t: h.t, name: name, argv: argv, env: env, log: filepath.Join(h.dir, name+".log")}
	p.start()
	h.t.Cleanup(func() {
		if p.running() {
			p.signal(syscall.SIGTERM)
			select {
			case <-p.exited():
			case <-time.After(15 * time.Second):
				p.signal(syscall.SIGKILL)
				<-p.exited()
			}
		}
		if h.t.Failed() || os.Getenv("CLUSTER_LOGS") != "" {
			b, _ := os.ReadFile(p.log)
			if len(b) > 4000 {
				b = b[len(b)-4000:]
			}
			h.t.Logf("--- the end of %s's log:\n%s", p.name, b)
		}
	})
	return p
}

func (p *proc) start() {
	p.t.Helper()
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		p.t.Fatal(err)
	}
	cmd := exec.Command(p.argv[0], p.argv[1:]...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Env = append(os.Environ(), p.env...)
	// Its own group, so that a signal reaches everything it started; killed
	// with the test process if that dies first.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		f.Close()
		p.t.Fatalf("%s: %v", p.name, err)
	}
	done := make(chan struct{})
	p.mu.Lock()
	p.cmd, p.done = cmd, done
	p.mu.Unlock()
	go func() {
		err := cmd.Wait()
		f.Close()
		p.mu.Lock()
		p.err = err
		p.mu.Unlock()
		close(done)
	}()
}

func (p *proc) exited() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.done
}

func (p *proc) running() bool {
	select {
	case <-p.exited():
		return false
	default:
		return true
	}
}

func (p *proc) signal(sig syscall.Signal) {
	p.mu.Lock()
	pid := p.cmd.Process.Pid
	p.mu.Unlock()
	syscall.Kill(-pid, sig)
}

// kill is kill -9 of its group; it returns once the process is gone.
func (p *proc) kill() {
	p.t.Helper()
	p.signal(syscall.SIGKILL)
	select {
	case <-p.exited():
	case <-time.After(wait):
		p.t.Fatalf("%s: still running after SIGKILL", p.name)
	}
}

// term sends SIGTERM and waits for the exit; it returns the exit error.
func (p *proc) term() error {
	p.t.Helper()
	p.signal(syscall.SIGTERM)
	select {
	case <-p.exited():
	case <-time.After(wait):
		p.t.Fatalf("%s: still running %v after SIGTERM", p.name, wait)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

type natsNode struct {
	*proc
	port, cport, mport int
	store              string
}

type diagramServer struct {
	*proc
	url string // http://127.0.0.1:port
}

// harness is the whole system on loopback: a NATS cluster of three, two
// diagram servers on it, Caddy in front.
type harness struct {
	t       *testing.T
	dir     string
	nats    []*natsNode
	servers []*diagramServer
	caddy   *proc
	lb      string // http://127.0.0.1:port, Caddy
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	if noCaddy != nil {
		t.Skip("Caddy is not installed (apt-get install caddy)")
	}
	h := &harness{t: t, dir: t.TempDir()}
	// Encryption at rest: the buckets are on disk (rooms survive a stop of the
	// whole cluster), and what they hold is not readable there.
	key := make([]byte, 32)
	rand.Read(key)
	var routes []string
	for i := 0; i < 3; i++ {
		n := &natsNode{port: freePort(t), cport: freePort(t), mport: freePort(t), store: filepath.Join(h.dir, fmt.Sprintf("nats%d-store", i+1))}
		h.nats = append(h.nats, n)
		routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", n.cport))
	}
	var urls []string
	for i, n := range h.nats {
		conf := filepath.Join(h.dir, fmt.Sprintf("nats%d.conf", i+1))
		os.WriteFile(conf, []byte(natsConf(i+1, n, routes)), 0o600)
		n.proc = h.newProc(fmt.Sprintf("nats%d", i+1), []string{"DIAGRAM_JS_KEY=" + hex.EncodeToString(key)}, natsBin, "-c", conf)
		urls = append(urls, fmt.Sprintf("nats://127.0.0.1:%d", n.port))
	}
	for _, n := range h.nats {
		h.eventually(n.name+" ready", func() bool { return status(fmt.Sprintf("http://127.0.0.1:%d/healthz", n.mport)) == 200 })
	}
	for i := 0; i < 2; i++ {
		port := freePort(t)
		s := &diagramServer{url: fmt.Sprintf("http://127.0.0.1:%d", port)}
		s.proc = h.newProc(fmt.Sprintf("server%c", 'A'+i), nil, serverBin, "-addr", fmt.Sprintf("127.0.0.1:%d", port), "-dir", siteDir,
			"-nats", strings.Join(urls, ","), "-nats-replicas", "3", "-nats-storage", "file",
			"-live-grace", "60s", "-live-idle", "10m", "-drain", "20s")
		h.servers = append(h.servers, s)
	}
	for _, s := range h.servers {
		h.eventually(s.name+" healthy", func() bool { return status(s.url+"/healthz") == 200 })
	}
	lbPort := freePort(t)
	h.lb = fmt.Sprintf("http://127.0.0.1:%d", lbPort)
	caddyfile := filepath.Join(h.dir, "Caddyfile")
	os.WriteFile(caddyfile, []byte(caddyConf(h.dir, lbPort, h.servers)), 0o644)
	// Caddy keeps its state under $HOME and $XDG_*: the test's directory.
	h.caddy = h.newProc("caddy", []string{"HOME=" + h.dir, "XDG_DATA_HOME=" + h.dir, "XDG_CONFIG_HOME=" + h.dir},
		caddyBin, "run", "--config", caddyfile, "--adapter", "caddyfile")
	for i := range h.servers {
		h.routedTo(i)
	}
	return h
}

func natsConf(i int, n *natsNode, routes []string) string {
	return fmt.Sprintf(`server_name: n%d
listen: 127.0.0.1:%d
http: 127.0.0.1:%d
jetstream {
  store_dir: %q
  max_memory_store: 64MB
  max_file_store: 256MB
  cipher: chachapoly
  key: $DIAGRAM_JS_KEY
}
cluster {
  name: diagram
  listen: 127.0.0.1:%d
  routes: [%s]
}
`, i, n.port, n.mport, n.store, n.cport, strings.Join(routes, ", "))
}

func caddyConf(dir string, port int, servers []*diagramServer) string {
	var ups []string
	for _, s := range servers {
		ups = append(ups, strings.TrimPrefix(s.url, "http://"))
	}
	return fmt.Sprintf(`{
	admin off
	auto_https off
	storage file_system %q
}
http://127.0.0.1:%d {
	reverse_proxy %s {
		lb_policy round_robin
		lb_try_duration 5s
		lb_try_interval 100ms
		fail_duration 10s
		health_uri /healthz
		health_interval 500ms
		health_timeout 2s
	}
}
`, filepath.Join(dir, "caddy-data"), port, strings.Join(ups, " "))
}

// status is the status of a GET, 0 when nothing answers.
func status(url string) int {
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (h *harness) eventually(what string, cond func() bool) {
	h.t.Helper()
	start := time.Now()
	deadline := start.Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			h.t.Fatalf("not within %v: %s", wait, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
	h.t.Logf("%s: %v", what, time.Since(start).Round(time.Millisecond))
}

func (h *harness) metrics(i int) live.MetricsSnapshot {
	h.t.Helper()
	resp, err := http.Get(h.servers[i].url + "/live/metrics")
	if err != nil {
		h.t.Fatalf("%s: %v", h.servers[i].name, err)
	}
	defer resp.Body.Close()
	var m live.MetricsSnapshot
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		h.t.Fatal(err)
	}
	return m
}

// routedTo waits until Caddy sends WebSocket connections to server i again
// (its health checks passed): probe connections through Caddy until one is
// accepted there.
func (h *harness) routedTo(i int) {
	h.t.Helper()
	before := h.metrics(i).Accepted
	h.eventually("Caddy routes to "+h.servers[i].name, func() bool {
		// A join with a code no room has: refused, and the probe ends.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ws, _, err := websocket.Dial(ctx, h.wsURL(), nil)
		if err == nil {
			ws.Write(ctx, websocket.MessageText, proto.Encode(proto.Join{Type: proto.TypeJoin, Code: "ZZZZZZ"}))
			for err == nil {
				_, _, err = ws.Read(ctx)
			}
			ws.CloseNow()
		}
		return h.metrics(i).Accepted > before
	})
}

func (h *harness) wsURL() string { return "ws" + strings.TrimPrefix(h.lb, "http") + "/live/ws" }

// client starts a page's connection through Caddy, with the page's Origin.
func (h *harness) client(cfg liveclient.Config) *liveclient.Client {
	cfg.URL = h.wsURL()
	cfg.Origin = h.lb
	if cfg.Lang == "" {
		cfg.Lang = "en"
	}
	c := liveclient.Start(cfg)
	h.t.Cleanup(c.Close)
	return c
}

// class opens a room through Caddy at step 1 and joins n followers to it,
// named "Student <i> Xq7" (names the tests look for on disk and in logs).
func (h *harness) class(n int) (*liveclient.Client, []*liveclient.Client) {
	h.t.Helper()
	p := h.client(liveclient.Config{Presenter: true, Step: 1})
	h.waitFor("the presenter live", []*liveclient.Client{p}, func(s liveclient.State) bool { return s.Status == liveclient.Live })
	code := p.State().Code
	fs := make([]*liveclient.Client, n)
	for i := range fs {
		fs[i] = h.client(liveclient.Config{Code: code, Name: studentName(i)})
	}
	h.waitFor("every follower live", fs, func(s liveclient.State) bool { return s.Status == liveclient.Live })
	h.waitFor("the whole roster", append(fs, p), func(s liveclient.State) bool { return len(s.Roster) == n })
	return p, fs
}

func studentName(i int) string { return fmt.Sprintf("Student %d Xq7", i) }

// waitFor waits until cond holds of every client.
func (h *harness) waitFor(what string, cs []*liveclient.Client, cond func(liveclient.State) bool) {
	h.t.Helper()
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	for i, c := range cs {
		if err := c.Wait(ctx, cond); err != nil {
			h.t.Fatalf("not within %v: %s (client %d: %+v)", wait, what, i, c.State())
		}
	}
	h.t.Logf("%s: %v", what, time.Since(start).Round(time.Millisecond))
}

// atStep waits until every client is live at step.
func (h *harness) atStep(what string, cs []*liveclient.Client, step int) {
	h.t.Helper()
	h.waitFor(what, cs, func(s liveclient.State) bool { return s.Status == liveclient.Live && s.Step == step })
}

// checkSeen checks what a follower showed: revisions only grow, no step shown
// twice in a row from events, nothing applied backwards or stale, and it ends
// at last.
func checkSeen(t *testing.T, i int, c *liveclient.Client, last int) {
	t.Helper()
	seen, st := c.Seen(), c.State()
	if st.Backwards > 0 || st.Stale > 0 {
		t.Errorf("follower %d: %d events backwards, %d stale snapshots", i, st.Backwards, st.Stale)
	}
	for j := 1; j < len(seen); j++ {
		if seen[j].Seq <= seen[j-1].Seq {
			t.Errorf("follower %d: seq %d after %d: %+v", i, seen[j].Seq, seen[j-1].Seq, seen)
		}
		if !seen[j].Snapshot && seen[j].Step == seen[j-1].Step {
			t.Errorf("follower %d: step %d repeated: %+v", i, seen[j].Step, seen)
		}
	}
	if len(seen) == 0 || seen[len(seen)-1].Step != last {
		t.Errorf("follower %d ends at %+v, want step %d", i, seen, last)
	}
}

// sameMembers checks that every follower is in the presenter's roster as
// itself, once, and that every roster is the presenter's.
func sameMembers(t *testing.T, p *liveclient.Client, fs []*liveclient.Client) {
	t.Helper()
	want := p.State().Roster
	if len(want) != len(fs) {
		t.Errorf("the presenter's roster has %d members, want %d", len(want), len(fs))
	}
	for i, f := range fs {
		st := f.State()
		if want[st.You.ID] != studentName(i) {
			t.Errorf("follower %d (%s) is %q in the presenter's roster, want %q", i, st.You.ID, want[st.You.ID], studentName(i))
		}
		if len(st.Roster) != len(want) {
			t.Errorf("follower %d's roster has %d members, the presenter's %d", i, len(st.Roster), len(want))
			continue
		}
		for id, name := range want {
			if st.Roster[id] != name {
				t.Errorf("follower %d's roster: %s is %q, the presenter's %q", i, id, st.Roster[id], name)
				break
			}
		}
	}
}
