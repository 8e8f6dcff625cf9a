package live

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/nats-io/nats.go"
	"golang.org/x/time/rate"

	"github.com/connectedlearning/diagram/server/internal/live/proto"
)

// Config is what the server's flags set.
type Config struct {
	Enabled    bool
	MaxRooms   int           // rooms this server holds at once
	MaxMembers int           // members of a room
	Idle       time.Duration // a room with no presenter and no change for this long expires
	Grace      time.Duration // a member whose device stops answering leaves after this long

	// NATS names an external NATS server or cluster (comma-separated URLs);
	// empty: the NATS embedded in the process.
	NATS string
	// NATSCreds is a NATS credentials file (a user JWT and its NKey seed).
	NATSCreds string
	// NATSReplicas is the buckets' replication factor (1; 3 on a three-node cluster).
	NATSReplicas int
	// NATSStorage is the buckets' storage: "memory" (nothing on disk) or "file"
	// (rooms survive a restart of the whole cluster).
	NATSStorage string
}

// RegisterFlags adds the -live flags to fs, with their defaults.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.BoolVar(&c.Enabled, "live", true, "serve the live classroom (/live/): rooms that students join to follow the presenter")
	fs.IntVar(&c.MaxRooms, "live-max-rooms", 100, "live rooms this server holds at once")
	fs.IntVar(&c.MaxMembers, "live-max-members", 200, "members of one live room")
	fs.DurationVar(&c.Idle, "live-idle", time.Hour, "a live room with no presenter connected and no change for this long ends")
	fs.DurationVar(&c.Grace, "live-grace", 25*time.Second, "a member whose device stops answering leaves the room after this long")
	fs.StringVar(&c.NATS, "nats", os.Getenv("DIAGRAM_NATS"), "URLs of an external NATS server or cluster, comma-separated (default $DIAGRAM_NATS; empty: NATS embedded in the process)")
	fs.StringVar(&c.NATSCreds, "nats-creds", "", "file with the NATS credentials (user JWT and NKey seed) for -nats")
	fs.IntVar(&c.NATSReplicas, "nats-replicas", 1, "replication factor of the live buckets on -nats (3 on a three-node cluster)")
	fs.StringVar(&c.NATSStorage, "nats-storage", "memory", "storage of the live buckets: memory, or file (rooms survive a restart of the whole NATS cluster; see the README)")
}

// Check says what is wrong with the flags' values.
func (c Config) Check() error {
	switch {
	case c.MaxRooms < 1:
		return errors.New("-live-max-rooms must be at least 1")
	case c.MaxMembers < 1 || c.MaxMembers > 10000:
		return errors.New("-live-max-members must be between 1 and 10000")
	case c.Grace < 3*time.Second:
		return errors.New("-live-grace must be at least 3s (presence is refreshed every third of it, and JetStream counts its TTLs in seconds)")
	case c.Idle < c.Grace:
		return errors.New("-live-idle must be at least -live-grace")
	case c.NATSReplicas < 0 || c.NATSReplicas > 5:
		return errors.New("-nats-replicas must be between 1 and 5 (JetStream's maximum)")
	case c.NATS == "" && c.NATSReplicas > 1:
		return errors.New("-nats-replicas needs -nats: the embedded NATS is a single server")
	case c.NATS == "" && c.NATSCreds != "":
		return errors.New("-nats-creds needs -nats")
	case c.NATS == "" && c.NATSStorage == "file":
		return errors.New("-nats-storage file needs -nats: the embedded NATS keeps nothing on disk")
	case c.NATSStorage != "" && c.NATSStorage != "memory" && c.NATSStorage != "file":
		return fmt.Errorf("-nats-storage %q: memory or file", c.NATSStorage)
	}
	if c.NATSCreds != "" {
		if _, err := os.Stat(c.NATSCreds); err != nil {
			return fmt.Errorf("-nats-creds: %v", err)
		}
	}
	for _, u := range strings.Split(c.NATS, ",") {
		if u = strings.TrimSpace(u); c.NATS != "" && !strings.Contains(u, "://") {
			return fmt.Errorf("-nats: %q is not a URL (nats://host:4222)", u)
		}
	}
	return nil
}

// Options configure a Service. Zero limits take the defaults below.
type Options struct {
	Config
	// Steps is the number of steps of the presentation (from the build's manifest).
	Steps int
	// FrameAncestors are the server's -frame-ancestors ('self', 'none', origins);
	// empty means any site may frame the diagram.
	FrameAncestors []string
	// BaseURL is the site's public address, if known: its origin may connect.
	BaseURL string
	// Log receives the service's faults (never a name, a code or a secret).
	Log *slog.Logger

	PulseRate    rate.Limit    // connections a member may send, per second (0.5)
	PulseBurst   int           // ... at once (3)
	MessageRate  rate.Limit    // messages a follower may send, per second (5); presenters 4x
	MessageBurst int           // ... at once (10); presenters 4x
	QueueLen     int           // messages waiting for a slow page before it is cut off (128)
	HelloTimeout time.Duration // for the first message (10s)
	WriteTimeout time.Duration // for one message to a page (10s)
	PingInterval time.Duration // between pings of a page, and presence heartbeats (Grace/3)
	MaxConns     int           // WebSocket connections at once (MaxRooms*(MaxMembers+8))
	Linger       time.Duration // a room stays held this long after its last local connection (3s)
}

