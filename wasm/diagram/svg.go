package diagram

import (
	"math"
	"strconv"
	"strings"
)

// SVGOptions controls WriteSVG.
type SVGOptions struct {
	// Background paints the palette's background; without it the SVG is
	// transparent (the page's own background shows through the placeholder).
	Background bool
	// IDPrefix keeps ids unique when several SVGs share one page.
	IDPrefix string
	// Title is the SVG's accessible title; empty for none.
	Title string
	// Labels are the texts of the three layer labels (Connectivism, CoP, PLN), drawn
	// at the layout's anchors on a backing; empty strings are left out.
	Labels [3]string
	// Caption is drawn along the bottom (the current step's caption); empty for none.
	// Under a stage that leaves room below it (an export), it is centred in that
	// room, never over the picture.
	Caption string
	// Heading is drawn above the stage, centred in the room there (an export's
	// title line); empty for none.
	Heading string
	// Class is set on the root element.
	Class string
	// Precision is the number of decimals of coordinates (default 1).
	Precision int
	// NoSize leaves out width and height, so that CSS sizes the picture (the
	// viewBox keeps its proportions).
	NoSize bool
	// Interactive makes the picture its own hit map, for a page that lets people
	// explore it before the program runs: each part's and each member's shapes are
	// grouped as <g data-part="…" data-member="…">, with the very shapes HitTest
	// uses (the rings' bands, a person's reach, a resource's box) drawn invisible
	// under them, and soft light and halos taking no pointer events.
	Interactive bool
}

// glowStops is the fall-off of a glow, shared with the Ebiten renderer's sprite so
// that both look alike: alpha at fractions 0, .25, .5, .75 and 1 of the radius.
var glowStops = [...]float64{1, 0.72, 0.36, 0.11, 0}

// GlowAlpha is the glow's opacity at fraction t (0..1) of its radius.
func GlowAlpha(t float64) float64 {
	if t >= 1 {
		return 0
	}
	u := 1 - t*t
	return u * u * (0.55 + 0.45*(1-t))
}

func init() {
	for i := range glowStops {
		glowStops[i] = math.Round(GlowAlpha(float64(i)/4)*100) / 100
	}
}

