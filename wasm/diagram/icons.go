package diagram

import "math"

// Resources of the network, drawn as flat icons in the people's style: rounded
// shapes in the member's tone, with a light "paper" tone for pages and a deep one
// for screens. Each icon stands on its base, in its own frame (x right, y up, in
// units of its height), as wide as resourceHalfWidth says.

// paperTone is the light tone of pages: light on either palette, so that a page
// reads as paper; on the light palette its outline in the member's tone carries it.
func paperTone(col Color) Color { return col.Mix(Color{255, 255, 255, col.A}, 0.74) }

// buildResource draws resource i in colour col at opacity a.
func (s *Scene) buildResource(f *Frame, pal *Palette, i int, col Color, a float64) {
	p := &s.people[i]
	part := PartPLN
	h := p.height * s.scale
	px := func(x, y float64) Vec { return s.toPx(p.local(x, y)) }
	body := col.WithAlpha(a)
	paper := paperTone(col).WithAlpha(a)
	deep := col.Mix(pal.Background, 0.62).WithAlpha(a)
	line := float32(math.Max(0.8, 0.055*h))
	fine := float32(math.Max(0.6, 0.04*h))
	fill := func(c Color, build func()) {
		op0, pt0 := f.open()
		build()
		f.add(Item{Kind: ItemFill, Part: part, Color: c}, op0, pt0)
	}
	stroke := func(c Color, w float32, build func()) {
		op0, pt0 := f.open()
		build()
		f.add(Item{Kind: ItemStroke, Part: part, Color: c, Width: w}, op0, pt0)
	}
	// rounded adds a rectangle with corners of radius r.
	rounded := func(x0, y0, x1, y1, r float64) {
		const k = 0.45 // the cubic's pull towards a corner, for a round corner
		f.Path.MoveTo(px(x0+r, y0))
		f.Path.LineTo(px(x1-r, y0))
		f.Path.CubicTo(px(x1-r*k, y0), px(x1, y0+r*k), px(x1, y0+r))
		f.Path.LineTo(px(x1, y1-r))
		f.Path.CubicTo(px(x1, y1-r*k), px(x1-r*k, y1), px(x1-r, y1))
		f.Path.LineTo(px(x0+r, y1))
		f.Path.CubicTo(px(x0+r*k, y1), px(x0, y1-r*k), px(x0, y1-r))
		f.Path.LineTo(px(x0, y0+r))
		f.Path.CubicTo(px(x0, y0+r*k), px(x0+r*k, y0), px(x0+r, y0))
		f.Path.Close()
	}

	switch p.kind {
	case KindBook:
		// An open book: the cover behind, two pages curving down to the spine, a
		// few lines of text on each.
		fill(body, func() {
			f.Path.MoveTo(px(0, 0.02))
			f.Path.QuadTo(px(-0.33, -0.06), px(-0.66, 0.08))
			f.Path.LineTo(px(-0.66, 0.86))
			f.Path.QuadTo(px(-0.33, 0.74), px(0, 0.84))
			f.Path.QuadTo(px(0.33, 0.74), px(0.66, 0.86))
			f.Path.LineTo(px(0.66, 0.08))
			f.Path.QuadTo(px(0.33, -0.06), px(0, 0.02))
			f.Path.Close()
		})
		fill(paper, func() {
			for _, sg := range [2]float64{-1, 1} {
				f.Path.MoveTo(px(0, 0.16))
				f.Path.QuadTo(px(sg*0.28, 0.08), px(sg*0.58, 0.18))
				f.Path.LineTo(px(sg*0.58, 0.97))
				f.Path.QuadTo(px(sg*0.28, 0.86), px(0, 0.92))
				f.Path.Close()
			}
		})
		stroke(body, fine, func() {
			f.Path.MoveTo(px(0, 0.16))
			f.Path.LineTo(px(0, 0.92))
			for _, sg := range [2]float64{-1, 1} {
				for k := 0; k < 3; k++ {
					y := 0.72 - 0.19*float64(k)
					f.Path.MoveTo(px(sg*0.12, y))
					f.Path.QuadTo(px(sg*0.28, y-0.035), px(sg*0.46, y+0.015))
				}
			}
		})
	case KindVideo:
		// A screen on a stand, playing: a light triangle on a deep display.
		stroke(body, line, func() {
			f.Path.MoveTo(px(0, 0.24))
			f.Path.LineTo(px(0, 0.06))
			f.Path.MoveTo(px(-0.22, 0.04))
			f.Path.LineTo(px(0.22, 0.04))
		})
		fill(body, func() { rounded(-0.64, 0.2, 0.64, 1, 0.1) })
		fill(deep, func() { rounded(-0.54, 0.36, 0.54, 0.91, 0.05) })
		fill(paper, func() {
			f.Path.MoveTo(px(-0.11, 0.5))
			f.Path.LineTo(px(0.19, 0.635))
			f.Path.LineTo(px(-0.11, 0.77))
			f.Path.Close()
		})
	case KindPodcast:
		// Headphones: a band over the top, two ear cups with their cushions.
		stroke(body, float32(0.1*h), func() {
			f.Path.MoveTo(px(-0.44, 0.38))
			f.Path.CubicTo(px(-0.5, 1.07), px(0.5, 1.07), px(0.44, 0.38))
		})
		for _, sg := range [2]float64{-1, 1} {
			fill(body, func() { rounded(sg*0.56-0.13, 0.04, sg*0.56+0.13, 0.52, 0.11) })
			fill(deep, func() { rounded(sg*0.4-0.045, 0.1, sg*0.4+0.045, 0.46, 0.04) })
		}
	case KindArticle:
		// A page with a folded corner, a headline and lines of text.
		fill(paper, func() {
			f.Path.MoveTo(px(-0.42, 0))
			f.Path.LineTo(px(0.42, 0))
			f.Path.LineTo(px(0.42, 0.76))
			f.Path.LineTo(px(0.18, 1))
			f.Path.LineTo(px(-0.42, 1))
			f.Path.Close()
		})
		fill(body, func() {
			f.Path.MoveTo(px(0.18, 1))
			f.Path.LineTo(px(0.18, 0.76))
			f.Path.LineTo(px(0.42, 0.76))
			f.Path.Close()
		})
		stroke(body, fine, func() {
			f.Path.MoveTo(px(-0.42, 0))
			f.Path.LineTo(px(0.42, 0))
			f.Path.LineTo(px(0.42, 0.76))
			f.Path.LineTo(px(0.18, 1))
			f.Path.LineTo(px(-0.42, 1))
			f.Path.Close()
		})
		fill(body, func() { rounded(-0.27, 0.77, 0.08, 0.9, 0.03) }) // the headline
		stroke(body, fine, func() {
			for k := 0; k < 4; k++ {
				y := 0.62 - 0.15*float64(k)
				x1 := 0.27
				if k == 3 {
					x1 = 0.05
				}
				f.Path.MoveTo(px(-0.27, y))
				f.Path.LineTo(px(x1, y))
			}
		})
	}
}

