package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/connectedlearning/diagram/server/internal/live"
	"github.com/connectedlearning/diagram/server/internal/live/proto"
)

// lockedBuffer is a bytes.Buffer that the server's goroutines may write to while
// the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want config
	}{
		{"defaults", nil, config{addr: "127.0.0.1:8080", accessLog: true, headerTimeout: 5 * time.Second, drain: 10 * time.Second,
			live: live.Config{Enabled: true, MaxRooms: 100, MaxMembers: 200, Idle: time.Hour, Grace: 25 * time.Second, NATSReplicas: 1, NATSStorage: "memory"}}},
		{"live flags", []string{"-live-max-rooms", "5", "-live-max-members", "30", "-live-idle", "10m", "-live-grace", "10s"},
			config{live: live.Config{Enabled: true, MaxRooms: 5, MaxMembers: 30, Idle: 10 * time.Minute, Grace: 10 * time.Second, NATSReplicas: 1, NATSStorage: "memory"}}},
		{"a NATS cluster", []string{"-nats", "nats://10.0.0.1:4222,nats://10.0.0.2:4222", "-nats-replicas", "3", "-nats-storage", "file"},
			config{live: live.Config{Enabled: true, MaxRooms: 100, MaxMembers: 200, Idle: time.Hour, Grace: 25 * time.Second,
				NATS: "nats://10.0.0.1:4222,nats://10.0.0.2:4222", NATSReplicas: 3, NATSStorage: "file"}}},
		{"live off", []string{"-live=false", "-live-max-members", "0"}, config{live: live.Config{MaxRooms: 100, Idle: time.Hour, Grace: 25 * time.Second, NATSReplicas: 1, NATSStorage: "memory"}}},
		{"everything", []string{"-addr", ":9000", "-dir", "site", "-base-url", "https://example.edu/diagram", "-frame-ancestors", "https://a.example, 'self' http://b.example",
			"-access-log=false", "-header-timeout", "2s", "-drain", "0"},
			config{addr: ":9000", dir: "site", baseURL: "https://example.edu/diagram/", frameAncestors: []string{"https://a.example", "'self'", "http://b.example"},
				headerTimeout: 2 * time.Second}},
		{"base URL keeps its slash", []string{"-base-url", "http://localhost:8080/"}, config{baseURL: "http://localhost:8080/"}},
		{"any ancestor", []string{"-frame-ancestors", "*"}, config{}},
		{"star wins", []string{"-frame-ancestors", "https://a.example *"}, config{}},
		{"no ancestor", []string{"-frame-ancestors", "'none'"}, config{frameAncestors: []string{"'none'"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			c, err := parseFlags(tt.args, &stderr)
			if err != nil {
				t.Fatalf("parseFlags(%q): %v", tt.args, err)
			}
			if stderr.Len() > 0 {
				t.Errorf("stderr: %s", stderr.String())
			}
			w := tt.want
			if w.addr == "" { // rows that only set some fields compare only those
				w.addr, w.accessLog, w.headerTimeout, w.drain = c.addr, c.accessLog, c.headerTimeout, c.drain
			}
			if w.live == (live.Config{}) { // rows about other flags
				w.live = c.live
			}
			if c.addr != w.addr || c.dir != w.dir || c.baseURL != w.baseURL || !slices.Equal(c.frameAncestors, w.frameAncestors) ||
				c.accessLog != w.accessLog || c.headerTimeout != w.headerTimeout || c.drain != w.drain || c.live != w.live {
				t.Errorf("parseFlags(%q) = %+v, want %+v", tt.args, *c, w)
			}
		})
	}
}

func TestRunBadFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // in stderr, besides the usage
	}{
		{"unknown flag", []string{"-nope"}, "-nope"},
		{"address without port", []string{"-addr", "nonsense"}, "-addr"},
		{"frame ancestor not an origin", []string{"-frame-ancestors", "ftp://x"}, "ftp://x"},
		{"base URL without scheme", []string{"-base-url", "example.com"}, "-base-url"},
		{"extra argument", []string{"-dir", "x", "serve"}, `"serve"`},
		{"zero header timeout", []string{"-header-timeout", "0"}, "-header-timeout"},
		{"negative drain", []string{"-drain", "-1s"}, "-drain"},
		{"not a duration", []string{"-drain", "soon"}, "-drain"},
		{"no rooms", []string{"-live-max-rooms", "0"}, "-live-max-rooms"},
		{"no members", []string{"-live-max-members", "0"}, "-live-max-members"},
		{"grace too short", []string{"-live-grace", "1s"}, "-live-grace"},
		{"idle shorter than grace", []string{"-live-idle", "10s", "-live-grace", "20s"}, "-live-idle"},
		{"NATS not a URL", []string{"-nats", "localhost"}, "-nats"},
		{"replicas on the embedded NATS", []string{"-nats-replicas", "3"}, "-nats-replicas"},
		{"too many replicas", []string{"-nats", "nats://127.0.0.1:4222", "-nats-replicas", "7"}, "-nats-replicas"},
		{"credentials without NATS", []string{"-nats-creds", "x.creds"}, "-nats-creds"},
		{"missing credentials", []string{"-nats", "nats://127.0.0.1:4222", "-nats-creds", "/nonexistent/x.creds"}, "-nats-creds"},
		{"file storage on the embedded NATS", []string{"-nats-storage", "file"}, "-nats-storage"},
		{"unknown storage", []string{"-nats", "nats://127.0.0.1:4222", "-nats-storage", "disk"}, "-nats-storage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tt.args, &stdout, &stderr); code != 2 {
				t.Errorf("run(%q) = %d, want 2", tt.args, code)
			}
			if !strings.Contains(stderr.String(), "usage: server") || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr lacks the usage or %q:\n%s", tt.want, stderr.String())
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout: %s", stdout.String())
			}
		})
	}
}

// DIAGRAM_NATS sets -nats's default; the flag wins.
func TestNATSFromEnvironment(t *testing.T) {
	t.Setenv("DIAGRAM_NATS", "nats://127.0.0.1:4222")
	for _, tt := range []struct {
		args []string
		want string
	}{{nil, "nats://127.0.0.1:4222"}, {[]string{"-nats", "nats://127.0.0.2:4222"}, "nats://127.0.0.2:4222"}} {
		c, err := parseFlags(tt.args, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if c.live.NATS != tt.want {
			t.Errorf("parseFlags(%q) with DIAGRAM_NATS set: -nats %q, want %q", tt.args, c.live.NATS, tt.want)
		}
	}
}

func TestRunHelp(t *testing.T) {
	for _, arg := range []string{"-h", "-help", "--help"} {
		var stdout, stderr bytes.Buffer
		if code := run([]string{arg}, &stdout, &stderr); code != 0 {
			t.Errorf("run(%s) = %d, want 0", arg, code)
		}
		if !strings.Contains(stderr.String(), "usage: server") || !strings.Contains(stderr.String(), "-frame-ancestors") {
			t.Errorf("run(%s) printed no usage:\n%s", arg, stderr.String())
		}
	}
}

func TestRunNoSite(t *testing.T) {
	empty := t.TempDir()
	missing := filepath.Join(t.TempDir(), "missing")
	tests := []struct {
		name, dir, want string
	}{
		{"missing directory", missing, "no such file"},
		{"empty directory", empty, "no index.html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run([]string{"-addr", "127.0.0.1:0", "-dir", tt.dir}, &stdout, &stderr); code != 1 {
				t.Errorf("run = %d, want 1", code)
			}
			if !strings.Contains(stderr.String(), tt.dir) || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr does not name %s or say %q:\n%s", tt.dir, tt.want, stderr.String())
			}
		})
	}
}

// siteDir writes the smallest site the server loads. Its page has no manifest, so
// it names no steps (as a hand-made site), and the classroom is off.
func siteDir(t *testing.T) string {
	return writeSite(t, "")
}

// liveSiteDir is the smallest site with a live classroom: its page's manifest
// names six steps.
func liveSiteDir(t *testing.T) string {
	return writeSite(t, `<script type=application/json id=manifest>{"steps":6}</script>`)
}

