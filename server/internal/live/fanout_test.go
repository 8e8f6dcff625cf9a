package live_test

import (
	"testing"
	"time"

	"github.com/connectedlearning/diagram/server/internal/live"
)

// fanoutN followers: a class the size of the bench's larger one.
const fanoutN = 2000

// BenchmarkFanout is one step to fanoutN followers on one server, the server and
// its clients in this process: for a CPU profile of the fan-out
// (go test -run '^$' -bench Fanout -cpuprofile cpu.out ./server/internal/live/),
// not a figure (make bench measures that, against peers).
func BenchmarkFanout(b *testing.B) {
	// The tests' short idle and grace times would end the room while 2,000 join.
	e := newEnv(b, func(o *live.Options) { o.MaxMembers, o.Idle, o.Grace = 10000, time.Minute, time.Minute })
	p, code, _ := e.open(1)
	fs := make([]*conn, fanoutN)
	for i := range fs {
		fs[i], _ = e.join("f", code, "")
	}
	for _, f := range fs {
		f.quiet("joined")
	}
	p.quiet("joined")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p.send(step(2 + i%5))
		for _, f := range fs {
			f.expect("step")
		}
		p.expect("step")
		// Under the presenter's rate (20 a second): a refused step would
		// never arrive.
		b.StopTimer()
		time.Sleep(60 * time.Millisecond)
		b.StartTimer()
	}
}
