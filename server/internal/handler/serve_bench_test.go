package handler_test

import (
	"bufio"
	"bytes"
	"net"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkServe sends requests through net/http over loopback, one connection,
// one request at a time, with the server's timeouts set as server/main.go sets
// them. ns/op is a round trip (both ends, on this machine); allocs/op are the
// server's, since the client reuses its buffers and allocates nothing.
func BenchmarkServe(b *testing.B) {
	f := newFixture()
	for _, bc := range []struct{ name, path, ae string }{
		{"page br", "/", "br"},
		{"page gzip", "/", "gzip, deflate"},
		{"css br", "/" + cssPath, "br"},
		{"browser's Accept-Encoding", "/" + cssPath, "gzip, deflate, br, zstd"},
		{"304", "/" + cssPath, "br\r\nIf-None-Match: " + etag(b, "/"+cssPath, "br")},
		{"404", "/nothing-here", "br"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			srv := httptest.NewUnstartedServer(f.h)
			srv.Config.ReadHeaderTimeout = 5 * time.Second
			srv.Config.ReadTimeout = 30 * time.Second
			srv.Config.WriteTimeout = 2 * time.Minute
			srv.Config.IdleTimeout = 90 * time.Second
			srv.Start()
			defer srv.Close()
			c, err := net.Dial("tcp", srv.Listener.Addr().String())
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			req := []byte("GET " + bc.path + " HTTP/1.1\r\nHost: bench.test\r\nAccept-Encoding: " + bc.ae + "\r\n\r\n")
			r := bufio.NewReaderSize(c, 64<<10)
			clPrefix := []byte("Content-Length: ")
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Write(req); err != nil {
					b.Fatal(err)
				}
				n := 0
				for {
					line, err := r.ReadSlice('\n')
					if err != nil {
						b.Fatal(err)
					}
					if len(line) <= 2 {
						break
					}
					if v, ok := bytes.CutPrefix(line, clPrefix); ok {
						for _, d := range bytes.TrimSpace(v) {
							n = n*10 + int(d-'0')
						}
					}
				}
				if _, err := r.Discard(n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
