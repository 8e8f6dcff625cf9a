package live

import (
	"sync/atomic"

	"github.com/connectedlearning/diagram/server/internal/live/proto"
)

// Metrics counts what the live server did, for /live/metrics and the tests. It
// holds numbers only: nothing about a room or a member.
type Metrics struct {
	Connections atomic.Int64 // open now
	Accepted    atomic.Int64 // WebSocket connections accepted, ever
	Rooms       atomic.Int64 // rooms held by this server now (with local connections)
	Opened      atomic.Int64 // rooms opened here
	Joined      atomic.Int64 // members joined here
	Rejoined    atomic.Int64 // members back as themselves (id and token)
	Presented   atomic.Int64 // presenter connections that took control with the secret
	Steps       atomic.Int64 // step commands applied
	Pulses      atomic.Int64 // connections sent
	Ended       atomic.Int64 // sessions ended by their presenter
	Received    atomic.Int64 // messages read
	Sent        atomic.Int64 // messages queued to pages

	// Refused counts messages and connections refused, by reason.
	Refused map[proto.Reason]*atomic.Int64
	// Origin counts upgrades refused for their Origin (HTTP 403).
	Origin atomic.Int64
}

func newMetrics() *Metrics {
	m := &Metrics{Refused: map[proto.Reason]*atomic.Int64{}}
	for _, r := range proto.Reasons {
		m.Refused[r.Reason] = new(atomic.Int64)
	}
	return m
}

func (m *Metrics) refuse(r proto.Reason) {
	if c, ok := m.Refused[r]; ok {
		c.Add(1)
	}
}

// Snapshot is the counters as plain numbers.
func (m *Metrics) Snapshot() MetricsSnapshot {
	s := MetricsSnapshot{
		Connections: m.Connections.Load(), Accepted: m.Accepted.Load(), Rooms: m.Rooms.Load(),
		Opened: m.Opened.Load(), Joined: m.Joined.Load(), Rejoined: m.Rejoined.Load(), Presented: m.Presented.Load(),
		Steps: m.Steps.Load(), Pulses: m.Pulses.Load(), Ended: m.Ended.Load(), Received: m.Received.Load(), Sent: m.Sent.Load(),
		Origin: m.Origin.Load(), Refused: map[proto.Reason]int64{},
	}
	for r, c := range m.Refused {
		if n := c.Load(); n > 0 {
			s.Refused[r] = n
		}
	}
	return s
}

// MetricsSnapshot is /live/metrics.
type MetricsSnapshot struct {
	Connections int64                  `json:"connections"`
	Accepted    int64                  `json:"accepted"`
	Rooms       int64                  `json:"rooms"`
	Opened      int64                  `json:"opened"`
	Joined      int64                  `json:"joined"`
	Rejoined    int64                  `json:"rejoined"`
	Presented   int64                  `json:"presented"`
	Steps       int64                  `json:"steps"`
	Pulses      int64                  `json:"pulses"`
	Ended       int64                  `json:"ended"`
	Received    int64                  `json:"received"`
	Sent        int64                  `json:"sent"`
	Origin      int64                  `json:"originRefused"`
	Refused     map[proto.Reason]int64 `json:"refused"`
}
