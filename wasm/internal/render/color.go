//go:build js && wasm

package render

import (
	"image/color"

	"github.com/connectedlearning/diagram/wasm/diagram"
)

func rgba(c diagram.Color) color.Color { return color.NRGBA{c.R, c.G, c.B, c.A} }

// white is the colour sprites are made in; they are tinted when drawn.
var white = diagram.Color{R: 255, G: 255, B: 255, A: 255}
