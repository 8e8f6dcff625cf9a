package diagram

import (
	"fmt"
	"sort"
	"strings"
)

// Language files (assets/lang/*.json) hold every word of the diagram and its page.
// English is the reference: every other language must have exactly its keys, the
// same number of steps, and the same {placeholders} in each text. The model never
// uses the words themselves; the build checks them with CheckLanguages so that a
// missing or broken translation fails the build and names the key.

// placeholders returns the {name} placeholders in s, sorted. (Scanned by hand:
// a package-level regexp would be linked into the wasm through this package.)
func placeholders(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		if s[i] != '{' {
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
			j++
		}
		if j < len(s) && s[j] == '}' && j > i+1 {
			out = append(out, s[i:j+1])
			i = j
		}
	}
	sort.Strings(out)
	return out
}

// CheckLanguages checks the reference language and every other language against
// it. files maps a file name to its text; ref names the reference file.
func CheckLanguages(ref string, files map[string]string) error {
	var errs Errors
	refRoot, err := parseJSON(ref, files[ref])
	if err != nil {
		return err
	}
	d := &decoder{file: ref}
	checkReference(d, refRoot)
	errs = append(errs, d.errs...)
	names := make([]string, 0, len(files))
	for n := range files {
		if n != ref {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		root, err := parseJSON(n, files[n])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		d := &decoder{file: n}
		compareLanguage(d, "", refRoot, root)
		if l := root.field("lang"); l != nil && l.kind == jsonString {
			want := strings.TrimSuffix(n[strings.LastIndex(n, "/")+1:], ".json")
			if l.str != want {
				d.fail(l, "lang", "is %q but the file is named %s.json", l.str, want)
			}
		}
		errs = append(errs, d.errs...)
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// checkReference checks the shape the page relies on.
func checkReference(d *decoder, root *jsonValue) {
	if root.kind != jsonObject {
		d.fail(root, "", "is %s, expected an object", root.kind)
		return
	}
	for _, k := range []string{"lang", "name", "title", "description", "heading", "summary", "parts", "roles", "resources", "steps", "ui"} {
		d.get(root, "", k, true)
	}
	if parts := root.field("parts"); parts != nil && d.object(parts, "parts", partNames[1:]...) {
		for p := PartConnectivism; p < numParts; p++ {
			path := join("parts", p.String())
			v := d.get(parts, "parts", p.String(), true)
			if v == nil || !d.object(v, path, "title", "short", "definition", "points", "quote", "quoteBy") {
				continue
			}
			for _, k := range []string{"title", "short", "definition", "quote", "quoteBy"} {
				d.str(v, path, k, true)
			}
			if pts := d.get(v, path, "points", true); pts != nil {
				if pts.kind != jsonArray || len(pts.items) < 2 || len(pts.items) > 4 {
					d.fail(pts, join(path, "points"), "must be a list of two to four key points")
				}
			}
		}
	}
	if steps := root.field("steps"); steps != nil && (steps.kind != jsonArray || len(steps.items) != NumSteps) {
		d.fail(steps, "steps", "must be a list of %d steps", NumSteps)
	}
	// Words for the members of the picture: a list of {name, text} for the people of
	// each ring and for each kind of resource, and one for the newcomer to the ring.
	words := func(v *jsonValue, path string) {
		if d.object(v, path, "name", "text") {
			d.str(v, path, "name", true)
			d.str(v, path, "text", true)
		}
	}
	wordList := func(obj *jsonValue, path, key, what string) {
		v := d.get(obj, path, key, true)
		if v == nil {
			return
		}
		if v.kind != jsonArray || len(v.items) == 0 {
			d.fail(v, join(path, key), "must be a non-empty list of %s, each with a name and a text", what)
			return
		}
		for i, it := range v.items {
			words(it, fmt.Sprintf("%s[%d]", join(path, key), i))
		}
	}
	if roles := root.field("roles"); roles != nil && d.object(roles, "roles", "cop", "pln", "newcomer") {
		wordList(roles, "roles", "cop", "roles")
		wordList(roles, "roles", "pln", "roles")
		if v := d.get(roles, "roles", "newcomer", true); v != nil {
			words(v, "roles.newcomer")
		}
	}
	if res := root.field("resources"); res != nil && d.object(res, "resources", kindNames[KindBook:]...) {
		for _, k := range kindNames[KindBook:] {
			wordList(res, "resources", k, "descriptions")
		}
	}
	compareLanguage(d, "", root, root) // every text non-empty, every list item alike
}

// compareLanguage checks that v has the shape of ref, naming each difference.
func compareLanguage(d *decoder, path string, ref, v *jsonValue) {
	if v.kind != ref.kind {
		d.fail(v, path, "is %s, but in the reference language it is %s", v.kind, ref.kind)
		return
	}
	switch ref.kind {
	case jsonObject:
		for i, k := range ref.keys {
			f := v.field(k)
			if f == nil {
				d.fail(v, join(path, k), "is missing")
				continue
			}
			compareLanguage(d, join(path, k), ref.items[i], f)
		}
		for i, k := range v.keys {
			if ref.field(k) == nil {
				d.fail(v.items[i], join(path, k), "is not a key of the reference language")
			}
		}
	case jsonArray:
		lists := map[string]bool{"steps": true}
		if lists[path] && len(v.items) != len(ref.items) {
			d.fail(v, path, "has %d entries, the reference language has %d", len(v.items), len(ref.items))
		}
		if strings.HasSuffix(path, ".points") && (len(v.items) < 2 || len(v.items) > 4) {
			d.fail(v, path, "must have two to four key points, has %d", len(v.items))
		}
		if len(v.items) == 0 {
			d.fail(v, path, "is empty")
		}
		for i, it := range v.items {
			r := ref.items[min(i, len(ref.items)-1)]
			compareLanguage(d, fmt.Sprintf("%s[%d]", path, i), r, it)
		}
	case jsonString:
		if strings.TrimSpace(v.str) == "" {
			d.fail(v, path, "is empty")
			return
		}
		want, got := placeholders(ref.str), placeholders(v.str)
		if strings.Join(want, ",") != strings.Join(got, ",") {
			d.fail(v, path, "has placeholders %v, the reference language has %v", got, want)
		}
	}
}
