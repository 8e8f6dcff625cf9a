package live

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/time/rate"

	"github.com/connectedlearning/diagram/server/internal/live/proto"
)

// A hub is one room as this server holds it while it has connections in it: a
// watcher of the room's key, whose every revision it turns into events encoded
// once for all its local connections; a watcher of the room's presence keys; a
// subscription to its pulses; and the writer that applies this server's changes
// to the key by compare-and-set.
type hub struct {
	s      *Service
	code   string
	ctx    context.Context
	cancel context.CancelFunc

	mu             sync.Mutex
	rec            *record // the last revision applied; nil until loaded
	seq            uint64  // its revision
	loaded         chan struct{}
	missing        bool  // the room's key did not exist when the hub started
	failed         error // the watchers could not start
	ended          bool
	clients        map[*client]struct{}
	present        map[string]string // presence keys seen: who -> the connection heartbeating it
	presenceLoaded bool
	pulses         map[string]*rate.Limiter // per member, across its reconnections to this server
	wake           chan struct{}            // closed and replaced at every revision applied
	unwatch        func()                   // stops the current watchers
	rewatching     atomic.Bool              // a rewatch after a stuck revision is under way

	ops chan *op

	// The writer's own copy of the key (it writes from it; nil: read it again).
	wrec *record
	wrev uint64

	// Guarded by s.mu.
	refs   int
	linger *time.Timer
}

// op is a change to the room: fn applies it to a copy of the latest revision
// and says whether it changed anything, or why it is refused (then it must have
// changed nothing). It may run more than once, on a newer revision each time,
// when another server wrote first.
type op struct {
	fn   func(r *record) (changed bool, refuse proto.Reason)
	done chan result // buffered; nil when nobody waits
}

type result struct {
	rev    uint64
	refuse proto.Reason // "" when applied (or it changed nothing)
}

func newHub(s *Service, code string) *hub {
	ctx, cancel := context.WithCancel(s.ctx)
	return &hub{
		s: s, code: code, ctx: ctx, cancel: cancel,
		loaded: make(chan struct{}), clients: map[*client]struct{}{}, present: map[string]string{},
		pulses: map[string]*rate.Limiter{}, wake: make(chan struct{}), ops: make(chan *op, 256),
	}
}

// start begins watching; loaded is closed once the room's first value (or its
// absence) is known.
func (h *hub) start() {
	if err := h.watch(); err != nil {
		h.fail(err)
		return
	}
	// Core NATS: the client subscribes again by itself after a reconnection.
	sub, err := h.s.eng.nc.Subscribe(pulseSubject+h.code, h.pulse)
	if err != nil {
		h.fail(err)
		return
	}
	revs, err := h.s.eng.nc.Subscribe(revSubject+h.code, h.written)
	if err != nil {
		sub.Unsubscribe()
		h.fail(err)
		return
	}
	go func() {
		<-h.ctx.Done()
		sub.Unsubscribe()
		revs.Unsubscribe()
	}()
	go h.writer()
	go h.tick()
}

// watch starts the watchers of the room's key and of its presence keys, or
// starts them again (after NATS reconnected: the consumers behind the old ones
// may have lived on a node that is gone). A watcher begins with the latest
// value of each key; apply skips revisions it has already applied, and
// presence is read afresh.
func (h *hub) watch() error {
	ctx, cancel := context.WithCancel(h.ctx)
	rw, err := h.s.eng.rooms.Watch(ctx, h.code)
	if err != nil {
		cancel()
		return err
	}
	pw, err := h.s.eng.presence.Watch(ctx, h.code+".*")
	if err != nil {
		rw.Stop()
		cancel()
		return err
	}
	h.mu.Lock()
	if h.unwatch != nil {
		h.unwatch()
	}
	h.unwatch = cancel
	h.present, h.presenceLoaded = map[string]string{}, false
	h.mu.Unlock()
	go func() {
		<-ctx.Done()
		rw.Stop()
		pw.Stop()
	}()
	go h.watchRoom(ctx, rw)
	go h.watchPresence(ctx, pw)
	return nil
}

