//go:build js && wasm

package render

import (
	"github.com/connectedlearning/diagram/wasm/diagram"
	"github.com/connectedlearning/diagram/wasm/internal/raster"
)

// WarmUp paints the first frame's cached layers of s once on the CPU, without
// Ebiten, as Draw does (the program's warm-up run, see wasm/warm.go): what it
// calls is then compiled for the program's own start.
func WarmUp(s *diagram.Scene) {
	var (
		f    diagram.Frame
		cv   raster.Canvas
		back raster.Backdrop
	)
	s.Build(&f)
	g := Game{frame: f}
	items := f.Items
	for i := 0; i < len(items); {
		l := items[i].Layer
		j := i
		for j < len(items) && items[j].Layer == l {
			j++
		}
		r := g.layerRect(l)
		if l.Cached() && r.Dx() > 0 && r.Dy() > 0 {
			ox, oy := float32(r.Min.X), float32(r.Min.Y)
			layer := items[i:j]
			if f.Layers[l].Opaque {
				n := 0
				for n < len(layer) && layer[n].Kind == diagram.ItemGlow {
					n++
				}
				back.Paint(&cv, r.Dx(), r.Dy(), f.Background, &f, layer[:n], ox, oy)
				layer = layer[n:]
			} else {
				cv.Reset(r.Dx(), r.Dy())
			}
			for k := range layer {
				cv.Draw(&f, &layer[k], ox, oy)
			}
		} else if !l.Cached() {
			for k := i; k < j; k++ {
				if isShape(&items[k]) {
					raster.Bounds(&f, &items[k], 0, 0)
				}
			}
		}
		i = j
	}
}
