package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/connectedlearning/diagram/server/internal/site"
)

type bench struct {
	root    string
	runs    int
	tmp     string
	siteDir string // dist/site, best compression
	floor   string // the floor program's site
	floorPg string // URL of our server serving this project's page with the floor program in it
	server  string // the server binary
	procs   []*exec.Cmd
	ours    string // URL of our server serving the diagram
	floorU  string // URL of our server serving the floor program
	wasmRel string // the diagram's wasm path in the site
	oursPID int    // the process serving b.ours
}

func (b *bench) cleanup() {
	for _, p := range b.procs {
		stop(p)
	}
	if b.tmp != "" {
		os.RemoveAll(b.tmp)
	}
}

func stop(p *exec.Cmd) {
	if p.Process == nil {
		return
	}
	p.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { p.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		p.Process.Kill()
		<-done
	}
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func waitPort(addr string) {
	for i := 0; i < 200; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	fatalf("nothing listens on %s", addr)
}

// prepare builds what is measured: the deployable site at best compression, the
// server binary, and the floor program served the same way.
func (b *bench) prepare(browser, servers bool) {
	var err error
	b.tmp, err = os.MkdirTemp("", "diagram-bench-")
	if err != nil {
		fatal(err)
	}
	need := map[string]string{}
	if browser {
		need["chromium"] = "chromium"
	}
	if servers {
		need["wrk"] = "wrk"
		need["nginx"] = "nginx"
		need["/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"] = "libnginx-mod-http-brotli-static"
		need["caddy"] = "caddy"
	}
	aptInstall(need)

	log.Printf("building the site (best compression; the first time takes about a minute)")
	b.siteDir = filepath.Join(b.root, "dist", "site")
	cache := filepath.Join(b.root, ".cache", "compress")
	if _, err := site.Build(site.Config{Root: b.root, Out: b.siteDir, Cache: cache, Quality: site.Best, Log: log.Printf}); err != nil {
		fatal(err)
	}
	b.server = filepath.Join(b.tmp, "server")
	b.gobuild(b.server, "./server")

	// The floor: the smallest Ebiten vector program, same flags, same server,
	// same compression, with a page that only starts it.
	log.Printf("building the floor program")
	fw := filepath.Join(b.tmp, "floor.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", fw, "./wasm/floor")
	cmd.Dir, cmd.Env = b.root, append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		fatalf("building the floor: %v\n%s", err, out)
	}
	wasm, _ := os.ReadFile(fw)
	execJS, err := os.ReadFile(filepath.Join(b.goroot(), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		fatal(err)
	}
	b.floor = filepath.Join(b.tmp, "floor-site")
	files := map[string][]byte{
		"index.html":   []byte(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Floor</title><script src="wasm_exec.js"></script><script src="floor.js"></script></head><body></body></html>`),
		"floor.js":     []byte(`const go = new Go(); WebAssembly.instantiateStreaming(fetch('floor.wasm'), go.importObject).then(r => go.run(r.instance));`),
		"wasm_exec.js": execJS,
		"floor.wasm":   wasm,
	}
	if err := site.WriteFiles(b.floor, files, site.Best, cache); err != nil {
		fatal(err)
	}
	ours := freePort()
	b.ours = fmt.Sprintf("http://127.0.0.1:%d/", ours)
	b.oursPID = b.start(b.server, "-addr", fmt.Sprintf("127.0.0.1:%d", ours), "-dir", b.siteDir, "-access-log=false").Process.Pid
	fp := freePort()
	b.floorU = fmt.Sprintf("http://127.0.0.1:%d/", fp)
	b.start(b.server, "-addr", fmt.Sprintf("127.0.0.1:%d", fp), "-dir", b.floor, "-access-log=false")
	waitPort(fmt.Sprintf("127.0.0.1:%d", ours))
	waitPort(fmt.Sprintf("127.0.0.1:%d", fp))
	ms, _ := filepath.Glob(filepath.Join(b.siteDir, "assets", "main.*.wasm"))
	if len(ms) != 1 {
		fatal("no wasm in the built site")
	}
	b.wasmRel, _ = filepath.Rel(b.siteDir, ms[0])

	// The floor in this project's page: the built site with its program replaced
	// by the floor, built with a bridge that answers the page's hooks (connected,
	// ready), compressed the same way and served by the same server.
	if browser {
		log.Printf("building the floor program for this project's page")
		fbw := filepath.Join(b.tmp, "floor-bridge.wasm")
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-tags", "pagebridge", "-o", fbw, "./wasm/floor")
		cmd.Dir, cmd.Env = b.root, append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		if out, err := cmd.CombinedOutput(); err != nil {
			fatalf("building the floor with the page's bridge: %v\n%s", err, out)
		}
		fbWasm, _ := os.ReadFile(fbw)
		pageDir := filepath.Join(b.tmp, "floor-page-site")
		if err := copyDir(b.siteDir, pageDir); err != nil {
			fatal(err)
		}
		for _, enc := range []string{"", ".br", ".gz"} {
			os.Remove(filepath.Join(pageDir, b.wasmRel+enc))
		}
		if err := site.WriteFiles(pageDir, map[string][]byte{filepath.ToSlash(b.wasmRel): fbWasm}, site.Best, cache); err != nil {
			fatal(err)
		}
		pp := freePort()
		b.floorPg = fmt.Sprintf("http://127.0.0.1:%d/", pp)
		b.start(b.server, "-addr", fmt.Sprintf("127.0.0.1:%d", pp), "-dir", pageDir, "-access-log=false")
		waitPort(fmt.Sprintf("127.0.0.1:%d", pp))
	}
}

// copyDir copies the regular files of a directory tree.
func copyDir(src, dst string) error {
	return filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if fi.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o644)
	})
}

func (b *bench) gobuild(out, pkg string) {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir = b.root
	if o, err := cmd.CombinedOutput(); err != nil {
		fatalf("go build %s: %v\n%s", pkg, err, o)
	}
}

func (b *bench) goroot() string {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		fatal(err)
	}
	return strings.TrimSpace(string(out))
}

func (b *bench) start(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	// Killed with the bench, also when it stops on log.Fatal (which skips the
	// deferred cleanup).
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		fatalf("%s: %v", name, err)
	}
	b.procs = append(b.procs, cmd)
	return cmd
}

// tick runs the model's benchmark: one tick of the full default scene.
func (b *bench) tick() []Row {
	log.Printf("model tick: go test -bench")
	cmd := exec.Command("go", "test", "-run=^$", "-bench=^BenchmarkTick$", "-benchmem", fmt.Sprintf("-count=%d", b.runs), "./wasm/diagram/")
	cmd.Dir = b.root
	out, err := cmd.CombinedOutput()
	if err != nil {
		fatalf("go test -bench: %v\n%s", err, out)
	}
	re := regexp.MustCompile(`BenchmarkTick\S*\s+\d+\s+([\d.]+) ns/op\s+(\d+) B/op\s+(\d+) allocs/op`)
	var ns, allocs []float64
	for _, m := range re.FindAllStringSubmatch(string(out), -1) {
		v, _ := strconv.ParseFloat(m[1], 64)
		a, _ := strconv.ParseFloat(m[3], 64)
		ns, allocs = append(ns, v), append(allocs, a)
	}
	if len(ns) == 0 {
		fatalf("no benchmark output:\n%s", out)
	}
	t, a := median(ns), median(allocs)
	return []Row{
		{Name: "Model tick (time)", Unit: "ns", Baseline: "budget 50 µs", Base: 50000, Value: t, Ratio: t / 50000, Target: "< 1 (under 50 µs)", Pass: t < 50000},
		{Name: "Model tick (allocations)", Unit: "allocs/op", Baseline: "none allowed", Base: 0, Value: a, Ratio: a, Target: "0 allocs/op", Pass: a == 0},
	}
}

// build times a warm `make site` (what `make run` does) after a one-line change in
// wasm/, restoring the file afterwards.
func (b *bench) build() Row {
	log.Printf("warm rebuild after a one-line change in wasm/")
	main := filepath.Join(b.root, "wasm", "main.go")
	orig, err := os.ReadFile(main)
	if err != nil {
		fatal(err)
	}
	defer os.WriteFile(main, orig, 0o644)
	make := func() time.Duration {
		start := time.Now()
		cmd := exec.Command("make", "site")
		cmd.Dir = b.root
		if out, err := cmd.CombinedOutput(); err != nil {
			os.WriteFile(main, orig, 0o644)
			fatalf("make site: %v\n%s", err, out)
		}
		return time.Since(start)
	}
	make() // warm: everything built and cached once
	var ts []float64
	for i := 0; i < b.runs; i++ {
		changed := strings.Replace(string(orig), "func main() {", fmt.Sprintf("func main() {\n\tconst benchChange = %d // a one-line change\n\t_ = benchChange", time.Now().UnixNano()), 1)
		os.WriteFile(main, []byte(changed), 0o644)
		ts = append(ts, make().Seconds())
	}
	os.WriteFile(main, orig, 0o644)
	make()
	v := median(ts)
	return Row{Name: "Warm rebuild (make run)", Unit: "s", Baseline: "budget 5 s", Base: 5, Value: v, Ratio: v / 5, Target: "< 1 (under 5 s)", Pass: v < 5}
}

// serverRows load-tests our server, nginx, Caddy and net/http's floor on the same
// files, in turn.
func (b *bench) serverRows() []Row {
	dir := filepath.Join(b.tmp, "peers")
	os.MkdirAll(dir, 0o755)
	np, cp := freePort(), freePort()
	// Both peers send the headers this server sends (security, caching, CORS), so
	// that every server writes about the same bytes per response.
	csp := "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; manifest-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors *"
	conf := fmt.Sprintf(`worker_processes auto;
pid %[1]s/nginx.pid;
error_log %[1]s/nginx-error.log;
load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  types { application/wasm wasm; }
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  server_tokens off;
  client_body_temp_path %[1]s; proxy_temp_path %[1]s; fastcgi_temp_path %[1]s; uwsgi_temp_path %[1]s; scgi_temp_path %[1]s;
  server {
    listen 127.0.0.1:%[2]d;
    root %[3]s;
    brotli_static on;
    gzip_static on;
    gzip_vary on;
    etag on;
    add_header X-Content-Type-Options nosniff always;
    add_header Referrer-Policy strict-origin-when-cross-origin always;
    location /assets/ {
      add_header Cache-Control "public, max-age=31536000, immutable";
      add_header X-Content-Type-Options nosniff;
      add_header Referrer-Policy strict-origin-when-cross-origin;
      add_header Access-Control-Allow-Origin "*";
      add_header Cross-Origin-Resource-Policy cross-origin;
    }
    location / {
      add_header Cache-Control "no-cache";
      add_header X-Content-Type-Options nosniff;
      add_header Referrer-Policy strict-origin-when-cross-origin;
      add_header Content-Security-Policy "%[4]s";
    }
  }
}
`, dir, np, b.siteDir, csp)
	os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o644)
	caddyfile := fmt.Sprintf(`{
	admin off
	auto_https off
}
http://127.0.0.1:%d {
	root * %s
	header X-Content-Type-Options nosniff
	header Referrer-Policy strict-origin-when-cross-origin
	header -Server
	@assets path /assets/*
	header @assets Cache-Control "public, max-age=31536000, immutable"
	header @assets Access-Control-Allow-Origin "*"
	header @assets Cross-Origin-Resource-Policy cross-origin
	@page not path /assets/*
	header @page Cache-Control no-cache
	header @page Content-Security-Policy "%s"
	file_server {
		precompressed br gzip
	}
}
`, cp, b.siteDir, csp)
	os.WriteFile(filepath.Join(dir, "Caddyfile"), []byte(caddyfile), 0o644)
	ngx := b.start("nginx", "-c", filepath.Join(dir, "nginx.conf"), "-p", dir, "-g", "daemon off;")
	// net/http's floor: the same files and headers from the plainest net/http
	// handler, which tells this server's own cost from net/http's.
	floorBin, fl := filepath.Join(b.tmp, "httpfloor"), freePort()
	b.gobuild(floorBin, "./server/cmd/bench/httpfloor")
	floor := b.start(floorBin, "-addr", fmt.Sprintf("127.0.0.1:%d", fl), "-dir", b.siteDir, "-csp", csp)
	caddy := exec.Command("caddy", "run", "--config", filepath.Join(dir, "Caddyfile"), "--adapter", "caddyfile")
	caddy.Env = append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir)
	caddy.Stdout, caddy.Stderr = io.Discard, io.Discard
	if err := caddy.Start(); err != nil {
		fatal(err)
	}
	b.procs = append(b.procs, caddy)
	waitPort(fmt.Sprintf("127.0.0.1:%d", np))
	waitPort(fmt.Sprintf("127.0.0.1:%d", cp))
	waitPort(fmt.Sprintf("127.0.0.1:%d", fl))

	return b.measureServers([]server{
		{"this server", b.ours, []int{b.oursPID}},
		{"nginx", fmt.Sprintf("http://127.0.0.1:%d/", np), []int{ngx.Process.Pid}},
		{"Caddy", fmt.Sprintf("http://127.0.0.1:%d/", cp), []int{caddy.Process.Pid}},
		{floorName, fmt.Sprintf("http://127.0.0.1:%d/", fl), []int{floor.Process.Pid}},
	})
}
