package live

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	mrand "math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/time/rate"

	"github.com/connectedlearning/diagram/server/internal/live/proto"
)

// reasonGone: the connection is already gone (read error, peer closed); nothing
// is sent.
const reasonGone proto.Reason = ""

// A client is one WebSocket connection. Its writer goroutine is the only one to
// write to the socket: everything else queues encoded messages (send), which
// never blocks; a full queue closes the connection (too-slow).
type client struct {
	s  *Service
	ws *websocket.Conn
	id string // connection id, unique across servers; the room record names its presenter by it

	role   proto.Role
	hub    *hub
	code   string
	member string // a follower's member id
	lang   string // the language of its generated names
	secret []byte // a presenter's secret, hashed: to take control back after a lapse

	queue chan []byte
	lim   *rate.Limiter
	// watchdog cuts the connection when one write takes longer than
	// WriteTimeout: one timer for the connection's life, reset per write,
	// where a context with a timeout per message would allocate one each.
	watchdog *time.Timer

	once   sync.Once
	quit   chan struct{} // closed by close(): the writer flushes, says why, and closes
	reason proto.Reason
	detail string
	done   chan struct{} // closed when the writer has finished

	lastLimited time.Time
	strikes     int       // messages refused by the rate limit since strikeStart
	strikeStart time.Time // the start of the current 10 s window
}

func newClient(s *Service, ws *websocket.Conn) *client {
	return &client{s: s, ws: ws, id: s.id + "-" + strconv.FormatUint(s.connSeq.Add(1), 36),
		queue: make(chan []byte, s.opt.QueueLen), lim: rate.NewLimiter(s.opt.MessageRate, s.opt.MessageBurst),
		quit: make(chan struct{}), done: make(chan struct{})}
}

// send queues a message; it never blocks.
func (c *client) send(b []byte) {
	select {
	case c.queue <- b:
		c.s.metrics.Sent.Add(1)
	default:
		c.s.metrics.refuse(proto.ReasonTooSlow)
		c.close(proto.ReasonTooSlow, "")
	}
}

func (c *client) sendError(r proto.Reason, detail string) {
	c.send(proto.Encode(proto.NewError(r, false, detail)))
}

// close ends the connection for r: the writer sends what is queued, then (but
// for a normal end or an ended room, which say so themselves) an Error saying
// why, then the close frame with r's status. Only the first call counts.
func (c *client) close(r proto.Reason, detail string) {
	c.once.Do(func() {
		c.reason, c.detail = r, detail
		close(c.quit)
	})
}

func (c *client) closing() bool {
	select {
	case <-c.quit:
		return true
	default:
		return false
	}
}

func (c *client) runWriter() {
	defer close(c.done)
	for {
		select {
		case b := <-c.queue:
			if !c.write(b) {
				c.ws.CloseNow()
				return
			}
		case <-c.quit:
			c.finish()
			return
		}
	}
}

func (c *client) write(b []byte) bool {
	if c.watchdog == nil {
		c.watchdog = time.AfterFunc(c.s.opt.WriteTimeout, func() { c.ws.CloseNow() })
	} else {
		c.watchdog.Reset(c.s.opt.WriteTimeout)
	}
	err := c.ws.Write(context.Background(), websocket.MessageText, b)
	c.watchdog.Stop()
	return err == nil
}

func (c *client) finish() {
	r := c.reason
	if r == reasonGone {
		c.ws.CloseNow()
		return
	}
	if r != proto.ReasonTooSlow {
		for n := len(c.queue); n > 0; n-- {
			if !c.write(<-c.queue) {
				c.ws.CloseNow()
				return
			}
		}
		if r != proto.ReasonLeft && r != proto.ReasonRoomEnded {
			c.write(proto.Encode(proto.NewError(r, true, c.detail)))
		}
	}
	c.ws.Close(websocket.StatusCode(r.Close()), string(r))
}

