package diagram

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func shippedLanguages(t *testing.T) map[string]string {
	t.Helper()
	files, _ := filepath.Glob("../../assets/lang/*.json")
	out := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out["assets/lang/"+filepath.Base(f)] = string(b)
	}
	return out
}

// Every shipped language has every key of the reference language (English).
func TestShippedLanguagesAreComplete(t *testing.T) {
	langs := shippedLanguages(t)
	for _, want := range []string{"en", "es", "fr"} {
		if _, ok := langs["assets/lang/"+want+".json"]; !ok {
			t.Errorf("language %s is missing", want)
		}
	}
	if err := CheckLanguages("assets/lang/en.json", langs); err != nil {
		t.Fatal(err)
	}
}

func TestLanguageErrorsNameTheKey(t *testing.T) {
	en := shippedLanguages(t)["assets/lang/en.json"]
	tests := []struct {
		name, old, new, want string
	}{
		{"missing key", `"keyPoints": "Key points",`, ``, `ui.keyPoints (line`},
		{"extra key", `"keyPoints": "Key points",`, `"keyPoints": "Key points", "keyPointz": "x",`, `ui.keyPointz`},
		{"empty text", `"keyPoints": "Key points"`, `"keyPoints": " "`, `ui.keyPoints`},
		{"lost placeholder", `"loadingPercent": "Loading the diagram: {percent}%"`, `"loadingPercent": "Loading the diagram"`, `ui.loadingPercent`},
		{"wrong type", `"keyPoints": "Key points"`, `"keyPoints": ["Key points"]`, `ui.keyPoints`},
		{"five key points", `"Its members coordinate what they do, what they discuss and the goals they share.",`, `"a", "b", "c", "Its members coordinate what they do, what they discuss and the goals they share.",`, `parts.cop.points`},
		{"a step title missing", `"title": "The whole picture",`, `"titl": "The whole picture",`, `steps[5].title`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(en, tc.old) {
				t.Fatalf("test setup: %q not in en.json", tc.old)
			}
			xx := strings.Replace(strings.Replace(en, tc.old, tc.new, 1), `"lang": "en"`, `"lang": "xx"`, 1)
			err := CheckLanguages("assets/lang/en.json", map[string]string{"assets/lang/en.json": en, "assets/lang/xx.json": xx})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "assets/lang/xx.json") {
				t.Errorf("got %v, want the file and %q", err, tc.want)
			}
		})
	}
	// The language code must match the file name.
	err := CheckLanguages("assets/lang/en.json", map[string]string{"assets/lang/en.json": en, "assets/lang/de.json": en})
	if err == nil || !strings.Contains(err.Error(), "named de.json") {
		t.Errorf("a mislabelled language passed: %v", err)
	}
}

// The reference language must hold the words for every member of the picture: the
// roles of each ring, the newcomer to the ring, and each kind of resource.
func TestReferenceLanguageWords(t *testing.T) {
	en := shippedLanguages(t)["assets/lang/en.json"]
	tests := []struct {
		name, old, new, want string
	}{
		{"a resource kind missing", `"podcast": [`, `"podcasts": [`, `resources.podcast (line`},
		{"an unknown resource kind", `"podcast": [`, `"radio": [`, `resources.radio (line`},
		{"a resource without its text", `"text": "A resource that brings you new ideas on your way to work."`, `"txt": "A resource that brings you new ideas on your way to work."`, `resources.podcast[0].text`},
		{"no resources", `"resources": {`, `"resourcez": {`, `resources (line`},
		{"no newcomer", `"newcomer": {`, `"newcomers": {`, `roles.newcomer`},
		{"an empty list of roles", `"pln": [
      {`, `"pln": [], "x": [
      {`, `roles.pln`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(en, tc.old) {
				t.Fatalf("test setup: %q not in en.json", tc.old)
			}
			bad := strings.Replace(en, tc.old, tc.new, 1)
			err := CheckLanguages("assets/lang/en.json", map[string]string{"assets/lang/en.json": bad})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}
