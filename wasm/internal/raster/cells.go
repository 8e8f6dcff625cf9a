package raster

import (
	"math"
	"slices"
)

// rast turns polygons into coverage the way FreeType's and AGG's anti-aliasing
// rasterisers do: every line is cut at pixel boundaries, and each piece leaves,
// in the cell (pixel) it crosses, its signed height (cover) and the part of that
// height left of the piece's middle (area). Sweeping a row from left to right,
// a pixel's coverage is the cover of all cells left of it plus its own cell's
// cover less its area; between cells the coverage is constant. So the work is
// proportional to the outline's length and the pixels actually painted, not to
// the shape's bounding box: a thin ring or a long link costs its own pixels.
//
// Coverage is the signed area, clamped to [0, 1] after taking its magnitude:
// shapes wound alike add up (their union), shapes wound against each other cut
// holes.
type rast struct {
	w, h   int
	cells  []cell
	sorted []cell
	rows   []int32 // cells per row, then where each row starts in sorted
	y0, y1 int     // rows touched: [y0, y1)

	firstX, firstY float32
	penX, penY     float32
}

type cell struct {
	x, y  int32
	cover float32 // signed height of the pieces in the cell
	area  float32 // signed height times the pieces' distance from the cell's left edge
}

// reset starts a new shape on a w×h canvas.
func (r *rast) reset(w, h int) {
	r.w, r.h = w, h
	r.cells = r.cells[:0]
	r.y0, r.y1 = h, 0
	r.firstX, r.firstY, r.penX, r.penY = 0, 0, 0, 0
}

// MoveTo starts a sub-path at (x, y), closing the previous one.
func (r *rast) MoveTo(x, y float32) {
	r.ClosePath()
	r.firstX, r.firstY, r.penX, r.penY = x, y, x, y
}

// LineTo adds a line from the pen to (x, y).
func (r *rast) LineTo(x, y float32) {
	r.line(r.penX, r.penY, x, y)
	r.penX, r.penY = x, y
}

// ClosePath adds the line back to the sub-path's start.
func (r *rast) ClosePath() {
	if r.penX != r.firstX || r.penY != r.firstY {
		r.LineTo(r.firstX, r.firstY)
	}
}

// Pen is where the next line starts.
func (r *rast) Pen() (x, y float32) { return r.penX, r.penY }

func finite(v float32) bool { return !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0) }

// line cuts a line into the rows it crosses.
func (r *rast) line(x0, y0, x1, y1 float32) {
	if y0 == y1 || !finite(x0) || !finite(y0) || !finite(x1) || !finite(y1) {
		return // a horizontal line covers nothing; a malformed one is skipped
	}
	dir := float32(1)
	if y0 > y1 {
		x0, y0, x1, y1 = x1, y1, x0, y0
		dir = -1
	}
	ys, ye := fmax(y0, 0), fmin(y1, float32(r.h))
	if ys >= ye {
		return
	}
	dxdy := (x1 - x0) / (y1 - y0)
	x := x0 + (ys-y0)*dxdy
	for y := int(ys); y < r.h && float32(y) < ye; y++ {
		ya, yb := fmax(float32(y), ys), fmin(float32(y+1), ye)
		if yb <= ya {
			continue
		}
		xb := x0 + (yb-y0)*dxdy
		r.rowPiece(y, x, xb, (yb-ya)*dir)
		x = xb
	}
}

