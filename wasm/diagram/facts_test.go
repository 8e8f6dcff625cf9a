package diagram

import (
	"slices"
	"testing"
)

// The facts the page takes from the manifest agree with what the scene does.
func TestFactsAgreeWithTheScene(t *testing.T) {
	s := New(defaultContent(t))
	for n := 1; n <= NumSteps; n++ {
		s.JumpTo(n)
		for _, p := range Parts() {
			if StepShows(n, p) != s.PartShown(p) {
				t.Errorf("step %d: StepShows(%s) = %v, the scene shows it: %v", n, p, StepShows(n, p), s.PartShown(p))
			}
		}
	}
	for _, c := range [][2]int{{-5, 1}, {0, 1}, {1, 1}, {3, 3}, {NumSteps, NumSteps}, {NumSteps + 1, NumSteps}, {99, NumSteps}} {
		if got := ClampStep(c[0]); got != c[1] {
			t.Errorf("ClampStep(%d) = %d, want %d", c[0], got, c[1])
		}
	}
	var pal Palette
	var names []string
	for _, f := range pal.Fields() {
		names = append(names, f.Name)
	}
	for _, p := range Parts() {
		if !slices.Contains(names, p.Colour()) {
			t.Errorf("part %s is coloured %q, not a palette field", p, p.Colour())
		}
	}
}

func TestPageOptions(t *testing.T) {
	byName := map[string]Option{}
	for _, o := range PageOptions() {
		byName[o.Name] = o
	}
	if o := byName["step"]; len(o.Values) != NumSteps || o.Values[0] != "1" || o.Values[NumSteps-1] != "6" || o.Default != "1" {
		t.Errorf("step: %+v", o)
	}
	if o := byName["speed"]; !slices.Equal(o.Values, []string{"0.5", "1", "2"}) || o.Default != "1" {
		t.Errorf("speed: %+v", o)
	}
	if o := byName["colorProfile"]; !slices.Equal(o.Values, []string{"dark", "projector"}) || o.Default != "dark" {
		t.Errorf("colorProfile: %+v", o)
	}
	for _, f := range []string{"present", "paused", "embed"} {
		if o := byName[f]; !o.Flag || !slices.Contains(o.Values, "1") || !slices.Contains(o.Off, "0") {
			t.Errorf("%s: %+v", f, o)
		}
	}
	if !byName["lang"].Languages || byName["lang"].Values != nil {
		t.Errorf("lang: %+v", byName["lang"])
	}
}
