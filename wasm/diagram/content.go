package diagram

import (
	"fmt"
	"math"
	"strings"
)

// Part names a layer of the diagram that a person can select.
type Part uint8

const (
	PartNone Part = iota
	PartConnectivism
	PartCoP
	PartPLN
	PartConnections
	numParts
)

var partNames = [...]string{"", "connectivism", "cop", "pln", "connections"}

// String returns the part's id as used in content files, URLs and messages.
func (p Part) String() string {
	if int(p) < len(partNames) {
		return partNames[p]
	}
	return ""
}

// ParsePart reads a part id; ok is false for anything unknown.
func ParsePart(s string) (Part, bool) {
	for i, n := range partNames {
		if n == s && i != 0 {
			return Part(i), true
		}
	}
	return PartNone, false
}

// Profile is a colour profile.
type Profile uint8

const (
	ProfileDark Profile = iota
	ProfileProjector
	numProfiles
)

var profileNames = [...]string{"dark", "projector"}

func (p Profile) String() string { return profileNames[p] }

// ParseProfile reads a profile id; ok is false for anything unknown.
func ParseProfile(s string) (Profile, bool) {
	for i, n := range profileNames {
		if n == s {
			return Profile(i), true
		}
	}
	return ProfileDark, false
}

// Palette is one colour profile. Text colours are for the HTML around the canvas; the
// rest colour the shapes. Every pair that must be legible is checked by Check.
type Palette struct {
	Background Color // the canvas and the page
	Surface    Color // panels, captions, label backings
	Text       Color // body text on Background and on Surface
	TextMuted  Color // secondary text on Surface
	Brain      Color // gears
	BrainDeep  Color // the brain silhouette, gear hubs
	CoP        Color // the hand-holding ring
	PLN        Color // the wider crowd
	Link       Color // thin links between PLN members
	Pulse      Color // the accent: connections in motion
	Focus      Color // focus outlines and the selection halo
}

// PaletteField is one colour of a palette, with its names in the content file and
// in CSS.
type PaletteField struct {
	Name  string // as in diagram.json
	CSS   string // the custom property name, without "--"
	Color Color
}

// Fields lists the palette's colours in file order.
func (p *Palette) Fields() []PaletteField {
	fs := p.fields()
	out := make([]PaletteField, len(fs))
	for i, f := range fs {
		out[i] = PaletteField{Name: f.name, CSS: cssName(f.name), Color: *f.c}
	}
	return out
}

// cssName turns "textMuted" into "text-muted".
func cssName(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			b = append(b, '-', c+'a'-'A')
		} else {
			b = append(b, c)
		}
	}
	return string(b)
}

// paletteFields lists the palette's fields in file order, with the colour each is
// read into. It is the single source for decoding, checking and exporting.
func (p *Palette) fields() []struct {
	name string
	c    *Color
} {
	return []struct {
		name string
		c    *Color
	}{
		{"background", &p.Background}, {"surface", &p.Surface}, {"text", &p.Text},
		{"textMuted", &p.TextMuted}, {"brain", &p.Brain}, {"brainDeep", &p.BrainDeep},
		{"cop", &p.CoP}, {"pln", &p.PLN}, {"link", &p.Link}, {"pulse", &p.Pulse},
		{"focus", &p.Focus},
	}
}

// Source is a work the diagram's words are drawn from.
type Source struct {
	ID        string
	Author    string
	Title     string
	Publisher string
	Year      int
	URL       string
}

// Content is everything in diagram.json: the numbers, colours and sources of the
// diagram. Words shown to people are in the language files.
type Content struct {
	Version int
	Brain   struct {
		GearSpeed float64 // turns per minute of the central gear
		Boost     float64 // extra speed, as a fraction, just after a pulse arrives
	}
	CoP struct {
		People  int     // members holding hands before anyone joins
		Breathe float64 // seconds per breath of the rings
	}
	PLN struct {
		People    int    // people of the wider network, the one who joins the ring included
		Resources []Kind // resources among them: books, videos, podcasts, articles
		Links     int    // thin links drawn between members (and to the ring)
		Seed      int    // varies the crowd's arrangement
	}
	Pulses struct {
		Count  int     // pulses travelling at once
		Period float64 // seconds for one round trip out and back
	}
	Palettes [numProfiles]Palette
	Sources  []Source
	Parts    [numParts][]string // source ids per part
}

// Limits of the numbers in diagram.json. They keep the picture legible: more than 14
// people cannot hold hands around the brain at a readable size, fewer than 6 do not
// read as a circle.
var (
	limitCoPPeople   = [2]int{6, 14}
	limitPLNPeople   = [2]int{12, 40}
	limitPLNLinks    = [2]int{0, 80}
	limitResources   = [2]int{3, 6}
	limitPulses      = [2]int{1, 12}
	limitGearSpeed   = [2]float64{0.5, 12}
	limitBoost       = [2]float64{0, 3}
	limitBreathe     = [2]float64{3, 30}
	limitPulsePeriod = [2]float64{3, 40}
)

