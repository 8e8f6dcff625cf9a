package diagram

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
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
