package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectedlearning/diagram/server/internal/site"
	"github.com/connectedlearning/diagram/server/internal/siteformat"
)

// TestPageModules runs the unit tests of the page's modules (assets/page/test/) in
// Chromium: the tests are bundled like the page, served with the built site's
// manifest, the real language files and reference QR codes (qr_test.go) as
// fixtures, and their results read back.
func TestPageModules(t *testing.T) {
	needBrowser(t)
	script, _, err := site.Bundle(root, "assets/page/test/main.js", false)
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(siteDir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	man, err := siteformat.ReadManifest(page)
	if err != nil {
		t.Fatal(err)
	}
	fx := map[string]any{"manifest": man}
	words := map[string]json.RawMessage{}
	for code := range man.Lang {
		b, err := os.ReadFile(filepath.Join(root, "assets", "lang", code+".json"))
		if err != nil {
			t.Fatal(err)
		}
		words[code] = b
	}
	fx["words"] = words
	fx["qr"] = qrFixtures(t)
	live, err := liveFixtures(filepath.Join(root, "server", "internal", "live", "proto", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	fx["live"] = live
	fxJSON, err := json.Marshal(fx)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Page modules</title></head><body>`+
				`<script type="application/json" id="fixtures">%s</script>`+
				`<script>window.__fixtures = JSON.parse(document.getElementById('fixtures').textContent);</script>`+
				`<script src="/tests.js"></script></body></html>`, fxJSON)
		case "/tests.js":
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			w.Write(script)
		case "/favicon.ico":
			w.WriteHeader(http.StatusNoContent)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)

	tb := open(t, srv.URL+"/", 800, 600)
	tb.wait(`Array.isArray(window.__results)`)
	var results []struct {
		Name  string `json:"name"`
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	if err := json.Unmarshal([]byte(eval[string](tb, `JSON.stringify(window.__results)`)), &results); err != nil {
		t.Fatal(err)
	}
	// A runner that stopped early, or found no tests, must not pass.
	if len(results) < 30 {
		t.Errorf("only %d tests of the page's modules ran", len(results))
	}
	for _, r := range results {
		t.Run(r.Name, func(t *testing.T) {
			if !r.OK {
				t.Error(r.Error)
			}
		})
	}
	tb.noConsoleErrors()
}

// liveFixtures reads the live protocol's fixtures, as the Go side writes them
// (server/internal/live/proto/testdata): each message exactly as on the wire, by
// direction and name, and the tables (reasons, codes, limits).
func liveFixtures(dir string) (map[string]any, error) {
	out := map[string]any{}
	for _, side := range []string{"client", "server"} {
		msgs := map[string]string{}
		files, err := filepath.Glob(filepath.Join(dir, side, "*.json"))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			msgs[strings.TrimSuffix(filepath.Base(f), ".json")] = strings.TrimSpace(string(b))
		}
		if len(msgs) == 0 {
			return nil, fmt.Errorf("no %s fixtures in %s", side, dir)
		}
		out[side] = msgs
	}
	for _, table := range []string{"reasons", "codes", "limits"} {
		b, err := os.ReadFile(filepath.Join(dir, table+".json"))
		if err != nil {
			return nil, err
		}
		out[table] = json.RawMessage(b)
	}
	return out, nil
}
