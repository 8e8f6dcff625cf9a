//go:build !linux

package handler

import "syscall"

// setCork does nothing where TCP_CORK is not offered: the response goes out as
// net/http writes it.
func setCork(syscall.RawConn, bool) {}