func writeSite(t *testing.T, manifest string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{
		"index.html": "<!doctype html><title>Test diagram</title>" + manifest + "<p>Hello from the test site",
		"site.json":  `{"title":"Test diagram","description":"A test"}`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRunAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-addr", ln.Addr().String(), "-dir", siteDir(t)}, &stdout, &stderr); code != 1 {
		t.Errorf("run on a busy address = %d, want 1", code)
	}
	if !strings.Contains(stderr.String(), ln.Addr().String()) {
		t.Errorf("stderr does not name the address:\n%s", stderr.String())
	}
}

// server is a run in progress.
type server struct {
	addr   string
	exited chan struct{} // closed when run returns
	code   int           // run's result, once exited is closed
	stderr *lockedBuffer
}

var urlRE = regexp.MustCompile(`http://(\S+)/`)

// startServer calls run in a goroutine and waits for the address it announces.
// Its tests must not run in parallel: a SIGTERM reaches every run in the process.
func startServer(t *testing.T, args ...string) *server {
	t.Helper()
	pr, pw := io.Pipe()
	s := &server{exited: make(chan struct{}), stderr: &lockedBuffer{}}
	go func() {
		s.code = run(append([]string{"-addr", "127.0.0.1:0", "-access-log=false"}, args...), pw, s.stderr)
		pw.Close()
		close(s.exited)
	}()
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(pr).ReadString('\n')
		lines <- line
		io.Copy(io.Discard, pr)
	}()
	select {
	case line := <-lines:
		m := urlRE.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("no URL in the first line of stdout %q; stderr:\n%s", line, s.stderr.String())
		}
		s.addr = m[1]
	case <-time.After(10 * time.Second):
		t.Fatalf("the server announced no address; stderr:\n%s", s.stderr.String())
	}
	t.Cleanup(func() {
		select {
		case <-s.exited:
		default: // still running after a failure: stop it, or the next test's signal ends it
			syscall.Kill(os.Getpid(), syscall.SIGTERM)
			<-s.exited
		}
	})
	return s
}

// wait waits for run to return and gives its exit code.
func (s *server) wait(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-s.exited:
		return s.code
	case <-time.After(within):
		t.Fatalf("run did not return within %v; stderr:\n%s", within, s.stderr.String())
		return -1
	}
}

func terminate(t *testing.T) {
	t.Helper()
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}

func TestRunServesAndShutsDown(t *testing.T) {
	s := startServer(t, "-dir", siteDir(t))
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	for _, tt := range []struct{ path, want string }{
		{"/healthz", ""},
		{"/", "Hello from the test site"},
	} {
		resp, err := client.Get("http://" + s.addr + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), tt.want) {
			t.Errorf("GET %s: %s %q", tt.path, resp.Status, body)
		}
	}

	terminate(t)
	if code := s.wait(t, 5*time.Second); code != 0 {
		t.Errorf("run = %d after SIGTERM, want 0; stderr:\n%s", code, s.stderr.String())
	}
	if !strings.Contains(s.stderr.String(), "shutting down") {
		t.Errorf("stderr does not say it is shutting down:\n%s", s.stderr.String())
	}
	if c, err := net.DialTimeout("tcp", s.addr, time.Second); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after the shutdown", s.addr)
	}
}

// TestRunSignalOnceAnnounced sends SIGTERM as soon as the address is printed, as a
// supervisor might: the shutdown must still be graceful.
func TestRunSignalOnceAnnounced(t *testing.T) {
	s := startServer(t, "-dir", siteDir(t))
	terminate(t)
	if code := s.wait(t, 5*time.Second); code != 0 {
		t.Errorf("run = %d, want 0; stderr:\n%s", code, s.stderr.String())
	}
}

// bigFile is large enough that the server cannot hand it all to the kernel's
// socket buffers: while the client does not read, the request stays in flight.
const bigFile = "big.0123456789.bin"

