package site

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/andybalholm/brotli"

	"github.com/connectedlearning/diagram/server/internal/siteformat"
)

// compressor writes files and their .br and .gz siblings. Compressed bytes are
// cached by the hash of their input and the quality, so an unchanged file is never
// compressed twice, however often the site is rebuilt.
type compressor struct {
	dir     string
	quality Quality

	mu     sync.Mutex
	done   int
	cached int
}

type job struct {
	path string
	data []byte
	enc  string // "br" or "gz"
}

func (c *compressor) writeAll(root string, files map[string][]byte) error {
	var jobs []job
	for p, data := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			return err
		}
		if siteformat.Compressible(p) {
			jobs = append(jobs, job{p, data, "br"}, job{p, data, "gz"})
		}
	}
	// Largest first, so the wasm starts at once and the small files fill the gaps.
	for i := range jobs {
		for j := i + 1; j < len(jobs); j++ {
			if len(jobs[j].data) > len(jobs[i].data) {
				jobs[i], jobs[j] = jobs[j], jobs[i]
			}
		}
	}
	ch := make(chan job)
	errs := make(chan error, len(jobs))
	var wg sync.WaitGroup
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				z, err := c.compress(j.data, j.enc)
				if err != nil {
					errs <- fmt.Errorf("%s: compressing: %w", j.path, err)
					continue
				}
				// A sibling that is not smaller than the file is left out: the server
				// then sends the file as it is.
				if len(z) >= len(j.data) {
					continue
				}
				full := filepath.Join(root, filepath.FromSlash(j.path)) + "." + j.enc
				if err := os.WriteFile(full, z, 0o644); err != nil {
					errs <- err
				}
			}
		}()
	}
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
	wg.Wait()
	close(errs)
	return <-errs
}

func (c *compressor) compress(data []byte, enc string) ([]byte, error) {
	br, gz := c.quality.Levels()
	level := br
	if enc == "gz" {
		level = gz
	}
	sum := sha256.Sum256(data)
	key := fmt.Sprintf("%s.%s%d", hex.EncodeToString(sum[:]), enc, level)
	if c.dir != "" {
		if b, err := os.ReadFile(filepath.Join(c.dir, key)); err == nil {
			c.mu.Lock()
			c.cached++
			c.mu.Unlock()
			return b, nil
		}
	}
	var buf bytes.Buffer
	if enc == "br" {
		w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: level, LGWin: siteformat.BrotliWindow})
		if _, err := w.Write(data); err != nil {
			return nil, err
		}
		if err := w.Close(); err != nil {
			return nil, err
		}
	} else {
		w, err := gzip.NewWriterLevel(&buf, level)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(data); err != nil {
			return nil, err
		}
		if err := w.Close(); err != nil {
			return nil, err
		}
	}
	c.mu.Lock()
	c.done++
	c.mu.Unlock()
	if c.dir != "" {
		if err := os.MkdirAll(c.dir, 0o755); err == nil {
			// A temporary file of its own: two jobs or builds writing the same key
			// through one shared name could rename it while the other rewrites it.
			if f, err := os.CreateTemp(c.dir, key+".*.tmp"); err == nil {
				_, werr := f.Write(buf.Bytes())
				if cerr := f.Close(); werr == nil && cerr == nil {
					os.Rename(f.Name(), filepath.Join(c.dir, key))
				}
				os.Remove(f.Name()) // gone already when renamed
			}
		}
	}
	return buf.Bytes(), nil
}

// WriteFiles writes files (site path -> bytes) into dir with their .br and .gz
// siblings, as Build does, using the same cache. The benchmark serves its baseline
// program this way, so that both are served alike.
func WriteFiles(dir string, files map[string][]byte, q Quality, cache string) error {
	c := &compressor{dir: cache, quality: q}
	return c.writeAll(dir, files)
}
