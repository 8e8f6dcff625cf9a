package live

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Names in NATS. They are fixed, so that every server sharing a NATS finds the
// same rooms.
const (
	roomsBucket    = "diagram_rooms"
	presenceBucket = "diagram_presence"
	pulseSubject   = "diagram.live.pulse." // + room code
	revSubject     = "diagram.live.rev."   // + room code: a revision just written
	presenterKey   = "presenter"           // the presence key of a room's presenter: CODE.presenter
)

// markerTTL is how long the buckets keep the marker of a key that expired or was
// deleted: long enough for every watcher to see it, and then nothing of the key
// is left. JetStream's minimum is one second.
const markerTTL = 2 * time.Second

// roomHistory is how many revisions of a room the bucket keeps.
const roomHistory = 8

// maxRecord bounds a room's record: about 110 bytes a member, so 2,000 members
// take a fifth of it; under NATS's default maximum payload (1 MB) with room
// for the headers.
const maxRecord = 960 << 10

// EngineConfig configures the buckets.
type EngineConfig struct {
	// Idle is how long a room lives with no presenter connected and no change.
	Idle time.Duration
	// Grace is how long a member stays in the roster once its device stops
	// answering.
	Grace time.Duration
	// Replicas is the buckets' replication factor (1 for a single NATS server).
	Replicas int
	// MaxBytes bounds each bucket's memory (0: 64 MB).
	MaxBytes int64
	// FileStorage puts the buckets on disk rather than in memory (the default:
	// nothing on disk): a cluster's rooms then survive a stop of every node. See
	// the README for what that writes, and how the cluster encrypts it.
	FileStorage bool
}

// Engine is the live classroom's store and bus on one NATS connection.
type Engine struct {
	nc       *nats.Conn
	js       jetstream.JetStream
	rooms    jetstream.KeyValue
	presence jetstream.KeyValue
	cfg      EngineConfig
	close    func() // stops what Embedded started; nil for a connection the caller owns
}

