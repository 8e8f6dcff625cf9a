package diagram

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A small JSON reader. The content files are read with it rather than with
// encoding/json for two reasons: every error can name the exact field path and line
// ("cop.people (line 12): 40 is out of range 6..14"), and the wasm stays small
// (encoding/json's reflection-driven decoder is not otherwise linked in).

type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

func (k jsonKind) String() string {
	return [...]string{"null", "a boolean", "a number", "a string", "a list", "an object"}[k]
}

// jsonValue is one parsed value. Objects keep their keys in file order so that error
// messages and checks are deterministic.
type jsonValue struct {
	kind  jsonKind
	line  int
	b     bool
	num   float64
	str   string
	items []*jsonValue // array items, or object values
	keys  []string     // object keys, parallel to items
}

func (v *jsonValue) field(name string) *jsonValue {
	for i, k := range v.keys {
		if k == name {
			return v.items[i]
		}
	}
	return nil
}

// SyntaxError is a JSON file that cannot be parsed.
type SyntaxError struct {
	File string
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s: line %d: %s", e.File, e.Line, e.Msg)
}

type jsonParser struct {
	src   string
	pos   int
	line  int
	file  string
	depth int
}

const maxJSONDepth = 64

func parseJSON(file, src string) (*jsonValue, error) {
	p := &jsonParser{src: src, line: 1, file: file}
	if !utf8.ValidString(src) {
		return nil, p.errf("the file is not valid UTF-8")
	}
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == 0xEF { // tolerate nothing before the value but whitespace
		return nil, p.errf("unexpected byte order mark")
	}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(p.src) {
		return nil, p.errf("unexpected %s after the end of the document", p.describe())
	}
	return v, nil
}

func (p *jsonParser) errf(format string, args ...any) error {
	return &SyntaxError{File: p.file, Line: p.line, Msg: fmt.Sprintf(format, args...)}
}

func (p *jsonParser) describe() string {
	if p.pos >= len(p.src) {
		return "end of file"
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
	return strconv.QuoteRune(r)
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case '\n':
			p.line++
		case ' ', '\t', '\r':
		default:
			return
		}
		p.pos++
	}
}

func (p *jsonParser) value() (*jsonValue, error) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return nil, p.errf("unexpected end of file, expected a value")
	}
	v := &jsonValue{line: p.line}
	switch c := p.src[p.pos]; {
	case c == '{':
		return v, p.object(v)
	case c == '[':
		return v, p.array(v)
	case c == '"':
		s, err := p.string()
		v.kind, v.str = jsonString, s
		return v, err
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range [...]string{"true", "false", "null"} {
			if strings.HasPrefix(p.src[p.pos:], lit) {
				p.pos += len(lit)
				switch lit {
				case "true":
					v.kind, v.b = jsonBool, true
				case "false":
					v.kind = jsonBool
				}
				return v, nil
			}
		}
	case c == '-' || c >= '0' && c <= '9':
		return v, p.number(v)
	}
	return nil, p.errf("unexpected %s, expected a value", p.describe())
}

func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > maxJSONDepth {
		return p.errf("nested more than %d levels deep", maxJSONDepth)
	}
	return nil
}

func (p *jsonParser) object(v *jsonValue) error {
	if err := p.enter(); err != nil {
		return err
	}
	v.kind = jsonObject
	p.pos++ // {
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		p.depth--
		return nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] != '"' {
			return p.errf("unexpected %s, expected a field name in quotes", p.describe())
		}
		key, err := p.string()
		if err != nil {
			return err
		}
		for _, k := range v.keys {
			if k == key {
				return p.errf("field %q appears twice", key)
			}
		}
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return p.errf("unexpected %s, expected ':' after %q", p.describe(), key)
		}
		p.pos++
		item, err := p.value()
		if err != nil {
			return err
		}
		v.keys = append(v.keys, key)
		v.items = append(v.items, item)
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.src) && p.src[p.pos] == '}' {
			p.pos++
			p.depth--
			return nil
		}
		return p.errf("unexpected %s, expected ',' or '}'", p.describe())
	}
}

func (p *jsonParser) array(v *jsonValue) error {
	if err := p.enter(); err != nil {
		return err
	}
	v.kind = jsonArray
	p.pos++ // [
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
		p.depth--
		return nil
	}
	for {
		item, err := p.value()
		if err != nil {
			return err
		}
		v.items = append(v.items, item)
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.src) && p.src[p.pos] == ']' {
			p.pos++
			p.depth--
			return nil
		}
		return p.errf("unexpected %s, expected ',' or ']'", p.describe())
	}
}

func (p *jsonParser) string() (string, error) {
	p.pos++ // opening quote
	start := p.pos
	// Fast path: no escapes.
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '"' {
			s := p.src[start:p.pos]
			p.pos++
			return s, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.errf("control character in a string (a line break must be written \\n)")
		}
		p.pos++
	}
	var b strings.Builder
	b.WriteString(p.src[start:p.pos])
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '"':
			p.pos++
			return b.String(), nil
		case c < 0x20:
			return "", p.errf("control character in a string (a line break must be written \\n)")
		case c == '\\':
			if p.pos+1 >= len(p.src) {
				return "", p.errf("unfinished escape at end of file")
			}
			e := p.src[p.pos+1]
			p.pos += 2
			switch e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r, err := p.hex4()
				if err != nil {
					return "", err
				}
				if r >= 0xD800 && r < 0xDC00 && strings.HasPrefix(p.src[p.pos:], `\u`) {
					p.pos += 2
					r2, err := p.hex4()
					if err != nil {
						return "", err
					}
					r = 0x10000 + (r-0xD800)<<10 + (r2 - 0xDC00)
				}
				if !utf8.ValidRune(r) {
					r = utf8.RuneError
				}
				b.WriteRune(r)
			default:
				return "", p.errf("unknown escape \\%c in a string", e)
			}
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return "", p.errf("unterminated string")
}

func (p *jsonParser) hex4() (rune, error) {
	if p.pos+4 > len(p.src) {
		return 0, p.errf("unfinished \\u escape")
	}
	var r rune
	for i := 0; i < 4; i++ {
		d, ok := hexVal(p.src[p.pos+i])
		if !ok {
			return 0, p.errf("bad \\u escape")
		}
		r = r<<4 | rune(d)
	}
	p.pos += 4
	return r, nil
}

func (p *jsonParser) number(v *jsonValue) error {
	start := p.pos
	if p.src[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.pos < len(p.src) && p.src[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return p.errf("malformed number")
	}
	if p.pos < len(p.src) && p.src[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return p.errf("malformed number: digits expected after '.'")
		}
	}
	if p.pos < len(p.src) && (p.src[p.pos] == 'e' || p.src[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.src) && (p.src[p.pos] == '+' || p.src[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return p.errf("malformed number: digits expected in the exponent")
		}
	}
	f, err := strconv.ParseFloat(p.src[start:p.pos], 64)
	if err != nil {
		return p.errf("number %s is out of range", p.src[start:p.pos])
	}
	v.kind, v.num = jsonNumber, f
	return nil
}
