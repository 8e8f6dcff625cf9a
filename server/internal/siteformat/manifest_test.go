package siteformat

import (
	"bytes"
	"errors"
	"testing"
)

func TestManifestInThePage(t *testing.T) {
	src := []byte(`<!doctype html><head>` + ManifestMark + `</head>`)
	man := &Manifest{Wasm: "assets/main.0123456789.wasm", Steps: 6, BaseURL: "https://x.example/</script><b>",
		Options: []Option{{Name: "present", Flag: true, Values: []string{"1", "yes"}, Off: []string{"0"}}}}
	page, err := FillManifest(src, man)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(page, []byte("</script><b>")) || bytes.Count(page, []byte("</script>")) != 1 {
		t.Errorf("the manifest can close its element:\n%s", page)
	}
	// The minifier drops the attributes' quotes; the server reads it either way.
	for _, p := range [][]byte{page, bytes.Replace(page, []byte(`type="application/json" id="manifest"`), []byte(`type=application/json id=manifest`), 1)} {
		got, err := ReadManifest(p)
		if err != nil {
			t.Fatal(err)
		}
		if got.Wasm != man.Wasm || got.Steps != 6 || got.BaseURL != man.BaseURL {
			t.Errorf("read back %+v", got)
		}
		o := got.Option("present")
		if o == nil || !o.Accepts("yes") || !o.Accepts("0") || o.Accepts("maybe") || got.Option("nothing") != nil {
			t.Errorf("options read back %+v", got.Options)
		}
	}
	// An edit keeps the fields this package does not know.
	odd := bytes.Replace(page, []byte(`{"wasm"`), []byte(`{"extra":[1,2],"wasm"`), 1)
	edited, err := EditManifest(odd, func(m map[string]any) { m["baseURL"] = "https://y.example/" })
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(edited, []byte(`"extra":[1,2]`)) || !bytes.Contains(edited, []byte(`"baseURL":"https://y.example/"`)) {
		t.Errorf("edited:\n%s", edited)
	}
	if _, err := FillManifest([]byte("<head></head>"), man); err == nil {
		t.Error("a page without the marker was filled")
	}
	if _, err := ReadManifest([]byte("<head></head>")); !errors.Is(err, ErrNoManifest) {
		t.Errorf("a page without a manifest: %v", err)
	}
	if _, err := ReadManifest([]byte(`<script id=manifest>{"wasm":</script>`)); err == nil || errors.Is(err, ErrNoManifest) {
		t.Errorf("a broken manifest: %v", err)
	}
}