// written hears, on core NATS, that a server wrote revision rev of the room. If
// the watcher does not deliver it soon, it is stuck: its consumer lived on a
// NATS node that is gone, and the client would only notice after missing two
// heartbeats (10 s and more). It is started again.
func (h *hub) written(m *nats.Msg) {
	rev, err := strconv.ParseUint(string(m.Data), 10, 64)
	if err != nil {
		return
	}
	h.expect(rev)
}

// expect makes sure the watcher delivers revision rev (written here or by
// another server): not within stuckAfter, it is started again.
func (h *hub) expect(rev uint64) {
	h.mu.Lock()
	seen := h.seq >= rev || h.ended
	h.mu.Unlock()
	if seen {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(h.ctx, stuckAfter)
		defer cancel()
		if !h.waitSeq(ctx, rev) && h.ctx.Err() == nil && h.rewatching.CompareAndSwap(false, true) {
			defer h.rewatching.Store(false)
			h.rewatch()
		}
	}()
}

// attemptTime bounds one read or write of a room: a cluster electing a
// leader leaves a request unanswered, and the writer tries again.
const attemptTime = 3 * time.Second

// stuckAfter is how long a hub waits for a revision it heard of before it
// takes its watcher for stuck: far longer than a delivery takes.
const stuckAfter = 2 * time.Second

// rewatch starts the watchers again after NATS reconnected, trying for a while
// (a cluster may be electing the buckets' leaders); a room it cannot watch
// again tells its connections to connect again.
func (h *hub) rewatch() {
	for try := 0; ; try++ {
		err := h.watch()
		if err == nil || h.ctx.Err() != nil {
			return
		}
		if try == 40 {
			h.s.logf("live: watching a room again after NATS reconnected: %v", err)
			h.mu.Lock()
			for c := range h.clients {
				c.close(proto.ReasonUnavailable, "the server cannot reach its message system: connect again")
			}
			h.mu.Unlock()
			h.s.forget(h)
			return
		}
		select {
		case <-time.After(250 * time.Millisecond):
		case <-h.ctx.Done():
			return
		}
	}
}

func (h *hub) fail(err error) {
	h.mu.Lock()
	h.failed = err
	h.mu.Unlock()
	h.s.logf("live: watching a room: %v", err)
	close(h.loaded)
}

func (h *hub) watchRoom(ctx context.Context, w jetstream.KeyWatcher) {
	for {
		select {
		case e, ok := <-w.Updates():
			if !ok {
				return
			}
			if e == nil {
				if r := h.confirmMissing(ctx); r != nil {
					h.apply(r)
				}
			}
			h.apply(e)
		case <-ctx.Done():
			return
		}
	}
}

// confirmMissing reads the room's key when its watcher began with nothing and
// the hub has no record yet: on a cluster under load, the watcher's consumer
// can start on a node that has not yet applied the write that made the room
// (a room just opened would be "unknown"). It tries for a second; nil when the
// room really is not there.
func (h *hub) confirmMissing(ctx context.Context) jetstream.KeyValueEntry {
	h.mu.Lock()
	have := h.rec != nil || h.ended
	h.mu.Unlock()
	if have {
		return nil
	}
	for try := 0; try < 4; try++ {
		actx, cancel := context.WithTimeout(ctx, attemptTime)
		e, err := h.s.eng.rooms.Get(actx, h.code)
		cancel()
		if err == nil {
			return e
		}
		if errors.Is(err, jetstream.ErrKeyDeleted) {
			return nil // ended or expired: the watcher says so
		}
		select {
		case <-time.After(250 * time.Millisecond):
		case <-ctx.Done():
			return nil
		}
	}
	return nil
}

