package diagram

import (
	"os"
	"strings"
	"testing"
)

func readContent(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("../../assets/diagram.json")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func defaultContent(t testing.TB) *Content {
	t.Helper()
	c, err := ParseContent("diagram.json", readContent(t))
	if err != nil {
		t.Fatalf("the shipped diagram.json does not parse: %v", err)
	}
	return c
}

func TestShippedContentParses(t *testing.T) {
	c := defaultContent(t)
	if c.CoP.People < 8 {
		t.Errorf("the CoP has %d founding members; the picture needs at least 8 holding hands", c.CoP.People)
	}
	if c.PLN.People < 16 {
		t.Errorf("the PLN has %d members; the picture needs at least 16", c.PLN.People)
	}
	for p := PartConnectivism; p < numParts; p++ {
		if len(c.Parts[p]) == 0 {
			t.Errorf("part %s cites no source", p)
		}
	}
	// The sources the design names must be cited.
	for _, id := range []string{"curran2013", "rossett2012", "ncte2011", "remington2015"} {
		found := false
		for _, s := range c.Sources {
			found = found || s.ID == id
		}
		if !found {
			t.Errorf("source %s is missing", id)
		}
	}
}

// edit applies a textual replacement to the shipped content, failing the test if
// the text to replace is not there (so the table cannot silently test nothing).
func edit(t *testing.T, src, old, new string) string {
	t.Helper()
	if !strings.Contains(src, old) {
		t.Fatalf("test setup: %q not found in diagram.json", old)
	}
	return strings.Replace(src, old, new, 1)
}

func TestContentErrorsNameFieldAndReason(t *testing.T) {
	base := readContent(t)
	tests := []struct {
		name      string
		old, new  string
		wantField string
		wantWhy   string
	}{
		{"unknown field", `"breathe": 9`, `"breathe": 9, "colour": "red"`, `cop.colour`, `unknown field "colour"`},
		{"unknown field with suggestion", `"people": 22`, `"peple": 22`, `pln.peple`, `did you mean "people"`},
		{"missing count", `"people": 22,`, ``, `pln.people`, `is missing`},
		{"count too high", `"people": 10,`, `"people": 40,`, `cop.people`, `40 is out of range 6..14`},
		{"count too low", `"people": 22,`, `"people": 3,`, `pln.people`, `out of range 12..40`},
		{"count not whole", `"count": 5,`, `"count": 2.5,`, `pulses.count`, `not a whole number`},
		{"count is text", `"count": 5,`, `"count": "five",`, `pulses.count`, `is a string, expected a whole number`},
		{"bad colour", `"cop": "#3bbfa8"`, `"cop": "teal"`, `palettes.dark.cop`, `is not a colour`},
		{"short colour", `"pln": "#7f78e8"`, `"pln": "#8c9"`, `palettes.dark.pln`, `is not a colour`},
		{"bad hex digit", `"pulse": "#ff7fa8"`, `"pulse": "#ff7fgz"`, `palettes.dark.pulse`, `is not a colour`},
		{"missing palette", `"projector": {`, `"projectorr": {`, `palettes.projectorr`, `unknown field`},
		{"missing source title", `"title": "The Connected Educator: Building a Professional Learning Network",`, ``, `sources[3].title`, `is missing`},
		{"empty source title", `"title": "The Connected Educator: Building a Professional Learning Network"`, `"title": " "`, `sources[3].title`, `is empty`},
		{"bad year", `"year": 2013`, `"year": 13`, `sources[2].year`, `out of range 1900..2100`},
		{"bad url", `"year": 2012`, `"year": 2012, "url": "ftp://x"`, `sources[3].url`, `not a web address`},
		{"duplicate source id", `"id": "rossett2012"`, `"id": "curran2013"`, `sources[3].id`, `used by another source`},
		{"unknown cited source", `"sources": ["ncte2011", "post2015"]`, `"sources": ["ncte2012"]`, `parts.cop.sources`, `not the id of any entry`},
		{"wrong version", `"version": 1`, `"version": 2`, `version`, `must be 1`},
		{"speed out of range", `"gearSpeed": 1.6`, `"gearSpeed": 100`, `brain.gearSpeed`, `out of range`},
		{"low contrast shape", `"pln": "#7f78e8"`, `"pln": "#1c2230"`, `palettes.dark.pln`, `contrast`},
		{"low contrast text", `"text": "#14181f"`, `"text": "#cccccc"`, `palettes.projector.text`, `contrast`},
		{"unknown resource kind", `"podcast", "article", "article"`, `"podcast", "artcle", "article"`, `pln.resources[3]`, `"artcle" is not a resource kind (book, video, podcast, article) (did you mean "article"?)`},
		{"a person is not a resource", `["book", "video",`, `["person", "video",`, `pln.resources[0]`, `"person" is not a resource kind`},
		{"too few resources", `["book", "video", "podcast", "article", "article"]`, `["book", "video"]`, `pln.resources`, `has 2 resources, expected 3 to 6`},
		{"too many resources", `["book", "video", "podcast", "article", "article"]`, `["book", "video", "podcast", "article", "article", "book", "video"]`, `pln.resources`, `has 7 resources, expected 3 to 6`},
		{"resources not a list", `["book", "video", "podcast", "article", "article"]`, `"book"`, `pln.resources`, `is a string, expected a list of 3 to 6 resource kinds`},
		{"resource not text", `["book", "video",`, `["book", 7,`, `pln.resources[1]`, `is a number, expected a resource kind in quotes`},
		{"resources missing", `"resources": ["book", "video", "podcast", "article", "article"],`, ``, `pln.resources`, `is missing`},
		{"syntax: trailing comma", `"seed": 11`, `"seed": 11,`, `line`, `expected a field name`},
		{"syntax: line break in string", `"version": 1,`, `"version": 1, "x`, `line 2`, `control character`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseContent("diagram.json", edit(t, base, tc.old, tc.new))
			if err == nil {
				t.Fatal("accepted a broken content file")
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.wantField) || !strings.Contains(msg, tc.wantWhy) {
				t.Errorf("error %q\nshould name %q and say %q", msg, tc.wantField, tc.wantWhy)
			}
			if !strings.HasPrefix(msg, "diagram.json") {
				t.Errorf("error %q does not name the file", msg)
			}
		})
	}
}

func TestContentReportsEveryProblem(t *testing.T) {
	src := edit(t, readContent(t), `"people": 10,`, `"people": 99,`)
	src = edit(t, src, `"cop": "#3bbfa8"`, `"cop": "green"`)
	_, err := ParseContent("diagram.json", src)
	es, ok := err.(Errors)
	if !ok || len(es) != 2 {
		t.Fatalf("want 2 errors, got %v", err)
	}
}

func TestContentRejectsNonObjects(t *testing.T) {
	for _, src := range []string{``, `[]`, `"x"`, `null`, `{"version":1}`, "\xff\xfe"} {
		if _, err := ParseContent("diagram.json", src); err == nil {
			t.Errorf("accepted %q", src)
		}
	}
}
