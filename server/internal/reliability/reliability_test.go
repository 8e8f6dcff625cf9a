package reliability

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/connectedlearning/diagram/server/internal/site"
)

var (
	root, siteDir, serverBin string
	siteFiles                []string // site paths worth requesting
)

func TestMain(m *testing.M) {
	os.Exit(func() int {
		dir, _ := os.Getwd()
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				break
			}
			dir = filepath.Dir(dir)
		}
		root = dir
		tmp, _ := os.MkdirTemp("", "diagram-reliability-")
		defer os.RemoveAll(tmp)
		siteDir = os.Getenv("DIAGRAM_SITE")
		if siteDir == "" {
			siteDir = filepath.Join(tmp, "site")
			if _, err := site.Build(site.Config{Root: root, Out: siteDir, Cache: filepath.Join(root, ".cache", "compress")}); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
		filepath.Walk(siteDir, func(p string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && !strings.HasSuffix(p, ".br") && !strings.HasSuffix(p, ".gz") {
				rel, _ := filepath.Rel(siteDir, p)
				siteFiles = append(siteFiles, filepath.ToSlash(rel))
			}
			return nil
		})
		serverBin = filepath.Join(tmp, "server")
		cmd := exec.Command("go", "build", "-o", serverBin, "./server")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "%v\n%s", err, out)
			return 1
		}
		// 500 slow clients and the server's side of them need more descriptors
		// than the usual soft limit of 1024; children inherit the raised limit.
		var lim syscall.Rlimit
		if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) == nil && lim.Cur < 4096 && lim.Max >= 4096 {
			lim.Cur = 4096
			syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
		}
		return m.Run()
	}())
}

type server struct {
	cmd  *exec.Cmd
	addr string
	out  bytes.Buffer
	done chan error
}

func start(t *testing.T, args ...string) *server {
	t.Helper()
	s := &server{done: make(chan error, 1)}
	s.cmd = exec.Command(serverBin, append([]string{"-addr", "127.0.0.1:0", "-dir", siteDir, "-access-log=false"}, args...)...)
	stdout, _ := s.cmd.StdoutPipe()
	s.cmd.Stderr = &s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		s.cmd.Process.Kill()
		t.Fatalf("server did not start: %v %s", err, s.out.String())
	}
	go io.Copy(io.Discard, stdout)
	i := strings.Index(line, "http://")
	s.addr = strings.TrimSuffix(strings.Fields(line[i+7:])[0], "/")
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() {
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(15 * time.Second):
			s.cmd.Process.Kill()
		}
	})
	return s
}

// rss is the server process's resident memory in bytes.
func (s *server) rss(t *testing.T) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			f := strings.Fields(l)
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

func client() *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			MaxIdleConnsPerHost: 1,
			DisableCompression:  true, // we choose Accept-Encoding ourselves
		},
	}
}

// 200 connections for 10 s: every response a 200 or a 304, no errors, and the
// server's memory afterwards within 20 MB of before.
func TestLoad(t *testing.T) {
	s := start(t)
	warm := client()
	for _, f := range siteFiles {
		for _, enc := range []string{"br", "gzip", ""} {
			req, _ := http.NewRequest("GET", "http://"+s.addr+"/"+f, nil)
			req.Header.Set("Accept-Encoding", enc)
			res, err := warm.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	}
	before := s.rss(t)
	const conns = 200
	duration := 10 * time.Second
	var ok, notModified, bad, failed atomic.Int64
	var firstErr atomic.Value
	var etags sync.Map
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	var wg sync.WaitGroup
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := client()
			r := rand.New(rand.NewPCG(uint64(i), 7))
			for ctx.Err() == nil {
				f := siteFiles[r.IntN(len(siteFiles))]
				req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+s.addr+"/"+f, nil)
				req.Header.Set("Accept-Encoding", []string{"br", "gzip, deflate", "", "br;q=0.5, gzip;q=1"}[r.IntN(4)])
				if tag, ok := etags.Load(f + req.Header.Get("Accept-Encoding")); ok && r.IntN(3) == 0 {
					req.Header.Set("If-None-Match", tag.(string))
				}
				res, err := c.Do(req)
				if err != nil {
					if ctx.Err() != nil {
						return // the run ended mid-request
					}
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				_, err = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				switch {
				case err != nil && ctx.Err() != nil:
					return
				case err != nil:
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				case res.StatusCode == 200:
					ok.Add(1)
					etags.Store(f+req.Header.Get("Accept-Encoding"), res.Header.Get("Etag"))
				case res.StatusCode == 304:
					notModified.Add(1)
				default:
					bad.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Sprintf("%s: %d", f, res.StatusCode))
				}
			}
		}(i)
	}
	wg.Wait()
	peak := s.rss(t)
	// Garbage from the run is collected and returned over the next seconds.
	time.Sleep(5 * time.Second)
	after := s.rss(t)
	t.Logf("memory at the end of the run %.1f MB, 5 s later %.1f MB", float64(peak)/1e6, float64(after)/1e6)
	t.Logf("%d connections for %v: %d × 200, %d × 304 (%.0f requests/s); memory %.1f MB before, %.1f MB after",
		conns, duration, ok.Load(), notModified.Load(), float64(ok.Load()+notModified.Load())/duration.Seconds(), float64(before)/1e6, float64(after)/1e6)
	if failed.Load() > 0 || bad.Load() > 0 {
		t.Errorf("%d failed requests, %d non-2xx/304 responses; first: %v", failed.Load(), bad.Load(), firstErr.Load())
	}
	if ok.Load() < 1000 || notModified.Load() == 0 {
		t.Errorf("too little load to judge: %d × 200, %d × 304", ok.Load(), notModified.Load())
	}
	if growth := after - before; growth > 20<<20 {
		t.Errorf("memory grew by %.1f MB under load (limit 20 MB)", float64(growth)/1e6)
	}
}

