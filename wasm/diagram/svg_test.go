package diagram

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden SVG files")

// Golden pictures: the SVG writer's output for fixed scenes, drawn from the same
// display list as the canvas. A change to the geometry shows up as a diff here;
// after checking the new pictures by eye, run go test -run Golden -update.
func TestGoldenSVG(t *testing.T) {
	labels := [3]string{"Connectivism", "Community of Practice", "Personal Learning Network"}
	tests := []struct {
		name    string
		w, h    float64
		setup   func(s *Scene)
		ticks   int
		options SVGOptions
	}{
		{"whole-1280x720", 1280, 720, nil, 120, SVGOptions{Background: true, Labels: labels}},
		{"projector-1920x1080", 1920, 1080, func(s *Scene) { s.SetProfile(ProfileProjector) }, 120, SVGOptions{Background: true, Labels: labels}},
		{"step1-800x800", 800, 800, func(s *Scene) { s.JumpTo(1) }, 60, SVGOptions{Background: true, Caption: "At the centre: a brain of meshing gears."}},
		{"step5-midway-800x800", 800, 800, func(s *Scene) { s.JumpTo(4); s.Next() }, 100, SVGOptions{Background: true}},
		{"selected-cop-390x844", 390, 844, func(s *Scene) { s.Select(PartCoP) }, 30, SVGOptions{Background: true, Labels: labels}},
		{"placeholder-interactive-1000x1000", 1000, 1000, nil, 0, SVGOptions{NoSize: true, Precision: -1, Interactive: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New(defaultContent(t))
			s.SetViewport(tc.w, tc.h, Rect{W: tc.w, H: tc.h}, 1)
			if tc.setup != nil {
				tc.setup(s)
			}
			run(s, tc.ticks)
			var f Frame
			s.Build(&f)
			got := s.WriteSVG(nil, &f, tc.options)
			// Well-formed XML, whatever the golden file says, with the labels as
			// real text (wrapped lines joined back).
			d := xml.NewDecoder(bytes.NewReader(got))
			var texts []string
			depth := 0
			for {
				tok, err := d.Token()
				if err != nil {
					if err.Error() != "EOF" {
						t.Fatalf("the SVG is not well-formed: %v", err)
					}
					break
				}
				switch tok := tok.(type) {
				case xml.StartElement:
					if tok.Name.Local == "text" {
						depth++
						texts = append(texts, "")
					}
				case xml.EndElement:
					if tok.Name.Local == "text" {
						depth--
					}
				case xml.CharData:
					if depth > 0 {
						last := &texts[len(texts)-1]
						*last = strings.TrimSpace(*last + " " + string(tok))
					}
				}
			}
			if strings.Contains(tc.name, "whole") {
				for _, l := range tc.options.Labels {
					found := false
					for _, x := range texts {
						found = found || x == l
					}
					if !found {
						t.Errorf("label %q is not in the SVG as text (texts: %q)", l, texts)
					}
				}
			}
			path := filepath.Join("testdata", "golden", tc.name+".svg")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run Golden -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				os.WriteFile(path+".got", got, 0o644)
				t.Errorf("%s differs from the golden file; the new picture is in %s.got (view both, then -update if it is right)", tc.name, path)
			}
		})
	}
}

func TestSVGEscapesText(t *testing.T) {
	s := newScene(t, 640, 480)
	var f Frame
	s.Build(&f)
	got := s.WriteSVG(nil, &f, SVGOptions{Title: `<script>"&`, Labels: [3]string{"a<b", "", ""}})
	if bytes.Contains(got, []byte("<script>")) || !bytes.Contains(got, []byte("&lt;script&gt;&quot;&amp;")) {
		t.Errorf("title not escaped: %s", got[:200])
	}
}

