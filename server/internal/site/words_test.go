package site

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// Every word the page asks for is in the reference language, and every word of the
// interface there is asked for by the page: a missing key would show nothing, an
// unused one is a word no one reads that translators still keep up.
func TestEveryWordIsUsedAndExists(t *testing.T) {
	root := repoRoot(t)
	var en map[string]any
	if err := json.Unmarshal(readFile(t, root, "assets/lang/en.json"), &en); err != nil {
		t.Fatal(err)
	}
	lookup := func(key string) (any, bool) {
		var v any = en
		for _, k := range strings.Split(key, ".") {
			m, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			if v, ok = m[k]; !ok {
				return nil, false
			}
		}
		return v, true
	}
	var code strings.Builder
	mods, _ := filepath.Glob(filepath.Join(root, "assets", "page", "*.js"))
	for _, m := range mods {
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		code.Write(b)
	}
	page := string(readFile(t, root, "index.html"))
	used := map[string]string{} // key -> where
	for _, m := range regexp.MustCompile(`\bt\([^,()]+, '([A-Za-z][\w.]*)'\s*[,)]`).FindAllStringSubmatch(code.String(), -1) {
		used[m[1]] = "assets/page"
	}
	for _, m := range regexp.MustCompile(`data-t(?:-label)?="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		used[m[1]] = "index.html"
	}
	if len(used) < 40 {
		t.Fatalf("only %d keys found in the page's code: the pattern is stale", len(used))
	}
	for k, where := range used {
		if v, ok := lookup(k); !ok {
			t.Errorf("%s asks for %s, which en.json does not have", where, k)
		} else if _, ok := v.(string); !ok {
			t.Errorf("%s asks for %s, which is not a text in en.json", where, k)
		}
	}
	// Keys built from a value (ui.profileDark for the profile "dark") are used when
	// their prefix is.
	dynamic := regexp.MustCompile(`'((?:ui|parts)\.[A-Za-z]*)' \+`).FindAllStringSubmatch(code.String(), -1)
	var unused []string
	for k := range en["ui"].(map[string]any) {
		key := "ui." + k
		if _, ok := used[key]; ok || strings.Contains(code.String(), "'"+key+"'") {
			continue
		}
		found := false
		for _, d := range dynamic {
			found = found || strings.HasPrefix(key, d[1]) && len(d[1]) > len("ui.")
		}
		if !found {
			unused = append(unused, key)
		}
	}
	sort.Strings(unused)
	if len(unused) > 0 {
		t.Errorf("en.json has words the page never shows: %v", unused)
	}
}
