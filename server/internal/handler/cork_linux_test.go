package handler_test

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/connectedlearning/diagram/server/internal/handler"
	"golang.org/x/sys/unix"
)

// A response corked so that its headers and body leave in one push is always
// uncorked when it is done: otherwise the kernel would hold its tail for up to
// 200 ms, and every page load on a kept-alive connection would stall.
func TestCorkReleased(t *testing.T) {
	t.Parallel()
	f := newFixture()
	srv := httptest.NewUnstartedServer(f.h)
	var mu sync.Mutex
	var conns []net.Conn
	srv.Config.ConnContext = handler.ConnContext
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateNew {
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	// One connection, kept alive, carries every request in turn.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true, MaxConnsPerHost: 1}, Timeout: 10 * time.Second}
	t.Cleanup(client.CloseIdleConnections)

	corkOf := func(c net.Conn) int {
		rc, err := c.(*net.TCPConn).SyscallConn()
		if err != nil {
			t.Fatal(err)
		}
		v := -1
		rc.Control(func(fd uintptr) { v, err = unix.GetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_CORK) })
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name, method, path string
		hdr                map[string]string
		want               int
		body               []byte
	}{
		{"page identity (corked)", "GET", "/", nil, 200, pageHTML},
		{"page br (small)", "GET", "/", map[string]string{"Accept-Encoding": "br"}, 200, f.files[pagePath].br},
		{"page HEAD", "HEAD", "/", nil, 200, nil},
		{"wasm br (memory file)", "GET", "/" + wasmPath, map[string]string{"Accept-Encoding": "br"}, 200, f.files[wasmPath].br},
		{"wasm identity", "GET", "/" + wasmPath, nil, 200, f.files[wasmPath].of("identity")},
		{"css range", "GET", "/" + cssPath, map[string]string{"Range": "bytes=0-9"}, 206, cssText[:10]},
		{"page again", "GET", "/", nil, 200, pageHTML},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
		for k, v := range tt.hdr {
			req.Header.Set(k, v)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatalf("%s: reading the body: %v", tt.name, err)
		}
		if res.StatusCode != tt.want || !bytes.Equal(b, tt.body) {
			t.Errorf("%s: status %d, %d bytes; want %d and the %d stored", tt.name, res.StatusCode, len(b), tt.want, len(tt.body))
		}
		mu.Lock()
		cs := append([]net.Conn(nil), conns...)
		mu.Unlock()
		if len(cs) != 1 {
			t.Fatalf("%s: %d connections, want the one kept alive", tt.name, len(cs))
		}
		// The uncork comes before the last bytes can leave, so it has happened by
		// now; the wait only covers the kernel's own 200 ms timer sending first.
		deadline := time.Now().Add(5 * time.Second)
		for corkOf(cs[0]) != 0 {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the connection is still corked after the response", tt.name)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
