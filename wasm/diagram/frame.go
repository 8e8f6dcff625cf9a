package diagram

import "math"

// ItemKind says how an item of the display list is painted.
type ItemKind uint8

const (
	ItemFill        ItemKind = iota // fill the path, non-zero rule
	ItemFillEvenOdd                 // fill the path, even-odd rule (gears with holes)
	ItemStroke                      // stroke the path: Width, round caps and joins
	ItemGlow                        // a soft radial glow at X, Y of radius R
	ItemCircle                      // a filled circle at X, Y of radius R
	ItemDots                        // a dotted line along the path: dots of diameter Width, R apart
)

// Layer groups the items of a frame by how often they change. The picture is
// drawn back to front, layer by layer. Cached layers change only on a step
// transition, a hover or a layout; between such changes a renderer may keep each
// one as an image and draw it with the layer's scale and opacity (the rings'
// breathing, the dimming of parts that are not selected). Dynamic layers change
// every frame while the motion runs: gears turning, pulses travelling.
type Layer uint8

const (
	LayerPLN   Layer = iota // cached, opaque: the background, zones, halos, the crowd and its links; breathes
	LayerGlow               // dynamic: the brain's glow as pulses arrive
	LayerBrain              // cached: the brain's silhouette
	LayerGears              // dynamic: gears, hubs, their glow
	LayerCoP                // cached: the ring holding hands; breathes
	LayerTop                // dynamic: pulses and anyone walking between rings
	NumLayers
)

// Cached reports whether a renderer may keep the layer as an image.
func (l Layer) Cached() bool {
	return l == LayerPLN || l == LayerBrain || l == LayerCoP
}

// LayerInfo says how to put a layer's items on the screen this frame: scaled by
// Scale about the scene's centre (CX, CY), at opacity Alpha. Version changes
// whenever the items themselves change; Bounds holds every item (device pixels,
// before scaling). An Opaque layer is drawn on the frame's background colour and
// covers its bounds entirely: the screen need not be cleared under it.
type LayerInfo struct {
	Version uint64
	Scale   float32
	Alpha   float32
	CX, CY  float32
	Bounds  Rect
	Opaque  bool
}

// Item is one painted shape. Paths are ranges of the frame's shared Path.
type Item struct {
	Kind     ItemKind
	Layer    Layer
	Part     Part
	Color    Color
	Width    float32
	Op0, Op1 int32 // operations [Op0, Op1) of Frame.Path
	Pt0      int32 // first point of operation Op0
	X, Y, R  float32
	// Gear is 1 + the index of the gear an ItemFillEvenOdd draws (0 for none), so
	// that a renderer can draw each gear shape once and place it by Angle and
	// Scale (pixels per module) at X, Y.
	Gear  int16
	Angle float32
	Scale float32
	// Member is 1 + the index of the person or resource the item draws (0 for
	// none): the SVG writer groups a member's items, so that a page can find what
	// is under the pointer in the picture itself.
	Member int16
	// Decor marks an item that shows but is no target for the pointer: soft zones,
	// halos. (Glows are always decor.)
	Decor bool
}

// Frame is the display list of one frame, in device pixels, back to front. Items
// of one layer are contiguous.
type Frame struct {
	W, H       float32
	Background Color
	Items      []Item
	Path       Path
	Layers     [NumLayers]LayerInfo
	layer      Layer // the layer items are being added to
	member     int16 // the member they draw, 1-based (0 for none)
}

func (f *Frame) reset(w, h float64, bg Color) {
	f.W, f.H, f.Background = float32(w), float32(h), bg
	f.Items = f.Items[:0]
	f.Path.Reset()
}

// open starts a new path item; close finishes it.
func (f *Frame) open() (int32, int32) { return int32(len(f.Path.Ops)), int32(len(f.Path.Pts)) }

//go:noinline
func (f *Frame) add(it Item, op0, pt0 int32) {
	it.Op0, it.Op1, it.Pt0 = op0, int32(len(f.Path.Ops)), pt0
	it.Layer, it.Member = f.layer, f.member
	if it.Op1 == it.Op0 && it.Kind != ItemGlow {
		return
	}
	if it.Color.A == 0 {
		f.Path.Ops = f.Path.Ops[:op0]
		f.Path.Pts = f.Path.Pts[:pt0]
		return
	}
	f.Items = append(f.Items, it)
}

// circle adds a filled circle.
func (f *Frame) circle(part Part, c Vec, r float64, col Color) { f.disc(ItemCircle, part, c, r, col) }

