package handler_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/connectedlearning/diagram/server/internal/handler"
)

// FuzzQuery sends arbitrary query strings to the page and to the oEmbed endpoint:
// nothing panics, every answer is a proper status, and an oEmbed 200 is valid
// JSON whose iframe points at this site only.
func FuzzQuery(f *testing.F) {
	for _, s := range []string{
		"", "url=http%3A%2F%2Fdiagram.example.edu%2F", "url=http%3A%2F%2Fdiagram.example.edu%2F%3Fstep%3D3%26lang%3Dfr&maxwidth=300",
		"url=%zz", "format=xml&url=x", "url=http%3A%2F%2Fevil%2F", "maxwidth=-1&url=http%3A%2F%2Fdiagram.example.edu%2F",
		"url=http%3A%2F%2Fdiagram.example.edu%2F%3Fstep%3D%253Cscript%253E", "step=3&present=1", ";;;&&&===",
		"url=http%3A%2F%2Fdiagram.example.edu%2Findex.html&maxheight=99999999999999999999", strings.Repeat("a=b&", 500),
		"url=http://diagram.example.edu/?lang=%22%3E%3Cscript%3E", "url=javascript:alert(1)",
	} {
		f.Add(s)
	}
	h := handler.New(oembedSite(f), handler.Options{})
	f.Fuzz(func(t *testing.T, q string) {
		for _, path := range []string{"/", "/oembed"} {
			req := &http.Request{Method: "GET", URL: &url.URL{Path: path, RawQuery: q}, Host: "diagram.example.edu", Header: http.Header{}}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			switch rec.Code {
			case 200, 400, 404, 501:
			default:
				t.Fatalf("%s?%s: status %d", path, q, rec.Code)
			}
			if path == "/oembed" && rec.Code == 200 {
				var o struct{ HTML string }
				if err := json.Unmarshal(rec.Body.Bytes(), &o); err != nil {
					t.Fatalf("%q: not JSON", q)
				}
				if !strings.HasPrefix(o.HTML, `<iframe src="http://diagram.example.edu/?`) || strings.Count(o.HTML, "<") != 2 {
					t.Fatalf("%q: iframe %s", q, o.HTML)
				}
			}
		}
	})
}
