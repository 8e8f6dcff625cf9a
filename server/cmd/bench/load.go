package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// closedLoop is one wrk run: 64 connections, each sending its next request as
// soon as the last is answered, for as many requests a second as the server gives.
type closedLoop struct {
	rps, p50, p99, max float64 // requests/s; latencies in ms
	serverCPU          float64 // the server's CPU seconds per 1000 requests
}

// wrk runs one closed-loop load test; server lists the processes whose CPU is
// counted.
func wrk(url string, seconds int, server []int) closedLoop {
	cmd := exec.Command("wrk", "-t2", "-c64", fmt.Sprintf("-d%ds", seconds), "--latency", "-H", "Accept-Encoding: br", url)
	cpu0 := treeCPU(server)
	out, err := cmd.CombinedOutput()
	cpu := treeCPU(server) - cpu0
	if err != nil {
		fatalf("wrk %s: %v\n%s", url, err, out)
	}
	var r closedLoop
	n := 0.0 // requests answered
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) >= 3 && f[1] == "requests" && f[2] == "in":
			n, _ = strconv.ParseFloat(f[0], 64)
		case len(f) >= 2 && f[0] == "Requests/sec:":
			r.rps, _ = strconv.ParseFloat(f[1], 64)
		case len(f) >= 2 && f[0] == "50%":
			r.p50 = parseDuration(f[1])
		case len(f) >= 2 && f[0] == "99%":
			r.p99 = parseDuration(f[1])
		case len(f) >= 4 && f[0] == "Latency": // avg, stdev, max, +/- stdev
			r.max = parseDuration(f[3])
		case strings.Contains(sc.Text(), "Non-2xx or 3xx responses"):
			fatalf("wrk %s: errors:\n%s", url, out)
		case strings.Contains(sc.Text(), "Socket errors"):
			// A response slower than wrk's 2 s timeout on a busy machine: counted
			// by wrk apart from the latencies, worth a word, not the end of the run.
			log.Printf("wrk %s: %s", url, strings.TrimSpace(sc.Text()))
		}
	}
	if r.rps == 0 || r.p99 == 0 {
		fatalf("wrk %s: no result:\n%s", url, out)
	}
	r.serverCPU = cpu / max(n, 1) * 1000
	return r
}

func parseDuration(s string) float64 {
	for _, u := range []struct {
		suf string
		ms  float64
	}{{"us", 0.001}, {"ms", 1}, {"s", 1000}, {"m", 60000}} {
		if strings.HasSuffix(s, u.suf) {
			v, _ := strconv.ParseFloat(strings.TrimSuffix(s, u.suf), 64)
			return v * u.ms
		}
	}
	return 0
}

// openLoop is one constant-rate run: requests are sent on a schedule, whether or
// not the earlier ones have been answered, as a crowd of independent users would
// send them; each latency is from the request's start to its last body byte.
type openLoop struct {
	p50, p99, max float64 // ms
	sent          float64 // requests/s actually sent
	serverCPU     float64 // the server's CPU seconds (all its processes) per 1000 requests
	loadCPU       float64 // this process's CPU (the load generator's) per 1000 requests
}

