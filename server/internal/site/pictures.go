package site

import (
	"math"

	"github.com/connectedlearning/diagram/server/internal/siteformat"
	"github.com/connectedlearning/diagram/wasm/diagram"
)

// The placeholder is square (the scene is fitted into a square); the thumbnail has
// the frame's shape.
const placeholderSize = 1000

var thumbW, thumbH = 1200, int(math.Round(1200 / diagram.AspectRatio))

// Placeholders renders the opening picture once per colour profile (keyed by the
// profile's name), from the same model and display list as the live canvas. The
// page shows the one matching its profile inside the stage, scaled like the live
// layout (a centred square that fits), so the canvas takes over without a jump.
// They are interactive (diagram.SVGOptions.Interactive): the page lets people
// hover and click the picture's own shapes before the program runs. Each has ids
// of its own (prefixed by the profile's initial), so both can be in one page.
func Placeholders(c *diagram.Content) map[string][]byte {
	out := map[string][]byte{}
	for _, p := range []diagram.Profile{diagram.ProfileDark, diagram.ProfileProjector} {
		s := diagram.New(c)
		s.SetProfile(p)
		s.SetViewport(placeholderSize, placeholderSize, diagram.Rect{W: placeholderSize, H: placeholderSize}, 1)
		var f diagram.Frame
		s.Build(&f)
		out[p.String()] = s.WriteSVG(nil, &f, diagram.SVGOptions{NoSize: true, Precision: -1, Interactive: true,
			IDPrefix: p.String()[:1], Class: "ph ph-" + p.String()})
	}
	return out
}

// Thumbnail renders the picture for link previews and oEmbed, labelled, on its
// background.
func Thumbnail(c *diagram.Content, labels [3]string, title string) []byte {
	s := diagram.New(c)
	w, h := float64(thumbW), float64(thumbH)
	s.SetViewport(w, h, diagram.Rect{W: w, H: h}, 1)
	var f diagram.Frame
	s.Build(&f)
	return s.WriteSVG(nil, &f, diagram.SVGOptions{Background: true, Labels: labels, Title: title})
}

// SceneExtent is the half-size, in design units, of the square the scene is fitted
// into.
func SceneExtent() float64 { return diagram.Extent() }

// LabelSpots are the layer labels' places in design units, for the page to place
// its labels before the wasm has started.
func LabelSpots() []siteformat.LabelSpot {
	var out []siteformat.LabelSpot
	for _, a := range diagram.DesignAnchors() {
		out = append(out, siteformat.LabelSpot{Part: a.Part.String(), X: a.X, Y: a.Y, MaxW: a.MaxW, MaxH: a.MaxH})
	}
	return out
}