// serve runs the connection: its first message, then every other, until it ends.
func (c *client) serve() {
	go c.runWriter()
	defer func() {
		c.close(reasonGone, "")
		select {
		case <-c.done:
		case <-time.After(c.s.opt.WriteTimeout + 15*time.Second):
		}
		if c.hub != nil {
			c.hub.unregister(c)
			c.s.release(c.hub)
		}
	}()
	hello := time.AfterFunc(c.s.opt.HelloTimeout, func() {
		c.s.metrics.refuse(proto.ReasonTimeout)
		c.close(proto.ReasonTimeout, "no first message in time")
	})
	b, ok := c.read()
	hello.Stop()
	if !ok || c.closing() {
		return
	}
	m, err := proto.ParseClient(b)
	if err != nil {
		r := err.(*proto.ParseError)
		c.refuse(r.Reason)
		c.close(r.Reason, r.Detail)
		return
	}
	ctx, cancel := context.WithTimeout(c.s.ctx, 15*time.Second)
	var refuse proto.Reason
	var detail string
	switch m := m.(type) {
	case proto.Open:
		refuse, detail = c.open(ctx, m)
	case proto.Present:
		refuse, detail = c.present(ctx, m)
	case proto.Join:
		refuse, detail = c.join(ctx, m)
	default:
		refuse, detail = proto.ReasonBadMessage, "the first message must be open, present or join"
	}
	cancel()
	if refuse != "" {
		c.refuse(refuse)
		c.close(refuse, detail)
		return
	}
	if c.role == proto.RolePresenter {
		// A presenter drives the room: a clicker held down, a few rooms' worth of
		// commands from one connection.
		c.lim = rate.NewLimiter(4*c.s.opt.MessageRate, 4*c.s.opt.MessageBurst)
	}
	c.schedulePing()
	for {
		b, ok := c.read()
		if !ok {
			return
		}
		if c.closing() {
			continue // the close handshake is under way: read until it ends
		}
		if !c.lim.Allow() {
			c.limited()
			continue
		}
		m, err := proto.ParseClient(b)
		if err != nil {
			pe := err.(*proto.ParseError)
			c.refuse(pe.Reason)
			c.sendError(pe.Reason, pe.Detail)
			continue
		}
		if c.role == proto.RolePresenter {
			c.presenterMessage(m)
		} else {
			c.followerMessage(m)
		}
	}
}

// read reads one text message; false when the connection is over.
func (c *client) read() ([]byte, bool) {
	for {
		typ, b, err := c.ws.Read(c.s.ctx)
		if err != nil {
			if errors.Is(err, websocket.ErrMessageTooBig) {
				c.refuse(proto.ReasonTooBig)
			}
			c.close(reasonGone, "")
			return nil, false
		}
		c.s.metrics.Received.Add(1)
		if typ != websocket.MessageText {
			c.refuse(proto.ReasonBadMessage)
			c.sendError(proto.ReasonBadMessage, "binary messages are not part of the protocol")
			continue
		}
		return b, true
	}
}

func (c *client) refuse(r proto.Reason) { c.s.metrics.refuse(r) }

// limited handles a message over the connection's rate: refused, said at most
// once a second, and the connection closed when more than ten bursts' worth are
// refused within 10 s (a page gone wrong, or a flood).
func (c *client) limited() {
	c.refuse(proto.ReasonRateLimited)
	now := time.Now()
	if now.Sub(c.strikeStart) > 10*time.Second {
		c.strikeStart, c.strikes = now, 0
	}
	c.strikes++
	if c.strikes > 10*c.lim.Burst() {
		c.close(proto.ReasonRateLimited, "too many messages")
		return
	}
	if now.Sub(c.lastLimited) > time.Second {
		c.lastLimited = now
		e := proto.NewError(proto.ReasonRateLimited, false, "too many messages")
		e.Retry = int(time.Second / time.Millisecond)
		c.send(proto.Encode(e))
	}
}

// --- The first message ---

func (c *client) open(ctx context.Context, m proto.Open) (proto.Reason, string) {
	if m.Step > c.s.opt.Steps {
		return proto.ReasonBadMessage, "open: no such step"
	}
	c.s.mu.Lock()
	full := len(c.s.hubs) >= c.s.opt.MaxRooms
	c.s.mu.Unlock()
	if full {
		return proto.ReasonServerFull, "this server holds its maximum of rooms"
	}
	secret := proto.NewSecret()
	rec := &record{V: 1, Secret: hash(secret), Presenter: c.id, Step: m.Step, Presenting: m.Presenting,
		Max: c.s.opt.MaxMembers, Members: []memberRec{}, Touched: time.Now().UnixMilli()}
	var code string
	var rev uint64
	for try := 0; ; try++ {
		code = proto.NewCode()
		var err error
		rev, err = c.s.eng.rooms.Create(ctx, code, rec.encode())
		if err == nil {
			break
		}
		if !errors.Is(err, jetstream.ErrKeyExists) || try == 8 {
			c.s.logf("live: opening a room: %v", err)
			return proto.ReasonUnavailable, ""
		}
	}
	c.role, c.code, c.secret = proto.RolePresenter, code, hash(secret)
	c.heartbeat(ctx)
	h, r := c.s.acquire(ctx, code)
	if r != "" {
		c.s.eng.rooms.Purge(context.Background(), code, jetstream.PurgeTTL(markerTTL))
		return r, ""
	}
	c.hub = h
	h.waitSeq(ctx, rev)
	c.send(proto.Encode(proto.Opened{Type: proto.TypeOpened, Code: code, Secret: secret}))
	if r := h.register(c, nil); r != "" {
		return r, ""
	}
	c.s.metrics.Opened.Add(1)
	return "", ""
}