func (o *Options) defaults() {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	if o.PulseRate <= 0 {
		o.PulseRate = 0.5
	}
	if o.PulseBurst <= 0 {
		o.PulseBurst = 3
	}
	if o.MessageRate <= 0 {
		o.MessageRate = 5
	}
	if o.MessageBurst <= 0 {
		o.MessageBurst = 10
	}
	if o.QueueLen <= 0 {
		o.QueueLen = 128
	}
	def(&o.HelloTimeout, 10*time.Second)
	def(&o.WriteTimeout, 10*time.Second)
	def(&o.PingInterval, o.Grace/3)
	def(&o.Linger, 3*time.Second)
	if o.MaxConns <= 0 {
		o.MaxConns = o.MaxRooms * (o.MaxMembers + 8)
	}
}

// Service is the live classroom, an http.Handler for /live/.
type Service struct {
	opt     Options
	eng     *Engine
	ownsEng bool
	ctx     context.Context
	cancel  context.CancelFunc
	id      string // this server's part of connection ids
	connSeq atomic.Uint64
	metrics *Metrics

	origins   []string // origins (scheme://host) that may connect besides the request's own host
	allowNull bool     // an opaque origin (a sandboxed frame) may connect

	// failedJoins bounds, server-wide, the joins with a code that names no room:
	// a guesser gets a few dozen tries a second, whatever its connections.
	failedJoins *rate.Limiter

	closeOnce sync.Once
	closeErr  error

	// natsDown: NATS has been unreachable for longer than unavailableAfter; new
	// connections are refused (unavailable, 1013) until it is back.
	natsDown atomic.Bool

	mu      sync.Mutex
	hubs    map[string]*hub
	conns   map[*client]struct{}
	closing bool
	wg      sync.WaitGroup
}

// New serves the live classroom on eng.
func New(eng *Engine, opt Options) (*Service, error) {
	if err := opt.Check(); err != nil {
		return nil, err
	}
	if opt.Steps < 1 {
		return nil, errors.New("live: the site's manifest names no steps")
	}
	opt.defaults()
	ctx, cancel := context.WithCancel(context.Background())
	s := &Service{opt: opt, eng: eng, ctx: ctx, cancel: cancel, id: strings.ToLower(proto.NewCode()),
		metrics: newMetrics(), hubs: map[string]*hub{}, conns: map[*client]struct{}{},
		failedJoins: rate.NewLimiter(20, 40), allowNull: true}
	for _, a := range opt.FrameAncestors {
		switch {
		case a == "'none'":
			s.allowNull = false
		case strings.HasPrefix(a, "http://") || strings.HasPrefix(a, "https://"):
			s.origins = append(s.origins, strings.TrimSuffix(strings.ToLower(a), "/"))
		}
	}
	if u, err := url.Parse(opt.BaseURL); err == nil && u.Host != "" {
		s.origins = append(s.origins, strings.ToLower(u.Scheme+"://"+u.Host))
	}
	go s.watchNATS()
	return s, nil
}

// unavailableAfter is how long the server may be without NATS before it tells
// its pages to connect again (through the load balancer, to a server that has
// it): a client fails over to another node of a cluster in less.
const unavailableAfter = 3 * time.Second

// watchNATS follows the engine's connection. Lost for unavailableAfter, every
// live connection here is closed with unavailable (1013) and every room let
// go; back, the rooms still held watch their keys again. /healthz says 503 as
// long as it is not connected (Healthy), so that a load balancer sends new
// pages elsewhere.
func (s *Service) watchNATS() {
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	nc := s.eng.nc
	var lostAt time.Time
	connected := true
	for {
		select {
		case <-t.C:
		case <-s.ctx.Done():
			return
		}
		st := nc.Status()
		switch {
		case st == nats.CONNECTED && !connected:
			connected = true
			if s.natsDown.Swap(false) {
				s.logf("live: NATS is reachable again")
			}
			s.rewatch()
		case st != nats.CONNECTED && connected:
			connected, lostAt = false, time.Now()
		case st != nats.CONNECTED && !s.natsDown.Load() && time.Since(lostAt) >= unavailableAfter:
			s.lostNATS()
		}
	}
}

