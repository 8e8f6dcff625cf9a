package diagram

import "fmt"

// WCAG 2.2 AA minimums.
const (
	MinTextContrast  = 4.5 // 1.4.3: text
	MinShapeContrast = 3.0 // 1.4.11: graphics that carry meaning, focus indicators
	// MinLayerSeparation is how far apart the three layer colours must be in
	// luminance alone, so that they stay distinct in greyscale and for viewers
	// who cannot tell the hues apart.
	MinLayerSeparation = 1.3
)

// Tones the drawing derives from the palette. The contrast checks use the same
// factors, so what is checked is what is drawn.
const (
	legTone    = 0.18 // legs are mixed this far towards the background
	linkAlpha  = 0.85 // links are drawn this opaque
	shadeRange = 0.16 // people vary this far away from the background's lightness
)

// ContrastCheck is one colour pair the palette must keep legible.
type ContrastCheck struct {
	Field   string // the palette field it is reported against
	What    string // what is drawn, in words
	Fg, Bg  Color
	Ratio   float64
	Min     float64
	IsText  bool
	Against string // the field of the background colour
}

// OK reports whether the pair meets its minimum.
func (c ContrastCheck) OK() bool { return c.Ratio >= c.Min }

// ContrastChecks lists every text/background and shape/background pair of the
// palette with its ratio and the minimum it must meet.
func (p *Palette) ContrastChecks() []ContrastCheck {
	var out []ContrastCheck
	add := func(field, what string, fg, bg Color, against string, text bool) {
		min := MinShapeContrast
		if text {
			min = MinTextContrast
		}
		out = append(out, ContrastCheck{Field: field, What: what, Fg: fg, Bg: bg, Ratio: Contrast(fg, bg), Min: min, IsText: text, Against: against})
	}
	add("text", "body text", p.Text, p.Background, "background", true)
	add("text", "panel and label text", p.Text, p.Surface, "surface", true)
	add("textMuted", "secondary text", p.TextMuted, p.Surface, "surface", true)
	add("textMuted", "secondary text on the page", p.TextMuted, p.Background, "background", true)
	add("focus", "focus outline", p.Focus, p.Background, "background", false)
	add("focus", "focus outline on panels", p.Focus, p.Surface, "surface", false)
	add("brain", "gears", p.Brain, p.Background, "background", false)
	add("brain", "gears on the brain", p.Brain, p.BrainDeep, "brainDeep", false)
	add("cop", "Community of Practice", p.CoP, p.Background, "background", false)
	add("cop", "CoP legs", p.CoP.Mix(p.Background, legTone), p.Background, "background", false)
	add("pln", "Personal Learning Network", p.PLN, p.Background, "background", false)
	add("pln", "PLN legs", p.PLN.Mix(p.Background, legTone), p.Background, "background", false)
	add("link", "PLN members in the link hue", p.Link, p.Background, "background", false)
	add("link", "links", p.Link.WithAlpha(linkAlpha), p.Background, "background", false)
	add("pulse", "pulses", p.Pulse, p.Background, "background", false)
	return out
}

// LayerSeparations returns the luminance contrast between each pair of the three
// layer colours (brain, CoP, PLN).
func (p *Palette) LayerSeparations() [3]float64 {
	return [3]float64{Contrast(p.Brain, p.CoP), Contrast(p.CoP, p.PLN), Contrast(p.Brain, p.PLN)}
}

// checkPalette reports every pair below its minimum as a field error.
func (d *decoder) checkPalette(name string, p *Palette, v *jsonValue) {
	for _, c := range p.ContrastChecks() {
		if !c.OK() {
			d.fail(v.field(c.Field), join("palettes."+name, c.Field), "contrast %.2f:1 for %s against %s is below %.1f:1 (WCAG 2.2 AA)",
				c.Ratio, c.What, c.Against, c.Min)
		}
	}
	sep := p.LayerSeparations()
	names := [3]string{"brain and cop", "cop and pln", "brain and pln"}
	for i, s := range sep {
		if s < MinLayerSeparation {
			d.fail(v, "palettes."+name, "%s are too close in lightness (%.2f:1, need %.1f:1) to tell apart in greyscale", names[i], s, MinLayerSeparation)
		}
	}
}

func (c ContrastCheck) String() string {
	return fmt.Sprintf("%-10s %-32s %s on %s  %5.2f:1 (min %.1f)", c.Field, c.What, c.Fg.Hex(), c.Bg.Hex(), c.Ratio, c.Min)
}
