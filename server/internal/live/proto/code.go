package proto

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// CodeAlphabet holds the characters of join codes: digits and capitals without the
// look-alikes 0/O and 1/I/L, so a code read off a projector is typed right.
const CodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// CodeLen is the length of a join code: 31^6, about 887 million codes.
const CodeLen = 6

// NewCode returns a random join code.
func NewCode() string {
	var b [CodeLen]byte
	var r [1]byte
	for i := 0; i < CodeLen; {
		rand.Read(r[:])
		// 31 divides 248 eight times: reject above it, so every character is
		// equally likely.
		if r[0] >= 248 {
			continue
		}
		b[i] = CodeAlphabet[r[0]%31]
		i++
	}
	return string(b[:])
}

// ParseCode reads a join code as people type it: in any case, with or without
// spaces or hyphens, in full-width characters from an IME. ok is false when the
// result is not CodeLen characters of CodeAlphabet.
func ParseCode(s string) (code string, ok bool) {
	if len(s) > 64 {
		return "", false
	}
	s = norm.NFKC.String(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || r == '-' || r == '.' || r == '\u2010' || r == '\u2011' || r == '\u2012' || r == '\u2013':
			continue
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		}
		if r > unicode.MaxASCII || !strings.ContainsRune(CodeAlphabet, r) {
			return "", false
		}
		b.WriteRune(r)
	}
	if b.Len() != CodeLen {
		return "", false
	}
	return b.String(), true
}

// FormatCode writes a code in two groups of three, as the page shows it
// ("K7Q X2M").
func FormatCode(code string) string {
	if len(code) != CodeLen {
		return code
	}
	return code[:3] + " " + code[3:]
}

// SecretLen is the length of a presenter secret and of a member's resume token as
// text: 128 random bits in unpadded base64url.
const SecretLen = 22

// NewSecret returns 128 random bits as SecretLen characters of base64url.
func NewSecret() string {
	var b [16]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// validSecret reports whether s has a secret's shape (it says nothing of its worth).
func validSecret(s string) bool {
	if len(s) != SecretLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	// The last character carries only 2 of its 6 bits: the other 4 must be zero.
	_, err := base64.RawURLEncoding.Strict().DecodeString(s)
	return err == nil
}

// MemberIDMax bounds a member id's length.
const MemberIDMax = 16

// validID reports whether s has a member id's shape: lower-case letters and digits.
func validID(s string) bool {
	if s == "" || len(s) > MemberIDMax {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