// An export is a picture of its own: whatever the page's stage, the diagram is
// centred in the exported frame, and the heading and caption sit in bands above
// and below it, never over it. The live layout is untouched.
func TestExportCentresThePicture(t *testing.T) {
	for _, tc := range []struct {
		name             string
		heading, caption string
	}{
		{"no words", "", ""},
		{"a caption", "", "Pulses travel from the crowd, through the circle, into the brain and back out again."},
		{"heading and a long caption", "Step 4 of 6: Connections flow both ways", strings.Repeat("Ideas come from the network and go back out again. ", 6)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(defaultContent(t))
			// The page's stage: the left two thirds of a wide window.
			s.SetViewport(1920, 1080, Rect{X: 0, Y: 60, W: 1280, H: 1020}, 1)
			s.JumpTo(4)
			run(s, 30)
			var live Frame
			s.Build(&live)
			var f Frame
			svg := string(s.Export(nil, &f, ExportOptions{Size: 1000, DPR: 1, Profile: ProfileProjector, Labels: [3]string{"A", "B", "C"}, Heading: tc.heading, Caption: tc.caption}))
			lo, hi := Vec{math.Inf(1), math.Inf(1)}, Vec{math.Inf(-1), math.Inf(-1)}
			for _, it := range f.Items {
				if it.Kind == ItemGlow || it.Decor {
					continue
				}
				n := pointCount(&f.Path, it)
				pts := f.Path.Pts[it.Pt0 : it.Pt0+int32(n)]
				if it.Kind == ItemCircle {
					pts = []Pt{{it.X - it.R, it.Y - it.R}, {it.X + it.R, it.Y + it.R}}
				}
				for _, p := range pts {
					lo = Vec{math.Min(lo.X, float64(p.X)), math.Min(lo.Y, float64(p.Y))}
					hi = Vec{math.Max(hi.X, float64(p.X)), math.Max(hi.Y, float64(p.Y))}
				}
			}
			W, H := float64(f.W), float64(f.H)
			if mx, my := (lo.X+hi.X)/2, (lo.Y+hi.Y)/2; math.Abs(mx-W/2) > 0.02*W || math.Abs(my-H/2) > 0.02*H {
				t.Errorf("the picture's middle is at (%.0f, %.0f) in a %.0f×%.0f export", mx, my, W, H)
			}
			if !strings.Contains(svg, fmt.Sprintf(`viewBox="0 0 %s %s"`, strconv.FormatFloat(W, 'f', -1, 64), strconv.FormatFloat(H, 'f', -1, 64))) {
				t.Errorf("the SVG's viewBox is not the export's frame %.0f×%.0f", W, H)
			}
			if tc.caption == "" && tc.heading == "" && H != W {
				t.Errorf("an export without words is %.0f×%.0f, not square", W, H)
			}
			// The words' backings (<rect … rx>) after the labels' three are the
			// heading's and the caption's: clear of the picture.
			rects := textBoxes(t, svg)
			if len(rects) < 3 {
				t.Fatalf("%d text boxes", len(rects))
			}
			for _, r := range rects[3:] {
				if r.Y < hi.Y && r.Y+r.H > lo.Y && r.X < hi.X && r.X+r.W > lo.X {
					t.Errorf("a text box %+v covers the picture (%v..%v)", r, lo, hi)
				}
				if r.Y < 0 || r.Y+r.H > H || r.X < 0 || r.X+r.W > W {
					t.Errorf("a text box %+v leaves the %.0f×%.0f frame", r, W, H)
				}
			}
			if want := 3 + b2i(tc.heading != "") + b2i(tc.caption != ""); len(rects) != want {
				t.Errorf("%d text boxes, want %d", len(rects), want)
			}
			// The live layout and colours are back.
			redraw := s.NeedsDraw()
			var after Frame
			s.Build(&after)
			if after.W != live.W || after.H != live.H || after.Background != live.Background || !redraw {
				t.Error("the export left the live layout changed, or the canvas not asked to redraw")
			}
		})
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// textBoxes returns the backings the SVG writer draws behind its words, in order.
func textBoxes(t *testing.T, svg string) []Rect {
	t.Helper()
	var out []Rect
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "rect" {
			var r Rect
			rx := false
			for _, a := range se.Attr {
				v, _ := strconv.ParseFloat(a.Value, 64)
				switch a.Name.Local {
				case "x":
					r.X = v
				case "y":
					r.Y = v
				case "width":
					r.W = v
				case "height":
					r.H = v
				case "rx":
					rx = true
				}
			}
			if rx {
				out = append(out, r)
			}
		}
	}
	return out
}