// WriteSVG appends the frame as an SVG document to b and returns it. Gears are
// defined once per shape and placed with <use>, which keeps the document small.
func (s *Scene) WriteSVG(b []byte, f *Frame, o SVGOptions) []byte {
	w, h := float64(f.W), float64(f.H)
	cssW, cssH := w/s.dpr, h/s.dpr
	prec := 1
	if o.Precision > 0 {
		prec = o.Precision
	} else if o.Precision < 0 {
		prec = 0
	}
	b = str(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `)
	b = num(b, w)
	b = append(b, ' ')
	b = num(b, h)
	b = append(b, '"')
	if !o.NoSize {
		b = str(b, ` width="`)
		b = num(b, cssW)
		b = str(b, `" height="`)
		b = num(b, cssH)
		b = append(b, '"')
	}
	if o.Class != "" {
		b = str(b, ` class="`)
		b = escape(b, o.Class)
		b = append(b, '"')
	}
	if o.Title != "" {
		b = str(b, ` role="img"><title>`)
		b = escape(b, o.Title)
		b = str(b, `</title>`)
	} else {
		b = str(b, ` aria-hidden="true">`)
	}

	// Definitions: a gradient per glow colour, a path per gear shape.
	b = str(b, `<defs>`)
	var glows []Color
	var gearDefs []int // gear indices whose (teeth, style) is defined
	for i := range f.Items {
		it := &f.Items[i]
		switch {
		case it.Kind == ItemGlow:
			c := it.Color
			c.A = 255
			if indexColor(glows, c) < 0 {
				glows = append(glows, c)
				b = str(b, `<radialGradient id="`)
				b = append(b, o.IDPrefix...)
				b = append(b, 'r')
				b = strconv.AppendInt(b, int64(len(glows)-1), 10)
				b = str(b, `">`)
				for k, a := range glowStops {
					b = str(b, `<stop offset="`)
					b = num(b, float64(k)/4)
					b = str(b, `" stop-color="`)
					b = append(b, c.Hex()...)
					b = str(b, `" stop-opacity="`)
					b = num(b, a)
					b = str(b, `"/>`)
				}
				b = str(b, `</radialGradient>`)
			}
		case it.Gear > 0:
			gi := int(it.Gear - 1)
			if s.gearDef(gearDefs, gi) < 0 {
				gearDefs = append(gearDefs, gi)
				var p Path
				AppendGear(&p, &s.shapes[gi], s.gears[gi].Style, Identity)
				b = str(b, `<path id="`)
				b = append(b, o.IDPrefix...)
				b = append(b, 'g')
				b = strconv.AppendInt(b, int64(len(gearDefs)-1), 10)
				b = str(b, `" fill-rule="evenodd" d="`)
				b = pathData(b, &p, 0, int32(len(p.Ops)), 0, 2)
				b = str(b, `"/>`)
			}
		}
	}
	b = str(b, `</defs>`)

	if o.Background {
		b = str(b, `<rect width="100%" height="100%" fill="`)
		b = append(b, f.Background.Hex()...)
		b = str(b, `"/>`)
	}
	if o.Interactive {
		b = s.svgBands(b)
		b = s.svgHalos(b)
	}
	// Layers that breathe or are dimmed become groups with their transform and
	// opacity, as a renderer keeping them as images draws them; in an interactive
	// picture, a part's or a member's run of items is a group inside its layer.
	open := false
	cur := Layer(255)
	type key struct {
		part   Part
		member int16
	}
	grouped, gk := false, key{}
	for i := range f.Items {
		it := &f.Items[i]
		if o.Interactive && grouped && (it.Layer != cur || (key{it.Part, it.Member}) != gk) {
			b = str(b, `</g>`)
			grouped = false
		}
		if it.Layer != cur {
			if open {
				b = str(b, `</g>`)
				open = false
			}
			cur = it.Layer
			li := &f.Layers[cur]
			if li.Scale != 1 || li.Alpha != 1 {
				open = true
				b = str(b, `<g`)
				if li.Scale != 1 {
					b = str(b, ` transform="translate(`)
					b = num(b, float64(li.CX))
					b = append(b, ' ')
					b = num(b, float64(li.CY))
					b = str(b, `) scale(`)
					b = strconv.AppendFloat(b, float64(li.Scale), 'f', 4, 32)
					b = str(b, `) translate(`)
					b = num(b, -float64(li.CX))
					b = append(b, ' ')
					b = num(b, -float64(li.CY))
					b = str(b, `)"`)
				}
				if li.Alpha != 1 {
					b = str(b, ` opacity="`)
					b = num(b, float64(li.Alpha))
					b = append(b, '"')
				}
				b = append(b, '>')
			}
		}
		if o.Interactive && !grouped && it.Part != PartNone {
			gk, grouped = key{it.Part, it.Member}, true
			b = str(b, `<g data-part="`)
			b = append(b, it.Part.String()...)
			if it.Member > 0 {
				b = str(b, `" data-member="`)
				b = strconv.AppendInt(b, int64(it.Member-1), 10)
				b = str(b, `">`)
				b = s.svgReach(b, int(it.Member-1))
			} else {
				b = str(b, `">`)
			}
		}
		if o.Interactive && (it.Decor || it.Kind == ItemGlow) {
			b = str(b, `<g pointer-events="none">`)
		}
		switch {
		case it.Kind == ItemCircle:
			b = str(b, `<circle cx="`)
			b = numP(b, float64(it.X), prec)
			b = str(b, `" cy="`)
			b = numP(b, float64(it.Y), prec)
			b = str(b, `" r="`)
			b = numP(b, float64(it.R), prec+1)
			b = str(b, `" fill="`)
			b = append(b, hex6(it.Color)...)
			b = append(b, '"')
			b = opacity(b, it.Color)
			b = str(b, `/>`)
		case it.Kind == ItemGlow:
			c := it.Color
			c.A = 255
			b = str(b, `<circle cx="`)
			b = num(b, float64(it.X))
			b = str(b, `" cy="`)
			b = num(b, float64(it.Y))
			b = str(b, `" r="`)
			b = num(b, float64(it.R))
			b = str(b, `" fill="url(#`)
			b = append(b, o.IDPrefix...)
			b = append(b, 'r')
			b = strconv.AppendInt(b, int64(indexColor(glows, c)), 10)
			b = str(b, `)"`)
			b = opacity(b, it.Color)
			b = str(b, `/>`)
		case it.Gear > 0:
			b = str(b, `<use href="#`)
			b = append(b, o.IDPrefix...)
			b = append(b, 'g')
			b = strconv.AppendInt(b, int64(s.gearDef(gearDefs, int(it.Gear-1))), 10)
			b = str(b, `" transform="translate(`)
			b = num(b, float64(it.X))
			b = append(b, ' ')
			b = num(b, float64(it.Y))
			b = str(b, `) rotate(`)
			b = num(b, float64(it.Angle)*180/math.Pi)
			b = str(b, `) scale(`)
			b = strconv.AppendFloat(b, float64(it.Scale), 'f', 3, 32)
			b = str(b, `)" fill="`)
			b = append(b, hex6(it.Color)...)
			b = append(b, '"')
			b = opacity(b, it.Color)
			b = str(b, `/>`)
		default:
			b = str(b, `<path d="`)
			b = pathData(b, &f.Path, it.Op0, it.Op1, it.Pt0, prec)
			b = append(b, '"')
			if it.Kind == ItemDots {
				b = str(b, ` fill="none" stroke="`)
				b = append(b, hex6(it.Color)...)
				b = str(b, `" stroke-width="`)
				b = numP(b, float64(it.Width), prec+1)
				b = str(b, `" stroke-linecap="round" stroke-dasharray="0 `)
				b = numP(b, float64(it.R), prec+1)
				b = append(b, '"')
				if it.Color.A != 255 {
					b = str(b, ` stroke-opacity="`)
					b = num(b, float64(it.Color.A)/255)
					b = append(b, '"')
				}
			} else if it.Kind == ItemStroke {
				b = str(b, ` fill="none" stroke="`)
				b = append(b, hex6(it.Color)...)
				b = str(b, `" stroke-width="`)
				b = numP(b, float64(it.Width), prec+1)
				b = str(b, `" stroke-linecap="round" stroke-linejoin="round"`)
				if it.Color.A != 255 {
					b = str(b, ` stroke-opacity="`)
					b = num(b, float64(it.Color.A)/255)
					b = append(b, '"')
				}
			} else {
				b = str(b, ` fill="`)
				b = append(b, hex6(it.Color)...)
				b = append(b, '"')
				if it.Kind == ItemFillEvenOdd {
					b = str(b, ` fill-rule="evenodd"`)
				}
				b = opacity(b, it.Color)
			}
			b = str(b, `/>`)
		}
		if o.Interactive && (it.Decor || it.Kind == ItemGlow) {
			b = str(b, `</g>`)
		}
	}
	if grouped {
		b = str(b, `</g>`)
	}
	if open {
		b = str(b, `</g>`)
	}
	b = s.svgText(b, o)
	b = str(b, `</svg>`)
	return b
}

