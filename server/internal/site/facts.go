package site

import (
	"github.com/connectedlearning/diagram/server/internal/siteformat"
	"github.com/connectedlearning/diagram/wasm/diagram"
)

// ModelFacts fills in the manifest what the model owns: the steps, the parts, the
// address's options (the languages are the site's), the frame's shape and the
// members of the whole picture. The page and the server read them from there.
func ModelFacts(m *siteformat.Manifest, c *diagram.Content, langs []string) {
	m.Steps = diagram.NumSteps
	m.AspectRatio = diagram.AspectRatio
	m.Parts = nil
	css := map[string]string{} // palette field -> its CSS custom property
	var pal diagram.Palette
	for _, f := range pal.Fields() {
		css[f.Name] = f.CSS
	}
	for _, p := range diagram.Parts() {
		part := siteformat.Part{ID: p.String(), Color: css[p.Colour()]}
		for n := 1; n <= diagram.NumSteps; n++ {
			if diagram.StepShows(n, p) {
				part.Steps = append(part.Steps, n)
			}
		}
		m.Parts = append(m.Parts, part)
	}
	m.Options = nil
	for _, o := range diagram.PageOptions() {
		opt := siteformat.Option{Name: o.Name, Values: o.Values, Off: o.Off, Flag: o.Flag, Default: o.Default}
		if o.Languages {
			opt.Values = langs
		}
		m.Options = append(m.Options, opt)
	}
	m.Members = members(c)
}

// members lists the members of the whole picture in the model's order (the ring's
// founding members, the network's people, its resources): their ring, the kind of
// words that describe them ("person", "newcomer", a resource kind) and the index of
// those words.
func members(c *diagram.Content) []siteformat.Member {
	ms := diagram.New(c).Members() // a new scene shows the whole picture
	out := make([]siteformat.Member, len(ms))
	for i, m := range ms {
		out[i] = siteformat.Member{Ring: m.Part.String(), Kind: m.Words(), Role: m.Role}
	}
	return out
}
