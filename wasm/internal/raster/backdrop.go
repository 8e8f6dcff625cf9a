package raster

import (
	"math"

	"github.com/connectedlearning/diagram/wasm/diagram"
)

// Backdrop keeps the painted bottom of an opaque layer (its background and the
// items right over it, such as the crowd's wide glow) so that a layer repainted
// for another reason (a hover, a selection) starts from a copy of it instead of
// painting it again. The glow under the crowd covers the whole layer: painting
// it is most of a repaint.
type Backdrop struct {
	pix []byte
	key uint64
	ok  bool
}

// Paint makes c w×h pixels of bg with items painted over it, their coordinates
// moved by (-ox, -oy), or copies the result of the last call when nothing it
// depends on changed.
func (b *Backdrop) Paint(c *Canvas, w, h int, bg diagram.Color, f *diagram.Frame, items []diagram.Item, ox, oy float32) {
	c.resize(w, h) // every pixel is written below
	k := newKey()
	k.add(uint64(c.W), uint64(c.H), uint64(bg.R)<<24|uint64(bg.G)<<16|uint64(bg.B)<<8|uint64(bg.A))
	for i := range items {
		it := &items[i]
		k.add(uint64(it.Kind), uint64(it.Color.R)<<24|uint64(it.Color.G)<<16|uint64(it.Color.B)<<8|uint64(it.Color.A))
		k.addf(it.X-ox, it.Y-oy, it.R, it.Width)
		if it.Op1 > it.Op0 {
			ops := f.Path.Ops[it.Op0:it.Op1]
			for _, op := range ops {
				k.add(uint64(op))
			}
			for _, p := range f.Path.Pts[it.Pt0 : int(it.Pt0)+pathPoints(ops)] {
				k.addf(p.X-ox, p.Y-oy)
			}
		}
	}
	if b.ok && b.key == uint64(k) && len(b.pix) == len(c.Pix) {
		copy(c.Pix, b.pix)
		return
	}
	c.Fill(bg)
	for i := range items {
		c.Draw(f, &items[i], ox, oy)
	}
	b.pix = append(b.pix[:0], c.Pix...)
	b.key, b.ok = uint64(k), true
}

// key is an FNV-1a hash of 64-bit words.
type key uint64

func newKey() key { return 14695981039346656037 }

func (k *key) add(vs ...uint64) {
	for _, v := range vs {
		for i := 0; i < 8; i++ {
			*k ^= key(v >> (8 * i) & 0xff)
			*k *= 1099511628211
		}
	}
}

func (k *key) addf(vs ...float32) {
	for _, v := range vs {
		k.add(uint64(math.Float32bits(v)))
	}
}