// 500 connections that send their headers one byte a second do not keep a normal
// client from the page, and the header timeout cuts them.
func TestSlowClientsAreCut(t *testing.T) {
	s := start(t, "-header-timeout", "2s")
	const slow = 500
	var conns []net.Conn
	for i := 0; i < slow; i++ {
		c, err := net.Dial("tcp", s.addr)
		if err != nil {
			t.Fatalf("slow connection %d: %v", i, err)
		}
		conns = append(conns, c)
	}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Add(1)
		go func(c net.Conn) {
			defer wg.Done()
			req := "GET / HTTP/1.1\r\nHost: slow\r\nX-Slow: " + strings.Repeat("z", 60) + "\r\n\r\n"
			for i := 0; i < len(req); i++ {
				if _, err := c.Write([]byte{req[i]}); err != nil {
					return
				}
				select {
				case <-stop:
					return
				case <-time.After(time.Second):
				}
			}
		}(c)
	}
	time.Sleep(300 * time.Millisecond) // the slow clients are all trickling now
	var worst time.Duration
	for i := 0; i < 8; i++ {
		c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
		t0 := time.Now()
		res, err := c.Get("http://" + s.addr + "/")
		if err != nil {
			t.Fatalf("a normal client failed beside the slow ones: %v", err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		worst = max(worst, time.Since(t0))
		if res.StatusCode != 200 {
			t.Fatalf("status %d", res.StatusCode)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("the page took at most %v beside %d slow clients", worst, slow)
	if worst > 200*time.Millisecond {
		t.Errorf("the page took %v beside the slow clients (limit 200 ms)", worst)
	}
	// After the header timeout, the server has closed every slow connection.
	time.Sleep(2500 * time.Millisecond)
	closed := 0
	for _, c := range conns {
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		buf := make([]byte, 512)
		for {
			_, err := c.Read(buf)
			if err != nil {
				var ne net.Error
				if !(errors.As(err, &ne) && ne.Timeout()) {
					closed++
				}
				break
			}
		}
	}
	close(stop)
	wg.Wait()
	if closed < slow {
		t.Errorf("%d of %d slow connections were cut by the header timeout", closed, slow)
	}
}

// SIGTERM during load: requests in flight finish, new connections are refused,
// and the process exits 0 within the drain bound.
func TestShutdownUnderLoad(t *testing.T) {
	s := start(t, "-drain", "8s")
	var wasm string
	for _, f := range siteFiles {
		if strings.HasSuffix(f, ".wasm") {
			wasm = f
		}
	}
	size := func() int64 { st, _ := os.Stat(filepath.Join(siteDir, wasm)); return st.Size() }()
	// Twenty slow downloads of the uncompressed wasm, read at about 5 MB/s each, so
	// they are certainly in flight when the signal comes.
	const n = 20
	type result struct {
		got int64
		err error
	}
	results := make(chan result, n)
	started := make(chan struct{}, n)
	for i := 0; i < n; i++ {
		go func() {
			c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
			res, err := c.Get("http://" + s.addr + "/" + wasm)
			if err != nil {
				results <- result{err: err}
				return
			}
			defer res.Body.Close()
			started <- struct{}{}
			var got int64
			buf := make([]byte, 64<<10)
			for {
				k, err := res.Body.Read(buf)
				got += int64(k)
				if err == io.EOF {
					results <- result{got: got}
					return
				}
				if err != nil {
					results <- result{got: got, err: err}
					return
				}
				time.Sleep(12 * time.Millisecond)
			}
		}()
	}
	for i := 0; i < n; i++ {
		select {
		case <-started:
		case <-time.After(10 * time.Second):
			t.Fatal("the downloads did not start")
		}
	}
	sent := time.Now()
	s.cmd.Process.Signal(syscall.SIGTERM)
	time.Sleep(300 * time.Millisecond)
	if c, err := net.DialTimeout("tcp", s.addr, time.Second); err == nil {
		c.Close()
		t.Error("a new connection was accepted after SIGTERM")
	}
	for i := 0; i < n; i++ {
		r := <-results
		if r.err != nil || r.got != size {
			t.Errorf("an in-flight download ended with %d of %d bytes: %v", r.got, size, r.err)
		}
	}
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("the server exited with %v after SIGTERM; want 0\n%s", err, s.out.String())
		}
		t.Logf("drained and exited %v after SIGTERM", time.Since(sent).Round(10*time.Millisecond))
		if time.Since(sent) > 9*time.Second {
			t.Errorf("exit took %v, past the 8 s drain bound", time.Since(sent))
		}
	case <-time.After(12 * time.Second):
		t.Fatal("the server did not exit after SIGTERM")
	}
	s.done <- nil // for the cleanup
}
