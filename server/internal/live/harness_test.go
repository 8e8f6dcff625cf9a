package live_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/connectedlearning/diagram/server/internal/handler"
	"github.com/connectedlearning/diagram/server/internal/live"
	"github.com/connectedlearning/diagram/server/internal/live/proto"
)

// wait bounds every wait of these tests: generous, for a busy 2-core machine.
// Nothing waits this long when the server behaves.
const wait = 20 * time.Second

// lockedBuffer collects the access log while the server writes it.
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

// env is the real server stack on loopback: the site handler with its access
// log, the live service on an embedded NATS, a real http.Server.
type env struct {
	t   testing.TB
	svc *live.Service
	url string // http://127.0.0.1:port
	log *lockedBuffer
}

// testOptions are short times, so that presence and expiry tests take seconds.
func testOptions() live.Options {
	return live.Options{
		Config: live.Config{Enabled: true, MaxRooms: 20, MaxMembers: 200, Idle: 3 * time.Second, Grace: 3 * time.Second},
		Steps:  6,
	}
}

func newEnv(t testing.TB, mutate func(*live.Options)) *env {
	t.Helper()
	return newEnvOn(t, nil, mutate)
}

// newEnvOn serves the live classroom on eng (a NATS it shares with other
// servers), or on its own embedded NATS when eng is nil.
func newEnvOn(t testing.TB, eng *live.Engine, mutate func(*live.Options)) *env {
	t.Helper()
	opt := testOptions()
	if mutate != nil {
		mutate(&opt)
	}
	var svc *live.Service
	var err error
	if eng == nil {
		svc, err = live.Start(opt)
	} else {
		svc, err = live.New(eng, opt)
	}
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, body := range map[string]string{
		"index.html": "<!doctype html><title>Test</title><p>the diagram",
		"site.json":  `{"title":"Test","version":"v1","steps":6}`,
	} {
		os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644)
	}
	site, err := handler.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, svc: svc, log: &lockedBuffer{}}
	h := handler.New(site, handler.Options{Live: svc, Health: svc.Healthy, FrameAncestors: opt.FrameAncestors,
		Log: slog.New(slog.NewTextHandler(e.log, nil))})
	srv := httptest.NewUnstartedServer(h)
	srv.Config.RegisterOnShutdown(svc.Restart)
	srv.Start()
	e.url = srv.URL
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		srv.Config.Shutdown(ctx)
		if err := svc.Close(ctx); err != nil {
			t.Errorf("closing the live service: %v", err)
		}
		srv.Close()
	})
	return e
}

// msg is any message from the server, every field of every type.
type msg struct {
	Type       string         `json:"type"`
	V          int            `json:"v"`
	Seq        uint64         `json:"seq"`
	Role       string         `json:"role"`
	Room       proto.Room     `json:"room"`
	You        *proto.You     `json:"you"`
	Roster     []proto.Member `json:"roster"`
	Code       string         `json:"code"` // Opened: the room's; Error: the reason
	Secret     string         `json:"secret"`
	Step       int            `json:"step"`
	Presenting bool           `json:"presenting"`
	Open       bool           `json:"open"`
	Online     bool           `json:"online"`
	Member     proto.Member   `json:"member"`
	ID         string         `json:"id"`
	Reason     string         `json:"reason"`
	Members    int            `json:"members"`
	From       string         `json:"from"`
	Fatal      bool           `json:"fatal"`
	Retry      int            `json:"retry"`
	Detail     string         `json:"detail"`
	T          float64        `json:"t"`
	raw        string
}

// conn is a page's connection, read in the background.
type conn struct {
	t      testing.TB
	name   string
	c      *websocket.Conn
	in     chan msg
	status chan websocket.StatusCode // the close status, once the connection ended
	resp   *http.Response
	// What the snapshot and events told this page, applied as the page would.
	seq, snapSeq uint64
}

func (e *env) wsURL() string { return "ws" + strings.TrimPrefix(e.url, "http") + "/live/ws" }

// dial connects as a page of the site would (its own Origin).
func (e *env) dial(name string) *conn {
	e.t.Helper()
	return e.dialOrigin(name, e.url)
}

func (e *env) dialOrigin(name, origin string) *conn {
	e.t.Helper()
	c, err := e.tryDial(origin)
	if err != nil {
		e.t.Fatalf("%s: dial: %v", name, err)
	}
	c.name = name
	return c
}

func (e *env) tryDial(origin string) (*conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	ws, resp, err := websocket.Dial(ctx, e.wsURL(), &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		return &conn{resp: resp}, err
	}
	ws.SetReadLimit(1 << 20)
	c := &conn{t: e.t, c: ws, in: make(chan msg, 4096), status: make(chan websocket.StatusCode, 1), resp: resp}
	go func() {
		for {
			_, b, err := ws.Read(context.Background())
			if err != nil {
				c.status <- websocket.CloseStatus(err)
				close(c.in)
				return
			}
			var m msg
			if err := json.Unmarshal(b, &m); err != nil {
				m.Type = "unparsable"
			}
			m.raw = string(b)
			c.in <- m
		}
	}()
	e.t.Cleanup(func() { ws.CloseNow() })
	return c, nil
}

