package raster

import (
	"image"
	"math"
	"os"
	"testing"

	"github.com/connectedlearning/diagram/wasm/diagram"
)

// scene builds the default diagram at w×h device pixels, a few seconds in.
func scene(t testing.TB, w, h float64) (*diagram.Scene, *diagram.Frame) {
	t.Helper()
	b, err := os.ReadFile("../../../assets/diagram.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := diagram.ParseContent("diagram.json", string(b))
	if err != nil {
		t.Fatal(err)
	}
	s := diagram.New(c)
	s.SetViewport(w, h, diagram.Rect{W: w, H: h}, 1)
	for i := 0; i < 240; i++ {
		s.Tick()
	}
	var f diagram.Frame
	s.Build(&f)
	return s, &f
}

// drawLayers draws every cached layer of f as the renderer does: each on a
// canvas the size of its bounds, opaque layers from their backdrop if back is not nil.
// The canvas is left holding the last layer.
func drawLayers(c *Canvas, f *diagram.Frame, back *[diagram.NumLayers]Backdrop) {
	for i := 0; i < len(f.Items); {
		l := f.Items[i].Layer
		j := i
		for j < len(f.Items) && f.Items[j].Layer == l {
			j++
		}
		if l.Cached() {
			b := f.Layers[l].Bounds
			r := image.Rect(int(math.Floor(b.X))-2, int(math.Floor(b.Y))-2, int(math.Ceil(b.X+b.W))+2, int(math.Ceil(b.Y+b.H))+2)
			k := i
			switch {
			case f.Layers[l].Opaque && back != nil:
				n := i
				for n < j && f.Items[n].Kind == diagram.ItemGlow {
					n++
				}
				back[l].Paint(c, r.Dx(), r.Dy(), f.Background, f, f.Items[i:n], float32(r.Min.X), float32(r.Min.Y))
				k = n
			case f.Layers[l].Opaque:
				c.Reset(r.Dx(), r.Dy())
				c.Fill(f.Background)
			default:
				c.Reset(r.Dx(), r.Dy())
			}
			for ; k < j; k++ {
				c.Draw(f, &f.Items[k], float32(r.Min.X), float32(r.Min.Y))
			}
		}
		i = j
	}
}

func TestCachedLayersHoldOnlyWhatTheCanvasDraws(t *testing.T) {
	for _, vp := range [][2]float64{{1280, 720}, {390, 844}} {
		_, f := scene(t, vp[0], vp[1])
		n := 0
		for _, it := range f.Items {
			if it.Layer.Cached() {
				n++
				if !Supports(it.Kind) || it.Gear != 0 {
					t.Errorf("%v: a cached layer holds an item of kind %d (gear %d) the canvas does not draw", vp, it.Kind, it.Gear)
				}
			}
		}
		if n < 100 {
			t.Errorf("%v: only %d items in cached layers; the scene should be drawn in full", vp, n)
		}
	}
}

func TestSceneLayerLooksDrawn(t *testing.T) {
	_, f := scene(t, 1280, 720)
	var c Canvas
	b := f.Layers[diagram.LayerPLN].Bounds
	ox, oy := float32(math.Floor(b.X))-2, float32(math.Floor(b.Y))-2
	c.Reset(int(math.Ceil(b.W))+5, int(math.Ceil(b.H))+5)
	c.Fill(f.Background)
	var people int
	for i := range f.Items {
		it := &f.Items[i]
		if it.Layer != diagram.LayerPLN {
			continue
		}
		c.Draw(f, it, ox, oy)
		if it.Kind == diagram.ItemCircle {
			people++
		}
	}
	// Every head and hand of the crowd is painted: its centre differs from the
	// background.
	bg := f.Background
	differs := 0
	for i := range f.Items {
		it := &f.Items[i]
		if it.Layer != diagram.LayerPLN || it.Kind != diagram.ItemCircle {
			continue
		}
		x, y := int(it.X-ox), int(it.Y-oy)
		p := c.Pix[4*(y*c.W+x):]
		if d := math.Abs(float64(p[0])-float64(bg.R)) + math.Abs(float64(p[1])-float64(bg.G)) + math.Abs(float64(p[2])-float64(bg.B)); d > 30 {
			differs++
		}
	}
	if people == 0 || differs < people*9/10 {
		t.Errorf("%d of %d heads and hands of the crowd stand out from the background", differs, people)
	}
	// The layer is opaque throughout.
	for i := 3; i < len(c.Pix); i += 4 {
		if c.Pix[i] != 255 {
			t.Fatalf("the opaque layer has a pixel of alpha %d", c.Pix[i])
		}
	}
}

// BenchmarkLayers draws every cached layer of the default scene: in full, as on
// the first frame or a resize, and again from the backdrops, as on a hover.
func BenchmarkLayers(b *testing.B) {
	for _, vp := range []struct {
		name string
		w, h float64
	}{{"1280x720", 1280, 720}, {"3840x2160", 3840, 2160}} {
		b.Run(vp.name, func(b *testing.B) {
			_, f := scene(b, vp.w, vp.h)
			var c Canvas
			drawLayers(&c, f, nil)
			b.ReportAllocs()
			for b.Loop() {
				drawLayers(&c, f, nil)
			}
		})
		b.Run(vp.name+"/repaint", func(b *testing.B) {
			_, f := scene(b, vp.w, vp.h)
			var c Canvas
			var back [diagram.NumLayers]Backdrop
			drawLayers(&c, f, &back)
			b.ReportAllocs()
			for b.Loop() {
				drawLayers(&c, f, &back)
			}
		})
	}
}
