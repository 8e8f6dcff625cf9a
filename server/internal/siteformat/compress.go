package siteformat

import "compress/gzip"

// Quality chooses how hard files are compressed.
type Quality int

const (
	// Dev compresses fast (brotli 5, gzip 6) so that a rebuild after a change is
	// ready in seconds.
	Dev Quality = iota
	// Best compresses as small as possible (brotli 11, gzip 9), for deployment and
	// for what the server compresses itself.
	Best
)

// BrotliWindow is the brotli window (log2 of its size) for every file: 16 MB, more
// than the largest file (the wasm), so that it is compressed as one stream.
const BrotliWindow = 24

// Levels returns the brotli and gzip levels of the quality.
func (q Quality) Levels() (brotli, gz int) {
	if q == Best {
		return 11, gzip.BestCompression
	}
	return 5, 6
}
