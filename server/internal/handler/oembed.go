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

	"github.com/connectedlearning/diagram/server/internal/siteformat"
)

// The oEmbed provider (https://oembed.com, version 1.0): course platforms that see
// a link to the diagram ask /oembed for the iframe to put in its place.

const (
	defaultEmbedW = 960 // the frame's width; its height follows the diagram's shape
	providerName  = "Connected learning diagram"
)

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

// base returns the site's public address: the one the page's discovery link names
// (SetBaseURL), or, when the site has none, the one this request reached (scheme
// from TLS or a proxy's X-Forwarded-Proto).
func (h *Handler) base(r *http.Request) *url.URL {
	if h.site.base != "" {
		if u, err := url.Parse(h.site.base); err == nil {
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

	// The page's options (the manifest's list) carry into the frame; anything
	// unknown or invalid is left out.
	opts := url.Values{}
	aspect := 0.0
	if man := h.site.man; man != nil {
		for k, vs := range page.Query() {
			if o := man.Option(k); o != nil && len(vs) > 0 && o.Accepts(vs[0]) {
				opts.Set(k, vs[0])
			}
		}
		aspect = man.AspectRatio
	}
	opts.Set("embed", "1")
	if !(aspect > 0) && h.site.Info.ThumbnailHeight > 0 {
		aspect = float64(h.site.Info.ThumbnailWidth) / float64(h.site.Info.ThumbnailHeight)
	}
	if !(aspect > 0) {
		aspect = 1 // a hand-made site: nothing says its shape
	}
	width, height := fit(defaultEmbedW, int(math.Round(defaultEmbedW/aspect)), maxW, maxH)
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
	if info := h.site.Info; h.site.man != nil && h.site.man.Thumbnail != "" && info.ThumbnailWidth > 0 && info.ThumbnailHeight > 0 {
		tw, th := fit(info.ThumbnailWidth, info.ThumbnailHeight, maxW, maxH)
		res.ThumbnailURL, res.ThumbnailWidth, res.ThumbnailHeight = base.String()+h.site.man.Thumbnail, tw, th
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

var discoveryRE = regexp.MustCompile(`<link[^>]*application/json\+oembed[^>]*>`)

// SetBaseURL sets the site's public address, once for everything that names it: the
// page's manifest (for the embed code the page builds), the oEmbed discovery link in
// its head, and the oEmbed answers. The page's compressed forms are made again.
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
	if s.man != nil {
		if page, err = siteformat.EditManifest(page, func(m map[string]any) { m["baseURL"] = base }); err != nil {
			return fmt.Errorf("index.html: %w", err)
		}
		s.man.BaseURL = base
	}
	out := discoveryRE.ReplaceAll(page, nil)
	title := s.Info.Title
	link := fmt.Sprintf(`<link rel="alternate" type="application/json+oembed" href="%s" title="%s">`,
		html.EscapeString(base+"oembed?format=json&url="+url.QueryEscape(base)), html.EscapeString(title))
	out = bytes.Replace(out, []byte("</head>"), []byte(link+"</head>"), 1)

	br, gz := siteformat.Best.Levels()
	f.reps[Identity] = newRep(f.name, out, "")
	var brBuf, gzBuf bytes.Buffer
	bw := brotli.NewWriterOptions(&brBuf, brotli.WriterOptions{Quality: br, LGWin: siteformat.BrotliWindow})
	bw.Write(out)
	bw.Close()
	gw, _ := gzip.NewWriterLevel(&gzBuf, gz)
	gw.Write(out)
	gw.Close()
	f.reps[Brotli], f.avail[Brotli] = newRep(f.name, brBuf.Bytes(), Brotli.String()), true
	f.reps[Gzip], f.avail[Gzip] = newRep(f.name, gzBuf.Bytes(), Gzip.String()), true
	f.varies = true
	s.base = base
	return nil
}

// BaseURL is the public address set by SetBaseURL ("" when none is).
func (s *Site) BaseURL() string { return s.base }

// Steps is the number of the presentation's steps, from the page's manifest (the
// model's count); 0 for a page without one.
func (s *Site) Steps() int {
	if s.man == nil {
		return 0
	}
	return s.man.Steps
}
