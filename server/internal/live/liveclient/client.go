package liveclient

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/connectedlearning/diagram/server/internal/live/proto"
)

// Config says where to connect and as whom.
type Config struct {
	URL    string // ws://host/live/ws
	Origin string // the page's origin, sent as Origin ("" sends none)

	// A presenter opens a room at Step (Code empty), or takes control of room
	// Code with Secret. A follower joins room Code as Name ("" for a generated
	// name) in Lang.
	Presenter bool
	Step      int
	Code      string
	Secret    string
	Name      string
	Lang      string

	MinBackoff time.Duration // the first retry's bound (250 ms)
	MaxBackoff time.Duration // the longest wait between tries (5 s)
	PingEvery  time.Duration // an application ping after this long without one (10 s)
	PongWait   time.Duration // no message at all this long after a ping: the connection is dead (5 s)
	DialWait   time.Duration // for the WebSocket handshake (10 s)
}

// Status is what the page shows about its connection.
type Status string

const (
	Connecting   Status = "connecting"   // before the first snapshot
	Live         Status = "live"         // a snapshot arrived on this connection
	Reconnecting Status = "reconnecting" // the connection ended for a reason that says connect again
	Ended        Status = "ended"        // a final reason (room ended, removed, unknown code...) or Close
)

// State is what the page knows, as it would show it.
type State struct {
	Status Status
	// Reason is why the last connection ended (the close frame's reason, or
	// "abnormal" when it ended without one), or why the client ended.
	Reason string

	Code, Secret string    // the room (Secret: a presenter's)
	You          proto.You // a follower's id, name and resume token
	Seq          uint64    // the newest revision applied
	Step         int
	Presenting   bool
	Joining      bool
	Presenter    bool              // the room's presenter is connected
	Roster       map[string]string // member id -> name

	Pulses     int // pulses seen (from any member)
	Snapshots  int // snapshots received: connections that became live
	Drops      int // connections that ended and were tried again
	LastDrop   time.Time
	LastLive   time.Time
	Stale      int // snapshots older than what the page had seen (kept out)
	Backwards  int // events whose seq went backwards (kept out)
	LastCloses []int
}

// Seen is a step the page showed, and where from.
type Seen struct {
	Seq      uint64
	Step     int
	Snapshot bool // from a snapshot (on a (re)connect), else from a step event
	At       time.Time
}

// Client is one page's connection to the live classroom, kept up as the page
// must keep it (see the package documentation).
type Client struct {
	cfg    Config
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}

	mu      sync.Mutex
	st      State
	snapSeq uint64
	seen    []Seen
	want    int             // a presenter's step (0: none asked yet)
	ws      *websocket.Conn // the current connection, nil between them
	changed chan struct{}   // closed and replaced at every change of the state
}

// Start connects in the background and keeps connecting until the client ends
// (a final reason, or Close).
func Start(cfg Config) *Client {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&cfg.MinBackoff, 250*time.Millisecond)
	def(&cfg.MaxBackoff, 5*time.Second)
	def(&cfg.PingEvery, 10*time.Second)
	def(&cfg.PongWait, 5*time.Second)
	def(&cfg.DialWait, 10*time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	c := &Client{cfg: cfg, ctx: ctx, cancel: cancel, done: make(chan struct{}), changed: make(chan struct{}),
		st: State{Status: Connecting, Code: cfg.Code, Secret: cfg.Secret, Roster: map[string]string{}}}
	if cfg.Presenter && cfg.Step > 0 {
		c.want = cfg.Step
	}
	go c.run()
	return c
}

// State is a copy of the client's state.
func (c *Client) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.st
	s.Roster = make(map[string]string, len(c.st.Roster))
	for k, v := range c.st.Roster {
		s.Roster[k] = v
	}
	s.LastCloses = append([]int(nil), c.st.LastCloses...)
	return s
}

// Seen is every step the page showed, in order.
func (c *Client) Seen() []Seen {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Seen(nil), c.seen...)
}

