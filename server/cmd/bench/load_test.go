package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The load generator's transport reads every kind of response the servers send
// (a length, chunked, a closed connection), reuses a connection only after its
// body was read to the end, and gives up on a server that stops answering.
func TestWireTransport(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") != "br" {
			http.Error(w, "no Accept-Encoding", http.StatusBadRequest)
			return
		}
		switch r.URL.Path {
		case "/length":
			w.Header().Set("Content-Length", "5")
			io.WriteString(w, "gears")
		case "/chunked":
			for range 3 {
				io.WriteString(w, strings.Repeat("ring ", 1000))
				w.(http.Flusher).Flush()
			}
		case "/close":
			w.Header().Set("Connection", "close")
			io.WriteString(w, "bye")
		case "/stuck":
			<-r.Context().Done()
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	tr := &wireTransport{timeout: 500 * time.Millisecond}
	defer tr.closeIdle()
	c := &http.Client{Transport: tr}
	get := func(path string, read bool) (int, string, error) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", "br")
		res, err := c.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer res.Body.Close()
		if !read {
			return res.StatusCode, "", nil
		}
		b, err := io.ReadAll(res.Body)
		return res.StatusCode, string(b), err
	}
	for _, tt := range []struct {
		path, body string
		newConns   int64 // connections opened by this request
	}{
		{"/length", "gears", 1},
		{"/length", "gears", 0},
		{"/chunked", strings.Repeat("ring ", 3000), 0},
		{"/length", "gears", 0},
		{"/close", "bye", 0},
		{"/length", "gears", 1}, // the server closed the last one
	} {
		before := conns.Load()
		code, body, err := get(tt.path, true)
		if err != nil || code != 200 || body != tt.body {
			t.Fatalf("%s: %d, %d bytes, %v; want 200 and %d bytes", tt.path, code, len(body), err, len(tt.body))
		}
		if n := conns.Load() - before; n != tt.newConns {
			t.Errorf("%s: %d new connections, want %d", tt.path, n, tt.newConns)
		}
	}
	// A body left unread: its connection is not reused.
	if code, _, err := get("/chunked", false); err != nil || code != 200 {
		t.Fatalf("/chunked unread: %d, %v", code, err)
	}
	before := conns.Load()
	if _, body, err := get("/length", true); err != nil || body != "gears" || conns.Load()-before != 1 {
		t.Errorf("after an unread body: %q, %v, %d new connections; want gears over a new one", body, err, conns.Load()-before)
	}
	start := time.Now()
	if _, _, err := get("/stuck", true); err == nil {
		t.Error("a server that never answers gave no error")
	} else if time.Since(start) > 5*time.Second {
		t.Errorf("gave up after %v, timeout 500ms", time.Since(start))
	}
}
