package site

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/connectedlearning/diagram/wasm/diagram"
)

const paletteMark = "/*palette*/"

// paletteCSS writes the content file's palettes as CSS custom properties, so the
// page's HTML (panel, labels, focus outlines) and the canvas share one set of
// colours, defined once in diagram.json; and the diagram's shape, from the model.
func paletteCSS(c *diagram.Content) string {
	var b strings.Builder
	fmt.Fprintf(&b, ":root{--aspect-ratio:%s}", strconv.FormatFloat(diagram.AspectRatio, 'f', -1, 64))
	for _, p := range []diagram.Profile{diagram.ProfileDark, diagram.ProfileProjector} {
		sel := ":root"
		if p == diagram.ProfileProjector {
			sel = ":root.projector"
		}
		b.WriteString(sel + "{")
		for _, f := range c.Palettes[p].Fields() {
			fmt.Fprintf(&b, "--%s:%s;", f.CSS, f.Color.Hex())
		}
		if p == diagram.ProfileProjector {
			b.WriteString("color-scheme:light;")
		} else {
			b.WriteString("color-scheme:dark;")
		}
		b.WriteString("}")
	}
	return b.String()
}

func injectPalette(css []byte, c *diagram.Content) ([]byte, error) {
	if !bytes.Contains(css, []byte(paletteMark)) {
		return nil, fmt.Errorf("has no %s marker for the palette", paletteMark)
	}
	return bytes.Replace(css, []byte(paletteMark), []byte(paletteCSS(c)), 1), nil
}
