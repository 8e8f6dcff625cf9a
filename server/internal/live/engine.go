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
	presenterKey   = "presenter"           // the presence key of a room's presenter: CODE.presenter
)

// markerTTL is how long the buckets keep the marker of a key that expired or was
// deleted: long enough for every watcher to see it, and then nothing of the key
// is left. JetStream's minimum is one second.
const markerTTL = 2 * time.Second

// roomHistory is how many revisions of a room the bucket keeps.
const roomHistory = 8

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
	// Memory storage: nothing about a room or a member is ever written to disk.
	// A room keeps its last roomHistory revisions: a server's watcher that falls
	// behind a burst of writes still gets every one of them, in order (with one,
	// a write removes the revision before it, delivered or not). A presence key
	// keeps only its last heartbeat.
	e.rooms, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: roomsBucket, Description: "live classroom rooms", History: roomHistory, TTL: cfg.Idle,
		LimitMarkerTTL: markerTTL, MaxValueSize: 256 << 10, MaxBytes: cfg.MaxBytes,
		Storage: jetstream.MemoryStorage, Replicas: cfg.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("live: the rooms bucket: %w", err)
	}
	e.presence, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: presenceBucket, Description: "live classroom presence", History: 1, TTL: cfg.Grace,
		LimitMarkerTTL: markerTTL, MaxValueSize: 1 << 10, MaxBytes: cfg.MaxBytes,
		Storage: jetstream.MemoryStorage, Replicas: cfg.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("live: the presence bucket: %w", err)
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

// Conn is the engine's NATS connection.
func (e *Engine) Conn() *nats.Conn { return e.nc }

// Healthy says whether the engine can reach NATS.
func (e *Engine) Healthy() error {
	if s := e.nc.Status(); s != nats.CONNECTED {
		return fmt.Errorf("NATS %s", s)
	}
	return nil
}

// Close stops an embedded NATS; a connection the caller gave is left open.
func (e *Engine) Close() {
	if e.close != nil {
		e.close()
	}
}

func presenceKey(code, who string) string { return code + "." + who }
