package handler

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
)

// The oEmbed provider (https://oembed.com, version 1.0): course platforms that see
// a link to the diagram ask /oembed for the iframe to put in its place.

const (
	defaultEmbedW = 960
	defaultEmbedH = 600 // 16:10, the shape of the embed code's wrapper
	providerName  = "Connected learning diagram"
)

// pageOptions are the query parameters a page address may carry into an embed,
// with the values each accepts.
var pageOptions = map[string]func(string) bool{
	"present":      func(v string) bool { return v == "1" || v == "0" },
	"step":         func(v string) bool { return len(v) == 1 && v[0] >= '1' && v[0] <= '6' },
	"colorProfile": func(v string) bool { return v == "dark" || v == "projector" },
	"lang": func(v string) bool {
		return len(v) >= 2 && len(v) <= 8 && strings.Trim(v, "abcdefghijklmnopqrstuvwxyz-") == ""
	},
	"motion": func(v string) bool { return v == "reduce" || v == "full" },
	"paused": func(v string) bool { return v == "1" || v == "0" },
	"speed":  func(v string) bool { return v == "0.5" || v == "1" || v == "2" },
	"embed":  func(v string) bool { return v == "1" },
}

type oembedResponse struct {
	Type            string `json:"type"`
	Version         string `json:"version"`
	Title           string `json:"title"`
	ProviderName    string `json:"provider_name"`
	ProviderURL     string `json:"provider_url"`
	HTML            string `json:"html"`
	Width           int    `json:"width"`
	Height          int    `json:"height"`
	ThumbnailURL    string `json:"thumbnail_url,omitempty"`
	ThumbnailWidth  int    `json:"thumbnail_width,omitempty"`
	ThumbnailHeight int    `json:"thumbnail_height,omitempty"`
	CacheAge        int    `json:"cache_age"`
}

func oembedError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Cache-Control", "no-cache")
	http.Error(w, msg, code)
}