// glow adds a soft radial glow.
func (f *Frame) glow(part Part, c Vec, r float64, col Color) { f.disc(ItemGlow, part, c, r, col) }

// disc adds an item without a path, placed by its centre and radius.
func (f *Frame) disc(kind ItemKind, part Part, c Vec, r float64, col Color) {
	if col.A == 0 || r <= 0 {
		return
	}
	op0, pt0 := f.open()
	f.Items = append(f.Items, Item{Kind: kind, Layer: f.layer, Part: part, Member: f.member, Color: col, X: float32(c.X), Y: float32(c.Y), R: float32(r), Op0: op0, Op1: op0, Pt0: pt0})
}

// version mixes values into a layer version (FNV-1a over their bits).
type version uint64

func (v *version) add(xs ...float64) {
	for _, x := range xs {
		b := math.Float64bits(x)
		for i := 0; i < 8; i++ {
			*v ^= version(b >> (8 * i) & 0xff)
			*v *= 1099511628211
		}
	}
}

func target(t Target) float64 { return float64(int(t.Part)*1000 + t.Person + 1) }

// Build writes the current frame's display list into f, reusing its storage.
func (s *Scene) Build(f *Frame) {
	pal := s.Palette()
	f.reset(s.w, s.h, pal.Background)
	s.dirty = false
	sc := s.scale
	px := func(v Vec) Vec { return s.toPx(v) }

	light := pal.Background.Luminance() > 0.5
	// emph brightens on a dark background and deepens on a light one.
	emph := func(c Color, t float64) Color {
		if light {
			return c.Mix(Color{0, 0, 0, c.A}, t*0.6)
		}
		return c.Mix(Color{255, 255, 255, c.A}, t)
	}
	sel := s.selected.Part
	dim := func(p Part) float64 {
		if sel == PartNone || sel == p {
			return 1
		}
		return 0.42
	}
	hot := func(p Part) bool { return s.hover.Part == p && s.hover.Person < 0 || s.focus == p }

	aBrain := easeInOut(s.ch[chBrain])
	aCoP := s.ch[chCoP]
	aPLN := s.ch[chPLN]
	w := s.ch[chJoin]
	joinerMoving := w > 0 && w < 1

	// What every cached layer depends on: the layout, the colours, the motion setting.
	var common version
	common.add(float64(s.layoutGen), float64(s.profile), b2f(s.reduced))
	cx, cy := float32(s.origin.X), float32(s.origin.Y)
	ext := (sceneRadius + sceneMargin) * sc
	whole := Rect{s.origin.X - ext, s.origin.Y - ext, 2 * ext, 2 * ext}
	for l := range f.Layers {
		f.Layers[l] = LayerInfo{Scale: 1, Alpha: 1, CX: cx, CY: cy, Bounds: whole}
	}

	// PLN: the background of the scene, the soft zones that gather each layer, the
	// selection and hover halos, and the crowd with its thin links. The whole
	// square is drawn opaque, so a renderer that keeps it as an image need not
	// clear the screen under it each frame.
	f.layer = LayerPLN
	v := common
	v.add(aPLN, aCoP, w, s.about(PartPLN), target(s.selected), target(s.hover), float64(s.focus), s.classGen)
	for _, on := range s.seatOn {
		v.add(on)
	}
	f.Layers[LayerPLN] = LayerInfo{Version: uint64(v), Scale: float32(s.plnScale), Alpha: 1, CX: cx, CY: cy, Bounds: whole, Opaque: true}
	if aPLN > 0 {
		f.glow(PartPLN, s.origin, 1.02*sc, pal.PLN.WithAlpha(0.10*aPLN))
	}
	if aCoP > 0 {
		op0, pt0 := f.open()
		f.Path.Circle(s.origin, (copFeetR+copHeight*0.55)*sc, 1)
		f.add(Item{Kind: ItemStroke, Part: PartCoP, Color: pal.CoP.WithAlpha(0.07 * aCoP), Width: float32(copHeight * 1.25 * sc), Decor: true}, op0, pt0)
	}
	s.buildHalos(f, pal)
	if aPLN > 0 {
		dimPLN := dim(PartPLN)
		lw := math.Max(1, 0.0034*sc)
		for li, l := range s.links {
			a, b := &s.people[l[0]], &s.people[l[1]]
			vis := math.Min(a.alpha, b.alpha)
			if !s.reduced {
				vis *= smoothstep(0.25+0.5*float64(li)/float64(len(s.links)+1), 1, aPLN)
			}
			if vis <= 0.01 {
				continue
			}
			pa, pb := a.chest(), b.chest()
			op0, pt0 := f.open()
			f.Path.MoveTo(px(pa))
			f.Path.QuadTo(px(bow(pa, pb, 0.12)), px(pb))
			f.add(Item{Kind: ItemStroke, Part: PartPLN, Color: pal.Link.WithAlpha(linkAlpha * vis * dimPLN), Width: float32(lw)}, op0, pt0)
		}
		// The class: each student linked to the crowd, in the accent's tone.
		for k, on := range s.seatOn {
			if on <= 0.01 || s.seatLink[k] < 0 {
				continue
			}
			pa, pb := s.people[s.seat0+k].chest(), s.people[s.seatLink[k]].chest()
			op0, pt0 := f.open()
			f.Path.MoveTo(px(pa))
			f.Path.QuadTo(px(bow(pa, pb, 0.12)), px(pb))
			f.add(Item{Kind: ItemStroke, Part: PartPLN, Color: s.classColor(pal).WithAlpha(linkAlpha * on * aPLN * dimPLN), Width: float32(lw)}, op0, pt0)
		}
		for i := s.founding; i < len(s.people); i++ {
			if i != s.joiner || !joinerMoving && w == 0 {
				s.buildPerson(f, pal, i, emph, dimPLN)
			}
		}
	}

	// Glow: the brain lights up as pulses arrive.
	f.layer = LayerGlow
	if aBrain > 0 {
		f.glow(PartConnectivism, px(brainCenter), 0.5*sc, pal.Brain.WithAlpha((0.12+0.22*s.glow)*aBrain*dim(PartConnectivism)))
	}

	// Brain: its silhouette; the gears turn over it.
	f.layer = LayerBrain
	v = common
	v.add(aBrain, b2f(hot(PartConnectivism)))
	bc, br := px(brainCenter), 0.42*sc
	f.Layers[LayerBrain] = LayerInfo{Version: uint64(v), Scale: 1, Alpha: float32(dim(PartConnectivism)), CX: cx, CY: cy, Bounds: Rect{bc.X - br, bc.Y - br, 2 * br, 2 * br}}
	if aBrain > 0 {
		s.buildBrain(f, pal, aBrain, hot(PartConnectivism), emph)
	}
	f.layer = LayerGears
	if aBrain > 0 {
		s.buildGears(f, pal, aBrain*dim(PartConnectivism), hot(PartConnectivism), emph)
	}

	// CoP: the ring holding hands.
	f.layer = LayerCoP
	v = common
	v.add(aCoP, w, s.about(PartCoP))
	cr := (copFeetR + copHeight + 0.09) * sc
	f.Layers[LayerCoP] = LayerInfo{Version: uint64(v), Scale: float32(s.copScale), Alpha: float32(dim(PartCoP)), CX: cx, CY: cy, Bounds: Rect{s.origin.X - cr, s.origin.Y - cr, 2 * cr, 2 * cr}}
	for _, idx := range s.order {
		if idx != s.joiner || !joinerMoving && w == 1 {
			s.buildPerson(f, pal, idx, emph, 1)
		}
	}

	// Top: the joiner on its way, the pulses' threads and the pulses.
	f.layer = LayerTop
	if joinerMoving {
		s.buildPerson(f, pal, s.joiner, emph, 1)
	}
	for i := range s.pulses {
		pu := &s.pulses[i]
		if !pu.visible {
			continue
		}
		op0, pt0 := f.open()
		f.Path.MoveTo(px(pu.a))
		f.Path.QuadTo(px(pu.c), px(pu.b))
		dot := math.Max(1.5, 0.0042*sc)
		f.add(Item{Kind: ItemDots, Part: PartConnections, Color: pal.Pulse.WithAlpha(0.45 * pu.alpha * dim(PartConnections)), Width: float32(dot), R: float32(dot * 2.6)}, op0, pt0)
	}
	for i := range s.pulses {
		pu := &s.pulses[i]
		if !pu.visible {
			continue
		}
		a := pu.alpha * dim(PartConnections)
		boost := 1.0
		if hot(PartConnections) || sel == PartConnections {
			boost = 1.35
		}
		r := 0.0125 * sc * boost
		f.glow(PartConnections, px(pu.pos), r*4.2, pal.Pulse.WithAlpha(0.55*a))
		for j := len(pu.trail) - 1; j >= 0; j-- {
			k := 1 - float64(j+1)/float64(len(pu.trail)+1)
			f.circle(PartConnections, px(pu.trail[j]), r*(0.35+0.55*k), pal.Pulse.WithAlpha(a*0.55*k))
		}
		f.circle(PartConnections, px(pu.pos), r, emph(pal.Pulse, 0.3).WithAlpha(a))
	}
}