// FieldError is a problem with one field of a content file.
type FieldError struct {
	File string
	Path string // dotted path, e.g. "palettes.dark.cop"
	Line int
	Msg  string
}

func (e *FieldError) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("%s (line %d): %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s (line %d): %s", e.File, e.Path, e.Line, e.Msg)
}

// Errors is every problem found in a content file, in file order.
type Errors []error

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

const maxErrors = 20

type decoder struct {
	file string
	errs Errors
}

func (d *decoder) fail(v *jsonValue, path, format string, args ...any) {
	if len(d.errs) >= maxErrors {
		return
	}
	line := 0
	if v != nil {
		line = v.line
	}
	d.errs = append(d.errs, &FieldError{File: d.file, Path: path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// object checks that v is an object whose keys are all among allowed.
func (d *decoder) object(v *jsonValue, path string, allowed ...string) bool {
	if v.kind != jsonObject {
		d.fail(v, path, "is %s, expected an object", v.kind)
		return false
	}
	for i, k := range v.keys {
		ok := false
		for _, a := range allowed {
			if k == a {
				ok = true
				break
			}
		}
		if !ok {
			msg := fmt.Sprintf("unknown field %q", k)
			if s := closest(k, allowed); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			d.fail(v.items[i], join(path, k), "%s", msg)
		}
	}
	return true
}

// get returns the field, reporting it missing when required.
func (d *decoder) get(obj *jsonValue, path, key string, required bool) *jsonValue {
	f := obj.field(key)
	if f == nil && required {
		d.fail(obj, join(path, key), "is missing")
	}
	return f
}

func (d *decoder) int(obj *jsonValue, path, key string, lim [2]int) int {
	f := d.get(obj, path, key, true)
	if f == nil {
		return lim[0]
	}
	p := join(path, key)
	if f.kind != jsonNumber {
		d.fail(f, p, "is %s, expected a whole number from %d to %d", f.kind, lim[0], lim[1])
		return lim[0]
	}
	if f.num != math.Trunc(f.num) {
		d.fail(f, p, "%v is not a whole number", f.num)
		return lim[0]
	}
	if f.num < float64(lim[0]) || f.num > float64(lim[1]) {
		d.fail(f, p, "%v is out of range %d..%d", f.num, lim[0], lim[1])
		return lim[0]
	}
	return int(f.num)
}

func (d *decoder) num(obj *jsonValue, path, key string, lim [2]float64) float64 {
	f := d.get(obj, path, key, true)
	if f == nil {
		return lim[0]
	}
	p := join(path, key)
	if f.kind != jsonNumber {
		d.fail(f, p, "is %s, expected a number from %v to %v", f.kind, lim[0], lim[1])
		return lim[0]
	}
	if f.num < lim[0] || f.num > lim[1] {
		d.fail(f, p, "%v is out of range %v..%v", f.num, lim[0], lim[1])
		return lim[0]
	}
	return f.num
}

func (d *decoder) str(obj *jsonValue, path, key string, required bool) string {
	f := d.get(obj, path, key, required)
	if f == nil {
		return ""
	}
	p := join(path, key)
	if f.kind != jsonString {
		d.fail(f, p, "is %s, expected text in quotes", f.kind)
		return ""
	}
	if required && strings.TrimSpace(f.str) == "" {
		d.fail(f, p, "is empty")
	}
	return f.str
}

// resources reads the list of resource kinds in the network.
func (d *decoder) resources(obj *jsonValue, path string) []Kind {
	f := d.get(obj, path, "resources", true)
	if f == nil {
		return nil
	}
	p := join(path, "resources")
	lo, hi := limitResources[0], limitResources[1]
	if f.kind != jsonArray {
		d.fail(f, p, "is %s, expected a list of %d to %d resource kinds (%s)", f.kind, lo, hi, resourceKindList())
		return nil
	}
	if n := len(f.items); n < lo || n > hi {
		d.fail(f, p, "has %d resources, expected %d to %d", n, lo, hi)
	}
	var out []Kind
	for i, it := range f.items {
		ip := fmt.Sprintf("%s[%d]", p, i)
		if it.kind != jsonString {
			d.fail(it, ip, "is %s, expected a resource kind in quotes (%s)", it.kind, resourceKindList())
			continue
		}
		k, ok := ParseKind(it.str)
		if !ok || k == KindPerson {
			msg := fmt.Sprintf("%q is not a resource kind (%s)", it.str, resourceKindList())
			if s := closest(it.str, kindNames[KindBook:]); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			d.fail(it, ip, "%s", msg)
			continue
		}
		out = append(out, k)
	}
	return out
}

// ParseContent reads and checks diagram.json. file names it in errors. Every problem
// found is returned, each naming its field, line and reason.
func ParseContent(file, src string) (*Content, error) {
	root, err := parseJSON(file, src)
	if err != nil {
		return nil, err
	}
	d := &decoder{file: file}
	c := &Content{}
	if !d.object(root, "", "$schema", "version", "brain", "cop", "pln", "pulses", "palettes", "sources", "parts") {
		return nil, d.errs
	}
	if f := d.get(root, "", "version", true); f != nil {
		if f.kind != jsonNumber || f.num != 1 {
			d.fail(f, "version", "must be 1 (this program reads version 1 of the format)")
		}
		c.Version = 1
	}
	if b := d.get(root, "", "brain", true); b != nil && d.object(b, "brain", "gearSpeed", "boost") {
		c.Brain.GearSpeed = d.num(b, "brain", "gearSpeed", limitGearSpeed)
		c.Brain.Boost = d.num(b, "brain", "boost", limitBoost)
	}
	if r := d.get(root, "", "cop", true); r != nil && d.object(r, "cop", "people", "breathe") {
		c.CoP.People = d.int(r, "cop", "people", limitCoPPeople)
		c.CoP.Breathe = d.num(r, "cop", "breathe", limitBreathe)
	}
	if r := d.get(root, "", "pln", true); r != nil && d.object(r, "pln", "people", "resources", "links", "seed") {
		c.PLN.People = d.int(r, "pln", "people", limitPLNPeople)
		c.PLN.Resources = d.resources(r, "pln")
		c.PLN.Links = d.int(r, "pln", "links", limitPLNLinks)
		c.PLN.Seed = d.int(r, "pln", "seed", [2]int{0, 1 << 30})
	}
	if r := d.get(root, "", "pulses", true); r != nil && d.object(r, "pulses", "count", "period") {
		c.Pulses.Count = d.int(r, "pulses", "count", limitPulses)
		c.Pulses.Period = d.num(r, "pulses", "period", limitPulsePeriod)
	}
	if ps := d.get(root, "", "palettes", true); ps != nil && d.object(ps, "palettes", profileNames[:]...) {
		for i := range c.Palettes {
			name := Profile(i).String()
			path := join("palettes", name)
			p := d.get(ps, "palettes", name, true)
			if p == nil {
				continue
			}
			fields := c.Palettes[i].fields()
			names := make([]string, len(fields))
			for j, f := range fields {
				names[j] = f.name
			}
			if !d.object(p, path, names...) {
				continue
			}
			ok := true
			for _, f := range fields {
				s := d.str(p, path, f.name, true)
				if s == "" {
					ok = false
					continue
				}
				col, err := ParseColor(s)
				if err != nil {
					d.fail(p.field(f.name), join(path, f.name), "%q %v", s, err)
					ok = false
					continue
				}
				*f.c = col
			}
			if ok {
				d.checkPalette(name, &c.Palettes[i], p)
			}
		}
	}
	ids := map[string]bool{}
	if ss := d.get(root, "", "sources", true); ss != nil {
		if ss.kind != jsonArray || len(ss.items) == 0 {
			d.fail(ss, "sources", "must be a non-empty list of sources")
		} else {
			for i, s := range ss.items {
				path := fmt.Sprintf("sources[%d]", i)
				if !d.object(s, path, "id", "author", "title", "publisher", "year", "url") {
					continue
				}
				src := Source{
					ID:        d.str(s, path, "id", true),
					Author:    d.str(s, path, "author", true),
					Title:     d.str(s, path, "title", true),
					Publisher: d.str(s, path, "publisher", false),
					Year:      d.int(s, path, "year", [2]int{1900, 2100}),
					URL:       d.str(s, path, "url", false),
				}
				if src.URL != "" && !strings.HasPrefix(src.URL, "https://") && !strings.HasPrefix(src.URL, "http://") {
					d.fail(s.field("url"), join(path, "url"), "%q is not a web address (http:// or https://)", src.URL)
				}
				if ids[src.ID] {
					d.fail(s.field("id"), join(path, "id"), "%q is used by another source", src.ID)
				}
				ids[src.ID] = true
				c.Sources = append(c.Sources, src)
			}
		}
	}
	if ps := d.get(root, "", "parts", true); ps != nil && d.object(ps, "parts", partNames[1:]...) {
		for p := PartConnectivism; p < numParts; p++ {
			path := join("parts", p.String())
			f := d.get(ps, "parts", p.String(), true)
			if f == nil || !d.object(f, path, "sources") {
				continue
			}
			list := d.get(f, path, "sources", true)
			if list == nil {
				continue
			}
			lp := join(path, "sources")
			if list.kind != jsonArray || len(list.items) == 0 {
				d.fail(list, lp, "must be a non-empty list of source ids")
				continue
			}
			for _, it := range list.items {
				if it.kind != jsonString {
					d.fail(it, lp, "has %s, expected a source id in quotes", it.kind)
					continue
				}
				if !ids[it.str] {
					d.fail(it, lp, "names %q, which is not the id of any entry in sources", it.str)
					continue
				}
				c.Parts[p] = append(c.Parts[p], it.str)
			}
		}
	}
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	return c, nil
}

// closest returns the allowed name nearest to s, if it is a plausible typo.
func closest(s string, allowed []string) string {
	best, bestD := "", 3
	for _, a := range allowed {
		if dd := editDistance(strings.ToLower(s), strings.ToLower(a)); dd < bestD {
			best, bestD = a, dd
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