// base returns the site's public address: the configured one, or the one this
// request reached (scheme from TLS or a proxy's X-Forwarded-Proto).
func (h *Handler) base(r *http.Request) *url.URL {
	if h.opt.BaseURL != "" {
		if u, err := url.Parse(h.opt.BaseURL); err == nil {
			return u
		}
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return &url.URL{Scheme: scheme, Host: r.Host, Path: "/"}
}

func (h *Handler) serveOEmbed(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		oembedError(w, http.StatusBadRequest, "malformed query string")
		return
	}
	switch f := q.Get("format"); f {
	case "", "json":
	default:
		// The spec's answer to a format the provider does not speak (xml included).
		oembedError(w, http.StatusNotImplemented, "only format=json is provided")
		return
	}
	raw := q.Get("url")
	if raw == "" {
		oembedError(w, http.StatusBadRequest, "the url parameter is required")
		return
	}
	maxW, err1 := dimension(q, "maxwidth")
	maxH, err2 := dimension(q, "maxheight")
	if err := errors.Join(err1, err2); err != nil {
		oembedError(w, http.StatusBadRequest, err.Error())
		return
	}
	page, err := url.Parse(raw)
	if err != nil || page.Host == "" || (page.Scheme != "http" && page.Scheme != "https") {
		oembedError(w, http.StatusBadRequest, "url must be an absolute http(s) address")
		return
	}
	base := h.base(r)
	p := page.Path
	if p == "" {
		p = "/"
	}
	if !strings.EqualFold(page.Host, base.Host) || page.Scheme != base.Scheme || (p != base.Path && p != base.Path+"index.html") {
		oembedError(w, http.StatusNotFound, "url is not an address of this diagram")
		return
	}

	// The page's options carry into the frame; anything unknown or invalid is left out.
	opts := url.Values{}
	for k, vs := range page.Query() {
		if ok := pageOptions[k]; ok != nil && len(vs) > 0 && ok(vs[0]) {
			opts.Set(k, vs[0])
		}
	}
	opts.Set("embed", "1")
	width, height := fit(defaultEmbedW, defaultEmbedH, maxW, maxH)
	src := base.String() + "?" + opts.Encode()
	title := h.site.Info.Title
	if title == "" {
		title = providerName
	}
	res := oembedResponse{
		Type: "rich", Version: "1.0", Title: title,
		ProviderName: providerName, ProviderURL: base.String(),
		Width: width, Height: height, CacheAge: 86400,
		HTML: fmt.Sprintf(`<iframe src="%s" width="%d" height="%d" title="%s" style="border:0;max-width:100%%" allow="fullscreen" allowfullscreen loading="lazy"></iframe>`,
			html.EscapeString(src), width, height, html.EscapeString(title)),
	}
	if info := h.site.Info; info.Thumbnail != "" {
		tw, th := fit(info.ThumbnailWidth, info.ThumbnailHeight, maxW, maxH)
		res.ThumbnailURL, res.ThumbnailWidth, res.ThumbnailHeight = base.String()+info.Thumbnail, tw, th
	}
	body, _ := json.Marshal(res)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// dimension reads an optional positive pixel size.
func dimension(q url.Values, name string) (int, error) {
	v := q.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 || n > 100000 {
		return 0, fmt.Errorf("%s must be a positive whole number of pixels", name)
	}
	return n, nil
}

// fit scales w×h down (never up) to fit within maxW×maxH (0 for no limit),
// keeping its shape.
func fit(w, h, maxW, maxH int) (int, int) {
	s := 1.0
	if maxW > 0 && maxW < w {
		s = math.Min(s, float64(maxW)/float64(w))
	}
	if maxH > 0 && maxH < h {
		s = math.Min(s, float64(maxH)/float64(h))
	}
	fw, fh := int(math.Floor(float64(w)*s)), int(math.Floor(float64(h)*s))
	return max(fw, 1), max(fh, 1)
}

var (
	manifestRE  = regexp.MustCompile(`(<script[^>]*\bid="?manifest"?[^>]*>)(.*?)(</script>)`)
	discoveryRE = regexp.MustCompile(`<link[^>]*application/json\+oembed[^>]*>`)
)

// SetBaseURL writes the site's public address into the page: into the manifest
// (for the embed code the page builds) and as the oEmbed discovery link in its
// head. The page's compressed forms are made again.
func (s *Site) SetBaseURL(base string) error {
	f, ok := s.files["index.html"]
	if !ok {
		return errors.New("no index.html")
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("base URL %q must be an absolute http(s) address", base)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	base = u.String()
	page := f.reps[Identity].contents()
	// A page without the build's manifest (a hand-made site) still gets the link.
	if m := manifestRE.FindSubmatchIndex(page); m != nil {
		var man map[string]any
		if err := json.Unmarshal(page[m[4]:m[5]], &man); err != nil {
			return fmt.Errorf("index.html manifest: %w", err)
		}
		man["baseURL"] = base
		manJSON, _ := json.Marshal(man)
		var b bytes.Buffer
		b.Write(page[:m[4]])
		b.Write(manJSON)
		b.Write(page[m[5]:])
		page = b.Bytes()
	}
	out := discoveryRE.ReplaceAll(page, nil)
	title := s.Info.Title
	link := fmt.Sprintf(`<link rel="alternate" type="application/json+oembed" href="%s" title="%s">`,
		html.EscapeString(base+"oembed?format=json&url="+url.QueryEscape(base)), html.EscapeString(title))
	out = bytes.Replace(out, []byte("</head>"), []byte(link+"</head>"), 1)

	f.reps[Identity] = newRep(f.name, out, "")
	var br, gz bytes.Buffer
	bw := brotli.NewWriterOptions(&br, brotli.WriterOptions{Quality: 11, LGWin: 22})
	bw.Write(out)
	bw.Close()
	gw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	gw.Write(out)
	gw.Close()
	f.reps[Brotli], f.avail[Brotli] = newRep(f.name, br.Bytes(), Brotli.String()), true
	f.reps[Gzip], f.avail[Gzip] = newRep(f.name, gz.Bytes(), Gzip.String()), true
	f.varies = true
	return nil
}
