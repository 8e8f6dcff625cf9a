//go:build linux

package handler

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// setCork sets TCP_CORK on the connection's socket: while set, the kernel holds
// what is written until a full segment or until it is cleared.
func setCork(rc syscall.RawConn, on bool) {
	v := 0
	if on {
		v = 1
	}
	rc.Control(func(fd uintptr) { unix.SetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_CORK, v) })
}
