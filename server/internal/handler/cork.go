package handler

import (
	"context"
	"net"
	"net/http"
	"syscall"
)

type corkKey struct{}

// ConnContext is for http.Server.ConnContext: it keeps the connection's socket
// where serveFile can cork it.
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return ctx
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return ctx
	}
	return context.WithValue(ctx, corkKey{}, rc)
}

func corked(r *http.Request) syscall.RawConn {
	rc, _ := r.Context().Value(corkKey{}).(syscall.RawConn)
	return rc
}