func (c *conn) send(v any) {
	c.t.Helper()
	b, _ := json.Marshal(v)
	c.sendRaw(string(b))
}

func (c *conn) sendRaw(s string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := c.c.Write(ctx, websocket.MessageText, []byte(s)); err != nil {
		c.t.Fatalf("%s: write: %v", c.name, err)
	}
}

// next is the next message; the test fails if none comes.
func (c *conn) next() msg {
	c.t.Helper()
	select {
	case m, ok := <-c.in:
		if !ok {
			c.t.Fatalf("%s: the connection closed (%v) while a message was expected", c.name, c.closeStatus())
		}
		// The page's rule: an event's seq is above its snapshot's, and never
		// below the event's before it (the events of one revision share its seq).
		switch {
		case m.Type == "snapshot":
			c.snapSeq, c.seq = m.Seq, m.Seq
		case m.Seq > 0 && (m.Seq <= c.snapSeq || m.Seq < c.seq):
			c.t.Errorf("%s: a %s with seq %d after seq %d (snapshot %d): sequence numbers must grow", c.name, m.Type, m.Seq, c.seq, c.snapSeq)
		case m.Seq > 0:
			c.seq = m.Seq
		}
		return m
	case <-time.After(wait):
		c.t.Fatalf("%s: no message within %v", c.name, wait)
	}
	return msg{}
}

// expect is the next message of type typ, skipping others of the types in skip.
func (c *conn) expect(typ string, skip ...string) msg {
	c.t.Helper()
	for {
		m := c.next()
		if m.Type == typ {
			return m
		}
		if !contains(skip, m.Type) {
			c.t.Fatalf("%s: got %s, want %s", c.name, m.raw, typ)
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// closed waits for the end of the connection, skipping messages of the types in
// skip, and returns its close status.
func (c *conn) closed(skip ...string) websocket.StatusCode {
	c.t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case m, ok := <-c.in:
			if !ok {
				return c.closeStatus()
			}
			if !contains(skip, m.Type) {
				c.t.Fatalf("%s: got %s while waiting for the close", c.name, m.raw)
			}
		case <-deadline:
			c.t.Fatalf("%s: still open after %v", c.name, wait)
		}
	}
}

func (c *conn) closeStatus() websocket.StatusCode {
	select {
	case s := <-c.status:
		c.status <- s
		return s
	case <-time.After(wait):
		c.t.Fatalf("%s: no close status", c.name)
		return 0
	}
}

// quiet checks that nothing but messages of the types in allow arrives until a
// ping's pong: everything the server sent before it is in.
func (c *conn) quiet(allow ...string) {
	c.t.Helper()
	t := float64(time.Now().UnixNano())
	c.send(proto.Ping{Type: proto.TypePing, T: t})
	for {
		m := c.next()
		if m.Type == "pong" && m.T == t {
			return
		}
		if !contains(allow, m.Type) {
			c.t.Fatalf("%s: unexpected %s", c.name, m.raw)
		}
	}
}

// open opens a room as a presenter; it returns the connection, the code and
// the secret.
func (e *env) open(step int) (*conn, string, string) {
	e.t.Helper()
	p := e.dial("presenter")
	p.send(proto.Open{Type: proto.TypeOpen, Step: step, Presenting: true, Lang: "en"})
	o := p.expect("opened")
	s := p.expect("snapshot")
	if s.Role != "presenter" || s.Room.Code != o.Code || s.Room.Step != step || len(o.Secret) != proto.SecretLen {
		e.t.Fatalf("open: %s then %s", o.raw, s.raw)
	}
	return p, o.Code, o.Secret
}

// join joins a room as a follower and returns the connection and its snapshot.
func (e *env) join(name, code, display string) (*conn, msg) {
	e.t.Helper()
	f := e.dial(name)
	f.send(proto.Join{Type: proto.TypeJoin, Code: code, Name: display, Lang: "en"})
	s := f.expect("snapshot")
	if s.Role != "follower" || s.You == nil {
		e.t.Fatalf("%s: join: %s", name, s.raw)
	}
	return f, s
}

// refusedWith dials, sends first, and expects an error with reason r and the
// close status of r.
func (e *env) refusedWith(first any, r proto.Reason) {
	e.t.Helper()
	c := e.dial("refused")
	c.send(first)
	m := c.expect("error")
	if m.Code != string(r) || !m.Fatal {
		e.t.Fatalf("%v: got %s, want a fatal %s", first, m.raw, r)
	}
	if got := c.closed(); int(got) != r.Close() {
		e.t.Fatalf("%v: closed with %d, want %d (%s)", first, got, r.Close(), r)
	}
}

func (e *env) metrics() live.MetricsSnapshot {
	e.t.Helper()
	resp, err := http.Get(e.url + "/live/metrics")
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m live.MetricsSnapshot
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		e.t.Fatal(err)
	}
	return m
}

// eventually waits for cond, polling; it fails the test after wait.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", wait, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func fmtMembers(ms []proto.Member) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "%s:%q ", m.ID, m.Name)
	}
	return b.String()
}
