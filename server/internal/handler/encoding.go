package handler

import (
	"strconv"
	"strings"
)

// Encoding is a content coding the site has files in.
type Encoding uint8

const (
	Identity Encoding = iota
	Brotli
	Gzip
	numEncodings
)

var encodingNames = [numEncodings]string{"", "br", "gzip"}

// String returns the Content-Encoding token ("" for identity).
func (e Encoding) String() string { return encodingNames[e] }

// Acceptable lists the q-value (0..1) the client gave each encoding. Identity is
// acceptable unless excluded (RFC 9110 §12.5.3).
type Acceptable [numEncodings]float64

// ParseAcceptEncoding reads an Accept-Encoding header. Unknown codings are ignored,
// malformed q-values count as 0, "*" covers every coding not named, and "x-gzip"
// is gzip. An empty or missing header accepts identity only.
func ParseAcceptEncoding(h string) Acceptable {
	var a Acceptable
	var named [numEncodings]bool
	star := -1.0
	for len(h) > 0 {
		var item string
		item, h, _ = strings.Cut(h, ",")
		name, params, _ := strings.Cut(item, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		q := 1.0
		for params != "" {
			var p string
			p, params, _ = strings.Cut(params, ";")
			k, v, ok := strings.Cut(p, "=")
			if !ok || strings.ToLower(strings.TrimSpace(k)) != "q" {
				continue
			}
			q = parseQ(strings.TrimSpace(v))
		}
		var e Encoding
		switch name {
		case "br":
			e = Brotli
		case "gzip", "x-gzip":
			e = Gzip
		case "identity":
			e = Identity
		case "*":
			star = q
			continue
		default:
			continue
		}
		// When a coding is listed twice, the higher preference wins.
		if !named[e] || q > a[e] {
			a[e] = q
		}
		named[e] = true
	}
	for e := Encoding(0); e < numEncodings; e++ {
		if named[e] {
			continue
		}
		switch {
		case star >= 0:
			a[e] = star
		case e == Identity:
			a[e] = 1 // identity is always acceptable unless excluded
		}
	}
	if !named[Identity] && star == 0 {
		a[Identity] = 0
	}
	return a
}

// parseQ reads a qvalue: 0 to 1 with at most three decimals. Anything malformed is 0.
// The grammar (RFC 9110 §12.4.2) is checked first: ParseFloat alone also takes
// forms like "1e0", "0x1p0", "+1" and ".5".
func parseQ(s string) float64 {
	if len(s) == 0 || len(s) > 5 || (s[0] != '0' && s[0] != '1') {
		return 0
	}
	if len(s) > 1 {
		if s[1] != '.' {
			return 0
		}
		for i := 2; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0
			}
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f > 1 {
		return 0
	}
	return f
}

// Choose picks the representation to send: the acceptable coding the client
// prefers most among those available, ties broken br > gzip > identity (smallest
// first). ok is false when nothing available is acceptable.
func (a Acceptable) Choose(available [numEncodings]bool) (Encoding, bool) {
	best, bestQ := Identity, 0.0
	found := false
	for _, e := range [...]Encoding{Brotli, Gzip, Identity} {
		if !available[e] || a[e] <= 0 {
			continue
		}
		if !found || a[e] > bestQ {
			best, bestQ, found = e, a[e], true
		}
	}
	return best, found
}