// The interactive picture (the page's placeholder) is its own hit map: every member
// drawn has a group of its own with its part, in every part's group the part is
// the one HitTest gives there, and the rings' bands are there to be hovered.
func TestInteractiveSVGGroupsPartsAndMembers(t *testing.T) {
	s := newScene(t, 1000, 1000)
	var f Frame
	s.Build(&f)
	svg := s.WriteSVG(nil, &f, SVGOptions{NoSize: true, Interactive: true})
	d := xml.NewDecoder(bytes.NewReader(svg))
	members := map[int]string{}
	parts := map[string]int{}
	depth, groupDepth := 0, -1
	for {
		tok, err := d.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("not well-formed: %v", err)
			}
			break
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			var part, member string
			for _, a := range tok.Attr {
				switch a.Name.Local {
				case "data-part":
					part = a.Value
				case "data-member":
					member = a.Value
				}
			}
			if part != "" {
				if groupDepth >= 0 {
					t.Fatalf("a part's group inside another's")
				}
				groupDepth = depth
				parts[part]++
			}
			if member != "" {
				i, _ := strconv.Atoi(member)
				m, ok := s.Member(i)
				if !ok || m.Part.String() != part {
					t.Errorf("group of member %s says part %q, the model %+v", member, part, m)
				}
				members[i] = part
			}
		case xml.EndElement:
			if depth == groupDepth {
				groupDepth = -1
			}
			depth--
		}
	}
	for i := range s.people {
		if s.people[i].alpha > 0.3 {
			if _, ok := members[i]; !ok {
				t.Errorf("member %d has no group", i)
			}
		}
	}
	for _, p := range []string{"connectivism", "cop", "pln", "connections"} {
		if parts[p] == 0 {
			t.Errorf("no group of part %s", p)
		}
	}
	// Every part and member has its halo, hidden until the page shows it, where
	// the model puts it.
	for i := range members {
		h, _ := s.HaloOf(Target{Part: s.personPart(i), Person: i})
		want := fmt.Sprintf(`<g data-halo="m%d" display="none"><circle cx="%s" cy="%s"`, i, num(nil, h.C.X), num(nil, h.C.Y))
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("member %d has no halo %s", i, want)
		}
	}
	for _, p := range []string{"connectivism", "cop", "pln"} {
		if !bytes.Contains(svg, []byte(`<g data-halo="`+p+`" display="none">`)) {
			t.Errorf("part %s has no halo", p)
		}
	}
	if !bytes.Contains(svg, []byte(`<g class="halos" fill="none" stroke="`+s.Palette().Focus.Hex()+`" pointer-events="none">`)) {
		t.Error("the halos are not in the focus colour, out of the pointer's way")
	}
	// Glows and halos take no pointer events; the bands' hit shapes are invisible.
	if n := bytes.Count(svg, []byte(`url(#`)); n == 0 || bytes.Count(svg, []byte(`<g pointer-events="none"><circle`)) < n {
		t.Errorf("%d glows, not all of them out of the pointer's way", n)
	}
	if !bytes.Contains(svg, []byte(`stroke-opacity="0" pointer-events="stroke"`)) {
		t.Error("no invisible hit shapes")
	}
	// Without Interactive, none of this: exports stay lean.
	plain := s.WriteSVG(nil, &f, SVGOptions{NoSize: true})
	if bytes.Contains(plain, []byte("data-part")) || len(plain) >= len(svg) {
		t.Error("a plain SVG carries the hit map")
	}
}