// constantRate offers rate requests a second to url for d, with vegeta as a
// library, on loopback, HTTP/1.1 with keep-alive, bodies read to the end and
// dropped (never kept). Any error or status other than 200 ends the bench.
// server lists the processes whose CPU is counted.
func constantRate(url string, rate int, d time.Duration, server []int) openLoop {
	tr := &wireTransport{timeout: 10 * time.Second}
	defer tr.closeIdle()
	atk := vegeta.NewAttacker(
		vegeta.Client(&http.Client{Transport: tr}),
		vegeta.MaxBody(0), // read every body to its end, keep none of it
		vegeta.Workers(16),
		vegeta.MaxWorkers(256),
	)
	target := vegeta.NewStaticTargeter(vegeta.Target{Method: "GET", URL: url, Header: http.Header{"Accept-Encoding": {"br"}}})

	// The generator's garbage would otherwise trigger a collection every few
	// milliseconds, pausing it at random while it times the servers.
	defer debug.SetGCPercent(debug.SetGCPercent(800))
	lat := make([]time.Duration, 0, rate*int(d/time.Second)+rate)
	cpu0, self0 := treeCPU(server), selfCPU()
	start := time.Now()
	for res := range atk.Attack(target, vegeta.Rate{Freq: rate, Per: time.Second}, d, "") {
		if res.Error != "" || res.Code != http.StatusOK {
			atk.Stop()
			fatalf("constant rate %s: status %d, %s", url, res.Code, res.Error)
		}
		lat = append(lat, res.Latency)
	}
	elapsed := time.Since(start).Seconds()
	cpu, self := treeCPU(server)-cpu0, selfCPU()-self0
	if len(lat) == 0 {
		fatalf("constant rate %s: no request sent", url)
	}
	slices.Sort(lat)
	ms := func(q float64) float64 {
		return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))]) / 1e6
	}
	n := float64(len(lat))
	return openLoop{p50: ms(0.50), p99: ms(0.99), max: ms(1), sent: n / elapsed,
		serverCPU: cpu / n * 1000, loadCPU: self / n * 1000}
}

// fixedRate chooses the rate offered to every server: half of nginx's saturation
// rate (wrk's), if the load generator can offer it on this machine, else less.
// It can offer a rate to a server when it sends what it schedules (99%) and the
// server's median latency stays within twice its median at a light load: beyond
// that requests queue in the generator or for a core, not in the server. Every
// server in sustain (nginx and this one) is probed, from half of nginx's
// saturation down by quarters, and four fifths of the lowest rate that passed
// is offered, a margin for the machine's noise during the five runs. A server
// that cannot keep up at that rate (Caddy, often) shows it in its figures.
func fixedRate(sustain []server, path string, saturation float64) (int, string) {
	half := int(saturation / 2)
	r := half
	for _, s := range sustain {
		light := constantRate(s.base+path, max(50, min(500, half/8)), 2*time.Second, s.pids)
		for i := 0; i < 10 && r > 50; i++ {
			o := constantRate(s.base+path, r, 2*time.Second, s.pids)
			log.Printf("  calibrating %s on %s: %d req/s offered, %.0f sent, p50 %.2f ms (light load %.2f ms)", "/"+path, s.name, r, o.sent, o.p50, light.p50)
			if o.sent >= 0.99*float64(r) && o.p50 <= 2*light.p50 {
				break
			}
			r = r * 3 / 4
		}
	}
	if r == half {
		r = r * 4 / 5
		return r, fmt.Sprintf("%.0f%% of nginx's saturation (%.0f req/s): four fifths of half", 100*float64(r)/saturation, saturation)
	}
	r = r * 4 / 5
	return r, fmt.Sprintf("%.0f%% of nginx's saturation (%.0f req/s): four fifths of the most the load generator offered here to nginx and this server; half would be %d", 100*float64(r)/saturation, saturation, half)
}

// wireTransport is the load generator's HTTP/1.1 client: one request at a time
// per connection, written and read by the calling goroutine with net/http's own
// wire code (Request.Write, ReadResponse), connections kept alive and reused.
// net/http's Transport hands every request to two goroutines of its connection
// and back, and on two shared cores that costs it about twice the CPU per
// request: it could not offer even a quarter of nginx's saturation rate.
type wireTransport struct {
	timeout time.Duration // for a whole exchange, so that a stuck server cannot hang the bench
	mu      sync.Mutex
	idle    []*wireConn
}

type wireConn struct {
	c net.Conn
	r *bufio.Reader
	w *bufio.Writer
}