// apply takes one revision of the room's key: it turns the change into events
// for every local connection, then wakes whoever waits for this revision.
func (h *hub) apply(e jetstream.KeyValueEntry) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if e == nil { // every initial value is in
		if h.rec == nil && !h.ended {
			h.missing = true
			close(h.loaded)
		}
		return
	}
	if h.ended || h.rec != nil && e.Revision() <= h.seq {
		return // the end, or a revision already applied (a watcher started again)
	}
	switch e.Operation() {
	case jetstream.KeyValuePut:
		r, err := decodeRecord(e.Value(), h.rec)
		if err != nil {
			h.s.logf("live: a room's record does not decode: %v", err)
			return
		}
		old := h.rec
		h.rec, h.seq = r, e.Revision()
		if old == nil && !h.missing {
			close(h.loaded)
		}
		if r.Ended {
			h.end(proto.EndedByPresenter)
			break
		}
		if old == nil {
			break
		}
		for _, b := range diff(old, r, h.seq) {
			for c := range h.clients {
				c.send(b)
			}
		}
		var idx map[string]int
		if !sameMembers(old, r) {
			idx = r.index()
		}
		for c := range h.clients {
			in := true
			if idx != nil {
				_, in = idx[c.member]
			}
			switch {
			case c.role == proto.RolePresenter && r.Presenter != "" && r.Presenter != c.id:
				c.close(proto.ReasonReplaced, "another presenter connection took control")
			case c.role == proto.RoleFollower && !in:
				switch r.why(c.member) {
				case proto.LeftRemoved:
					c.close(proto.ReasonRemoved, "the presenter removed you")
				case proto.LeftTimeout:
					c.close(proto.ReasonTimeout, "your device stopped answering for longer than the grace time")
				default:
					c.close(proto.ReasonLeft, "")
				}
			}
		}
	default: // deleted, purged, or expired
		if h.rec == nil && !h.missing {
			h.missing = true
			close(h.loaded)
		}
		h.seq = e.Revision()
		h.end(proto.EndedExpired)
	}
	close(h.wake)
	h.wake = make(chan struct{})
}

// end tells every local connection that the session is over and closes them.
// Called with h.mu held.
func (h *hub) end(why string) {
	h.ended = true
	b := proto.Encode(proto.Ended{Type: proto.TypeEnded, Seq: h.seq, Reason: why})
	for c := range h.clients {
		c.send(b)
		c.close(proto.ReasonRoomEnded, "")
	}
	go h.s.forget(h)
}

// waitSeq waits until the hub has applied revision seq (or the room ended).
func (h *hub) waitSeq(ctx context.Context, seq uint64) bool {
	for {
		h.mu.Lock()
		ok, w := h.seq >= seq || h.ended, h.wake
		h.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-w:
		case <-ctx.Done():
			return false
		}
	}
}

// register adds a connection and queues its snapshot, in one step under the
// lock, so that it gets every event after the snapshot and none before.
func (h *hub) register(c *client, you *proto.You) proto.Reason {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.ended || h.rec == nil:
		return proto.ReasonRoomEnded
	case c.role == proto.RolePresenter && h.rec.Presenter != c.id:
		return proto.ReasonReplaced
	case c.role == proto.RoleFollower && h.rec.member(c.member) < 0:
		return proto.ReasonRemoved
	}
	if you != nil {
		you.Name = h.rec.Members[h.rec.member(c.member)].Name
	}
	h.clients[c] = struct{}{}
	c.send(proto.Encode(proto.Snapshot{Type: proto.TypeSnapshot, V: proto.Version, Seq: h.seq, Role: c.role,
		Room: h.rec.room(h.code), You: you, Roster: h.rec.roster()}))
	return ""
}

func (h *hub) unregister(c *client) {
	h.mu.Lock()
	delete(h.clients, c)
	h.mu.Unlock()
}

// snapshotRecord is the record as last applied (nil before the hub loaded it).
func (h *hub) snapshotRecord() (*record, uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.rec, h.seq
}

// hasPresenter says whether one of this hub's connections is the room's presenter.
func (h *hub) hasPresenter() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		if c.role == proto.RolePresenter {
			return true
		}
	}
	return false
}

// pulse forwards a pulse, already encoded by the sender's server, to every local
// connection.
func (h *hub) pulse(m *nats.Msg) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		c.send(m.Data)
	}
}