// resourceSpot is a point of each icon in the member's own tone, broad enough to
// click on and to check the colour of: the book's cover under its spine, the
// screen's chin, an ear cup, the article's headline.
var resourceSpot = [numKinds][2]float64{KindBook: {0, 0.085}, KindVideo: {0, 0.28}, KindPodcast: {-0.56, 0.28}, KindArticle: {-0.1, 0.835}}

// buildBook draws the open book a reading person holds between their hands.
func (s *Scene) buildBook(f *Frame, p *person, col Color, a float64) {
	px := func(x, y float64) Vec { return s.toPx(p.local(x, y)) }
	y0, y1 := bookY-bookH/2, bookY+bookH/2
	op0, pt0 := f.open()
	f.Path.MoveTo(px(0, y0))
	f.Path.QuadTo(px(-bookW/2, y0-0.03), px(-bookW, y0+0.01))
	f.Path.LineTo(px(-bookW, y1))
	f.Path.QuadTo(px(-bookW/2, y1-0.04), px(0, y1-0.01))
	f.Path.QuadTo(px(bookW/2, y1-0.04), px(bookW, y1))
	f.Path.LineTo(px(bookW, y0+0.01))
	f.Path.QuadTo(px(bookW/2, y0-0.03), px(0, y0))
	f.Path.Close()
	f.add(Item{Kind: ItemFill, Part: PartPLN, Color: paperTone(col).WithAlpha(a)}, op0, pt0)
	op0, pt0 = f.open()
	f.Path.MoveTo(px(0, y0))
	f.Path.LineTo(px(0, y1-0.01))
	f.add(Item{Kind: ItemStroke, Part: PartPLN, Color: col.WithAlpha(a), Width: float32(math.Max(0.6, 0.03*p.height*s.scale))}, op0, pt0)
}
