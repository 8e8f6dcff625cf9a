package handler

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

// Acceptable is what an Accept-Encoding header accepts.
type Acceptable struct {
	// Q is the weight (q-value, 0 to 1) the header gives each coding, by name or
	// through "*"; 0 excludes it, and so does a coding the header does not name.
	Q [numEncodings]float64
	// IdentityByDefault is set when the header names neither identity nor "*":
	// identity is then acceptable without a weight of its own (RFC 9110 §12.5.3),
	// ranked below every coding the client named with a non-zero weight. So
	// "br;q=0.5" gets br, and "gzip" or "br;q=0, gzip;q=0.2" gets gzip, as nginx
	// and Caddy answer them, rather than identity at an implicit q=1.
	IdentityByDefault bool
}

// ParseAcceptEncoding reads the Accept-Encoding field lines of a request (several
// lines are one comma-separated list, RFC 9110 §5.3), following RFC 9110 §12.5.3:
//
//   - codings and the "q" parameter are case-insensitive, and optional whitespace
//     (spaces and tabs) may surround every ",", ";" and "=" ("br ; q = 0.5");
//   - a weight is a qvalue (§12.4.2: 0 to 1, at most three decimals); a malformed
//     one ("abc", "2", "1e0", ".5", "-0") counts as 0, excluding the coding, as
//     nginx does; a parameter other than q is skipped, quoted values included;
//   - "x-gzip" is gzip; unknown codings are ignored;
//   - "*" weighs every coding the header does not name, identity included;
//   - a coding (or "*") listed twice keeps its higher weight;
//   - no header, or an empty one, accepts identity only.
func ParseAcceptEncoding(lines ...string) Acceptable {
	var a Acceptable
	var named [numEncodings]bool
	star, starNamed := 0.0, false
	for _, h := range lines {
		for len(h) > 0 {
			var item string
			item, h = cutUnquoted(h, ',')
			name, params := cutUnquoted(item, ';')
			name = trimOWS(name)
			q := 1.0
			for params != "" {
				var p string
				p, params = cutUnquoted(params, ';')
				k, v := cutUnquoted(p, '=')
				if len(k) == len(p) || !foldEq(trimOWS(k), "q") {
					continue // not a weight
				}
				q = parseQ(trimOWS(v))
			}
			var e Encoding
			switch {
			case foldEq(name, "br"):
				e = Brotli
			case foldEq(name, "gzip"), foldEq(name, "x-gzip"):
				e = Gzip
			case foldEq(name, "identity"):
				e = Identity
			case name == "*":
				if !starNamed || q > star {
					star = q
				}
				starNamed = true
				continue
			default:
				continue
			}
			if !named[e] || q > a.Q[e] {
				a.Q[e] = q
			}
			named[e] = true
		}
	}
	for e := Encoding(0); e < numEncodings; e++ {
		if !named[e] && starNamed {
			a.Q[e] = star
		}
	}
	a.IdentityByDefault = !named[Identity] && !starNamed
	return a
}

// cutUnquoted cuts s around the first sep that is not inside a quoted string
// (RFC 9110 §5.6.4), so a parameter such as `foo="a,b"` stays whole. Without sep,
// it returns s and "".
func cutUnquoted(s string, sep byte) (before, after string) {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++ // a quoted-pair: the next byte is literal
		case c == '"':
			quoted = !quoted
		case !quoted && c == sep:
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// trimOWS removes optional whitespace (RFC 9110 §5.6.3: spaces and tabs) at both ends.
func trimOWS(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// foldEq reports whether s is the lower-case ASCII token t, ignoring ASCII case
// only (strings.EqualFold would also match, say, the Kelvin sign to "k").
func foldEq(s, t string) bool {
	if len(s) != len(t) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != t[i] {
			return false
		}
	}
	return true
}

// parseQ reads a qvalue (RFC 9110 §12.4.2): "0" or "1", optionally followed by a
// point and at most three digits, no more than 1. Anything else is 0. It is read
// digit by digit, in thousandths: strconv.ParseFloat would also take forms like
// "1e0", "0x1p0", "+1", ".5" and "0_5".
func parseQ(s string) float64 {
	if len(s) == 0 || len(s) > 5 || (s[0] != '0' && s[0] != '1') {
		return 0
	}
	n := int(s[0]-'0') * 1000
	if len(s) > 1 {
		if s[1] != '.' {
			return 0
		}
		for i, scale := 2, 100; i < len(s); i, scale = i+1, scale/10 {
			if s[i] < '0' || s[i] > '9' {
				return 0
			}
			n += int(s[i]-'0') * scale
		}
	}
	if n > 1000 {
		return 0
	}
	return float64(n) / 1000
}

// Choose picks the representation to send: among those available, the coding the
// client gave the highest weight, ties broken br > gzip > identity (smallest
// first); identity by default only when no coding with a weight is available.
// ok is false when nothing available is acceptable.
func (a Acceptable) Choose(available [numEncodings]bool) (Encoding, bool) {
	best, found := Identity, false
	for _, e := range [...]Encoding{Brotli, Gzip, Identity} {
		if available[e] && a.Q[e] > 0 && (!found || a.Q[e] > a.Q[best]) {
			best, found = e, true
		}
	}
	if !found && available[Identity] && a.IdentityByDefault {
		return Identity, true
	}
	return best, found
}
