package site

import (
	"encoding/json"
	"html"
	"strconv"
	"strings"

	"github.com/connectedlearning/diagram/server/internal/siteformat"
	"github.com/connectedlearning/diagram/wasm/diagram"
)

// descriptionMark is where the build writes the text description, so that it is
// in the page without JavaScript (the page's description.js writes the same, in
// the chosen language, once it runs).
const descriptionMark = `<!--description-->`

// langWords is what the description needs of a language file.
type langWords struct {
	Summary string `json:"summary"`
	Parts   map[string]struct {
		Title      string   `json:"title"`
		Definition string   `json:"definition"`
		Points     []string `json:"points"`
		Quote      string   `json:"quote"`
		QuoteBy    string   `json:"quoteBy"`
	} `json:"parts"`
	Roles struct {
		CoP      []memberWords `json:"cop"`
		PLN      []memberWords `json:"pln"`
		Newcomer memberWords   `json:"newcomer"`
	} `json:"roles"`
	Resources map[string][]memberWords `json:"resources"`
	UI        map[string]string        `json:"ui"`
}

type memberWords struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// Description renders the text description of the whole picture as HTML, node
// for node as the page's description.js does (assets/page/description.js; a
// browser test compares the two): the summary, then each part with its
// definition, key points, quotation and sources, its button to show it in the
// picture (hidden without JavaScript by noscript.css), and the members of each
// ring, people then resources. The page keeps these very nodes when its own
// rendering is the same (English, the same content), so that the document is not
// laid out again and a screen reader reading it while the program loads keeps its
// place.
func Description(lang []byte, c *diagram.Content, members []siteformat.Member) (string, error) {
	var w langWords
	if err := json.Unmarshal(lang, &w); err != nil {
		return "", err
	}
	var b strings.Builder
	esc := html.EscapeString
	b.WriteString("<p>" + esc(w.Summary) + "</p>")
	pick := func(list []memberWords, i int) (memberWords, bool) {
		if len(list) == 0 {
			return memberWords{}, false
		}
		return list[i%len(list)], true
	}
	for _, p := range diagram.Parts() {
		id := p.String()
		pw, ok := w.Parts[id]
		if !ok {
			continue
		}
		b.WriteString(`<section id="desc-` + id + `" aria-labelledby="desc-` + id + `-h" aria-current="false">`)
		b.WriteString(`<h3 id="desc-` + id + `-h">` + esc(pw.Title) + `</h3>`)
		b.WriteString("<p>" + esc(pw.Definition) + "</p><ul>")
		for _, x := range pw.Points {
			b.WriteString("<li>" + esc(x) + "</li>")
		}
		b.WriteString("</ul><p>" + esc(pw.Quote+" — "+pw.QuoteBy) + "</p>")
		var sources []diagram.Source
		for _, sid := range c.Parts[p] {
			for _, s := range c.Sources {
				if s.ID == sid {
					sources = append(sources, s)
				}
			}
		}
		if len(sources) > 0 {
			b.WriteString("<h4>" + esc(w.UI["sources"]) + "</h4><ul>")
			for _, s := range sources {
				b.WriteString("<li>" + esc(s.Author+" ("+strconv.Itoa(s.Year)+"). "))
				title := "<cite>" + esc(s.Title) + "</cite>"
				if s.URL != "" {
					title = `<a href="` + esc(s.URL) + `" rel="noopener" target="_blank">` + title + "</a>"
				}
				b.WriteString(title)
				if s.Publisher != "" {
					b.WriteString(esc(". " + s.Publisher + "."))
				} else {
					b.WriteString(".")
				}
				b.WriteString("</li>")
			}
			b.WriteString("</ul>")
		}
		b.WriteString(`<button type="button" class="button secondary" data-part="` + id + `" tabindex="-1">` +
			esc(strings.ReplaceAll(w.UI["showInPicture"], "{title}", pw.Title)) + "</button>")
		var people, resources []memberWords
		for _, m := range members {
			if m.Ring != id {
				continue
			}
			var mw memberWords
			var ok bool
			switch {
			case m.Kind == "newcomer":
				mw, ok = w.Roles.Newcomer, w.Roles.Newcomer.Name != ""
			case m.Kind != "person":
				if mw, ok = pick(w.Resources[m.Kind], m.Role); ok {
					resources = append(resources, mw)
				}
				continue
			case id == "cop":
				mw, ok = pick(w.Roles.CoP, m.Role)
			default:
				mw, ok = pick(w.Roles.PLN, m.Role)
			}
			if ok {
				people = append(people, mw)
			}
		}
		heads := map[string][2]string{"cop": {"peopleCoP", ""}, "pln": {"peoplePLN", "resourcesPLN"}}[id]
		for k, list := range [2][]memberWords{people, resources} {
			if len(list) == 0 || heads[k] == "" {
				continue
			}
			b.WriteString(`<div class="people"><h4>` + esc(w.UI[heads[k]]) + "</h4><ul>")
			for _, m := range list {
				b.WriteString("<li><strong>" + esc(m.Name) + `</strong> <span class="role-text">` + esc(m.Text) + "</span></li>")
			}
			b.WriteString("</ul></div>")
		}
		if id == "pln" {
			// Where the page lists the live class.
			b.WriteString(`<div class="people" id="desc-class" hidden></div>`)
		}
		b.WriteString("</section>")
	}
	return b.String(), nil
}