// hitPaint is how the invisible hit shapes are painted: they take the pointer
// where they are painted, but nothing shows.
const hitPaint = `" fill="none" stroke="#000" stroke-opacity="0" pointer-events="stroke"/>`

// svgBands draws the rings' bands as HitTest sees them, invisible, under everything:
// a pointer between the people of a ring is on the ring.
func (s *Scene) svgBands(b []byte) []byte {
	band := func(part Part, r0, r1 float64) {
		b = str(b, `<g data-part="`)
		b = append(b, part.String()...)
		b = str(b, `"><circle cx="`)
		b = num(b, s.origin.X)
		b = str(b, `" cy="`)
		b = num(b, s.origin.Y)
		b = str(b, `" r="`)
		b = num(b, (r0+r1)/2*s.scale)
		b = str(b, `" stroke-width="`)
		b = num(b, (r1-r0)*s.scale)
		b = append(b, hitPaint...)
		b = str(b, `</g>`)
	}
	// Drawn in the order HitTest prefers them, the one it tries first on top.
	if s.ch[chPLN] > 0.3 {
		band(PartPLN, plnBandIn, plnBandOut)
	}
	if s.ch[chCoP] > 0.3 {
		band(PartCoP, copBandIn, copBandOut)
	}
	return b
}

// svgHalos draws, hidden, the halo of every part and member (Scene.HaloOf, as the
// live canvas marks a selection, a hover or keyboard focus), for the page to show:
// <g data-halo="cop">, <g data-halo="m3"> for member 3, at full strength (a hover's
// is the page's to soften).
func (s *Scene) svgHalos(b []byte) []byte {
	focus := s.Palette().Focus.Hex()
	circle := func(c Vec, r, width, alpha float64) {
		b = str(b, `<circle cx="`)
		b = num(b, c.X)
		b = str(b, `" cy="`)
		b = num(b, c.Y)
		b = str(b, `" r="`)
		b = num(b, r)
		b = str(b, `" stroke-width="`)
		b = num(b, width)
		b = str(b, `" stroke-opacity="`)
		b = num(b, alpha)
		b = str(b, `"/>`)
	}
	halo := func(t Target) {
		h, ok := s.HaloOf(t)
		if !ok {
			return
		}
		b = str(b, `<g data-halo="`)
		if t.Person >= 0 {
			b = append(b, 'm')
			b = strconv.AppendInt(b, int64(t.Person), 10)
		} else {
			b = append(b, t.Part.String()...)
		}
		b = str(b, `" display="none">`)
		if h.Band > 0 {
			circle(h.C, h.R, h.Band, 0.10)
			circle(h.C, h.R-h.Band/2, h.Thin, 0.95)
			circle(h.C, h.R+h.Band/2, h.Thin, 0.95)
		} else {
			circle(h.C, h.R, h.Thin, h.Alpha)
		}
		b = str(b, `</g>`)
	}
	b = str(b, `<g class="halos" fill="none" stroke="`)
	b = append(b, focus...)
	b = str(b, `" pointer-events="none">`)
	for _, p := range [...]Part{PartPLN, PartCoP, PartConnectivism} {
		if s.partShown(p) {
			halo(Target{Part: p, Person: -1})
		}
	}
	for i := range s.people {
		if s.people[i].alpha >= 0.3 {
			halo(Target{Part: s.personPart(i), Person: i})
		}
	}
	return str(b, `</g>`)
}

