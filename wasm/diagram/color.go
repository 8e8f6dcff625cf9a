package diagram

import (
	"errors"
	"math"
)

// Color is an sRGB colour with straight (not premultiplied) alpha.
type Color struct{ R, G, B, A uint8 }

var errColor = errors.New(`is not a colour: use "#rrggbb" or "#rrggbbaa"`)

// ParseColor reads "#rrggbb" or "#rrggbbaa".
func ParseColor(s string) (Color, error) {
	if len(s) != 7 && len(s) != 9 || s[0] != '#' {
		return Color{}, errColor
	}
	var v [4]uint8
	v[3] = 0xff
	for i := 0; i < (len(s)-1)/2; i++ {
		hi, ok1 := hexVal(s[1+2*i])
		lo, ok2 := hexVal(s[2+2*i])
		if !ok1 || !ok2 {
			return Color{}, errColor
		}
		v[i] = hi<<4 | lo
	}
	return Color{v[0], v[1], v[2], v[3]}, nil
}

func hexVal(c byte) (uint8, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// Hex returns the colour as "#rrggbb", or "#rrggbbaa" when it is not opaque.
//
//go:noinline
func (c Color) Hex() string {
	const digits = "0123456789abcdef"
	b := []byte{'#', digits[c.R>>4], digits[c.R&15], digits[c.G>>4], digits[c.G&15], digits[c.B>>4], digits[c.B&15]}
	if c.A != 0xff {
		b = append(b, digits[c.A>>4], digits[c.A&15])
	}
	return string(b)
}

// WithAlpha returns c with its alpha multiplied by a (0..1).
func (c Color) WithAlpha(a float64) Color {
	c.A = uint8(math.Round(float64(c.A) * clamp01(a)))
	return c
}

// Mix returns the colour t of the way from c to d, alpha included.
func (c Color) Mix(d Color, t float64) Color {
	t = clamp01(t)
	m := func(x, y uint8) uint8 { return uint8(math.Round(lerp(float64(x), float64(y), t))) }
	return Color{m(c.R, d.R), m(c.G, d.G), m(c.B, d.B), m(c.A, d.A)}
}

func linear(v uint8) float64 {
	c := float64(v) / 255
	if c <= 0.04045 {
		return c / 12.92
	}
	return math.Pow((c+0.055)/1.055, 2.4)
}

// Luminance is the WCAG relative luminance of the colour (alpha ignored).
func (c Color) Luminance() float64 {
	return 0.2126*linear(c.R) + 0.7152*linear(c.G) + 0.0722*linear(c.B)
}

// Over composites c over an opaque background bg.
func (c Color) Over(bg Color) Color {
	a := float64(c.A) / 255
	m := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return Color{m(c.R, bg.R), m(c.G, bg.G), m(c.B, bg.B), 0xff}
}

// Contrast is the WCAG 2.2 contrast ratio of two colours, from 1 to 21. A translucent
// foreground is first composited over the background, as the eye sees it.
func Contrast(fg, bg Color) float64 {
	if fg.A != 0xff {
		fg = fg.Over(bg)
	}
	a, b := fg.Luminance(), bg.Luminance()
	if a < b {
		a, b = b, a
	}
	return (a + 0.05) / (b + 0.05)
}