// NewEngine creates (or takes over, updating their configuration) the buckets on
// nc. Every server sharing a NATS calls it; the last configuration wins.
func NewEngine(ctx context.Context, nc *nats.Conn, cfg EngineConfig) (*Engine, error) {
	if cfg.Idle <= 0 || cfg.Grace <= 0 {
		return nil, errors.New("live: idle and grace times must be positive")
	}
	if cfg.Replicas <= 0 {
		cfg.Replicas = 1
	}
	if cfg.MaxBytes == 0 {
		cfg.MaxBytes = 64 << 20
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	e := &Engine{nc: nc, js: js, cfg: cfg}
	storage := jetstream.MemoryStorage
	if cfg.FileStorage {
		storage = jetstream.FileStorage
	}
	// Memory storage by default: nothing about a room or a member is written to
	// disk. A room keeps its last roomHistory revisions: a server's watcher that falls
	// behind a burst of writes still gets every one of them, in order (with one,
	// a write removes the revision before it, delivered or not). A presence key
	// keeps only its last heartbeat.
	// A cluster that starts with its servers may still be electing its
	// JetStream leader: try again until ctx ends.
	create := func(what string, kc jetstream.KeyValueConfig) (jetstream.KeyValue, error) {
		var last error
		for {
			// Each try has its own time: two servers creating a bucket at once
			// on a cluster can leave one request unanswered.
			actx, cancel := context.WithTimeout(ctx, 3*time.Second)
			kv, err := js.CreateOrUpdateKeyValue(actx, kc)
			cancel()
			if err == nil {
				return kv, nil
			}
			if ctx.Err() == nil {
				last = err
			}
			if apiErr := (*jetstream.APIError)(nil); errors.As(err, &apiErr) && apiErr.Code == 400 {
				return nil, fmt.Errorf("live: the %s bucket: %w", what, err) // a configuration NATS refuses
			}
			select {
			case <-time.After(250 * time.Millisecond):
			case <-ctx.Done():
				return nil, fmt.Errorf("live: the %s bucket: %w", what, errors.Join(last, ctx.Err()))
			}
		}
	}
	e.rooms, err = create("rooms", jetstream.KeyValueConfig{
		Bucket: roomsBucket, Description: "live classroom rooms", History: roomHistory, TTL: cfg.Idle,
		LimitMarkerTTL: markerTTL, MaxValueSize: maxRecord, MaxBytes: cfg.MaxBytes,
		Storage: storage, Replicas: cfg.Replicas,
	})
	if err != nil {
		return nil, err
	}
	e.presence, err = create("presence", jetstream.KeyValueConfig{
		Bucket: presenceBucket, Description: "live classroom presence", History: 1, TTL: cfg.Grace,
		LimitMarkerTTL: markerTTL, MaxValueSize: 1 << 10, MaxBytes: cfg.MaxBytes,
		Storage: storage, Replicas: cfg.Replicas,
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// Embedded starts a NATS server inside this process with JetStream and no
// listening port, and returns an Engine on an in-process connection to it. Close
// stops the server. JetStream wants a store directory even when every stream is
// in memory: it gets a fresh temporary one (which stays empty) and removes it.
func Embedded(ctx context.Context, cfg EngineConfig) (*Engine, error) {
	dir, err := os.MkdirTemp("", "diagram-nats-")
	if err != nil {
		return nil, err
	}
	ns, err := server.NewServer(&server.Options{
		ServerName: "diagram-embedded", DontListen: true, NoLog: true, NoSigs: true,
		JetStream: true, StoreDir: dir, JetStreamMaxMemory: 256 << 20, JetStreamMaxStore: 1 << 20,
		MaxPayload: 1 << 20,
	})
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("live: embedded NATS: %w", err)
	}
	go ns.Start()
	stop := func() {
		ns.Shutdown()
		ns.WaitForShutdown()
		os.RemoveAll(dir)
	}
	if !ns.ReadyForConnections(30 * time.Second) {
		stop()
		return nil, errors.New("live: the embedded NATS did not start")
	}
	nc, err := nats.Connect("", nats.InProcessServer(ns), nats.Name("diagram"), nats.MaxReconnects(-1))
	if err != nil {
		stop()
		return nil, fmt.Errorf("live: connecting to the embedded NATS: %w", err)
	}
	e, err := NewEngine(ctx, nc, cfg)
	if err != nil {
		nc.Close()
		stop()
		return nil, err
	}
	e.close = func() {
		nc.Close()
		stop()
	}
	return e, nil
}

// External connects to a NATS server or cluster (urls, comma-separated; creds:
// a credentials file, or "") and returns an Engine on it; Close closes the
// connection. A lost server is replaced by another of the cluster's (the
// client learns them all from the one it reaches), and the connection
// reconnects for ever, every half second, while none answers.
func External(ctx context.Context, urls, creds string, cfg EngineConfig) (*Engine, error) {
	opts := []nats.Option{nats.Name("diagram"), nats.MaxReconnects(-1), nats.ReconnectWait(500 * time.Millisecond),
		nats.ReconnectJitter(250*time.Millisecond, time.Second), nats.PingInterval(5 * time.Second), nats.MaxPingsOutstanding(2),
		nats.Timeout(5 * time.Second), nats.RetryOnFailedConnect(false)}
	if creds != "" {
		opts = append(opts, nats.UserCredentials(creds))
	}
	nc, err := nats.Connect(urls, opts...)
	if err != nil {
		return nil, fmt.Errorf("live: connecting to NATS (%s): %w", urls, err)
	}
	e, err := NewEngine(ctx, nc, cfg)
	if err != nil {
		nc.Close()
		return nil, err
	}
	e.close = nc.Close
	return e, nil
}

// Conn is the engine's NATS connection.
func (e *Engine) Conn() *nats.Conn { return e.nc }

// Healthy says whether the engine can reach NATS.
func (e *Engine) Healthy() error {
	if s := e.nc.Status(); s != nats.CONNECTED {
		return fmt.Errorf("NATS %s", s)
	}
	return nil
}

// Close stops an embedded NATS, or closes the connection External made; a
// connection the caller gave NewEngine is left open.
func (e *Engine) Close() {
	if e.close != nil {
		e.close()
	}
}

func presenceKey(code, who string) string { return code + "." + who }