func bigSiteDir(t *testing.T) string {
	t.Helper()
	dir := siteDir(t)
	if err := os.WriteFile(filepath.Join(dir, bigFile), bytes.Repeat([]byte("0123456789abcdef"), 2<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// startSlowDownload requests the big file and reads nothing yet.
func startSlowDownload(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := io.WriteString(c, "GET /"+bigFile+" HTTP/1.1\r\nHost: test\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // let the handler start writing
	return c
}

func TestRunDrainsRequestsInFlight(t *testing.T) {
	s := startServer(t, "-dir", bigSiteDir(t))
	c := startSlowDownload(t, s.addr)

	terminate(t)
	select {
	case <-s.exited:
		t.Fatalf("run returned %d with a request in flight", s.code)
	case <-time.After(300 * time.Millisecond):
	}
	if c, err := net.DialTimeout("tcp", s.addr, time.Second); err == nil {
		c.Close()
		t.Errorf("%s accepts new connections while draining", s.addr)
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("the request in flight got no response: %v", err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || err != nil || n != 32<<20 {
		t.Errorf("the request in flight got %s and %d of %d bytes (%v)", resp.Status, n, 32<<20, err)
	}
	if code := s.wait(t, 5*time.Second); code != 0 {
		t.Errorf("run = %d after draining, want 0; stderr:\n%s", code, s.stderr.String())
	}
}

func TestRunCutsRequestsAfterDrain(t *testing.T) {
	s := startServer(t, "-dir", bigSiteDir(t), "-drain", "200ms")
	startSlowDownload(t, s.addr)
	terminate(t)
	if code := s.wait(t, 5*time.Second); code != 1 {
		t.Errorf("run = %d with a request still running after -drain, want 1", code)
	}
	if !strings.Contains(s.stderr.String(), "were cut") {
		t.Errorf("stderr does not say requests were cut:\n%s", s.stderr.String())
	}
}

// liveConn connects to the server's live classroom and sends first.
func liveConn(t *testing.T, addr string, first any) (*websocket.Conn, map[string]any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws://"+addr+"/live/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.CloseNow() })
	if err := c.Write(ctx, websocket.MessageText, proto.Encode(first)); err != nil {
		t.Fatal(err)
	}
	for {
		_, b, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("no snapshot: %v", err)
		}
		var m map[string]any
		json.Unmarshal(b, &m)
		if m["type"] == "opened" {
			return c, m
		}
		if m["type"] == "snapshot" {
			return c, m
		}
	}
}

// On SIGTERM the live connections are told to connect again (1012, after an
// error "restart"), and the server exits 0.
func TestRunLiveShutdown(t *testing.T) {
	s := startServer(t, "-dir", liveSiteDir(t))
	resp, err := http.Get("http://" + s.addr + "/live/info")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("/live/info: %s", resp.Status)
	}
	p, opened := liveConn(t, s.addr, proto.Open{Type: proto.TypeOpen, Step: 2, Presenting: true})
	f, _ := liveConn(t, s.addr, proto.Join{Type: proto.TypeJoin, Code: opened["code"].(string)})

	terminate(t)
	for name, c := range map[string]*websocket.Conn{"presenter": p, "follower": f} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		var last map[string]any
		var err error
		for {
			var b []byte
			if _, b, err = c.Read(ctx); err != nil {
				break
			}
			json.Unmarshal(b, &last)
		}
		cancel()
		if websocket.CloseStatus(err) != websocket.StatusServiceRestart || last["type"] != "error" || last["code"] != "restart" {
			t.Errorf("%s: closed with %v after %v; want 1012 after an error restart", name, err, last)
		}
	}
	if code := s.wait(t, 10*time.Second); code != 0 {
		t.Errorf("run = %d, want 0; stderr:\n%s", code, s.stderr.String())
	}
}

// Without the live classroom, /live/ is not found: the page offers no live
// controls, as on a static host.
func TestRunLiveOff(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		says string
	}{
		{"-live=false", []string{"-dir", liveSiteDir(t), "-live=false"}, ""},
		{"a site without steps", []string{"-dir", siteDir(t)}, "live classroom is off"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, tt.args...)
			for _, p := range []string{"/live/info", "/live/ws"} {
				resp, err := http.Get("http://" + s.addr + p)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusNotFound {
					t.Errorf("GET %s: %s, want 404", p, resp.Status)
				}
			}
			if !strings.Contains(s.stderr.String(), tt.says) {
				t.Errorf("stderr does not say %q:\n%s", tt.says, s.stderr.String())
			}
			terminate(t)
			s.wait(t, 10*time.Second)
		})
	}
}

