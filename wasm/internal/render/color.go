//go:build js && wasm

package render

import (
	"image/color"

	"github.com/connectedlearning/diagram/wasm/diagram"
)

func rgba(c diagram.Color) color.Color { return color.NRGBA{c.R, c.G, c.B, c.A} }
