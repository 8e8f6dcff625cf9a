// Command server serves the built diagram site.
//
//	go run ./server -addr 127.0.0.1:8080 -dir dist/site
//
// Built with the "embed" tag (make dist), the site is inside the binary and -dir is
// optional. It also serves the live classroom (/live/, -live, on by default) on
// a NATS embedded in the process. It shuts down gracefully on SIGINT or SIGTERM:
// new connections are refused at once, live connections are told to connect
// again (close 1012), requests in flight finish (up to -drain), then it exits 0.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"syscall"
	"time"

	"github.com/connectedlearning/diagram/server/internal/embedded"
	"github.com/connectedlearning/diagram/server/internal/handler"
	"github.com/connectedlearning/diagram/server/internal/live"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	addr, dir, baseURL string
	frameAncestors     []string
	accessLog          bool
	headerTimeout      time.Duration
	drain              time.Duration
	live               live.Config
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks a free one)")
	fs.StringVar(&c.dir, "dir", "", "directory of the built site (default: the embedded site, else dist/site)")
	fs.StringVar(&c.baseURL, "base-url", "", "public address of the site for embed codes and oEmbed, e.g. https://example.edu/diagram/")
	fa := fs.String("frame-ancestors", "*", "origins allowed to embed the diagram, space- or comma-separated (* for any)")
	fs.BoolVar(&c.accessLog, "access-log", true, "log every request to stderr")
	fs.DurationVar(&c.headerTimeout, "header-timeout", 5*time.Second, "time allowed to read a request's headers")
	fs.DurationVar(&c.drain, "drain", 10*time.Second, "how long requests in flight may take to finish at shutdown")
	c.live.RegisterFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: server [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if _, _, err := net.SplitHostPort(c.addr); err != nil {
		fs.Usage()
		return nil, fmt.Errorf("-addr %q: %v", c.addr, err)
	}
	for _, o := range strings.FieldsFunc(*fa, func(r rune) bool { return r == ',' || r == ' ' }) {
		if o == "*" {
			c.frameAncestors = nil
			break
		}
		if o != "'self'" && o != "'none'" && !strings.HasPrefix(o, "https://") && !strings.HasPrefix(o, "http://") {
			fs.Usage()
			return nil, fmt.Errorf("-frame-ancestors: %q is not an origin (https://host), 'self', 'none' or *", o)
		}
		c.frameAncestors = append(c.frameAncestors, o)
	}
	if c.baseURL != "" && !strings.HasPrefix(c.baseURL, "https://") && !strings.HasPrefix(c.baseURL, "http://") {
		fs.Usage()
		return nil, fmt.Errorf("-base-url %q must start with https:// or http://", c.baseURL)
	}
	if c.baseURL != "" && !strings.HasSuffix(c.baseURL, "/") {
		c.baseURL += "/"
	}
	if c.headerTimeout <= 0 || c.drain < 0 {
		fs.Usage()
		return nil, errors.New("-header-timeout must be positive and -drain not negative")
	}
	if err := c.live.Check(); c.live.Enabled && err != nil {
		fs.Usage()
		return nil, err
	}
	return c, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "server:", err)
		return 2
	}
	var fsys fs.FS
	switch emb, ok := embedded.Site(); {
	case c.dir != "":
		fsys = os.DirFS(c.dir)
	case ok:
		fsys = emb
	default:
		c.dir = "dist/site"
		fsys = os.DirFS(c.dir)
	}
	site, err := handler.Load(fsys)
	if err != nil {
		fmt.Fprintf(stderr, "server: loading the site from %s: %v\n", orEmbedded(c.dir), err)
		return 1
	}
	// Where the site's bytes stay in the Go heap (no memory files: not Linux), they
	// are most of it for the life of the process, and the default GC target (twice
	// the live heap) would reserve as much again for garbage a static file server
	// hardly makes; a fifth of it is plenty. In memory files, they are not in the
	// heap, which then holds 1-3 MB that live and each request's few kilobytes of
	// garbage: the collector's floor (4 MB at the default GOGC=100) made it run
	// every thousand page requests, 30 times a second at saturation, and the
	// scavenger hand the same pages back to the kernel between runs (8% of the CPU
	// under load, profiled). gcHeadroom lets at least 8 MB of garbage grow between
	// collections while the heap is that small (GOGC up to 400), and keeps the
	// default's headroom (the live heap's size) once it is not: with the live
	// classroom on, its engine and connections grow the heap with every student,
	// and five times them would be memory per student. (With the default kept for
	// the live classroom, on by default, it ran 66 collections a second here at
	// saturation on a 2 MB live heap and served 15-25% fewer pages; a 16 MB
	// headroom made the reliability test's memory grow by 23.5 MB under load, past
	// its 20.) GOGC in the environment wins.
	switch {
	case site.HeapBytes() > 8<<20:
		debug.SetGCPercent(20)
	case os.Getenv("GOGC") == "":
		stopGC := gcHeadroom(8<<20, time.Second)
		defer stopGC()
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	opt := handler.Options{FrameAncestors: c.frameAncestors}
	if c.accessLog {
		opt.Log = logger
	}
	drainLive := func(context.Context) error { return nil }
	srv := &http.Server{
		ReadHeaderTimeout: c.headerTimeout,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute, // a 2 MB download on a slow classroom link
		IdleTimeout:       90 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		ConnContext:       handler.ConnContext,
	}
	// Signals are caught before the address is announced, so that a SIGTERM sent as
	// soon as it is (by a supervisor or a test) shuts down gracefully, not by the
	// signal's default action.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		fmt.Fprintln(stderr, "server:", err)
		return 1
	}
	// The site's public address, held once for the embed codes, the oEmbed discovery
	// link and the oEmbed answers: the flag's, or this server's own when it listens
	// on a definite host (else each oEmbed answer names the host it was asked on).
	base := c.baseURL
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); base == "" && host != "" {
		if ip := net.ParseIP(host); ip == nil || !ip.IsUnspecified() {
			base = "http://" + ln.Addr().String() + "/"
		}
	}
	if base != "" {
		if err := site.SetBaseURL(base); err != nil {
			fmt.Fprintln(stderr, "server:", err)
			return 1
		}
	}
	// The live classroom, on an embedded NATS. At shutdown its connections are told
	// to connect again (1012) as soon as the listener closes, then drained with
	// the requests in flight.
	if c.live.Enabled && site.Steps() < 1 {
		fmt.Fprintln(stderr, "server: the live classroom is off: the site's page names no steps (rebuild the site)")
	} else if c.live.Enabled {
		svc, err := live.Start(live.Options{Config: c.live, Steps: site.Steps(), FrameAncestors: c.frameAncestors, BaseURL: base, Log: logger})
		if err != nil {
			fmt.Fprintln(stderr, "server:", err)
			ln.Close()
			return 1
		}
		defer svc.Close(context.Background()) // when run returns early; a no-op after drainLive
		opt.Live, opt.Health = svc, svc.Healthy
		srv.RegisterOnShutdown(svc.Restart)
		drainLive = svc.Close
	}
	srv.Handler = handler.New(site, opt)
	// Loading the site and compressing the page again for its address (brotli's best
	// quality holds some 130 MB while it works) left a collection's target set from
	// that peak, five times it at GOGC=400: requests' garbage would grow that far
	// before the next. A collection now measures the heap as it stays.
	debug.FreeOSMemory()
	liveState := "off"
	if opt.Live != nil {
		liveState = "on"
	}
	fmt.Fprintf(stdout, "serving the diagram at http://%s/ (%d files from %s; live classroom %s)\n", ln.Addr(), len(site.Files()), orEmbedded(c.dir), liveState)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintln(stderr, "server:", err)
		return 1
	case <-ctx.Done():
	}
	stop()
	fmt.Fprintln(stderr, "server: shutting down, letting requests in flight finish")
	sctx, cancel := context.WithTimeout(context.Background(), c.drain)
	defer cancel()
	err = srv.Shutdown(sctx)
	if lerr := drainLive(sctx); err == nil {
		err = lerr
	}
	if err != nil {
		fmt.Fprintln(stderr, "server: requests still running after", c.drain, "were cut:", err)
		srv.Close()
		return 1
	}
	return 0
}

func orEmbedded(dir string) string {
	if dir == "" {
		return "the binary"
	}
	return dir
}

// gcHeadroom sets the collector's target, every period, so that the garbage let
// grow between collections is at least floor bytes and at least the live heap
// (GOGC=100, the default, as soon as the live heap passes floor): a static file
// server's requests make little garbage each, and the default's own floor (4 MB
// of heap in all) collected many times a second under load; a live classroom's
// heap grows with its students, and its headroom then stays the default's. GOGC
// between 100 and 400. The returned function stops it.
func gcHeadroom(floor uint64, period time.Duration) (stop func()) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	set := func() {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return
		}
		debug.SetGCPercent(gcPercentFor(sample[0].Value.Uint64(), floor))
	}
	set()
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				set()
			case <-done:
				return
			}
		}
	}()
	return func() { close(done) }
}

// gcPercentFor is the GOGC whose headroom over a live heap of live bytes is at
// least floor bytes, between 100 and 400.
func gcPercentFor(live, floor uint64) int {
	if live == 0 {
		return 400
	}
	p := int(floor * 100 / live)
	return min(max(p, 100), 400)
}