// svgReach draws, invisible, the shape in which HitTest finds member i: a person's
// reach (a thick line from feet to head) or a resource's box.
func (s *Scene) svgReach(b []byte, i int) []byte {
	if i < 0 || i >= len(s.people) {
		return b
	}
	q := &s.people[i]
	if q.alpha < 0.3 {
		return b
	}
	if q.kind.Resource() {
		bx := q.bounds()
		p0, p1 := s.toPx(Vec{bx.X, bx.Y}), s.toPx(Vec{bx.X + bx.W, bx.Y + bx.H})
		b = str(b, `<rect x="`)
		b = num(b, p0.X)
		b = str(b, `" y="`)
		b = num(b, p0.Y)
		b = str(b, `" width="`)
		b = num(b, p1.X-p0.X)
		b = str(b, `" height="`)
		b = num(b, p1.Y-p0.Y)
		return str(b, `" fill="#000" fill-opacity="0"/>`)
	}
	a, c := s.toPx(q.local(0, 0.1)), s.toPx(q.head())
	b = str(b, `<path d="M`)
	b = num(b, a.X)
	b = append(b, ' ')
	b = num(b, a.Y)
	b = append(b, 'L')
	b = num(b, c.X)
	b = append(b, ' ')
	b = num(b, c.Y)
	b = str(b, `" stroke-width="`)
	b = num(b, 0.4*q.height*s.scale)
	b = str(b, `" stroke-linecap="round`)
	return append(b, hitPaint...)
}