func (c *client) present(ctx context.Context, m proto.Present) (proto.Reason, string) {
	code, ok := proto.ParseCode(m.Code)
	if !ok {
		return proto.ReasonUnknownCode, ""
	}
	h, r := c.s.acquire(ctx, code)
	if r != "" {
		return r, ""
	}
	c.hub = h
	if rec, _ := h.snapshotRecord(); !matches(rec.Secret, m.Secret) {
		return proto.ReasonNotAllowed, "not this room's secret"
	}
	c.role, c.code, c.secret = proto.RolePresenter, code, hash(m.Secret)
	c.heartbeat(ctx)
	res := h.do(ctx, c.claim)
	if res.refuse != "" {
		return res.refuse, ""
	}
	h.waitSeq(ctx, res.rev)
	c.catchUp(ctx, m.Seq)
	if r := h.register(c, nil); r != "" {
		return r, ""
	}
	c.s.metrics.Presented.Add(1)
	return "", ""
}

// claim makes this connection the room's presenter.
func (c *client) claim(r *record) (bool, proto.Reason) {
	if len(r.Secret) == 0 || !equalHash(r.Secret, c.secret) {
		return false, proto.ReasonNotAllowed
	}
	if r.Presenter == c.id {
		return false, ""
	}
	r.Presenter = c.id
	return true, ""
}

func (c *client) join(ctx context.Context, m proto.Join) (proto.Reason, string) {
	code, ok := proto.ParseCode(m.Code)
	if !ok {
		return c.unknownCode()
	}
	h, r := c.s.acquire(ctx, code)
	if r == proto.ReasonUnknownCode {
		return c.unknownCode()
	}
	if r != "" {
		return r, ""
	}
	c.hub, c.code, c.role, c.lang = h, code, proto.RoleFollower, language(m.Lang)
	if m.ID != "" {
		rec, _ := h.snapshotRecord()
		if i := rec.member(m.ID); i >= 0 && matches(rec.Members[i].Token, m.Token) {
			c.member = m.ID
			c.heartbeat(ctx)
			c.catchUp(ctx, m.Seq)
			if r := h.register(c, &proto.You{ID: m.ID, Token: m.Token}); r != "" {
				return r, ""
			}
			c.s.metrics.Rejoined.Add(1)
			return "", ""
		}
		// Gone meanwhile (removed, timed out) or not its token: a new member.
	}
	name, ok := proto.NormalizeName(m.Name)
	if !ok {
		c.refuse(proto.ReasonBadName)
		c.sendError(proto.ReasonBadName, "the name is too long: a generated one instead")
		name = ""
	}
	c.member = newMemberID()
	token := proto.NewSecret()
	lang := c.lang
	c.heartbeat(ctx)
	res := h.do(ctx, func(r *record) (bool, proto.Reason) {
		switch {
		case r.member(c.member) >= 0:
			return false, ""
		case r.Closed:
			return false, proto.ReasonJoiningClosed
		case len(r.Members) >= r.Max:
			return false, proto.ReasonRoomFull
		}
		n, gen := name, name == ""
		if gen {
			n = friendlyName(lang, r.named)
		}
		r.addMember(memberRec{ID: c.member, Name: n, Token: hash(token), Gen: gen})
		return true, ""
	})
	if res.refuse != "" {
		c.dropPresence()
		return res.refuse, ""
	}
	h.waitSeq(ctx, res.rev)
	if r := h.register(c, &proto.You{ID: c.member, Token: token}); r != "" {
		return r, ""
	}
	c.s.metrics.Joined.Add(1)
	return "", ""
}

