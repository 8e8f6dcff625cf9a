package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strings"

	"github.com/connectedlearning/diagram/server/internal/siteformat"
)

// The markers of index.html that the build fills from the manifest, so that the
// page's HTML holds no copy of the model's facts.
const (
	phMark     = `<!--placeholder-->` // the pictures shown while the wasm loads
	labelsMark = `<!--labels-->`      // a button for each layer label
	speedsMark = `<!--speeds-->`      // the speed menu's choices
	wordsMark  = `<!--words-->`       // the default language's words
)

// inlineWords is the default language's file (minified, and checked to be JSON
// by the build) as a JSON script element of the page (id "words", its language in
// data-lang): the page explores, and names what it shows, without waiting for a
// file of words. <, > and & are escaped, so that nothing in it can close the element.
func inlineWords(lang string, words []byte) []byte {
	var e bytes.Buffer
	json.HTMLEscape(&e, words)
	return []byte(`<script type="application/json" id="words" data-lang="` + html.EscapeString(lang) + `">` + e.String() + `</script>`)
}

var refRE = regexp.MustCompile(`\b(src|href)="(assets/[^"#?]*)"`)

// renderPage fills in the manifest, the placeholders, the labels, the speeds and
// the text description (desc, in English, for a page without JavaScript),
// and points every asset reference at its hashed name. A missing marker or a
// reference to a missing asset is an error. titles are the parts' English names,
// which the page shows until its language file is in; words are the default
// language's file (English), put in the page whole.
func renderPage(page []byte, man *siteformat.Manifest, ph []byte, titles map[string]string, desc string, words []byte, assets map[string]*asset) ([]byte, error) {
	for _, mark := range []string{phMark, labelsMark, speedsMark, descriptionMark, wordsMark} {
		if !bytes.Contains(page, []byte(mark)) {
			return nil, fmt.Errorf("has no %s to fill in", mark)
		}
	}
	page, err := siteformat.FillManifest(page, man)
	if err != nil {
		return nil, err
	}
	var labels strings.Builder
	for _, l := range man.Labels {
		fmt.Fprintf(&labels, `<button type="button" class="label" data-part="%s" data-t="parts.%[1]s.title">%s</button>`,
			html.EscapeString(l.Part), html.EscapeString(titles[l.Part]))
	}
	var speeds strings.Builder
	if o := man.Option("speed"); o != nil {
		for _, v := range o.Values {
			sel := ""
			if v == o.Default {
				sel = " selected"
			}
			fmt.Fprintf(&speeds, `<option value="%s"%s>%[1]s×</option>`, html.EscapeString(v), sel)
		}
	}
	page = bytes.Replace(page, []byte(phMark), ph, 1)
	page = bytes.Replace(page, []byte(labelsMark), []byte(labels.String()), 1)
	page = bytes.Replace(page, []byte(speedsMark), []byte(speeds.String()), 1)
	page = bytes.Replace(page, []byte(descriptionMark), []byte(desc), 1)
	page = bytes.Replace(page, []byte(wordsMark), inlineWords("en", words), 1)
	var missing []string
	page = refRE.ReplaceAllFunc(page, func(m []byte) []byte {
		sub := refRE.FindSubmatch(m)
		a, ok := assets[string(sub[2])]
		if !ok {
			missing = append(missing, string(sub[2]))
			return m
		}
		return []byte(string(sub[1]) + `="` + a.out + `"`)
	})
	if len(missing) > 0 {
		return nil, fmt.Errorf("references %s, which does not exist", strings.Join(missing, ", "))
	}
	return page, nil
}