// svgText draws the labels and the caption as real text, so that an exported SVG is
// searchable, selectable and crisp in a slide or handout.
func (s *Scene) svgText(b []byte, o SVGOptions) []byte {
	pal := s.Palette()
	anchors := s.Anchors()
	// The same size rule as the page's labels: text scales with the picture,
	// within limits a projector and a phone can read.
	font := math.Max(11, math.Min(24, s.Scale()*0.05)) * s.dpr
	const advance = 0.56 // average advance of a sans-serif face, in ems
	label := func(lines []string, x, y, size float64, bold bool) []byte {
		longest := 0
		for _, l := range lines {
			longest = max(longest, len([]rune(l)))
		}
		lh := size * 1.2
		w := float64(longest)*size*advance + size*1.3
		hgt := lh*float64(len(lines)) + size*0.45
		b = str(b, `<rect x="`)
		b = num(b, x-w/2)
		b = str(b, `" y="`)
		b = num(b, y-hgt/2)
		b = str(b, `" width="`)
		b = num(b, w)
		b = str(b, `" height="`)
		b = num(b, hgt)
		b = str(b, `" rx="`)
		b = num(b, math.Min(hgt/2, size*0.9))
		b = str(b, `" fill="`)
		b = append(b, pal.Surface.Hex()...)
		b = str(b, `" fill-opacity="0.88"/><text fill="`)
		b = append(b, pal.Text.Hex()...)
		b = str(b, `" font-size="`)
		b = num(b, size)
		if bold {
			b = str(b, `" font-weight="600`)
		}
		b = str(b, `" text-anchor="middle" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif">`)
		for i, l := range lines {
			b = str(b, `<tspan x="`)
			b = num(b, x)
			b = str(b, `" y="`)
			b = num(b, y+(float64(i)-float64(len(lines)-1)/2)*lh+size*0.35)
			b = str(b, `">`)
			b = escape(b, l)
			b = str(b, `</tspan>`)
		}
		b = str(b, `</text>`)
		return b
	}
	for i, a := range anchors {
		if o.Labels[i] == "" || a.Shown < 0.5 {
			continue
		}
		lines := wrap(o.Labels[i], a.MaxW*s.dpr, font*advance)
		b = label(lines, a.X*s.dpr, a.Y*s.dpr, font, true)
	}
	size := captionSize(s.h, s.dpr)
	if o.Caption != "" {
		lines := wrap(o.Caption, s.w*0.9, size*advance)
		y := s.h - size*(0.9+0.6*float64(len(lines)))
		if below := s.h - (s.stage.Y + s.stage.H); below >= bandHeight(len(lines), size) {
			y = s.h - below/2
		}
		b = label(lines, s.w/2, y, size, false)
	}
	if o.Heading != "" {
		lines := wrap(o.Heading, s.w*0.9, size*advance)
		b = label(lines, s.w/2, s.stage.Y/2, size, true)
	}
	return b
}

// captionSize is the font size of captions and headings in a picture h device
// pixels tall: readable on a phone and on a projector.
func captionSize(h, dpr float64) float64 { return math.Max(14, math.Min(34, h/dpr*0.03)) * dpr }

// bandHeight is the room n lines of text of the given size take, with their backing
// and a margin round it.
func bandHeight(n int, size float64) float64 { return size * (1.2*float64(n) + 1.6) }

// ExportOptions say what an exported picture holds.
type ExportOptions struct {
	Size    float64 // the side of the picture's square, device pixels
	DPR     float64 // device pixels per CSS pixel (text sizes follow CSS pixels)
	Profile Profile // the colours: the print handout takes the light one
	Labels  [3]string
	Heading string // above the picture: the step's title, say
	Caption string // below it
	Title   string // the SVG's accessible title
	// Settled draws the step as it is once its transition has ended (people who are
	// walking in already in place), not the moment in between: the picture a
	// download or a print is after. The live scene is left mid-transition.
	Settled bool
	// IDPrefix keeps the picture's ids unique when it is put into a page that
	// holds another of these pictures (the print handout's, beside the placeholder).
	IDPrefix string
}

// Export writes the scene as it is now (step, selection, motion) as a picture of its
// own: the diagram centred in a square of o.Size, with equal bands above and below
// it for the heading and the caption when there are any, so that the picture is
// centred in the frame and no text ever covers it. f is scratch storage. The live
// layout is restored afterwards (and the scene asks to be drawn again).
func (s *Scene) Export(b []byte, f *Frame, o ExportOptions) []byte {
	if !(o.Size >= 16) || math.IsInf(o.Size, 0) {
		o.Size = 1000
	}
	if !(o.DPR > 0) || math.IsInf(o.DPR, 0) {
		o.DPR = 1
	}
	w, h, stage, dpr, prof := s.w, s.h, s.stage, s.dpr, s.profile
	size := captionSize(o.Size, o.DPR)
	lines := 0
	for _, t := range []string{o.Heading, o.Caption} {
		if t != "" {
			lines = max(lines, len(wrap(t, o.Size*0.9, size*0.56)))
		}
	}
	band := 0.0
	if lines > 0 {
		band = bandHeight(lines, size)
	}
	// The live layout comes back as it was: what the page was told of it (the
	// changes), and the cached layers' versions (the layout's generation), stay.
	ch, changes, gen := s.ch, s.changes, s.layoutGen
	s.SetViewport(o.Size, o.Size+2*band, Rect{0, band, o.Size, o.Size}, o.DPR)
	s.SetProfile(o.Profile)
	if o.Settled && s.ch != s.target {
		// Every pose is a function of the animation's time and the channels
		// (update(0) recomputes them), so the channels at their targets give the
		// step's end, and putting them back gives the live picture again.
		s.ch = s.target
		s.update(0)
	}
	s.Build(f)
	b = s.WriteSVG(b, f, SVGOptions{Background: true, Labels: o.Labels, Heading: o.Heading, Caption: o.Caption, Title: o.Title, IDPrefix: o.IDPrefix})
	if s.ch != ch {
		s.ch = ch
		s.update(0)
	}
	s.SetViewport(w, h, stage, dpr)
	s.SetProfile(prof)
	s.changes, s.layoutGen = changes, gen
	s.Invalidate()
	return b
}

