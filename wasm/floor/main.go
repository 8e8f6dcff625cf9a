//go:build js && wasm

// Command floor is the benchmark baseline: the smallest Ebiten program that draws a
// vector shape. `make bench` compares the diagram's download, first frame and frame
// rate against it, built with the same flags and served the same way. Its one
// addition is a User Timing mark at its first frame, the same signal the diagram
// gives, so both are timed alike. Built with -tags pagebridge (bridge.go) it is
// started by this project's page and loader instead, and answers the page's
// hooks as the diagram does, so that the page's own cost can be told from the
// program's.
package main

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

type game struct {
	t     float32
	drawn bool
}

func (g *game) Update() error { g.t++; return nil }

func (g *game) Draw(screen *ebiten.Image) {
	w, h := screen.Bounds().Dx(), screen.Bounds().Dy()
	vector.FillCircle(screen, float32(w)/2, float32(h)/2, 40+10*float32(int(g.t)%60)/60, color.RGBA{0xf2, 0xb8, 0x4b, 0xff}, true)
	if !g.drawn {
		g.drawn = true
		firstFrame()
	}
}

func (g *game) Layout(w, h int) (int, int) { return w, h }

func main() {
	if start() {
		return
	}
	if err := ebiten.RunGame(&game{}); err != nil {
		panic(err)
	}
}
