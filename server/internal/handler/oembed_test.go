package handler_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"

	"github.com/connectedlearning/diagram/server/internal/handler"
	"github.com/connectedlearning/diagram/server/internal/site"
	"github.com/connectedlearning/diagram/server/internal/siteformat"
	"github.com/connectedlearning/diagram/wasm/diagram"
)

// oembedPage is a built page as the build writes it (minified: attributes without
// quotes), with the manifest the build makes from the model: its options, its shape.
func oembedPage(t testing.TB) []byte {
	t.Helper()
	src, err := os.ReadFile("../../../assets/diagram.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := diagram.ParseContent("diagram.json", string(src))
	if err != nil {
		t.Fatal(err)
	}
	man := siteformat.Manifest{Wasm: "assets/main.0123456789.wasm", Thumbnail: "assets/thumbnail.0123456789.svg"}
	site.ModelFacts(&man, c, []string{"en", "es", "fr"})
	page, err := siteformat.FillManifest([]byte(`<!doctype html><html lang=en><head><meta charset=utf-8><title>Connected learning</title>`+
		siteformat.ManifestMark+`</head><body>page</body></html>`), &man)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Replace(page, []byte(`<script type="application/json" id="manifest">`), []byte(`<script type=application/json id=manifest>`), 1)
}

func oembedSite(t testing.TB) *handler.Site {
	t.Helper()
	s, err := handler.Load(fstest.MapFS{
		"index.html":                      {Data: oembedPage(t)},
		"site.json":                       {Data: []byte(`{"title":"Connected learning","thumbnailWidth":1200,"thumbnailHeight":750}`)},
		"assets/thumbnail.0123456789.svg": {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type oembed struct {
	Type, Version, Title, HTML string
	ProviderName               string `json:"provider_name"`
	ProviderURL                string `json:"provider_url"`
	Width, Height              int
	ThumbnailURL               string `json:"thumbnail_url"`
	ThumbnailWidth             int    `json:"thumbnail_width"`
	ThumbnailHeight            int    `json:"thumbnail_height"`
}

func getOEmbed(t *testing.T, h http.Handler, query string) (*http.Response, oembed) {
	t.Helper()
	req := httptest.NewRequest("GET", "http://diagram.example.edu/oembed?"+query, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	var o oembed
	if res.StatusCode == 200 {
		body, _ := io.ReadAll(res.Body)
		if err := json.Unmarshal(body, &o); err != nil {
			t.Fatalf("%s: not JSON: %v\n%s", query, err, body)
		}
	}
	return res, o
}

func TestOEmbedAnswersPerSpec(t *testing.T) {
	h := handler.New(oembedSite(t), handler.Options{})
	page := url.QueryEscape("http://diagram.example.edu/")
	res, o := getOEmbed(t, h, "url="+page+"&format=json")
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	if o.Type != "rich" || o.Version != "1.0" || o.Title == "" || o.ProviderName == "" || o.ProviderURL != "http://diagram.example.edu/" {
		t.Errorf("fields: %+v", o)
	}
	if o.Width != 960 || o.Height != 600 {
		t.Errorf("default size %dx%d", o.Width, o.Height)
	}
	if o.ThumbnailURL != "http://diagram.example.edu/assets/thumbnail.0123456789.svg" || o.ThumbnailWidth != 1200 || o.ThumbnailHeight != 750 {
		t.Errorf("thumbnail: %q %dx%d", o.ThumbnailURL, o.ThumbnailWidth, o.ThumbnailHeight)
	}
	for _, want := range []string{`<iframe src="http://diagram.example.edu/?embed=1"`, `width="960"`, `height="600"`, `allow="fullscreen"`, `loading="lazy"`, `title="Connected learning"`} {
		if !strings.Contains(o.HTML, want) {
			t.Errorf("html lacks %s:\n%s", want, o.HTML)
		}
	}
	// index.html is the same page.
	if res, _ := getOEmbed(t, h, "url="+url.QueryEscape("http://diagram.example.edu/index.html")); res.StatusCode != 200 {
		t.Errorf("index.html: %d", res.StatusCode)
	}
}

func TestOEmbedHonoursMaxSize(t *testing.T) {
	h := handler.New(oembedSite(t), handler.Options{})
	page := "url=" + url.QueryEscape("http://diagram.example.edu/")
	for _, tc := range []struct {
		q    string
		w, h int
	}{
		{"&maxwidth=480", 480, 300},
		{"&maxheight=300", 480, 300},
		{"&maxwidth=2000&maxheight=2000", 960, 600}, // never enlarged
		{"&maxwidth=800&maxheight=200", 320, 200},
		{"&maxwidth=280", 280, 175},
	} {
		res, o := getOEmbed(t, h, page+tc.q)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", tc.q, res.StatusCode)
		}
		if o.Width != tc.w || o.Height != tc.h {
			t.Errorf("%s: %dx%d, want %dx%d", tc.q, o.Width, o.Height, tc.w, tc.h)
		}
		if !strings.Contains(o.HTML, `width="`) || o.ThumbnailWidth > max(tc.w, 1200) {
			t.Errorf("%s: html or thumbnail ignores the limit", tc.q)
		}
		if mw := regexp.MustCompile(`maxwidth=(\d+)`).FindStringSubmatch(tc.q); mw != nil && (o.ThumbnailWidth > o.Width*3) {
			t.Errorf("%s: thumbnail %d wide", tc.q, o.ThumbnailWidth)
		}
	}
}

func TestOEmbedCarriesPageOptions(t *testing.T) {
	h := handler.New(oembedSite(t), handler.Options{})
	page := url.QueryEscape("http://diagram.example.edu/?present=1&step=3&colorProfile=projector&lang=fr&speed=2&evil=%3Cscript%3E&step=9&motion=sideways&paused=yes")
	_, o := getOEmbed(t, h, "url="+page)
	src := regexp.MustCompile(`src="([^"]*)"`).FindStringSubmatch(o.HTML)
	if src == nil {
		t.Fatalf("no src in %s", o.HTML)
	}
	u, _ := url.Parse(strings.ReplaceAll(src[1], "&amp;", "&"))
	q := u.Query()
	for k, v := range map[string]string{"embed": "1", "present": "1", "step": "3", "colorProfile": "projector", "lang": "fr", "speed": "2", "paused": "yes"} {
		if q.Get(k) != v {
			t.Errorf("%s=%q, want %q (src %s)", k, q.Get(k), v, src[1])
		}
	}
	if q.Has("evil") || q.Has("motion") || strings.Contains(o.HTML, "<script") {
		t.Errorf("an unknown option or value reached the frame: %s", o.HTML)
	}
	// Values outside the manifest's lists are left out: a step beyond the last, a
	// language the site does not have.
	for _, bad := range []string{"step=7", "step=0", "lang=de", "speed=3", "colorProfile=neon"} {
		_, o := getOEmbed(t, h, "url="+url.QueryEscape("http://diagram.example.edu/?"+bad))
		if k := bad[:strings.Index(bad, "=")]; strings.Contains(o.HTML, k+"=") {
			t.Errorf("?%s reached the frame: %s", bad, o.HTML)
		}
	}
}

func TestOEmbedErrors(t *testing.T) {
	s := oembedSite(t)
	if err := s.SetBaseURL("https://example.edu/diagram/"); err != nil {
		t.Fatal(err)
	}
	h := handler.New(s, handler.Options{})
	mine := url.QueryEscape("https://example.edu/diagram/")
	for _, tc := range []struct {
		name, q string
		code    int
	}{
		{"ok with the configured base", "url=" + mine, 200},
		{"xml", "url=" + mine + "&format=xml", 501},
		{"unknown format", "url=" + mine + "&format=yaml", 501},
		{"no url", "format=json", 400},
		{"empty url", "url=", 400},
		{"relative url", "url=" + url.QueryEscape("/diagram/"), 400},
		{"not http", "url=" + url.QueryEscape("ftp://example.edu/diagram/"), 400},
		{"garbage url", "url=%zz", 400},
		{"bad maxwidth", "url=" + mine + "&maxwidth=wide", 400},
		{"negative maxheight", "url=" + mine + "&maxheight=-5", 400},
		{"zero maxwidth", "url=" + mine + "&maxwidth=0", 400},
		{"another site", "url=" + url.QueryEscape("https://evil.example/diagram/"), 404},
		{"another page of the site", "url=" + url.QueryEscape("https://example.edu/diagram/assets/app.css"), 404},
		{"http instead of https", "url=" + url.QueryEscape("http://example.edu/diagram/"), 404},
		{"the host root", "url=" + url.QueryEscape("https://example.edu/"), 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, _ := getOEmbed(t, h, tc.q)
			if res.StatusCode != tc.code {
				t.Errorf("%s: %d, want %d", tc.q, res.StatusCode, tc.code)
			}
		})
	}
}

// SetBaseURL writes the discovery link and the base into the page, and its
// compressed forms agree with it.
func TestDiscoveryLinkAndBaseInPage(t *testing.T) {
	s := oembedSite(t)
	if err := s.SetBaseURL("https://example.edu/diagram"); err != nil {
		t.Fatal(err)
	}
	h := handler.New(s, handler.Options{})
	// pages fetches the page in every encoding and checks that they agree.
	pages := func() string {
		t.Helper()
		bodies := map[string][]byte{}
		for _, enc := range []string{"", "br", "gzip"} {
			req := httptest.NewRequest("GET", "/", nil)
			req.Header.Set("Accept-Encoding", enc)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			b := rec.Body.Bytes()
			switch enc {
			case "br":
				b, _ = io.ReadAll(brotli.NewReader(bytes.NewReader(b)))
			case "gzip":
				zr, _ := gzip.NewReader(bytes.NewReader(b))
				b, _ = io.ReadAll(zr)
			}
			if rec.Header().Get("Content-Encoding") != enc {
				t.Errorf("asked for %q, got %q", enc, rec.Header().Get("Content-Encoding"))
			}
			bodies[enc] = b
		}
		if !bytes.Equal(bodies[""], bodies["br"]) || !bytes.Equal(bodies[""], bodies["gzip"]) {
			t.Fatal("the compressed pages differ from the page")
		}
		return string(bodies[""])
	}
	page := pages()
	link := regexp.MustCompile(`<link rel="alternate" type="application/json\+oembed" href="([^"]+)"`).FindStringSubmatch(page)
	if link == nil {
		t.Fatalf("no discovery link:\n%s", page)
	}
	href := strings.ReplaceAll(link[1], "&amp;", "&")
	if !strings.HasPrefix(href, "https://example.edu/diagram/oembed?") || !strings.Contains(href, "url=https%3A%2F%2Fexample.edu%2Fdiagram%2F") {
		t.Errorf("discovery href %q", href)
	}
	if !strings.Contains(page, `"baseURL":"https://example.edu/diagram/"`) {
		t.Errorf("the manifest does not carry the base:\n%s", page)
	}
	// The discovered address answers, naming the same public address.
	u, _ := url.Parse(href)
	res, o := getOEmbed(t, h, u.RawQuery)
	if res.StatusCode != 200 || o.Type != "rich" || o.ProviderURL != "https://example.edu/diagram/" {
		t.Errorf("the discovered endpoint answers %d, provider %q", res.StatusCode, o.ProviderURL)
	}
	// Setting it twice leaves one link, with the second address, in every encoding.
	if err := s.SetBaseURL("https://example.edu/other/"); err != nil {
		t.Fatal(err)
	}
	page = pages()
	if n := strings.Count(page, "json+oembed"); n != 1 || !strings.Contains(page, "https://example.edu/other/oembed?") || strings.Contains(page, "/diagram/") {
		t.Errorf("after a second SetBaseURL, %d discovery links:\n%s", n, page)
	}
	if err := s.SetBaseURL("example.edu"); err == nil {
		t.Error("a relative base was accepted")
	}
}