func (t *wireTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	wc, err := t.conn(req.Context(), req.URL.Host)
	if err != nil {
		return nil, err
	}
	wc.c.SetDeadline(time.Now().Add(t.timeout))
	if err := req.Write(wc.w); err != nil {
		wc.c.Close()
		return nil, err
	}
	if err := wc.w.Flush(); err != nil {
		wc.c.Close()
		return nil, err
	}
	res, err := http.ReadResponse(wc.r, req)
	if err != nil {
		wc.c.Close()
		return nil, err
	}
	res.Body = &wireBody{ReadCloser: res.Body, t: t, wc: wc, reuse: !res.Close}
	return res, nil
}

// conn takes an idle connection to host, or dials one.
func (t *wireTransport) conn(ctx context.Context, host string) (*wireConn, error) {
	t.mu.Lock()
	if n := len(t.idle); n > 0 {
		wc := t.idle[n-1]
		t.idle = t.idle[:n-1]
		t.mu.Unlock()
		return wc, nil
	}
	t.mu.Unlock()
	c, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(ctx, "tcp", host)
	if err != nil {
		return nil, err
	}
	return &wireConn{c: c, r: bufio.NewReaderSize(c, 64<<10), w: bufio.NewWriterSize(c, 4<<10)}, nil
}

func (t *wireTransport) closeIdle() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, wc := range t.idle {
		wc.c.Close()
	}
	t.idle = nil
}

// wireBody gives its connection back when the body was read to its end, and
// closes it otherwise (the next response could not be found in the stream).
type wireBody struct {
	io.ReadCloser
	t     *wireTransport
	wc    *wireConn
	reuse bool
	eof   bool
}

func (b *wireBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.eof = true
	}
	return n, err
}

func (b *wireBody) Close() error {
	err := b.ReadCloser.Close()
	if b.wc == nil {
		return err
	}
	if b.eof && b.reuse && err == nil {
		b.wc.c.SetDeadline(time.Time{})
		b.t.mu.Lock()
		b.t.idle = append(b.t.idle, b.wc)
		b.t.mu.Unlock()
	} else {
		b.wc.c.Close()
	}
	b.wc = nil
	return err
}

// selfCPU is this process's CPU time (user and system) in seconds.
func selfCPU() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// treeCPU is the CPU time in seconds of the processes pids and of their children
// (nginx's workers), from /proc.
func treeCPU(pids []int) float64 {
	want := map[int]bool{}
	for _, p := range pids {
		want[p] = true
	}
	total := 0.0
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, _ := strconv.Atoi(filepath.Base(d))
		st, err := os.ReadFile(filepath.Join(d, "stat"))
		if err != nil {
			continue
		}
		// After the command's closing parenthesis: state, ppid, ... utime (14th
		// field of the line), stime (15th), in clock ticks (100 a second).
		s := string(st)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) < 13 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		if !want[pid] && !want[ppid] {
			continue
		}
		ut, _ := strconv.ParseFloat(f[11], 64)
		stt, _ := strconv.ParseFloat(f[12], 64)
		total += (ut + stt) / 100
	}
	return total
}

// floorName is the net/http floor's name among the servers (httpfloor).
const floorName = "net/http floor"

// server is one of the servers compared: its address and its processes.
type server struct {
	name, base string
	pids       []int
}