// The server binary carries neither the model nor the build's minifier and
// bundler: what it shares with the build is the small siteformat package.
func TestServerLinksNeitherTheModelNorTheMinifier(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/connectedlearning/diagram/server/internal/siteformat") {
		t.Errorf("the server does not use siteformat: %v", deps)
	}
	for _, d := range deps {
		banned := d == "github.com/connectedlearning/diagram/server/internal/site"
		for _, prefix := range []string{"github.com/connectedlearning/diagram/wasm/", "github.com/tdewolff/", "github.com/evanw/esbuild", "github.com/hajimehoshi/ebiten", "github.com/piglig/go-qr"} {
			banned = banned || strings.HasPrefix(d, prefix)
		}
		if banned {
			t.Errorf("the server links %s", d)
		}
	}
}

// The public address is held once: the page's discovery link and the oEmbed
// answers name the same one, with -base-url and without it (then the server's own
// address), whatever name the server was reached by.
func TestPublicAddressHeldOnce(t *testing.T) {
	dir := t.TempDir()
	page := `<!doctype html><html><head><title>Test diagram</title>` +
		`<script type=application/json id=manifest>{"wasm":"assets/main.0123456789.wasm","aspectRatio":1.6}</script></head><body>Hello</body></html>`
	for name, body := range map[string]string{"index.html": page, "site.json": `{"title":"Test diagram"}`} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	get := func(t *testing.T, u string) []byte {
		t.Helper()
		resp, err := client.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %s %s", u, resp.Status, b)
		}
		return b
	}
	linkRE := regexp.MustCompile(`<link rel="alternate" type="application/json\+oembed" href="([^"]+)"`)
	for _, c := range []struct{ name, flag string }{{"without -base-url", ""}, {"with -base-url", "https://example.edu/diagram/"}} {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"-dir", dir}
			if c.flag != "" {
				args = append(args, "-base-url", c.flag)
			}
			s := startServer(t, args...)
			want := c.flag
			if want == "" {
				want = "http://" + s.addr + "/"
			}
			body := get(t, "http://"+s.addr+"/")
			m := linkRE.FindSubmatch(body)
			if m == nil {
				t.Fatalf("no discovery link in the page:\n%s", body)
			}
			href, _ := url.Parse(strings.ReplaceAll(string(m[1]), "&amp;", "&"))
			if got := href.Query().Get("url"); got != want || !strings.HasPrefix(href.String(), want+"oembed?") {
				t.Errorf("the discovery link is %s, want the page %s", href, want)
			}
			if !strings.Contains(string(body), `"baseURL":"`+want+`"`) {
				t.Errorf("the page's manifest does not name %s:\n%s", want, body)
			}
			// Asked under another of its names, the server still names its one address.
			_, port, _ := net.SplitHostPort(s.addr)
			var o struct {
				ProviderURL string `json:"provider_url"`
				HTML        string `json:"html"`
			}
			if err := json.Unmarshal(get(t, "http://localhost:"+port+"/oembed?"+href.RawQuery), &o); err != nil {
				t.Fatal(err)
			}
			if o.ProviderURL != want || !strings.Contains(o.HTML, `src="`+want+`?embed=1"`) {
				t.Errorf("oEmbed names %s and %s, the page %s", o.ProviderURL, o.HTML, want)
			}
			terminate(t)
			s.wait(t, 5*time.Second)
		})
	}
}

// The collector's headroom: at least 8 MB of garbage between collections while
// the live heap is small (a static file server's few megabytes: GOGC 400 at
// most), the default's (GOGC 100) once the live heap passes 8 MB, as a live
// classroom's grows with its students.
func TestGCPercentFor(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, 400}, {1 * mb, 400}, {2 * mb, 400}, {4 * mb, 200}, {5 * mb, 160}, {8 * mb, 100}, {64 * mb, 100}, {2048 * mb, 100},
	} {
		if got := gcPercentFor(c.live, 8*mb); got != c.want {
			t.Errorf("live heap %d MB: GOGC %d, want %d", c.live/mb, got, c.want)
		}
	}
}
