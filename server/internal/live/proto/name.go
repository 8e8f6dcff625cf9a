package proto

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxName is the longest display name, in characters (code points) once
// normalised. A page's maxlength of 24 (UTF-16 units) never exceeds it.
const MaxName = 24

// maxNameInput bounds the raw name read, before normalisation.
const maxNameInput = 512

// maxMarks is how many combining marks may follow one character: enough for any
// script (Vietnamese stacks two), not for "Zalgo" text that paints over the
// neighbouring lines.
const maxMarks = 3

// NormalizeName makes a display name safe to show on every screen: Unicode NFC;
// every kind of space as one ASCII space, collapsed and trimmed; control, format
// and invisible characters removed (bidirectional overrides, embeddings and
// isolates U+202A-202E and U+2066-2069, marks U+200E, U+200F and U+061C,
// zero-width spaces, soft hyphens, fillers, tags, private-use and unassigned
// code points, U+FFFD); a zero-width joiner or non-joiner kept only between two
// visible characters (emoji sequences, Indic and Persian words need them); at
// most maxMarks combining marks on a character. ok is false when the result is
// longer than MaxName; an empty result means "no name" (the member keeps or gets
// a generated one).
func NormalizeName(s string) (name string, ok bool) {
	if len(s) > maxNameInput {
		return "", false
	}
	s = norm.NFC.String(strings.ToValidUTF8(s, ""))
	rs := make([]rune, 0, len(s))
	marks := 0
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || unicode.Is(unicode.Zs, r):
			r = ' '
		case r == '\u200C' || r == '\u200D':
			// Kept for now; judged with its neighbours below.
		case invisible(r) || !unicode.IsPrint(r):
			continue
		}
		if unicode.In(r, unicode.Mn, unicode.Me) {
			if len(rs) == 0 || marks >= maxMarks || !base(rs[len(rs)-1]) {
				continue
			}
			marks++
		} else {
			marks = 0
		}
		if r == ' ' && (len(rs) == 0 || rs[len(rs)-1] == ' ') {
			continue
		}
		rs = append(rs, r)
	}
	// Joiners only between two visible characters, never doubled.
	out := rs[:0]
	for i, r := range rs {
		if r == ' ' && len(out) > 0 && out[len(out)-1] == ' ' {
			continue // a joiner between two spaces went
		}
		if unicode.In(r, unicode.Mn, unicode.Me) && (len(out) == 0 || !base(out[len(out)-1])) {
			continue
		}
		if r == '\u200C' || r == '\u200D' {
			prevOK := len(out) > 0 && out[len(out)-1] != ' ' && out[len(out)-1] != '\u200C' && out[len(out)-1] != '\u200D'
			nextOK := i+1 < len(rs) && rs[i+1] != ' ' && rs[i+1] != '\u200C' && rs[i+1] != '\u200D' && !unicode.In(rs[i+1], unicode.Mn, unicode.Me)
			if !prevOK || !nextOK {
				continue
			}
		}
		out = append(out, r)
	}
	name = strings.TrimSpace(norm.NFC.String(string(out)))
	if utf8.RuneCountInString(name) > MaxName {
		return "", false
	}
	return name, true
}

// base reports whether a combining mark may follow r: r is a mark (up to
// maxMarks of them) or a visible character other than a space or a joiner.
func base(r rune) bool {
	return r != ' ' && r != '\u200C' && r != '\u200D'
}

// invisible reports characters that draw nothing or change the direction of the
// text around them, which unicode.IsPrint keeps (they are letters or symbols to
// it) or which are worth naming.
func invisible(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, // embeddings and overrides
		r >= 0x2066 && r <= 0x2069,            // isolates
		r == 0x200E, r == 0x200F, r == 0x061C, // directional marks
		r == 0x200B, r >= 0x2060 && r <= 0x2064, // zero-width space, word joiner, invisible operators
		r == 0xFEFF, r == 0x00AD, r == 0x034F, // BOM, soft hyphen, combining grapheme joiner
		r == 0x180E, r == 0x17B4, r == 0x17B5, // Mongolian vowel separator, Khmer inherent vowels
		r == 0x115F, r == 0x1160, r == 0x3164, r == 0xFFA0, // Hangul fillers
		r == 0x2800,                  // braille blank
		r >= 0xE0000 && r <= 0xE007F, // tags
		r == 0xFFFD, r == 0xFFFC,     // replacement and object replacement
		r >= 0xFFF9 && r <= 0xFFFB: // interlinear annotation
		return true
	}
	return unicode.In(r, unicode.Co, unicode.Cs, unicode.Cc, unicode.Cf) ||
		!unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Zs)
}