// about sums up the hover, focus and selection as far as they touch part p, for
// the version of p's layer: moving the pointer over another layer must not make
// this one redraw.
func (s *Scene) about(p Part) float64 {
	var v version
	if s.hover.Part == p {
		v.add(target(s.hover))
	}
	if s.focus == p {
		v.add(1)
	}
	if s.selected.Part == p {
		v.add(target(s.selected) + 0.5)
	}
	return float64(v)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func (s *Scene) buildBrain(f *Frame, pal *Palette, a float64, hot bool, emph func(Color, float64) Color) {
	sc := s.scale
	pop := 0.9 + 0.1*a
	bx := func(v Vec) Vec { return s.toPx(brainCenter.Add(v.Sub(brainCenter).Mul(pop))) }
	poly := func(pts []Vec) {
		for i, v := range pts {
			if i == 0 {
				f.Path.MoveTo(bx(v))
			} else {
				f.Path.LineTo(bx(v))
			}
		}
		f.Path.Close()
	}
	curve := func(c [3]Vec) {
		f.Path.MoveTo(bx(c[0]))
		f.Path.QuadTo(bx(c[1]), bx(c[2]))
	}
	deep := pal.BrainDeep
	if hot {
		deep = emph(deep, 0.08)
	}
	edge := float32(math.Max(1, 0.0045*sc))
	fine := float32(math.Max(1, 0.0034*sc))
	// Back to front: the stem, the cerebellum, the cerebrum over both. Each is a
	// filled shape with a soft rim; the cerebellum a shade lighter, with its folds.
	parts := [...]struct {
		pts  []Vec
		tone float64
	}{{s.brain.stem, 0.05}, {s.brain.cerebellum, 0.12}, {s.silhouette, 0}}
	for k, pt := range parts {
		op0, pt0 := f.open()
		poly(pt.pts)
		f.add(Item{Kind: ItemFill, Part: PartConnectivism, Color: deep.Mix(pal.Brain, pt.tone).WithAlpha(a)}, op0, pt0)
		if k == 1 {
			op0, pt0 = f.open()
			for _, c := range cerebellumFolia() {
				curve(c)
			}
			f.add(Item{Kind: ItemStroke, Part: PartConnectivism, Color: pal.Brain.WithAlpha(0.34 * a), Width: fine}, op0, pt0)
		}
		if k == 2 {
			// Soft light on the frontal and parietal lobes.
			for _, c := range [2]Vec{{-0.17, -0.12}, {0.1, -0.13}} {
				f.glow(PartConnectivism, bx(c), 0.2*sc*pop, pal.Brain.WithAlpha(0.12*a))
			}
		}
		op0, pt0 = f.open()
		poly(pt.pts)
		f.add(Item{Kind: ItemStroke, Part: PartConnectivism, Color: pal.Brain.WithAlpha(0.55 * a), Width: edge}, op0, pt0)
	}
	// The sulci that name the lobes.
	op0, pt0 := f.open()
	for _, c := range brainSulci {
		curve(c)
	}
	f.add(Item{Kind: ItemStroke, Part: PartConnectivism, Color: pal.Brain.WithAlpha(0.42 * a), Width: fine}, op0, pt0)
}

// buildGears draws the gears over the brain: glowing as pulses arrive, turning.
func (s *Scene) buildGears(f *Frame, pal *Palette, a float64, hot bool, emph func(Color, float64) Color) {
	sc := s.scale
	pop := 0.9 + 0.1*easeInOut(s.ch[chBrain])
	bx := func(v Vec) Vec { return s.toPx(brainCenter.Add(v.Sub(brainCenter).Mul(pop))) }
	mod := gearModule * sc * pop
	for i := range s.gears {
		g := &s.gears[i]
		sh := &s.shapes[i]
		gl := math.Max(s.glow*0.6, s.gearGlow[i])
		c := bx(g.Center)
		if gl > 0.02 {
			f.glow(PartConnectivism, c, sh.Tip*mod*1.5, pal.Brain.WithAlpha(0.45*gl*a))
		}
		col := pal.Brain.Mix(pal.BrainDeep, 0.16*g.Shade)
		col = emph(col, 0.32*gl)
		if hot {
			col = emph(col, 0.15)
		}
		ang := g.Angle(s.drive)
		op0, pt0 := f.open()
		AppendGear(&f.Path, sh, g.Style, NewAffine(c, ang, mod))
		f.add(Item{Kind: ItemFillEvenOdd, Part: PartConnectivism, Color: col.WithAlpha(a), Gear: int16(i + 1), X: float32(c.X), Y: float32(c.Y), Angle: float32(ang), Scale: float32(mod)}, op0, pt0)
		// Hub and axle.
		hub := math.Max(1.1, sh.Pitch*0.26) * mod
		f.circle(PartConnectivism, c, hub, pal.BrainDeep.Mix(col, 0.25).WithAlpha(a))
		f.circle(PartConnectivism, c, hub*0.42, col.WithAlpha(a))
	}
}

// buildPerson draws one person (legs, body, arms that bend at the elbow, hands,
// head) or, in the network, one resource.
// dim is baked into the colours for people drawn in an opaque layer (the crowd),
// which a renderer cannot fade as a whole.
func (s *Scene) buildPerson(f *Frame, pal *Palette, i int, emph func(Color, float64) Color, dim float64) {
	p := &s.people[i]
	if p.alpha <= 0.005 {
		return
	}
	part := s.personPart(i)
	var col Color
	// Tones vary away from the background only, so no person has less contrast
	// than the palette's checked colours.
	plnCol := pal.PLN.Mix(pal.Link, 0.6*p.hue)
	plnCol = emph(plnCol, shadeRange*(p.shade+1)/2)
	copCol := emph(pal.CoP, 0.6*shadeRange*(p.shade+1)/2)
	col = plnCol.Mix(copCol, p.cop)
	if p.class {
		col = emph(s.classColor(pal), shadeRange*(p.shade+1)/2)
	}
	hotPerson := s.hover.Person == i || s.selected.Person == i
	if hotPerson || s.hover.Part == part && s.hover.Person < 0 || s.focus == part {
		col = emph(col, 0.22)
	}
	a := p.alpha * dim
	if s.selected.Person >= 0 && s.selected.Person != i && s.selected.Part == part {
		a *= 0.6
	}
	f.member = int16(i + 1)
	if p.kind.Resource() {
		s.buildResource(f, pal, i, col, a)
		f.member = 0
		return
	}
	sc := s.scale
	h := p.height
	px := func(x, y float64) Vec { return s.toPx(p.local(x, y)) }

	// Legs, swinging while walking.
	sw := 0.075 * math.Sin(p.walk) * p.walkAmt
	lift := 0.035 * p.walkAmt
	legCol := col.Mix(pal.Background, legTone).WithAlpha(a)
	op0, pt0 := f.open()
	for side := 0; side < 2; side++ {
		sg := float64(2*side - 1)
		fx := sg*footX - sw
		if side == 1 {
			fx = sg*footX + sw
		}
		fy := lift * math.Max(0, math.Sin(p.walk+float64(side)*math.Pi))
		f.Path.MoveTo(px(sg*hipX, hipY))
		f.Path.LineTo(px(fx, fy+legWidth*0.5))
	}
	f.add(Item{Kind: ItemStroke, Part: part, Color: legCol, Width: float32(legWidth * h * sc)}, op0, pt0)

	// Body: a rounded bell, wider at the shoulders.
	op0, pt0 = f.open()
	f.Path.MoveTo(px(-0.15, 0.265))
	f.Path.LineTo(px(0.15, 0.265))
	f.Path.CubicTo(px(0.2, 0.265), px(0.215, 0.38), px(0.22, 0.52))
	f.Path.CubicTo(px(0.225, 0.64), px(0.14, 0.675), px(0, 0.675))
	f.Path.CubicTo(px(-0.14, 0.675), px(-0.225, 0.64), px(-0.22, 0.52))
	f.Path.CubicTo(px(-0.215, 0.38), px(-0.2, 0.265), px(-0.15, 0.265))
	f.Path.Close()
	f.add(Item{Kind: ItemFill, Part: part, Color: col.WithAlpha(a)}, op0, pt0)

	// Arms, then hands.
	aw := float32(limbWidth * h * sc)
	l := p.armLen * h
	var hands [2]Vec
	op0, pt0 = f.open()
	for side := 0; side < 2; side++ {
		sh := p.shoulder(side)
		el, hand := elbow(sh, p.hand[side], l, p.up, float64(2*side-1))
		f.Path.MoveTo(s.toPx(sh))
		f.Path.LineTo(s.toPx(el))
		f.Path.LineTo(s.toPx(hand))
		hands[side] = hand
	}
	f.add(Item{Kind: ItemStroke, Part: part, Color: col.WithAlpha(a), Width: aw}, op0, pt0)
	if p.pose == poseRead && p.cop == 0 {
		s.buildBook(f, p, col, a)
	}
	for _, hand := range hands {
		f.circle(part, s.toPx(hand), handR*h*sc, emph(col, 0.12).WithAlpha(a))
	}

	// Head.
	f.circle(part, s.toPx(p.head()), headR*h*sc, emph(col, 0.16).WithAlpha(a))
	f.member = 0
}

// classColor is the tone that marks the class: the network's hue drawn towards the
// accent of connections, so that students read as part of the network and stand
// out in it.
func (s *Scene) classColor(pal *Palette) Color { return pal.PLN.Mix(pal.Pulse, 0.5) }

// Halo is the shape that marks a target: a ring's band (a circle of radius R, as
// wide as Band, with edges), or a circle around a member or the brain (Band 0).
// The live canvas and the interactive placeholder draw the same one.
type Halo struct {
	C       Vec     // centre, device pixels
	R, Band float64 // radius and the band's width, device pixels
	Thin    float64 // the width of its lines
	Alpha   float64 // the circle's opacity at full strength (a member's, the brain's)
}

// HaloOf returns the halo of target t; ok is false for a target without one.
func (s *Scene) HaloOf(t Target) (h Halo, ok bool) {
	sc := s.scale
	h.Thin = math.Max(2, 0.0065*sc)
	band := func(r0, r1 float64) {
		h.C, h.R, h.Band = s.origin, (r0+r1)/2*sc, (r1-r0)*sc
	}
	switch {
	case t.Person >= 0 && t.Person < len(s.people):
		p := &s.people[t.Person]
		h.C, h.R, h.Alpha = s.toPx(p.local(0, 0.52)), 0.62*p.height*sc, 0.85
	case t.Person >= 0:
		return h, false
	case t.Part == PartCoP:
		band(copBandIn, copBandOut)
	case t.Part == PartPLN:
		band(plnBandIn, plnBandOut)
	case t.Part == PartConnectivism:
		h.C, h.R, h.Alpha = s.toPx(brainCenter), 0.355*sc, 0.75
	default:
		return h, false
	}
	return h, true
}

// buildHalos marks the selected and the hovered (or keyboard-focused) part.
func (s *Scene) buildHalos(f *Frame, pal *Palette) {
	draw := func(t Target, strong bool) {
		k := 0.7
		if strong {
			k = 1
		}
		h, ok := s.HaloOf(t)
		if !ok {
			return
		}
		thin := float32(h.Thin)
		if h.Band > 0 {
			op0, pt0 := f.open()
			f.Path.Circle(h.C, h.R, 1)
			f.add(Item{Kind: ItemStroke, Part: t.Part, Color: pal.Focus.WithAlpha(0.10 * k), Width: float32(h.Band), Decor: true}, op0, pt0)
			for _, r := range [2]float64{h.R - h.Band/2, h.R + h.Band/2} {
				op0, pt0 := f.open()
				f.Path.Circle(h.C, r, 1)
				f.add(Item{Kind: ItemStroke, Part: t.Part, Color: pal.Focus.WithAlpha(0.95 * k), Width: thin, Decor: true}, op0, pt0)
			}
			return
		}
		op0, pt0 := f.open()
		f.Path.Circle(h.C, h.R, 1)
		f.add(Item{Kind: ItemStroke, Part: t.Part, Color: pal.Focus.WithAlpha(h.Alpha * k), Width: thin, Decor: true}, op0, pt0)
	}
	if s.selected.Part != PartNone {
		draw(s.selected, true)
	}
	if s.hover != s.selected && s.hover.Part != PartNone {
		draw(s.hover, false)
	}
	// Keyboard focus is marked as strongly as a selection: it is where the person is.
	if s.focus != PartNone && s.focus != s.selected.Part && s.focus != s.hover.Part {
		draw(Target{Part: s.focus, Person: -1}, true)
	}
}