// lostNATS closes every live connection (unavailable: connect again) and lets
// every room go.
func (s *Service) lostNATS() {
	s.natsDown.Store(true)
	s.logf("live: NATS unreachable for %v: live connections told to connect again", unavailableAfter)
	s.mu.Lock()
	conns := make([]*client, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	hubs := s.hubs
	s.hubs = map[string]*hub{}
	s.metrics.Rooms.Add(-int64(len(hubs)))
	for _, h := range hubs {
		if h.linger != nil {
			h.linger.Stop()
		}
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.close(proto.ReasonUnavailable, "the server cannot reach its message system: connect again")
	}
	time.AfterFunc(time.Second, func() {
		for _, h := range hubs {
			h.cancel()
		}
	})
}

// rewatch has every room held here watch its keys again.
func (s *Service) rewatch() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range s.hubs {
		go h.rewatch()
	}
}

// Start serves the live classroom on the NATS that opt names (-nats), or on
// one embedded in the process; Close stops it.
func Start(opt Options) (*Service, error) {
	if err := opt.Check(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg := EngineConfig{Idle: opt.Idle, Grace: opt.Grace, Replicas: opt.NATSReplicas, FileStorage: opt.NATSStorage == "file"}
	var eng *Engine
	var err error
	if opt.NATS != "" {
		eng, err = External(ctx, opt.NATS, opt.NATSCreds, cfg)
	} else {
		eng, err = Embedded(ctx, cfg)
	}
	if err != nil {
		return nil, err
	}
	s, err := New(eng, opt)
	if err != nil {
		eng.Close()
		return nil, err
	}
	s.ownsEng = true
	// Connections are most of a live server's heap, and they stay: the
	// collector's default headroom (as much again) would be most of the memory
	// a connection costs. Half of it is plenty (measured in make bench: memory
	// per connection); GOGC, or a lower setting the server made, wins.
	if os.Getenv("GOGC") == "" {
		if old := debug.SetGCPercent(liveGCPercent); old >= 0 && old < liveGCPercent {
			debug.SetGCPercent(old)
		}
	}
	return s, nil
}

// liveGCPercent is the collector's target with the live classroom on.
const liveGCPercent = 50

// Engine is the service's engine.
func (s *Service) Engine() *Engine { return s.eng }

// Metrics are the service's counters.
func (s *Service) Metrics() *Metrics { return s.metrics }

// Healthy says whether the service can reach NATS.
func (s *Service) Healthy() error { return s.eng.Healthy() }

func (s *Service) logf(format string, a ...any) {
	if s.opt.Log != nil {
		s.opt.Log.Warn(fmt.Sprintf(format, a...))
	}
}

// Restart tells every live connection to connect again (close 1012) and refuses
// new ones; it does not wait. http.Server.RegisterOnShutdown calls it: hijacked
// connections are not the server's to drain.
func (s *Service) Restart() {
	s.mu.Lock()
	s.closing = true
	conns := make([]*client, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.close(proto.ReasonRestart, "the server is restarting: connect again")
	}
}

// Close restarts every connection and waits (up to ctx) for them to end, then
// stops watching rooms and, if it started it, the embedded NATS. Presence is
// left to expire, so members who connect again within the grace time, to this
// server's successor or another, keep their place. Calls after the first return
// its result.
func (s *Service) Close(ctx context.Context) error {
	s.closeOnce.Do(func() { s.closeErr = s.close(ctx) })
	return s.closeErr
}

func (s *Service) close(ctx context.Context) error {
	s.Restart()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = errors.New("live: connections still closing")
	}
	s.cancel()
	if s.ownsEng {
		s.eng.Close()
	}
	return err
}

// ServeHTTP serves /live/info, /live/ws and /live/metrics.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/live/ws":
		s.serveWS(w, r)
	case "/live/info":
		// Read by the page, also from a sandboxed frame (an opaque origin, so a
		// cross-origin request): it holds nothing private.
		w.Header().Set("Access-Control-Allow-Origin", "*")
		s.serveJSON(w, r, Info{V: proto.Version, WS: "live/ws", Steps: s.opt.Steps, MaxMembers: s.opt.MaxMembers,
			MaxName: proto.MaxName, CodeLength: proto.CodeLen, Alphabet: proto.CodeAlphabet})
	case "/live/metrics":
		s.serveJSON(w, r, s.metrics.Snapshot())
	default:
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "not found", http.StatusNotFound)
	}
}

// Info is /live/info: a page that gets it knows a live server is there (a static
// host answers 404) and where to connect, relative to the page's own address.
type Info struct {
	V          int    `json:"v"`
	WS         string `json:"ws"`
	Steps      int    `json:"steps"`
	MaxMembers int    `json:"maxMembers"`
	MaxName    int    `json:"maxName"`
	CodeLength int    `json:"codeLength"`
	Alphabet   string `json:"alphabet"`
}

