package siteformat

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
)

// Manifest is what the page needs to know about the built site and about the
// diagram. The build writes it into index.html, where the page's code reads it
// and the server reads it back (for oEmbed, and to add the site's public address).
type Manifest struct {
	Wasm      string            `json:"wasm"`
	WasmSize  int               `json:"wasmSize"` // uncompressed, for the loading bar
	WasmExec  string            `json:"wasmExec"` // Go's wasm_exec.js, which the warm-up worker loads too
	Worker    string            `json:"worker"`   // the warm-up worker (assets/warm.js)
	Content   string            `json:"content"`
	Lang      map[string]string `json:"lang"`      // language code -> its file
	LangNames map[string]string `json:"langNames"` // language code -> its own name for itself
	Thumbnail string            `json:"thumbnail"`
	Live      string            `json:"live"` // the live classroom's chunk, imported when live is asked for
	BaseURL   string            `json:"baseURL,omitempty"`
	Version   string            `json:"version"`
	Labels    []LabelSpot       `json:"labels"`
	Extent    float64           `json:"extent"` // half-size of the scene's square, design units

	// Facts the model owns, written once in Go (wasm/diagram) and read from here by
	// the page and the server.
	Steps       int      `json:"steps"`       // steps of the guided presentation
	Parts       []Part   `json:"parts"`       // the parts a person can select, in the page's order
	Options     []Option `json:"options"`     // the options of the page's address
	AspectRatio float64  `json:"aspectRatio"` // width over height of the embedded frame
	Members     []Member `json:"members"`     // who is in the whole picture, in the model's order
}

// LabelSpot is where a layer label sits, in design units, before the wasm reports it.
type LabelSpot struct {
	Part string  `json:"part"`
	X    float64 `json:"x"`
	Y    float64 `json:"y"`
	MaxW float64 `json:"maxWidth"`
	MaxH float64 `json:"maxHeight"`
}

// Part is one selectable part of the diagram.
type Part struct {
	ID    string `json:"id"`
	Color string `json:"color"` // the palette colour (a CSS custom property) that draws it
	Steps []int  `json:"steps"` // the steps that show it
}

// Option is one option of the page's address.
type Option struct {
	Name    string   `json:"name"`
	Values  []string `json:"values"`        // accepted values; for a flag, the spellings of on
	Off     []string `json:"off,omitempty"` // for a flag, the spellings of off
	Flag    bool     `json:"flag,omitempty"`
	Default string   `json:"default,omitempty"`
}

// Accepts reports whether v is a value the option takes.
func (o *Option) Accepts(v string) bool {
	for _, list := range [][]string{o.Values, o.Off} {
		for _, x := range list {
			if x == v {
				return true
			}
		}
	}
	return false
}

// Option returns the option of that name, or nil.
func (m *Manifest) Option(name string) *Option {
	for i := range m.Options {
		if m.Options[i].Name == name {
			return &m.Options[i]
		}
	}
	return nil
}

// Member is one person (or, from the model's next version, resource) of the whole
// picture: the ring, the kind ("person", "newcomer", or a kind of resource) and the
// index into the language file's words for that kind.
type Member struct {
	Ring string `json:"ring"`
	Kind string `json:"kind"`
	Role int    `json:"role"`
}

// SiteInfo is site.json: what the server needs besides the manifest.
type SiteInfo struct {
	Title           string `json:"title"`
	Description     string `json:"description"`
	ThumbnailWidth  int    `json:"thumbnailWidth"`
	ThumbnailHeight int    `json:"thumbnailHeight"`
}

// ManifestMark is the element of the source page that the build fills with the
// manifest.
const ManifestMark = `<script type="application/json" id="manifest">{}</script>`

// The manifest's element in a built page, whose minifier may have dropped the
// attributes' quotes.
var manifestRE = regexp.MustCompile(`(<script[^>]*\bid="?manifest"?[^>]*>)(.*?)(</script>)`)

// FillManifest writes the manifest into a source page, in place of ManifestMark.
func FillManifest(page []byte, m *Manifest) ([]byte, error) {
	if !bytes.Contains(page, []byte(ManifestMark)) {
		return nil, fmt.Errorf("has no %s to fill in", ManifestMark)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	// json.Marshal escapes < and >, so nothing in it can close the <script>.
	el := `<script type="application/json" id="manifest">` + string(b) + `</script>`
	return bytes.Replace(page, []byte(ManifestMark), []byte(el), 1), nil
}

// ErrNoManifest is returned for a page without the build's manifest.
var ErrNoManifest = errors.New("the page has no manifest")

// ReadManifest reads the manifest of a built page.
func ReadManifest(page []byte) (*Manifest, error) {
	m := manifestRE.FindSubmatch(page)
	if m == nil {
		return nil, ErrNoManifest
	}
	var man Manifest
	if err := json.Unmarshal(m[2], &man); err != nil {
		return nil, fmt.Errorf("the page's manifest: %w", err)
	}
	return &man, nil
}

// EditManifest rewrites a built page's manifest through edit, keeping any field this
// package does not know.
func EditManifest(page []byte, edit func(map[string]any)) ([]byte, error) {
	m := manifestRE.FindSubmatchIndex(page)
	if m == nil {
		return nil, ErrNoManifest
	}
	var man map[string]any
	if err := json.Unmarshal(page[m[4]:m[5]], &man); err != nil {
		return nil, fmt.Errorf("the page's manifest: %w", err)
	}
	edit(man)
	b, err := json.Marshal(man)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.Write(page[:m[4]])
	out.Write(b)
	out.Write(page[m[5]:])
	return out.Bytes(), nil
}
