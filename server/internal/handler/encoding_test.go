package handler_test

import (
	"fmt"
	"testing"

	"github.com/connectedlearning/diagram/server/internal/handler"
)

// avail says which representations a file is stored in, indexed by Encoding.
type avail = [len(handler.Acceptable{}.Q)]bool

// weights are the q-values of an Acceptable, indexed by Encoding.
type weights = [len(handler.Acceptable{}.Q)]float64

const (
	id = handler.Identity
	br = handler.Brotli
	gz = handler.Gzip
)

// byDefault is a header that names neither identity nor "*": identity is
// acceptable below every coding named with a weight.
func byDefault(q weights) handler.Acceptable {
	return handler.Acceptable{Q: q, IdentityByDefault: true}
}

// named is a header that weighs identity itself, by name or through "*".
func named(q weights) handler.Acceptable { return handler.Acceptable{Q: q} }

func TestEncodingString(t *testing.T) {
	t.Parallel()
	for e, want := range map[handler.Encoding]string{id: "", br: "br", gz: "gzip"} {
		if got := e.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", e, got, want)
		}
	}
}

func TestParseAcceptEncoding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		header string
		want   handler.Acceptable
	}{
		{"empty accepts identity only", "", byDefault(weights{})},
		{"blank accepts identity only", " \t ", byDefault(weights{})},
		{"gzip", "gzip", byDefault(weights{gz: 1})},
		{"br", "br", byDefault(weights{br: 1})},
		{"browser default", "gzip, deflate, br, zstd", byDefault(weights{br: 1, gz: 1})},
		{"q-values", "gzip;q=1, br;q=0.5", byDefault(weights{br: 0.5, gz: 1})},
		{"three decimals", "br;q=0.125, gzip;q=0.001", byDefault(weights{br: 0.125, gz: 0.001})},
		{"q=1.000", "br;q=1.000", byDefault(weights{br: 1})},
		{"q=1. and q=0.", "br;q=1., gzip;q=0.", byDefault(weights{br: 1})},
		{"q=0.5 as 0.50 and 0.500", "br;q=0.50, gzip;q=0.500", byDefault(weights{br: 0.5, gz: 0.5})},
		{"br q=0 excluded", "br;q=0, gzip", byDefault(weights{gz: 1})},
		{"star", "*", named(weights{id: 1, br: 1, gz: 1})},
		{"star with q", "*;q=0.5", named(weights{id: 0.5, br: 0.5, gz: 0.5})},
		{"star fills only unnamed", "*;q=0.5, br", named(weights{id: 0.5, br: 1, gz: 0.5})},
		{"star q=0", "*;q=0", named(weights{})},
		{"star q=0 with identity", "*;q=0, identity", named(weights{id: 1})},
		{"star q=0 with gzip", "*;q=0, gzip;q=0.3", named(weights{gz: 0.3})},
		{"star with identity excluded", "*, identity;q=0", named(weights{br: 1, gz: 1})},
		{"star listed twice keeps the higher", "*;q=0.2, *;q=0.6, *;q=0", named(weights{id: 0.6, br: 0.6, gz: 0.6})},
		{"identity q=0", "identity;q=0", named(weights{})},
		{"identity lowered", "identity;q=0.2, br", named(weights{id: 0.2, br: 1})},
		{"identity named", "identity, gzip;q=0.5", named(weights{id: 1, gz: 0.5})},
		{"x-gzip", "x-gzip", byDefault(weights{gz: 1})},
		{"x-gzip with q", "x-gzip;q=0.4", byDefault(weights{gz: 0.4})},
		{"upper case", "BR, GZIP, IDENTITY;Q=0.5", named(weights{id: 0.5, br: 1, gz: 1})},
		{"mixed case x-gzip", "X-GZip;Q=0.3", byDefault(weights{gz: 0.3})},
		{"upper case star", "*;Q=0", named(weights{})},
		{"not a Unicode case fold", "gzip;\u212a=0, identity;q=0.5", named(weights{id: 0.5, gz: 1})},
		// Optional whitespace (RFC 9110 OWS: spaces and tabs) around "," ";" "=".
		{"spaces around ; and =", "br ; q = 0.5", byDefault(weights{br: 0.5})},
		{"tabs around ; and =", "gzip\t;\tq\t=\t0.3", byDefault(weights{gz: 0.3})},
		{"whitespace", "  gzip ;  q=0.8 ,\tbr ; q = 0.9 ", byDefault(weights{br: 0.9, gz: 0.8})},
		{"whitespace around star", " * ; q = 0 , identity ; q = 1 ", named(weights{id: 1})},
		{"whitespace before a parameter's name", "br;  level=5 ;q=0.4", byDefault(weights{br: 0.4})},
		{"vertical tab is not OWS", "br\v;q=0.5, gzip", byDefault(weights{gz: 1})},
		{"no-break space is not OWS", "br\u00a0, gzip", byDefault(weights{gz: 1})},
		{"space inside a coding", "b r, gzip", byDefault(weights{gz: 1})},
		{"space inside a qvalue", "br;q=0. 5, gzip", byDefault(weights{gz: 1})},
		{"empty items", ",, ,br,,", byDefault(weights{br: 1})},
		{"unknown codings", "deflate, compress, zstd;q=1", byDefault(weights{})},
		{"other parameters", "br;level=11;q=0.7", byDefault(weights{br: 0.7})},
		{"quoted parameter with a comma", `br;note="a, gzip";q=0.6`, byDefault(weights{br: 0.6})},
		{"quoted parameter with an escaped quote", `br;note="a\", gzip;q=1";q=0.6, gzip;q=0.2`, byDefault(weights{br: 0.6, gz: 0.2})},
		{"parameter without value", "br;q", byDefault(weights{br: 1})},
		{"last q wins within an item", "br;q=0.2;q=0.6", byDefault(weights{br: 0.6})},
		{"duplicate keeps the higher", "br;q=0.9, br;q=0.1", byDefault(weights{br: 0.9})},
		{"duplicate zero then positive", "br;q=0, br;q=0.4", byDefault(weights{br: 0.4})},
		{"gzip and x-gzip", "gzip;q=0.2, x-gzip;q=0.7", byDefault(weights{gz: 0.7})},
		{"q=abc", "br;q=abc", byDefault(weights{})},
		{"q=2", "br;q=2", byDefault(weights{})},
		{"q=1.5", "br;q=1.5", byDefault(weights{})},
		{"q=1.001", "br;q=1.001", byDefault(weights{})},
		{"q=0.1234", "br;q=0.1234", byDefault(weights{})},
		{"q=00.5", "br;q=00.5", byDefault(weights{})},
		{"empty q", "br;q=", byDefault(weights{})},
		{"negative q", "br;q=-0.5", byDefault(weights{})},
		{"negative zero", "br;q=-0", byDefault(weights{})},
		{"plus sign", "br;q=+1", byDefault(weights{})},
		{"leading dot", "br;q=.5", byDefault(weights{})},
		{"exponent", "br;q=1e0", byDefault(weights{})},
		{"small exponent", "br;q=5e-1", byDefault(weights{})},
		{"hex float", "br;q=0x1p0", byDefault(weights{})},
		{"NaN", "br;q=NaN", byDefault(weights{})},
		{"Inf", "br;q=Inf", byDefault(weights{})},
		{"underscore", "br;q=0_5", byDefault(weights{})},
		{"quoted q", `br;q="0.5"`, byDefault(weights{})},
		{"malformed identity q excludes it", "identity;q=x", named(weights{})},
		{"malformed star q excludes all", "*;q=x", named(weights{})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := handler.ParseAcceptEncoding(tt.header); got != tt.want {
				t.Errorf("ParseAcceptEncoding(%q) = %+v, want %+v", tt.header, got, tt.want)
			}
		})
	}
}