// catchUp waits, briefly, until this server's copy of the room is as new as what
// the page last saw (on another server, say): its snapshot is then never older.
// A page's seq is not trusted further than that: past the wait, the snapshot
// goes as it is.
func (c *client) catchUp(ctx context.Context, seq uint64) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	c.hub.waitSeq(ctx, seq)
}

func (c *client) unknownCode() (proto.Reason, string) {
	if !c.s.failedJoins.Allow() {
		return proto.ReasonRateLimited, "too many unknown codes tried on this server"
	}
	return proto.ReasonUnknownCode, ""
}

func newMemberID() string {
	var b [6]byte
	rand.Read(b[:])
	return "m" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// --- Presence ---

func (c *client) presenceKey() string {
	if c.role == proto.RolePresenter {
		return presenceKey(c.code, presenterKey)
	}
	return presenceKey(c.code, c.member)
}

// heartbeat refreshes the connection's presence; a presenter whose control
// lapsed (its presence expired in a stall) takes it back.
func (c *client) heartbeat(ctx context.Context) {
	if _, err := c.s.eng.presence.Put(ctx, c.presenceKey(), []byte(c.id)); err != nil {
		c.s.logf("live: refreshing presence: %v", err)
	}
	if c.role == proto.RolePresenter && c.hub != nil {
		if rec, _ := c.hub.snapshotRecord(); rec != nil && rec.Presenter == "" {
			c.hub.post(c.claim)
		}
	}
}

func (c *client) dropPresence() {
	ctx, cancel := context.WithTimeout(c.s.ctx, 5*time.Second)
	defer cancel()
	c.s.eng.presence.Purge(ctx, c.presenceKey(), jetstream.PurgeTTL(markerTTL))
}

// schedulePing pings the page after PingInterval, from a timer rather than a
// goroutine of its own (a connection costs its stacks); each answer refreshes
// its presence and schedules the next. A page that stops answering is closed
// (timeout), and its presence then expires after the grace time unless it
// connects again.
func (c *client) schedulePing() {
	// Each wait drawn from the last quarter of the interval: the pings (and
	// presence writes) of a class that joined at once spread out rather than
	// coming in bursts that delay the steps.
	d := c.s.opt.PingInterval
	d -= time.Duration(mrand.Int64N(int64(d/4) + 1))
	time.AfterFunc(d, func() {
		if c.closing() {
			return
		}
		ctx, cancel := context.WithTimeout(c.s.ctx, c.s.opt.PingInterval)
		defer cancel()
		if err := c.ws.Ping(ctx); err != nil {
			if !c.closing() {
				c.refuse(proto.ReasonTimeout)
			}
			c.close(proto.ReasonTimeout, "no answer to pings")
			return
		}
		c.heartbeat(ctx)
		c.schedulePing()
	})
}

// --- Messages after the first ---

func (c *client) followerMessage(m proto.Client) {
	ctx, cancel := context.WithTimeout(c.s.ctx, 10*time.Second)
	defer cancel()
	switch m := m.(type) {
	case proto.Rename:
		name, ok := proto.NormalizeName(m.Name)
		if !ok {
			c.refuse(proto.ReasonBadName)
			c.sendError(proto.ReasonBadName, "the name is too long once normalised")
			return
		}
		res := c.hub.do(ctx, func(r *record) (bool, proto.Reason) {
			i := r.member(c.member)
			if i < 0 {
				return false, proto.ReasonRemoved
			}
			if name == "" {
				if r.generated(i) {
					return false, ""
				}
				r.setName(i, friendlyName(c.lang, r.named), true)
				return true, ""
			}
			if r.Members[i].Name == name {
				return false, ""
			}
			r.setName(i, name, false)
			return true, ""
		})
		c.opFailed(res)
	case proto.Leave:
		res := c.hub.do(ctx, func(r *record) (bool, proto.Reason) { return r.remove(c.member, proto.LeftLeft), "" })
		c.dropPresence()
		if res.refuse != "" && res.refuse != proto.ReasonRoomEnded {
			c.opFailed(res)
			return
		}
		c.close(proto.ReasonLeft, "")
	case proto.Pulse:
		ok, retry := c.hub.allowPulse(c.member)
		if !ok {
			c.refuse(proto.ReasonRateLimited)
			e := proto.NewError(proto.ReasonRateLimited, false, "connections are limited per member")
			e.Retry = int((retry + time.Millisecond - 1) / time.Millisecond)
			c.send(proto.Encode(e))
			return
		}
		if err := c.s.eng.nc.Publish(pulseSubject+c.code, proto.Encode(proto.PulseEvent{Type: proto.TypePulse, From: c.member})); err != nil {
			c.sendError(proto.ReasonUnavailable, "")
			return
		}
		c.s.metrics.Pulses.Add(1)
	case proto.Ping:
		c.send(proto.Encode(proto.Pong{Type: proto.TypePong, T: m.T}))
	default:
		// A presenter's command, a replay of one, or a second join: changes nothing.
		c.refuse(proto.ReasonNotAllowed)
		c.sendError(proto.ReasonNotAllowed, "a follower may not send "+string(m.ClientType()))
	}
}

func (c *client) presenterMessage(m proto.Client) {
	ctx, cancel := context.WithTimeout(c.s.ctx, 15*time.Second)
	defer cancel()
	// in control wraps a presenter's change: it applies only while this
	// connection is the room's presenter.
	inControl := func(fn func(r *record) bool) func(r *record) (bool, proto.Reason) {
		return func(r *record) (bool, proto.Reason) {
			if r.Presenter != c.id {
				return false, proto.ReasonReplaced
			}
			return fn(r), ""
		}
	}
	switch m := m.(type) {
	case proto.GoTo:
		if m.Step > c.s.opt.Steps {
			c.refuse(proto.ReasonBadMessage)
			c.sendError(proto.ReasonBadMessage, "no such step")
			return
		}
		res := c.hub.do(ctx, inControl(func(r *record) bool {
			if r.Step == m.Step && r.Presenting == m.Presenting {
				return false
			}
			r.Step, r.Presenting = m.Step, m.Presenting
			return true
		}))
		if res.refuse == "" {
			c.s.metrics.Steps.Add(1)
		}
		c.opFailed(res)
	case proto.SetJoining:
		c.opFailed(c.hub.do(ctx, inControl(func(r *record) bool {
			if r.Closed == !m.Open {
				return false
			}
			r.Closed = !m.Open
			return true
		})))
	case proto.Remove:
		res := c.hub.do(ctx, inControl(func(r *record) bool { return r.remove(m.ID, proto.LeftRemoved) }))
		if res.refuse == "" {
			c.s.eng.presence.Purge(ctx, presenceKey(c.code, m.ID), jetstream.PurgeTTL(markerTTL))
		}
		c.opFailed(res)
	case proto.End:
		c.end(ctx, inControl)
	case proto.Ping:
		c.send(proto.Encode(proto.Pong{Type: proto.TypePong, T: m.T}))
	default:
		c.refuse(proto.ReasonNotAllowed)
		c.sendError(proto.ReasonNotAllowed, "a presenter may not send "+string(m.ClientType()))
	}
}

// end ends the session: the room's last revision says so and holds nothing
// about its members; then the room's key and every presence key of the room are
// purged (their markers expire within markerTTL).
func (c *client) end(ctx context.Context, inControl func(func(r *record) bool) func(r *record) (bool, proto.Reason)) {
	res := c.hub.do(ctx, inControl(func(r *record) bool {
		*r = record{V: r.V, Ended: true, Members: []memberRec{}, Presenter: r.Presenter}
		return true
	}))
	if res.refuse != "" {
		c.opFailed(res)
		return
	}
	c.s.metrics.Ended.Add(1)
	// Every server's watcher must see the ended revision before the key goes,
	// or it could not tell an ended room from an expired one: this server's at
	// once, the others within markerTTL.
	c.hub.waitSeq(ctx, res.rev)
	eng, code := c.s.eng, c.code
	keys, err := eng.presence.ListKeysFiltered(ctx, code+".*")
	if err != nil {
		c.s.logf("live: listing an ended room's presence: %v", err)
	} else {
		for k := range keys.Keys() {
			eng.presence.Purge(ctx, k, jetstream.PurgeTTL(markerTTL))
		}
	}
	time.AfterFunc(markerTTL, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := eng.rooms.Purge(ctx, code, jetstream.PurgeTTL(markerTTL)); err != nil {
			c.s.logf("live: deleting an ended room: %v", err)
		}
	})
}

// opFailed tells the page why its change did not apply, and closes a presenter
// that lost control.
func (c *client) opFailed(res result) {
	switch res.refuse {
	case "":
	case proto.ReasonReplaced, proto.ReasonRemoved, proto.ReasonRoomEnded:
		c.close(res.refuse, "")
	default:
		c.refuse(res.refuse)
		c.sendError(res.refuse, "")
	}
}