// wrap breaks text into lines of at most maxW (estimated with a fixed advance per
// character), at spaces.
func wrap(text string, maxW, adv float64) []string {
	words := strings.Fields(text)
	var lines []string
	cur := ""
	for _, w := range words {
		next := w
		if cur != "" {
			next = cur + " " + w
		}
		if cur != "" && float64(len([]rune(next)))*adv > maxW {
			lines = append(lines, cur)
			cur = w
		} else {
			cur = next
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

func (s *Scene) gearDef(defs []int, gi int) int {
	for k, d := range defs {
		if s.gears[d].Teeth == s.gears[gi].Teeth && s.gears[d].Style == s.gears[gi].Style {
			return k
		}
	}
	return -1
}

func indexColor(cs []Color, c Color) int {
	for i, x := range cs {
		if x == c {
			return i
		}
	}
	return -1
}

func hex6(c Color) string {
	c.A = 255
	return c.Hex()
}

func opacity(b []byte, c Color) []byte {
	if c.A == 255 {
		return b
	}
	b = str(b, ` opacity="`)
	b = num(b, float64(c.A)/255)
	return append(b, '"')
}

// numP appends v with at most prec decimals, without trailing zeros.
func numP(b []byte, v float64, prec int) []byte {
	return trimNum(strconv.AppendFloat(b, v, 'f', prec, 64))
}

// num appends v with at most one decimal (two below 10), without trailing zeros.
func num(b []byte, v float64) []byte {
	prec := 1
	if math.Abs(v) < 10 {
		prec = 2
	}
	return trimNum(strconv.AppendFloat(b, v, 'f', prec, 64))
}

func trimNum(b []byte) []byte {
	dot := -1
	for i := len(b) - 1; i >= 0 && i >= len(b)-12; i-- {
		if b[i] == '.' {
			dot = i
			break
		}
		if b[i] < '0' || b[i] > '9' {
			break
		}
	}
	if dot < 0 {
		return b
	}
	for len(b) > dot+1 && b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	if len(b) == dot+1 {
		b = b[:dot]
	}
	if len(b) >= 2 && b[len(b)-2] == '-' && b[len(b)-1] == '0' {
		b = append(b[:len(b)-2], '0')
	}
	return b
}

func pathData(b []byte, p *Path, op0, op1, pt0 int32, prec int) []byte {
	k := pt0
	pt := func(b []byte) []byte {
		q := p.Pts[k]
		k++
		b = trimNum(strconv.AppendFloat(b, float64(q.X), 'f', prec, 32))
		b = append(b, ' ')
		return trimNum(strconv.AppendFloat(b, float64(q.Y), 'f', prec, 32))
	}
	for i := op0; i < op1; i++ {
		switch p.Ops[i] {
		case OpMove:
			b = append(b, 'M')
			b = pt(b)
		case OpLine:
			b = append(b, 'L')
			b = pt(b)
		case OpQuad:
			b = append(b, 'Q')
			b = pt(b)
			b = append(b, ' ')
			b = pt(b)
		case OpCubic:
			b = append(b, 'C')
			b = pt(b)
			b = append(b, ' ')
			b = pt(b)
			b = append(b, ' ')
			b = pt(b)
		case OpClose:
			b = append(b, 'Z')
		}
	}
	return b
}

func escape(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '<':
			b = str(b, "&lt;")
		case '>':
			b = str(b, "&gt;")
		case '&':
			b = str(b, "&amp;")
		case '"':
			b = str(b, "&quot;")
		default:
			b = append(b, c)
		}
	}
	return b
}

// str appends s to b. Out of line: the writer appends a few hundred constant
// strings, and each inlined append was its own copy of the growth check.
//
//go:noinline
func str(b []byte, s string) []byte { return append(b, s...) }