func (s *Service) serveJSON(w http.ResponseWriter, r *http.Request, v any) {
	b, _ := json.Marshal(v)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", fmt.Sprint(len(b)+1))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(append(b, '\n'))
}

// originAllowed: a page of this site (its Host, or its public address), an
// origin that may frame it (-frame-ancestors), or an opaque origin ("null": a
// frame sandboxed without allow-same-origin) unless framing is refused. A
// client with no Origin is not a browser and is let in: no credential is ever
// ambient here (no cookies; the presenter's secret travels in a message), so
// the check guards against other sites' pages using the classroom, not against
// forged requests.
func (s *Service) originAllowed(r *http.Request) bool {
	o := r.Header.Get("Origin")
	switch o {
	case "":
		return true
	case "null":
		return s.allowNull
	}
	u, err := url.Parse(o)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	origin := strings.ToLower(u.Scheme + "://" + u.Host)
	for _, a := range s.origins {
		if a == origin {
			return true
		}
		// A CSP host wildcard: https://*.example.edu
		if scheme, host, ok := strings.Cut(a, "://*."); ok && strings.HasPrefix(origin, scheme+"://") && strings.HasSuffix(origin, "."+host) {
			return true
		}
	}
	return false
}

func (s *Service) serveWS(w http.ResponseWriter, r *http.Request) {
	if !s.originAllowed(r) {
		s.metrics.Origin.Add(1)
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "this origin may not connect to the live classroom", http.StatusForbidden)
		return
	}
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true}) // checked above
	if err != nil {
		return // Accept answered (426, 400...)
	}
	ws.SetReadLimit(proto.MaxMessage)
	s.metrics.Accepted.Add(1)
	c := newClient(s, ws)
	s.mu.Lock()
	refuse := proto.Reason("")
	switch {
	case s.closing:
		refuse = proto.ReasonRestart
	case s.natsDown.Load():
		refuse = proto.ReasonUnavailable
	case len(s.conns) >= s.opt.MaxConns:
		refuse = proto.ReasonServerFull
	}
	if refuse == "" {
		s.conns[c] = struct{}{}
		s.wg.Add(1)
	}
	s.mu.Unlock()
	if refuse != "" {
		s.metrics.refuse(refuse)
		c.close(refuse, "")
		c.runWriter()
		return
	}
	s.metrics.Connections.Add(1)
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		s.metrics.Connections.Add(-1)
		s.wg.Done()
	}()
	c.serve()
}

// acquire holds the room code on this server (its hub) for one connection, and
// waits until the hub knows the room. A code that names no room gives
// unknown-code.
func (s *Service) acquire(ctx context.Context, code string) (*hub, proto.Reason) {
	s.mu.Lock()
	h := s.hubs[code]
	switch {
	case s.closing:
		s.mu.Unlock()
		return nil, proto.ReasonRestart
	case h != nil:
		if h.linger != nil {
			h.linger.Stop()
			h.linger = nil
		}
	case len(s.hubs) >= s.opt.MaxRooms:
		s.mu.Unlock()
		return nil, proto.ReasonServerFull
	default:
		h = newHub(s, code)
		s.hubs[code] = h
		s.metrics.Rooms.Add(1)
		go h.start()
	}
	h.refs++
	s.mu.Unlock()
	select {
	case <-h.loaded:
	case <-ctx.Done():
		s.release(h)
		return nil, proto.ReasonUnavailable
	}
	h.mu.Lock()
	failed, missing, ended := h.failed, h.missing, h.ended
	h.mu.Unlock()
	switch {
	case failed != nil:
		s.release(h)
		s.forget(h)
		return nil, proto.ReasonUnavailable
	case missing:
		s.release(h)
		s.forget(h)
		return nil, proto.ReasonUnknownCode
	case ended:
		s.release(h)
		return nil, proto.ReasonRoomEnded
	}
	return h, ""
}

// release lets go of a hub; the last connection's release lets the hub linger a
// moment (a reload comes straight back) before it stops.
func (s *Service) release(h *hub) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h.refs--
	if h.refs > 0 || s.hubs[h.code] != h {
		return
	}
	h.linger = time.AfterFunc(s.opt.Linger, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if h.refs == 0 && s.hubs[h.code] == h {
			delete(s.hubs, h.code)
			s.metrics.Rooms.Add(-1)
			h.cancel()
		}
	})
}

// forget drops a hub whose room is gone; connections still holding it let go
// by themselves.
func (s *Service) forget(h *hub) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hubs[h.code] == h {
		delete(s.hubs, h.code)
		s.metrics.Rooms.Add(-1)
		if h.linger != nil {
			h.linger.Stop()
		}
		// The watchers stop once the connections had their last messages.
		time.AfterFunc(time.Second, h.cancel)
	}
}