// measureServers compares the servers on the page and the wasm, both in br. First
// at saturation (wrk, closed loop): every server in turn, interleaved, RUNS
// times. Then at a fixed rate, half of nginx's median saturation rate in this
// run (vegeta, open loop), offered to every server in turn, interleaved, RUNS
// times. Rows are medians over the runs; the notes give every server's figures
// and their spread.
func (b *bench) measureServers(servers []server) []Row {
	resources := []struct{ name, path string }{{"page", ""}, {"wasm", b.wasmRel}}
	const secs = 5
	sat := map[string][]closedLoop{}
	for _, s := range servers {
		for _, r := range resources {
			wrk(s.base+r.path, 1, s.pids) // warm up
		}
	}
	for i := 0; i < b.runs; i++ {
		log.Printf("servers at saturation (wrk): run %d of %d", i+1, b.runs)
		for _, r := range resources {
			for _, s := range servers {
				k := s.name + "/" + r.name
				sat[k] = append(sat[k], wrk(s.base+r.path, secs, s.pids))
			}
		}
	}
	rates, why := map[string]int{}, map[string]string{}
	for _, r := range resources {
		var sustain []server // nginx, then this server
		for _, s := range servers {
			if s.name == "nginx" {
				sustain = append([]server{s}, sustain...)
			} else if s.name == "this server" {
				sustain = append(sustain, s)
			}
		}
		rates[r.name], why[r.name] = fixedRate(sustain, r.path, med(sat["nginx/"+r.name], func(c closedLoop) float64 { return c.rps }))
	}
	fixed := map[string][]openLoop{}
	for _, r := range resources {
		for _, s := range servers {
			constantRate(s.base+r.path, rates[r.name], time.Second, s.pids) // warm up
		}
	}
	for i := 0; i < b.runs; i++ {
		log.Printf("servers at a fixed rate (vegeta, page %d req/s, wasm %d req/s): run %d of %d", rates["page"], rates["wasm"], i+1, b.runs)
		for _, r := range resources {
			for _, s := range servers {
				k := s.name + "/" + r.name
				fixed[k] = append(fixed[k], constantRate(s.base+r.path, rates[r.name], secs*time.Second, s.pids))
			}
		}
	}

	var rows []Row
	for _, r := range resources {
		rps := func(name string) float64 {
			return med(sat[name+"/"+r.name], func(c closedLoop) float64 { return c.rps })
		}
		var satNotes, fixedNotes []string
		for _, s := range servers {
			c, o := sat[s.name+"/"+r.name], fixed[s.name+"/"+r.name]
			satNotes = append(satNotes, fmt.Sprintf("%s %.0f req/s (runs %s), p50 %.2f ms, p99 %.2f ms (%s), max %.1f ms, server CPU %.0f ms per 1000 requests",
				s.name, rps(s.name), spread(c, func(c closedLoop) float64 { return c.rps }, "%.0f"),
				med(c, func(c closedLoop) float64 { return c.p50 }),
				med(c, func(c closedLoop) float64 { return c.p99 }), spread(c, func(c closedLoop) float64 { return c.p99 }, "%.1f"),
				med(c, func(c closedLoop) float64 { return c.max }), med(c, func(c closedLoop) float64 { return c.serverCPU * 1000 })))
			behind := ""
			if n := countIf(o, func(o openLoop) bool { return o.sent < 0.98*float64(rates[r.name]) }); n > 0 {
				behind = fmt.Sprintf(" (fell behind the rate in %d of %d runs: the server, or the machine, could not keep up)", n, len(o))
			}
			fixedNotes = append(fixedNotes, fmt.Sprintf("%s p50 %.2f ms, p99 %.2f ms (runs %s), max %.1f ms (%s); sent %.0f req/s%s; server CPU %.0f ms, load generator %.0f ms per 1000 requests",
				s.name, med(o, func(o openLoop) float64 { return o.p50 }),
				med(o, func(o openLoop) float64 { return o.p99 }), spread(o, func(o openLoop) float64 { return o.p99 }, "%.2f"),
				med(o, func(o openLoop) float64 { return o.max }), spread(o, func(o openLoop) float64 { return o.max }, "%.1f"),
				med(o, func(o openLoop) float64 { return o.sent }), behind,
				med(o, func(o openLoop) float64 { return o.serverCPU * 1000 }),
				med(o, func(o openLoop) float64 { return o.loadCPU * 1000 })))
		}
		ours, ngx, caddy, floor := rps("this server"), rps("nginx"), rps("Caddy"), rps(floorName)
		name := "Server " + r.name + " (br)"
		rows = append(rows,
			Row{Name: name + ", saturation: req/s vs nginx", Unit: "rps", Baseline: "nginx (wrk, 64 connections)", Base: ngx, Value: ours,
				Ratio: ours / ngx, Target: ">= 0.9", Pass: ours/ngx >= 0.9, Note: strings.Join(satNotes, "; ")},
			Row{Name: name + ", saturation: req/s vs Caddy", Unit: "rps", Baseline: "Caddy (wrk, 64 connections)", Base: caddy, Value: ours,
				Ratio: ours / caddy, Target: ">= 3.0", Pass: ours/caddy >= 3},
			// What net/http alone reaches against nginx, and this server against it.
			Row{Name: name + ", saturation: net/http's floor vs nginx", Unit: "rps", Baseline: "nginx (wrk, 64 connections)", Base: ngx, Value: floor,
				Ratio: floor / ngx, Target: "reported", Pass: true, Info: true,
				Note: "the plainest net/http handler sending the same bytes and headers (server/cmd/bench/httpfloor)"},
			Row{Name: name + ", saturation: req/s vs net/http's floor", Unit: "rps", Baseline: "net/http floor (wrk, 64 connections)", Base: floor, Value: ours,
				Ratio: ours / floor, Target: "reported", Pass: true, Info: true},
		)
		rate := name + " at a fixed rate"
		for _, q := range []struct {
			name   string
			of     func(openLoop) float64
			target float64
		}{{"p50", func(o openLoop) float64 { return o.p50 }, 0}, {"p99", func(o openLoop) float64 { return o.p99 }, 1.5}, {"max", func(o openLoop) float64 { return o.max }, 0}} {
			o, n := med(fixed["this server/"+r.name], q.of), med(fixed["nginx/"+r.name], q.of)
			row := Row{Name: rate + ": " + q.name + " latency", Unit: "ms", Baseline: fmt.Sprintf("nginx at the same %d req/s (vegeta)", rates[r.name]), Base: n, Value: o, Ratio: o / n}
			if q.target > 0 {
				row.Target, row.Pass = fmt.Sprintf("<= %.1f", q.target), o/n <= q.target
				row.Note = fmt.Sprintf("offered %d req/s to each server, %s; ", rates[r.name], why[r.name]) + strings.Join(fixedNotes, "; ")
			} else {
				row.Target, row.Pass, row.Info = "reported", true, true
			}
			rows = append(rows, row)
		}
		o, f, n := med(fixed["this server/"+r.name], func(o openLoop) float64 { return o.p99 }), med(fixed[floorName+"/"+r.name], func(o openLoop) float64 { return o.p99 }), med(fixed["nginx/"+r.name], func(o openLoop) float64 { return o.p99 })
		rows = append(rows,
			Row{Name: rate + ": p99, net/http's floor vs nginx", Unit: "ms", Baseline: fmt.Sprintf("nginx at the same %d req/s (vegeta)", rates[r.name]), Base: n, Value: f,
				Ratio: f / n, Target: "reported", Pass: true, Info: true},
			Row{Name: rate + ": p99 vs net/http's floor", Unit: "ms", Baseline: fmt.Sprintf("net/http floor at the same %d req/s (vegeta)", rates[r.name]), Base: f, Value: o,
				Ratio: o / f, Target: "reported", Pass: true, Info: true})
	}
	return rows
}

// med is the median of one figure over runs.
func med[T any](xs []T, of func(T) float64) float64 {
	v := make([]float64, len(xs))
	for i, x := range xs {
		v[i] = of(x)
	}
	return median(v)
}

// spread is the range of one figure over runs, "lowest-highest".
func spread[T any](xs []T, of func(T) float64, format string) string {
	if len(xs) == 0 {
		return ""
	}
	lo, hi := of(xs[0]), of(xs[0])
	for _, x := range xs[1:] {
		lo, hi = min(lo, of(x)), max(hi, of(x))
	}
	return fmt.Sprintf(format+"-"+format, lo, hi)
}

// countIf counts the runs for which f holds.
func countIf[T any](xs []T, f func(T) bool) int {
	n := 0
	for _, x := range xs {
		if f(x) {
			n++
		}
	}
	return n
}