// Wait waits until cond holds of the state, or ctx ends.
func (c *Client) Wait(ctx context.Context, cond func(State) bool) error {
	for {
		c.mu.Lock()
		ch := c.changed
		c.mu.Unlock()
		if cond(c.State()) {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// GoTo is a presenter's step: sent now if connected, and again after every
// reconnection until the room has it (the presenter's page is the source of
// its step: what it sent while the connection was dying is not lost).
func (c *Client) GoTo(step int) {
	c.mu.Lock()
	c.want = step
	ws, live := c.ws, c.st.Status == Live
	c.mu.Unlock()
	if live {
		c.write(ws, proto.GoTo{Type: proto.TypeStep, Step: step, Presenting: true})
	}
}

// Pulse is a follower's "Send a connection" (dropped when not connected).
func (c *Client) Pulse() {
	c.mu.Lock()
	ws, live := c.ws, c.st.Status == Live
	c.mu.Unlock()
	if live {
		c.write(ws, proto.Pulse{Type: proto.TypePulse})
	}
}

// Close ends the client without leaving the room (a tab closed: the member
// stays for the grace time).
func (c *Client) Close() {
	c.cancel()
	<-c.done
}

func (c *Client) notify() {
	close(c.changed)
	c.changed = make(chan struct{})
}

func (c *Client) write(ws *websocket.Conn, v any) {
	if ws == nil {
		return
	}
	ctx, cancel := context.WithTimeout(c.ctx, 10*time.Second)
	defer cancel()
	if err := ws.Write(ctx, websocket.MessageText, proto.Encode(v)); err != nil {
		ws.CloseNow() // the reader sees it end and the client reconnects
	}
}

func (c *Client) run() {
	defer close(c.done)
	attempt := 0
	for {
		closeCode, reason, retry, wasLive := c.connect()
		c.mu.Lock()
		c.ws = nil
		if c.ctx.Err() != nil {
			c.st.Status, c.st.Reason = Ended, "closed"
			c.notify()
			c.mu.Unlock()
			return
		}
		c.st.LastCloses = append(c.st.LastCloses, closeCode)
		c.st.Reason = reason
		info, known := proto.Reason(reason).Info()
		if closeCode > 0 {
			for _, r := range proto.Reasons {
				if r.Close == closeCode {
					info, known = r, true
				}
			}
		}
		if known && !info.Reconnect {
			c.st.Status = Ended
			c.notify()
			c.mu.Unlock()
			return
		}
		c.st.Status, c.st.Drops, c.st.LastDrop = Reconnecting, c.st.Drops+1, time.Now()
		c.notify()
		c.mu.Unlock()
		if wasLive {
			attempt = 0
		}
		d := backoff(c.cfg.MinBackoff, c.cfg.MaxBackoff, attempt)
		if known && (info.Reason == proto.ReasonRateLimited || info.Reason == proto.ReasonServerFull) {
			d = max(retry, c.cfg.MaxBackoff) // "yes, later"
		}
		attempt++
		select {
		case <-time.After(d):
		case <-c.ctx.Done():
		}
	}
}

// backoff is the wait before try n (0 the first after a drop): the bound
// doubles from min up to max, and the wait is drawn uniformly from its upper
// half, so that a server's pages, dropped at once, come back spread out.
func backoff(min, max time.Duration, n int) time.Duration {
	d := min
	for i := 0; i < n && d < max; i++ {
		d *= 2
	}
	d = minDur(d, max)
	return d/2 + rand.N(d/2+1)
}

func minDur(a, b time.Duration) time.Duration {
	if a < b {
		return a
	}
	return b
}

// message is any message from the server.
type message struct {
	Type       string         `json:"type"`
	Seq        uint64         `json:"seq"`
	Room       proto.Room     `json:"room"`
	You        *proto.You     `json:"you"`
	Roster     []proto.Member `json:"roster"`
	Code       string         `json:"code"`
	Secret     string         `json:"secret"`
	Step       int            `json:"step"`
	Presenting bool           `json:"presenting"`
	Open       bool           `json:"open"`
	Online     bool           `json:"online"`
	Member     proto.Member   `json:"member"`
	ID         string         `json:"id"`
	Fatal      bool           `json:"fatal"`
	Retry      int            `json:"retry"`
}

// connect runs one connection to its end: the close status (-1 without a close
// frame), the reason, the wait a refusal asked for, and whether it became live.
func (c *Client) connect() (closeCode int, reason string, retry time.Duration, wasLive bool) {
	dctx, cancel := context.WithTimeout(c.ctx, c.cfg.DialWait)
	h := http.Header{}
	if c.cfg.Origin != "" {
		h.Set("Origin", c.cfg.Origin)
	}
	ws, resp, err := websocket.Dial(dctx, c.cfg.URL, &websocket.DialOptions{HTTPHeader: h})
	cancel()
	if err != nil {
		if resp != nil {
			return -1, "http " + http.StatusText(resp.StatusCode), 0, false
		}
		return -1, "unreachable", 0, false
	}
	defer ws.CloseNow()
	ws.SetReadLimit(4 << 20)

	c.mu.Lock()
	c.ws = ws
	st := c.st
	var first any
	switch {
	case c.cfg.Presenter && st.Code == "":
		first = proto.Open{Type: proto.TypeOpen, Step: max(c.want, 1), Presenting: true, Lang: c.cfg.Lang}
	case c.cfg.Presenter:
		first = proto.Present{Type: proto.TypePresent, Code: st.Code, Secret: st.Secret, Seq: st.Seq}
	default:
		// A rejoin says who it was and the last revision it applied.
		first = proto.Join{Type: proto.TypeJoin, Code: st.Code, Name: c.cfg.Name, Lang: c.cfg.Lang, ID: st.You.ID, Token: st.You.Token, Seq: st.Seq}
	}
	c.mu.Unlock()
	c.write(ws, first)

	// Liveness: a ping after PingEvery; no message at all within PongWait
	// after it and the connection is taken for dead.
	lastIn := make(chan struct{}, 1)
	pingDone := make(chan struct{})
	defer close(pingDone)
	go func() {
		for {
			select {
			case <-time.After(c.cfg.PingEvery):
			case <-pingDone:
				return
			}
			c.write(ws, proto.Ping{Type: proto.TypePing, T: float64(time.Now().UnixMilli())})
			select {
			case <-lastIn:
			case <-time.After(c.cfg.PongWait):
				ws.CloseNow()
				return
			case <-pingDone:
				return
			}
		}
	}()

	for {
		_, b, err := ws.Read(c.ctx)
		if err != nil {
			code := int(websocket.CloseStatus(err))
			var ce websocket.CloseError
			if errors.As(err, &ce) && ce.Reason != "" {
				reason = ce.Reason
			} else if reason == "" {
				reason = "abnormal"
			}
			return code, reason, retry, wasLive
		}
		select {
		case lastIn <- struct{}{}:
		default:
		}
		var m message
		if json.Unmarshal(b, &m) != nil {
			continue
		}
		if m.Type == "error" && m.Fatal {
			reason, retry = m.Code, time.Duration(m.Retry)*time.Millisecond
		}
		if m.Type == "error" && !m.Fatal && c.cfg.Presenter && (m.Code == string(proto.ReasonUnavailable) || m.Code == string(proto.ReasonInternal)) {
			// The room could not take the step now (NATS failing over): ask
			// again in a second, if the room still does not have it.
			go func() {
				select {
				case <-time.After(time.Second):
				case <-pingDone:
					return
				}
				c.mu.Lock()
				resend := c.resendLocked()
				c.mu.Unlock()
				if resend > 0 {
					c.write(ws, proto.GoTo{Type: proto.TypeStep, Step: resend, Presenting: true})
				}
			}()
		}
		if m.Type == "snapshot" {
			wasLive = true
		}
		if resend := c.apply(m); resend > 0 {
			c.write(ws, proto.GoTo{Type: proto.TypeStep, Step: resend, Presenting: true})
		}
	}
}

// apply applies one message as the page does; it returns a step a presenter
// must send again (the room does not have the one it asked for).
func (c *Client) apply(m message) (resend int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.notify()
	st := &c.st
	now := time.Now()
	switch m.Type {
	case "opened":
		st.Code, st.Secret = m.Code, m.Secret
		return 0
	case "snapshot":
		st.Status, st.Snapshots, st.LastLive = Live, st.Snapshots+1, now
		if m.You != nil {
			st.You = *m.You
		}
		if m.Seq < st.Seq {
			st.Stale++ // older than what the page showed: keep what it has
			return c.resendLocked()
		}
		c.snapSeq, st.Seq = m.Seq, m.Seq
		if st.Step != m.Room.Step || len(c.seen) == 0 {
			c.seen = append(c.seen, Seen{Seq: m.Seq, Step: m.Room.Step, Snapshot: true, At: now})
		}
		st.Step, st.Presenting, st.Joining, st.Presenter = m.Room.Step, m.Room.Presenting, m.Room.Joining, m.Room.Presenter
		st.Roster = make(map[string]string, len(m.Roster))
		for _, x := range m.Roster {
			st.Roster[x.ID] = x.Name
		}
		return c.resendLocked()
	case "step", "joining", "joined", "renamed", "left", "presenter", "ended":
		// An event applies only above the snapshot's seq and never below the
		// last event's (the events of one revision share its seq).
		if m.Seq <= c.snapSeq || m.Seq < st.Seq {
			st.Backwards++
			return 0
		}
		st.Seq = m.Seq
	case "pulse":
		st.Pulses++
		return 0
	default: // pong, error: not state
		return 0
	}
	switch m.Type {
	case "step":
		st.Step, st.Presenting = m.Step, m.Presenting
		c.seen = append(c.seen, Seen{Seq: m.Seq, Step: m.Step, At: now})
	case "joining":
		st.Joining = m.Open
	case "joined", "renamed":
		st.Roster[m.Member.ID] = m.Member.Name
		if m.Member.ID == st.You.ID {
			st.You.Name = m.Member.Name
		}
	case "left":
		delete(st.Roster, m.ID)
	case "presenter":
		st.Presenter = m.Online
	case "ended":
		st.Status, st.Reason = Ended, string(proto.ReasonRoomEnded)
	}
	return 0
}

func (c *Client) resendLocked() int {
	if c.cfg.Presenter && c.want > 0 && c.want != c.st.Step {
		return c.want
	}
	return 0
}
