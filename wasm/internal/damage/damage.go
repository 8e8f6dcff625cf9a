// Package damage tells a renderer which parts of the screen changed between two
// frames, so that it can redraw only those.
//
// The renderer describes each frame as a list of entries: a key that changes
// whenever what the entry draws changes (its kind, colour, place, angle, path),
// and the boxes on the screen it may touch. Diff compares the frame with the one
// before: an entry whose key is in both frames is unchanged; every box of an
// entry found in only one of them is damaged (its new place must be drawn, its
// old place drawn over). The damage is kept on a grid of tiles and handed back
// as a few rectangles. Redrawing every entry that meets those rectangles,
// clipped to them and in the usual order, leaves the screen exactly as a full
// redraw would, since a pixel's colour depends only on what covers it.
//
// Nothing is allocated per frame once the slices have grown to the scene's size.
package damage

import (
	"image"
	"math"
)

// Tile is the side of the grid's square tiles, in device pixels.
const Tile = 32

type entry struct {
	key    uint64
	b0, b1 int32 // boxes [b0, b1) of the frame's boxes
	seen   bool  // matched in the other frame
}

type frame struct {
	entries []entry
	boxes   []image.Rectangle
}

// Tracker holds the last frame's entries and the one being described.
type Tracker struct {
	prev, cur  frame
	w, h       int
	cols, rows int
	marks      []bool
	rects      []image.Rectangle
	runs       []image.Rectangle // this row's runs, being merged down
	open       []image.Rectangle // runs still growing downwards
	next       []image.Rectangle
}

// Begin starts describing a frame of a w by h screen.
func (t *Tracker) Begin(w, h int) {
	t.cur.entries, t.cur.boxes = t.cur.entries[:0], t.cur.boxes[:0]
	if w != t.w || h != t.h {
		t.w, t.h = w, h
		t.cols, t.rows = (w+Tile-1)/Tile, (h+Tile-1)/Tile
		if n := t.cols * t.rows; cap(t.marks) < n {
			t.marks = make([]bool, n)
		}
		t.marks = t.marks[:t.cols*t.rows]
	}
}

// Add starts an entry with key k; Box gives it its boxes.
func (t *Tracker) Add(k uint64) {
	n := int32(len(t.cur.boxes))
	t.cur.entries = append(t.cur.entries, entry{key: k, b0: n, b1: n})
}

// Box adds r to the entry last added.
func (t *Tracker) Box(r image.Rectangle) {
	if r.Empty() || len(t.cur.entries) == 0 {
		return
	}
	t.cur.boxes = append(t.cur.boxes, r)
	t.cur.entries[len(t.cur.entries)-1].b1++
}

// Diff compares the frame described since Begin with the last one and returns
// the damaged rectangles (clipped to the screen, not overlapping), or whole if
// more than limit of the screen's tiles are damaged (a full redraw is then
// cheaper). The described frame becomes the last one. The rectangles are valid
// until the next call.
func (t *Tracker) Diff(limit float64) (rects []image.Rectangle, whole bool) {
	clear(t.marks)
	match(t.prev.entries, t.cur.entries)
	n := t.mark(&t.prev) + t.mark(&t.cur)
	t.prev, t.cur = t.cur, t.prev
	if float64(n) > limit*float64(len(t.marks)) {
		return nil, true
	}
	return t.build(), false
}

// match marks the entries of a and b whose key the other has. The lists are a
// scene's moving parts and its cached layers (tens of entries), so the quadratic
// scan costs less than a map would.
func match(a, b []entry) {
	for i := range a {
		a[i].seen = false
	}
	for j := range b {
		b[j].seen = false
	}
	for i := range a {
		for j := range b {
			if !b[j].seen && a[i].key == b[j].key {
				a[i].seen, b[j].seen = true, true
				break
			}
		}
	}
}

// mark sets the tiles under every box of f's unmatched entries and returns how
// many tiles it newly set.
func (t *Tracker) mark(f *frame) int {
	n := 0
	for _, e := range f.entries {
		if e.seen {
			continue
		}
		for _, r := range f.boxes[e.b0:e.b1] {
			r = r.Intersect(image.Rect(0, 0, t.w, t.h))
			if r.Empty() {
				continue
			}
			for ty := r.Min.Y / Tile; ty <= (r.Max.Y-1)/Tile; ty++ {
				row := t.marks[ty*t.cols : (ty+1)*t.cols]
				for tx := r.Min.X / Tile; tx <= (r.Max.X-1)/Tile; tx++ {
					if !row[tx] {
						row[tx] = true
						n++
					}
				}
			}
		}
	}
	return n
}

// build turns the marked tiles into rectangles: each row's runs of marked
// tiles, a run merged with the one above it when they span the same columns.
func (t *Tracker) build() []image.Rectangle {
	t.rects, t.open = t.rects[:0], t.open[:0]
	for ty := 0; ty < t.rows; ty++ {
		t.runs = t.runs[:0]
		row := t.marks[ty*t.cols : (ty+1)*t.cols]
		for tx := 0; tx < t.cols; {
			if !row[tx] {
				tx++
				continue
			}
			x0 := tx
			for tx < t.cols && row[tx] {
				tx++
			}
			t.runs = append(t.runs, image.Rect(x0, ty, tx, ty+1))
		}
		// Runs that continue an open rectangle grow it; open rectangles that no run
		// continues are finished.
		t.next = t.next[:0]
		for _, o := range t.open {
			grown := false
			for i, r := range t.runs {
				if r.Min.X == o.Min.X && r.Max.X == o.Max.X {
					o.Max.Y = ty + 1
					t.runs[i] = image.Rectangle{}
					grown = true
					break
				}
			}
			if grown {
				t.next = append(t.next, o)
			} else {
				t.rects = append(t.rects, o)
			}
		}
		for _, r := range t.runs {
			if !r.Empty() {
				t.next = append(t.next, r)
			}
		}
		t.open, t.next = t.next, t.open
	}
	t.rects = append(t.rects, t.open...)
	screen := image.Rect(0, 0, t.w, t.h)
	for i, r := range t.rects {
		t.rects[i] = image.Rect(r.Min.X*Tile, r.Min.Y*Tile, r.Max.X*Tile, r.Max.Y*Tile).Intersect(screen)
	}
	return t.rects
}

// Hash builds an entry's key from what it draws.
type Hash uint64

// NewHash is a hash with nothing in it yet.
func NewHash() Hash { return 14695981039346656037 }

// U64 adds v to the hash: a word at a time, each step a bijection of the
// value added (a multiply by an odd constant and a shift-xor), so two frames
// that differ in one value never share a key.
func (h Hash) U64(v uint64) Hash {
	h = (h ^ Hash(v)) * 0x9e3779b97f4a7c15
	return h ^ h>>32
}

// F32 adds v to the hash.
func (h Hash) F32(v float32) Hash { return h.U64(uint64(math.Float32bits(v))) }

// Box returns the pixel rectangle holding the disc of radius r at (x, y), grown
// by pad pixels.
func Box(x, y, r, pad float32) image.Rectangle {
	return image.Rect(int(math.Floor(float64(x-r-pad))), int(math.Floor(float64(y-r-pad))),
		int(math.Ceil(float64(x+r+pad))), int(math.Ceil(float64(y+r+pad))))
}
