package diagram

import (
	"math"
	"testing"
)

func TestContrastRatioKnownValues(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21},
		{"#ffffff", "#ffffff", 1},
		{"#777777", "#ffffff", 4.48}, // the classic just-below-AA grey
		{"#767676", "#ffffff", 4.54},
	}
	for _, tc := range tests {
		a, _ := ParseColor(tc.a)
		b, _ := ParseColor(tc.b)
		if got := Contrast(a, b); math.Abs(got-tc.want) > 0.01 {
			t.Errorf("contrast %s/%s = %.3f, want %.2f", tc.a, tc.b, got, tc.want)
		}
	}
}

// Every text/background and shape/background pair of both shipped palettes meets
// WCAG 2.2 AA, computed from the content file, and the three layers stay apart in
// lightness alone. The ratios are logged so a palette change shows its margins.
func TestShippedPalettesMeetWCAG(t *testing.T) {
	root, err := parseJSON("diagram.json", readContent(t))
	if err != nil {
		t.Fatal(err)
	}
	ps := root.field("palettes")
	for i := Profile(0); i < numProfiles; i++ {
		var p Palette
		obj := ps.field(i.String())
		for _, f := range p.fields() {
			c, err := ParseColor(obj.field(f.name).str)
			if err != nil {
				t.Fatalf("%s.%s: %v", i, f.name, err)
			}
			*f.c = c
		}
		checks := p.ContrastChecks()
		if len(checks) < 12 {
			t.Fatalf("only %d pairs checked", len(checks))
		}
		for _, c := range checks {
			t.Logf("%s: %s", i, c)
			if !c.OK() {
				t.Errorf("%s palette: %s is %.2f:1, below %.1f:1", i, c.What, c.Ratio, c.Min)
			}
		}
		for k, s := range p.LayerSeparations() {
			if s < MinLayerSeparation {
				t.Errorf("%s palette: layer pair %d only %.2f:1 apart in lightness", i, k, s)
			}
		}
	}
	// And the palette with the projector's light background really is light.
	c := defaultContent(t)
	if c.Palettes[ProfileProjector].Background.Luminance() < 0.8 || c.Palettes[ProfileDark].Background.Luminance() > 0.05 {
		t.Error("the dark palette must be dark and the projector palette light")
	}
}
