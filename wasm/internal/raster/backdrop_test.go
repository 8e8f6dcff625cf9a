package raster

import (
	"bytes"
	"testing"

	"github.com/connectedlearning/diagram/wasm/diagram"
)

func TestBackdropIsAFreshPaintOrAnExactCopy(t *testing.T) {
	bg := diagram.Color{R: 15, G: 23, B: 42, A: 255}
	f := &diagram.Frame{Items: []diagram.Item{
		{Kind: diagram.ItemGlow, X: 110, Y: 90, R: 80, Color: diagram.Color{R: 120, G: 110, B: 230, A: 30}},
		{Kind: diagram.ItemGlow, X: 60, Y: 60, R: 30, Color: diagram.Color{R: 250, G: 200, B: 90, A: 60}},
	}}
	fresh := func(w, h int, ox, oy float32) []byte {
		var c Canvas
		c.Reset(w, h)
		c.Fill(bg)
		for i := range f.Items {
			c.Draw(f, &f.Items[i], ox, oy)
		}
		return c.Pix
	}
	var b Backdrop
	var c Canvas
	check := func(what string, w, h int, ox, oy float32) {
		t.Helper()
		b.Paint(&c, w, h, bg, f, f.Items, ox, oy)
		if !bytes.Equal(c.Pix, fresh(w, h, ox, oy)) {
			t.Errorf("%s: the backdrop differs from a fresh paint", what)
		}
	}
	check("first paint", 200, 160, 0, 0)
	check("again, copied", 200, 160, 0, 0)
	f.Items[0].Color.A = 60
	check("a glow brighter", 200, 160, 0, 0)
	f.Items[1].X = 70
	check("a glow moved", 200, 160, 0, 0)
	check("the layer moved", 200, 160, 5, -3)
	check("the layer larger", 240, 160, 5, -3)
	bg = diagram.Color{R: 250, G: 250, B: 245, A: 255}
	check("another background", 240, 160, 5, -3)
}

func TestSceneRepaintFromTheBackdropMatchesAFullPaint(t *testing.T) {
	_, f := scene(t, 1280, 720)
	var full, again Canvas
	drawLayers(&full, f, nil)
	var b [diagram.NumLayers]Backdrop
	drawLayers(&again, f, &b)
	drawLayers(&again, f, &b) // the second time from the backdrop
	if !bytes.Equal(full.Pix, again.Pix) {
		t.Error("the last layer repainted from its backdrop differs from a full paint")
	}
}
