package handler

import (
	"bytes"
	"io"
	"net/http/httptest"
	"os"
	"testing"
)

// A memory file can be read but never changed.
func TestMemoryFileSealed(t *testing.T) {
	want := bytes.Repeat([]byte("gear "), SendfileMin/5+1)
	r := newRep("main.wasm", want, "")
	if r.shared == nil {
		t.Skip("no memory files here (no memfd or /proc)")
	}
	if r.data != nil {
		t.Error("the bytes are kept twice: in memory and in the memory file")
	}
	if got := r.contents(); !bytes.Equal(got, want) {
		t.Fatalf("contents: %d bytes, want the %d stored", len(got), len(want))
	}
	w, err := os.OpenFile(r.path, os.O_WRONLY, 0)
	if err == nil {
		_, err = w.Write([]byte("changed"))
		w.Close()
	}
	if err == nil {
		t.Fatal("a sealed memory file was written")
	}
	if got := r.contents(); !bytes.Equal(got, want) {
		t.Fatal("the memory file changed")
	}
}

// When a memory file cannot be opened again (out of descriptors, say), the bytes are
// read from the shared one instead: slower, never an error.
func TestMemoryFileFallback(t *testing.T) {
	want := bytes.Repeat([]byte("hand "), SendfileMin/5+1)
	r := newRep("main.wasm", want, "")
	if r.shared == nil {
		t.Skip("no memory files here (no memfd or /proc)")
	}
	r.path = "/nonexistent/memory-file"
	f := &file{name: "assets/main.0123456789.wasm", ctype: "application/wasm", ctypeH: []string{"application/wasm"}, hashed: true}
	f.reps[Identity], f.avail[Identity] = r, true
	h := New(&Site{files: map[string]*file{f.name: f}}, Options{})
	for _, rng := range []string{"", "bytes=5-14"} {
		req := httptest.NewRequest("GET", "/"+f.name, nil)
		if rng != "" {
			req.Header.Set("Range", rng)
		}
		rec := httptest.NewRecorder()
		h.serveFile(rec, req, f)
		got, _ := io.ReadAll(rec.Body)
		exp := want
		if rng != "" {
			exp = want[5:15]
		}
		if rec.Code/100 != 2 || !bytes.Equal(got, exp) {
			t.Errorf("range %q: status %d, %d bytes, want %d", rng, rec.Code, len(got), len(exp))
		}
	}
}
