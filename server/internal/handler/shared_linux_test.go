package handler

import (
	"bytes"
	"testing"

	"golang.org/x/sys/unix"
)

// A memory file holds its own copy of the bytes, outside the Go heap, and can be
// read but never changed.
func TestMemoryFileSealed(t *testing.T) {
	want := bytes.Repeat([]byte("gear "), MappedMin/5+1)
	b := bytes.Clone(want)
	r := newRep("main.wasm", b, "")
	if r.shared == nil {
		t.Skip("no memory files here (no memfd)")
	}
	if &r.data[0] == &b[0] {
		t.Error("the representation serves the caller's slice, not the memory file")
	}
	b[0] = 'X' // the caller's bytes are its own
	if got := r.contents(); !bytes.Equal(got, want) {
		t.Fatalf("contents: %d bytes, want the %d stored", len(got), len(want))
	}
	s := &Site{files: map[string]*file{"assets/main.wasm": {reps: [numEncodings]*rep{Identity: r}}}}
	if n := s.HeapBytes(); n != 0 {
		t.Errorf("HeapBytes %d: the memory file is counted as Go heap", n)
	}
	seals, err := unix.FcntlInt(r.shared.Fd(), unix.F_GET_SEALS, 0)
	if err != nil {
		t.Fatal(err)
	}
	if need := unix.F_SEAL_WRITE | unix.F_SEAL_GROW | unix.F_SEAL_SHRINK | unix.F_SEAL_SEAL; seals&need != need {
		t.Errorf("seals %#x, want at least %#x", seals, need)
	}
	if _, err := r.shared.WriteAt([]byte("changed"), 0); err == nil {
		t.Error("a sealed memory file was written")
	}
	if err := r.shared.Truncate(10); err == nil {
		t.Error("a sealed memory file was shrunk (its mapping would fault)")
	}
	if _, err := unix.Mmap(int(r.shared.Fd()), 0, len(want), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED); err == nil {
		t.Error("a sealed memory file was mapped writable")
	}
	if got := r.contents(); !bytes.Equal(got, want) || !bytes.Equal(r.data, want) {
		t.Fatal("the memory file changed")
	}
	if c := r.contents(); &c[0] == &r.data[0] {
		t.Error("contents hands out the read-only mapping itself")
	}
}