// rowPiece cuts a line's piece within row y, from x = xa to x = xb, of signed
// height dy, into the cells it crosses. What lies left of the canvas counts
// fully for every pixel of the row (cover in column 0); what lies right of it
// counts for none.
func (r *rast) rowPiece(y int, xa, xb, dy float32) {
	xl, xr := fmin(xa, xb), fmax(xa, xb)
	w := float32(r.w)
	switch {
	case xr <= 0:
		r.cell(0, y, dy, 0)
		return
	case xl >= w:
		return
	}
	span := xr - xl
	if span < 1e-6 {
		c := int(xl)
		r.cell(c, y, dy, dy*(xl-float32(c)))
		return
	}
	if xl < 0 {
		r.cell(0, y, dy*(-xl)/span, 0)
		xl = 0
	}
	xr = fmin(xr, w)
	for c := int(xl); c < r.w && float32(c) < xr; c++ {
		a, b := fmax(xl, float32(c)), fmin(xr, float32(c+1))
		if b <= a {
			continue
		}
		d := dy * (b - a) / span
		r.cell(c, y, d, d*((a+b)/2-float32(c)))
	}
}

func (r *rast) cell(x, y int, cover, area float32) {
	if n := len(r.cells); n > 0 {
		if l := &r.cells[n-1]; l.x == int32(x) && l.y == int32(y) {
			l.cover += cover
			l.area += area
			return
		}
	}
	r.cells = append(r.cells, cell{int32(x), int32(y), cover, area})
	r.y0, r.y1 = min(r.y0, y), max(r.y1, y+1)
}

// sweep composites colour (premultiplied sr, sg, sb, sa) over pix (w×h RGBA)
// through the shape's coverage, run by run of equal coverage.
func (r *rast) sweep(pix []byte, sr, sg, sb, sa uint32) {
	if len(r.cells) == 0 {
		return
	}
	// Sort the cells by row (counting sort), then each row by column.
	nr := r.y1 - r.y0
	if cap(r.rows) < nr+1 {
		r.rows = make([]int32, nr+1)
	}
	rows := r.rows[:nr+1]
	clear(rows)
	for i := range r.cells {
		rows[int(r.cells[i].y)-r.y0+1]++
	}
	for i := 1; i <= nr; i++ {
		rows[i] += rows[i-1]
	}
	if cap(r.sorted) < len(r.cells) {
		r.sorted = make([]cell, len(r.cells), cap(r.cells))
	}
	sorted := r.sorted[:len(r.cells)]
	for _, c := range r.cells {
		k := int(c.y) - r.y0
		sorted[rows[k]] = c
		rows[k]++
	}
	start := int32(0)
	for k := 0; k < nr; k++ {
		end := rows[k] // after the scatter, rows[k] is where row k ends
		row := sorted[start:end]
		start = end
		if len(row) == 0 {
			continue
		}
		if len(row) < 16 {
			for i := 1; i < len(row); i++ {
				for j := i; j > 0 && row[j].x < row[j-1].x; j-- {
					row[j], row[j-1] = row[j-1], row[j]
				}
			}
		} else {
			slices.SortFunc(row, func(a, b cell) int { return int(a.x - b.x) })
		}
		y := k + r.y0
		line := pix[4*y*r.w:]
		var acc float32
		for i := 0; i < len(row); {
			x := row[i].x
			var cov, area float32
			for i < len(row) && row[i].x == x {
				cov += row[i].cover
				area += row[i].area
				i++
			}
			if a := alpha(acc + cov - area); a != 0 {
				blendRun(line[4*x:4*x+4], a, sr, sg, sb, sa)
			}
			acc += cov
			next := int32(r.w)
			if i < len(row) {
				next = row[i].x
			}
			if next > x+1 {
				if a := alpha(acc); a != 0 {
					blendRun(line[4*x+4:4*next], a, sr, sg, sb, sa)
				}
			}
		}
	}
}

// alpha is the coverage for a signed area sum, 0..255.
func alpha(v float32) uint32 {
	if v < 0 {
		v = -v
	}
	if v >= 1 {
		return 255
	}
	return uint32(v*255 + 0.5)
}

// fmin and fmax are min and max for coordinates known not to be NaN (the
// built-ins call the runtime for NaN's sake in WebAssembly).
func fmin(a, b float32) float32 {
	if a < b {
		return a
	}
	return b
}

func fmax(a, b float32) float32 {
	if a > b {
		return a
	}
	return b
}
