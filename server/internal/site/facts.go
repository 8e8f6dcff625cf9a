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

// members lists the people of the whole picture in the model's order: their ring,
// their kind and the index of their words. The newcomer is the network's member who
// joins the ring in step 5: the one whose ring differs between steps 4 and 6.
func members(c *diagram.Content) []siteformat.Member {
	before, whole := diagram.New(c), diagram.New(c)
	before.JumpTo(4)
	cop, pln := whole.People()
	out := make([]siteformat.Member, cop+pln)
	for i := range out {
		ring, role := whole.PersonRole(i)
		kind := "person"
		if was, _ := before.PersonRole(i); was != ring {
			kind = "newcomer"
		}
		out[i] = siteformat.Member{Ring: ring.String(), Kind: kind, Role: role}
	}
	return out
}
