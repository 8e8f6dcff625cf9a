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
	for l, items := range layerRuns(&f) {
		if r := layerRect(&f, l); l.Cached() && r.Dx() > 0 && r.Dy() > 0 {
			rasterise(&cv, &back, &f, l, items, r)
		}
	}
}