// allowPulse applies the per-member limit on connections sent; it never waits.
func (h *hub) allowPulse(member string) (ok bool, retry time.Duration) {
	h.mu.Lock()
	lim := h.pulses[member]
	if lim == nil {
		lim = rate.NewLimiter(h.s.opt.PulseRate, h.s.opt.PulseBurst)
		h.pulses[member] = lim
	}
	h.mu.Unlock()
	now := time.Now()
	r := lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// watchPresence follows the room's presence keys. A key that expires (its
// device stopped answering for the grace time) or is deleted takes its member,
// or the presenter's control, out of the room.
func (h *hub) watchPresence(ctx context.Context, w jetstream.KeyWatcher) {
	pre := h.code + "."
	for {
		var e jetstream.KeyValueEntry
		var ok bool
		select {
		case e, ok = <-w.Updates():
			if !ok {
				return
			}
		case <-ctx.Done():
			return
		}
		if e == nil {
			select {
			case <-h.loaded:
			case <-h.ctx.Done():
				return
			}
			h.mu.Lock()
			h.presenceLoaded = true
			h.mu.Unlock()
			h.reconcile()
			continue
		}
		who := strings.TrimPrefix(e.Key(), pre)
		h.mu.Lock()
		if e.Operation() == jetstream.KeyValuePut {
			h.present[who] = string(e.Value())
			h.mu.Unlock()
			continue
		}
		conn := h.present[who]
		delete(h.present, who)
		h.mu.Unlock()
		go h.expire(who, conn)
	}
}

// reconcile removes the members (and the presenter's control) whose presence is
// gone: when the hub starts, it may have missed their keys' expiry.
func (h *hub) reconcile() {
	h.mu.Lock()
	r := h.rec
	if r == nil || !h.presenceLoaded {
		h.mu.Unlock()
		return
	}
	var gone []string
	for _, m := range r.Members {
		if _, ok := h.present[m.ID]; !ok {
			gone = append(gone, m.ID)
		}
	}
	_, presenterHere := h.present[presenterKey]
	h.mu.Unlock()
	if !presenterHere && r.Presenter != "" {
		go h.expire(presenterKey, r.Presenter)
	}
	for _, id := range gone {
		go h.expire(id, "")
	}
}

// expire takes who out of the room if its presence is really gone (a device that
// came back has put it again). conn is the connection whose heartbeats stopped.
func (h *hub) expire(who, conn string) {
	ctx, cancel := context.WithTimeout(h.ctx, 10*time.Second)
	defer cancel()
	if _, err := h.s.eng.presence.Get(ctx, presenceKey(h.code, who)); err == nil || !errors.Is(err, jetstream.ErrKeyNotFound) && !errors.Is(err, jetstream.ErrKeyDeleted) {
		return
	}
	if who == presenterKey {
		h.post(func(r *record) (bool, proto.Reason) {
			if r.Presenter == "" || conn != "" && r.Presenter != conn {
				return false, "" // a newer presenter connection took over meanwhile
			}
			r.Presenter = ""
			return true, ""
		})
		return
	}
	h.post(func(r *record) (bool, proto.Reason) { return r.remove(who, proto.LeftTimeout), "" })
}

// do applies fn to the room and waits for the result.
func (h *hub) do(ctx context.Context, fn func(r *record) (bool, proto.Reason)) result {
	o := &op{fn: fn, done: make(chan result, 1)}
	select {
	case h.ops <- o:
	case <-ctx.Done():
		return result{refuse: proto.ReasonUnavailable}
	}
	select {
	case res := <-o.done:
		return res
	case <-ctx.Done():
		return result{refuse: proto.ReasonUnavailable}
	}
}

// post applies fn to the room without waiting.
func (h *hub) post(fn func(r *record) (bool, proto.Reason)) {
	select {
	case h.ops <- &op{fn: fn}:
	case <-h.ctx.Done():
	}
}

// writer applies this server's changes to the room, a batch at a time: changes
// that queue up while a write is in flight go out together in the next.
func (h *hub) writer() {
	for {
		var batch []*op
		select {
		case o := <-h.ops:
			batch = append(batch, o)
		case <-h.ctx.Done():
			return
		}
	more:
		for len(batch) < 64 {
			select {
			case o := <-h.ops:
				batch = append(batch, o)
			default:
				break more
			}
		}
		h.commit(batch)
	}
}

func (h *hub) commit(batch []*op) {
	reply := func(rev uint64, refuse []proto.Reason, all proto.Reason) {
		for i, o := range batch {
			if o.done == nil {
				continue
			}
			r := all
			if r == "" && refuse != nil {
				r = refuse[i]
			}
			o.done <- result{rev: rev, refuse: r}
		}
	}
	ctx, cancel := context.WithTimeout(h.ctx, 15*time.Second)
	defer cancel()
	for attempt := 0; attempt < 50; attempt++ {
		if h.wrec == nil {
			actx, acancel := context.WithTimeout(ctx, attemptTime)
			e, err := h.s.eng.rooms.Get(actx, h.code)
			acancel()
			switch {
			case errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted):
				reply(0, nil, proto.ReasonRoomEnded)
				return
			case err != nil:
				if h.pause(ctx) {
					continue
				}
				h.s.logf("live: reading a room: %v", err)
				reply(0, nil, proto.ReasonUnavailable)
				return
			}
			prev, _ := h.snapshotRecord()
			r, err := decodeRecord(e.Value(), prev)
			if err != nil {
				reply(0, nil, proto.ReasonInternal)
				return
			}
			h.wrec, h.wrev = r, e.Revision()
		}
		if h.wrec.Ended {
			reply(h.wrev, nil, proto.ReasonRoomEnded)
			return
		}
		next := h.wrec.clone()
		refuse := make([]proto.Reason, len(batch))
		changed := false
		for i, o := range batch {
			c, r := o.fn(next)
			refuse[i] = r
			changed = changed || c
		}
		if !changed {
			reply(h.wrev, refuse, "")
			h.expect(h.wrev)
			return
		}
		next.Touched = time.Now().UnixMilli()
		actx, acancel := context.WithTimeout(ctx, attemptTime)
		rev, err := h.s.eng.rooms.Update(actx, h.code, next.encode(), h.wrev)
		acancel()
		if err == nil {
			h.wrec, h.wrev = next, rev
			h.s.eng.nc.Publish(revSubject+h.code, strconv.AppendUint(nil, rev, 10))
			reply(rev, refuse, "")
			h.expect(rev)
			return
		}
		h.wrec = nil
		if !errors.Is(err, jetstream.ErrKeyRevisionMismatch) && !errors.Is(err, jetstream.ErrKeyExists) {
			// NATS did not answer (a node lost, a leader being elected, a
			// reconnection): read the room again and apply the batch to it.
			// If the write did land, its changes are there and apply as no
			// change (every op is idempotent).
			if h.pause(ctx) {
				continue
			}
			h.s.logf("live: writing a room: %v", err)
			reply(0, nil, proto.ReasonUnavailable)
			return
		}
		// Another server wrote first: read its revision and apply the batch again.
	}
	reply(0, nil, proto.ReasonUnavailable)
}

// pause waits a moment before the writer tries again; false when its time is up.
func (h *hub) pause(ctx context.Context) bool {
	select {
	case <-time.After(250 * time.Millisecond):
		return true
	case <-ctx.Done():
		return false
	}
}

// tick keeps a room with a presenter here from expiring while nothing changes,
// and reconciles presence now and then in case a watcher missed an expiry.
func (h *hub) tick() {
	every := h.s.opt.Idle / 4
	if g := h.s.opt.Grace; g < every {
		every = g
	}
	t := time.NewTicker(every)
	defer t.Stop()
	select {
	case <-h.loaded:
	case <-h.ctx.Done():
		return
	}
	for {
		select {
		case <-t.C:
		case <-h.ctx.Done():
			return
		}
		r, _ := h.snapshotRecord()
		if r == nil {
			continue
		}
		if h.hasPresenter() && time.Since(time.UnixMilli(r.Touched)) > h.s.opt.Idle/4 {
			h.post(func(r *record) (bool, proto.Reason) { return true, "" })
		}
		h.reconcile()
	}
}