// Several Accept-Encoding field lines are one list (RFC 9110 §5.3).
func TestParseAcceptEncodingLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		lines []string
		want  handler.Acceptable
	}{
		{"no line", nil, byDefault(weights{})},
		{"two lines", []string{"gzip", "br;q=0.5"}, byDefault(weights{br: 0.5, gz: 1})},
		{"identity on the second line", []string{"br", "identity;q=0"}, named(weights{br: 1})},
		{"duplicate across lines keeps the higher", []string{"br;q=0.1", "br;q=0.8"}, byDefault(weights{br: 0.8})},
		{"an empty line", []string{"", "gzip"}, byDefault(weights{gz: 1})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := handler.ParseAcceptEncoding(tt.lines...); got != tt.want {
				t.Errorf("ParseAcceptEncoding(%q) = %+v, want %+v", tt.lines, got, tt.want)
			}
		})
	}
}

func TestChoose(t *testing.T) {
	t.Parallel()
	all := avail{id: true, br: true, gz: true}
	tests := []struct {
		name   string
		a      handler.Acceptable
		avail  avail
		want   handler.Encoding
		wantOK bool
	}{
		{"ties prefer br", named(weights{id: 1, br: 1, gz: 1}), all, br, true},
		{"ties prefer gzip over identity", named(weights{id: 1, gz: 1}), all, gz, true},
		{"low ties prefer br", named(weights{id: 0.1, br: 0.1, gz: 0.1}), all, br, true},
		{"higher q wins", named(weights{id: 0.5, br: 0.5, gz: 1}), all, gz, true},
		{"identity highest", named(weights{id: 1, br: 0.9, gz: 0.9}), all, id, true},
		{"identity only accepted", named(weights{id: 1}), all, id, true},
		{"identity by default only", byDefault(weights{}), all, id, true},
		{"named br beats identity by default", byDefault(weights{br: 0.001}), all, br, true},
		{"named gzip beats identity by default", byDefault(weights{gz: 0.5}), all, gz, true},
		{"identity by default when br unavailable", byDefault(weights{br: 1}), avail{id: true, gz: true}, id, true},
		{"br unavailable", named(weights{id: 1, br: 1, gz: 1}), avail{id: true, gz: true}, gz, true},
		{"compressed unavailable", named(weights{id: 0.1, br: 1, gz: 1}), avail{id: true}, id, true},
		{"gzip unavailable", byDefault(weights{gz: 1}), avail{id: true, br: true}, id, true},
		{"nothing acceptable", named(weights{}), all, id, false},
		{"identity excluded, only identity", named(weights{br: 1, gz: 1}), avail{id: true}, id, false},
		{"identity excluded, br available", named(weights{br: 1}), avail{id: true, br: true}, br, true},
		{"nothing available", byDefault(weights{id: 1, br: 1, gz: 1}), avail{}, id, false},
		{"by default, but identity not stored", byDefault(weights{}), avail{br: true}, id, false},
		{"only br available and accepted", named(weights{br: 0.001}), avail{br: true}, br, true},
		{"negative q is not acceptable", named(weights{id: -1, br: -1}), all, id, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := tt.a.Choose(tt.avail)
			if ok != tt.wantOK || (ok && got != tt.want) {
				t.Errorf("%+v.Choose(%v) = %q, %v; want %q, %v", tt.a, tt.avail, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// ParseAcceptEncoding and Choose together pick the representation to send.
func ExampleParseAcceptEncoding() {
	stored := avail{handler.Identity: true, handler.Brotli: true, handler.Gzip: true}
	for _, h := range []string{
		"gzip, deflate, br",
		"gzip;q=1, br;q=0.5",
		"br;q=0, *",
		"br ; q = 0.5",
		"br;q=0.5, gzip;q=0.5",
		"br;q=0, gzip;q=0.2",
		"",
		"*;q=0",
	} {
		enc, ok := handler.ParseAcceptEncoding(h).Choose(stored)
		switch {
		case !ok:
			fmt.Printf("%-22q -> 406 Not Acceptable\n", h)
		case enc == handler.Identity:
			fmt.Printf("%-22q -> identity\n", h)
		default:
			fmt.Printf("%-22q -> %s\n", h, enc)
		}
	}
	// Output:
	// "gzip, deflate, br"    -> br
	// "gzip;q=1, br;q=0.5"   -> gzip
	// "br;q=0, *"            -> gzip
	// "br ; q = 0.5"         -> br
	// "br;q=0.5, gzip;q=0.5" -> br
	// "br;q=0, gzip;q=0.2"   -> gzip
	// ""                     -> identity
	// "*;q=0"                -> 406 Not Acceptable
}