// A download or a print made while a step is still animating shows the step as
// it ends (the newcomer in the ring, the crowd in place), and the live picture
// goes on from the moment it was at.
func TestExportSettlesTheStep(t *testing.T) {
	for _, step := range []int{2, 3, 5} {
		t.Run(fmt.Sprint("step ", step), func(t *testing.T) {
			// mid exports during the transition; end is mid's twin with its channels
			// put at their targets; twin never exports.
			mid, end, twin := New(defaultContent(t)), New(defaultContent(t)), New(defaultContent(t))
			for _, s := range []*Scene{mid, end, twin} {
				s.SetViewport(1280, 720, Rect{0, 0, 1280, 720}, 1)
				s.JumpTo(step - 1)
				run(s, 20)
				s.Goto(step)
				run(s, 30) // half a second into a transition of one to four seconds
				if !s.Transitioning() {
					t.Fatal("the transition ended before the export")
				}
			}
			end.ch = end.target
			end.update(0)
			o := ExportOptions{Size: 800, DPR: 1, Profile: ProfileProjector, Settled: true}
			var f Frame
			got := mid.Export(nil, &f, o)
			o.Settled = false
			want := end.Export(nil, &f, o)
			if !bytes.Equal(got, want) {
				t.Error("a settled export differs from the step at its end")
			}
			if moment := twin.Export(nil, &f, o); bytes.Equal(moment, want) {
				t.Error("the export of the moment is the settled one: the test shows nothing")
			}
			if !mid.Transitioning() {
				t.Error("the export ended the live transition")
			}
			// The live picture goes on as if nothing had been exported. (Pulses are
			// placed on the poses of the tick before, so the next tick, which the
			// program runs before every frame, is where the two are compared.)
			for range 3 {
				mid.Tick()
				twin.Tick()
				var a, b Frame
				mid.Build(&a)
				twin.Build(&b)
				if !slices.Equal(a.Items, b.Items) || !slices.Equal(a.Path.Pts, b.Path.Pts) {
					t.Fatal("the live picture after a settled export is not the one it would have been")
				}
			}
		})
	}
}

// An export (a print picture is made after every change) is not a change of the
// live picture: the page is told of no new layout, and the layers a renderer
// keeps as images keep their versions.
func TestExportLeavesTheLiveLayout(t *testing.T) {
	s := New(defaultContent(t))
	s.SetViewport(1280, 720, Rect{0, 60, 860, 660}, 1)
	run(s, 10)
	s.Changes()
	var live, f, after Frame
	s.Build(&live)
	s.Export(nil, &f, ExportOptions{Size: 900, DPR: 1, Profile: ProfileProjector, Settled: true})
	if c := s.Changes(); c&ChangedLayout != 0 {
		t.Errorf("an export reported a new layout (changes %b)", c)
	}
	s.Build(&after)
	if live.Layers != after.Layers {
		t.Errorf("an export changed the cached layers' versions:\n%+v\n%+v", live.Layers, after.Layers)
	}
	// A real change of layout still is one.
	s.SetViewport(1000, 720, Rect{0, 60, 700, 660}, 1)
	if s.Changes()&ChangedLayout == 0 {
		t.Error("a new viewport reported no layout")
	}
}

func TestExportPrefixesIDs(t *testing.T) {
	s := New(defaultContent(t))
	s.SetViewport(800, 800, Rect{0, 0, 800, 800}, 1)
	run(s, 10)
	var f Frame
	svg := string(s.Export(nil, &f, ExportOptions{Size: 800, DPR: 1, IDPrefix: "print-"}))
	ids := regexp.MustCompile(`id="([^"]*)"`).FindAllStringSubmatch(svg, -1)
	refs := regexp.MustCompile(`(?:url\(#|href="#)([^)"]*)`).FindAllStringSubmatch(svg, -1)
	if len(ids) == 0 || len(refs) == 0 {
		t.Fatalf("%d ids and %d references: nothing to check", len(ids), len(refs))
	}
	for _, m := range append(ids, refs...) {
		if !strings.HasPrefix(m[1], "print-") {
			t.Errorf("id or reference %q without the prefix", m[1])
		}
	}
}

// BenchmarkExport is what one print picture or download costs the program: the
// layout for the export's square, the display list, the SVG, and the live
// layout again (natively; the wasm runs it a few times slower).
func BenchmarkExport(b *testing.B) {
	s := New(defaultContent(b))
	s.SetViewport(1280, 720, Rect{0, 60, 860, 660}, 1)
	s.JumpTo(5)
	s.Goto(6)
	run(s, 30)
	var f Frame
	var out []byte
	o := ExportOptions{Size: 860, DPR: 1, Profile: ProfileProjector, Labels: [3]string{"Connectivism", "Community of Practice", "Personal Learning Network"}, Settled: true, IDPrefix: "print-"}
	b.ReportAllocs()
	for b.Loop() {
		out = s.Export(out[:0], &f, o)
	}
	b.SetBytes(int64(len(out)))
}
