//go:build linux

package handler

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// shareBytes copies b into a sealed memory file (memfd): still memory, never disk,
// but a file the kernel can send straight to a socket (sendfile), as nginx does
// from its page cache. Sealed, its bytes can never change. It returns the file and
// the path that opens it again with an offset of its own, one per request; an error
// when the system cannot (no memfd, no /proc), and the caller keeps the bytes.
func shareBytes(name string, b []byte) (*os.File, string, error) {
	fd, err := unix.MemfdCreate(name, unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return nil, "", err
	}
	f := os.NewFile(uintptr(fd), name)
	if _, err := f.Write(b); err != nil {
		f.Close()
		return nil, "", err
	}
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_ADD_SEALS, unix.F_SEAL_SHRINK|unix.F_SEAL_GROW|unix.F_SEAL_WRITE|unix.F_SEAL_SEAL); err != nil {
		f.Close()
		return nil, "", err
	}
	p := fmt.Sprintf("/proc/self/fd/%d", fd)
	g, err := os.Open(p)
	if err != nil {
		f.Close()
		return nil, "", err
	}
	g.Close()
	return f, p, nil
}
