package site

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectedlearning/diagram/server/internal/siteformat"
	"github.com/connectedlearning/diagram/wasm/diagram"
)

// The description the build writes for a page without JavaScript has every word of
// the parts, their sources and every member of each ring, as text, never as markup.
func TestDescription(t *testing.T) {
	root := repoRoot(t)
	src, err := os.ReadFile(filepath.Join(root, "assets", "diagram.json"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := diagram.ParseContent("diagram.json", string(src))
	if err != nil {
		t.Fatal(err)
	}
	en, err := os.ReadFile(filepath.Join(root, "assets", "lang", "en.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m siteformat.Manifest
	ModelFacts(&m, c, []string{"en"})
	got, err := Description(en, c, m.Members)
	if err != nil {
		t.Fatal(err)
	}
	var w langWords
	json.Unmarshal(en, &w)
	esc := func(s string) string {
		return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
	}
	for _, p := range w.Parts {
		for _, s := range append([]string{p.Title, p.Definition, p.Quote}, p.Points...) {
			if !strings.Contains(got, esc(s)) {
				t.Errorf("the description lacks %q", s)
			}
		}
	}
	for _, s := range c.Sources {
		if !strings.Contains(got, esc(s.Title)) {
			t.Errorf("the description lacks the source %q", s.Title)
		}
	}
	// One list item per member (people and resources), plus the sources'.
	items := strings.Count(got, "<li><strong>")
	if items != len(m.Members) {
		t.Errorf("%d members listed, the picture has %d", items, len(m.Members))
	}
	if !strings.Contains(got, esc(w.Roles.Newcomer.Name)) {
		t.Error("the newcomer is not listed")
	}
	// Words are text: markup in a language file is escaped.
	var raw map[string]any
	json.Unmarshal(en, &raw)
	raw["summary"] = `<img src=x onerror=alert(1)> & more`
	bad, _ := json.Marshal(raw)
	got, err = Description(bad, c, m.Members)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "<img") || !strings.Contains(got, "&lt;img src=x onerror=alert(1)&gt; &amp; more") {
		t.Errorf("markup in the words was not escaped: %.200s", got)
	}
	if _, err := Description([]byte("{"), c, m.Members); err == nil {
		t.Error("a broken language file gave no error")
	}
}
