package handler_test

import (
	"fmt"
	"testing"

	"github.com/connectedlearning/diagram/server/internal/handler"
)

// avail says which representations a file is stored in, indexed by Encoding.
type avail = [len(handler.Acceptable{})]bool

const (
	id = handler.Identity
	br = handler.Brotli
	gz = handler.Gzip
)

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
		{"empty accepts identity only", "", handler.Acceptable{id: 1}},
		{"blank accepts identity only", " \t ", handler.Acceptable{id: 1}},
		{"gzip", "gzip", handler.Acceptable{id: 1, gz: 1}},
		{"br", "br", handler.Acceptable{id: 1, br: 1}},
		{"browser default", "gzip, deflate, br, zstd", handler.Acceptable{id: 1, br: 1, gz: 1}},
		{"q-values", "gzip;q=1, br;q=0.5", handler.Acceptable{id: 1, br: 0.5, gz: 1}},
		{"three decimals", "br;q=0.125, gzip;q=0.001", handler.Acceptable{id: 1, br: 0.125, gz: 0.001}},
		{"q=1.000", "br;q=1.000", handler.Acceptable{id: 1, br: 1}},
		{"q=1. and q=0.", "br;q=1., gzip;q=0.", handler.Acceptable{id: 1, br: 1}},
		{"br q=0 excluded", "br;q=0, gzip", handler.Acceptable{id: 1, gz: 1}},
		{"star", "*", handler.Acceptable{id: 1, br: 1, gz: 1}},
		{"star with q", "*;q=0.5", handler.Acceptable{id: 0.5, br: 0.5, gz: 0.5}},
		{"star fills only unnamed", "*;q=0.5, br", handler.Acceptable{id: 0.5, br: 1, gz: 0.5}},
		{"star q=0", "*;q=0", handler.Acceptable{}},
		{"star q=0 with identity", "*;q=0, identity", handler.Acceptable{id: 1}},
		{"star q=0 with gzip", "*;q=0, gzip;q=0.3", handler.Acceptable{gz: 0.3}},
		{"star with identity excluded", "*, identity;q=0", handler.Acceptable{br: 1, gz: 1}},
		{"identity q=0", "identity;q=0", handler.Acceptable{}},
		{"identity lowered", "identity;q=0.2, br", handler.Acceptable{id: 0.2, br: 1}},
		{"x-gzip", "x-gzip", handler.Acceptable{id: 1, gz: 1}},
		{"x-gzip with q", "x-gzip;q=0.4", handler.Acceptable{id: 1, gz: 0.4}},
		{"upper case", "BR, GZIP, IDENTITY;Q=0.5", handler.Acceptable{id: 0.5, br: 1, gz: 1}},
		{"upper case star", "*;Q=0", handler.Acceptable{}},
		{"whitespace", "  gzip ;  q=0.8 ,\tbr ; q = 0.9 ", handler.Acceptable{id: 1, br: 0.9, gz: 0.8}},
		{"empty items", ",, ,br,,", handler.Acceptable{id: 1, br: 1}},
		{"unknown codings", "deflate, compress, zstd;q=1", handler.Acceptable{id: 1}},
		{"other parameters", "br;level=11;q=0.7", handler.Acceptable{id: 1, br: 0.7}},
		{"parameter without value", "br;q", handler.Acceptable{id: 1, br: 1}},
		{"last q wins within an item", "br;q=0.2;q=0.6", handler.Acceptable{id: 1, br: 0.6}},
		{"duplicate keeps the higher", "br;q=0.9, br;q=0.1", handler.Acceptable{id: 1, br: 0.9}},
		{"duplicate zero then positive", "br;q=0, br;q=0.4", handler.Acceptable{id: 1, br: 0.4}},
		{"gzip and x-gzip", "gzip;q=0.2, x-gzip;q=0.7", handler.Acceptable{id: 1, gz: 0.7}},
		{"q=abc", "br;q=abc", handler.Acceptable{id: 1}},
		{"q=2", "br;q=2", handler.Acceptable{id: 1}},
		{"q=1.5", "br;q=1.5", handler.Acceptable{id: 1}},
		{"q=1.001", "br;q=1.001", handler.Acceptable{id: 1}},
		{"q=0.1234", "br;q=0.1234", handler.Acceptable{id: 1}},
		{"empty q", "br;q=", handler.Acceptable{id: 1}},
		{"negative q", "br;q=-0.5", handler.Acceptable{id: 1}},
		{"negative zero", "br;q=-0", handler.Acceptable{id: 1}},
		{"plus sign", "br;q=+1", handler.Acceptable{id: 1}},
		{"leading dot", "br;q=.5", handler.Acceptable{id: 1}},
		{"exponent", "br;q=1e0", handler.Acceptable{id: 1}},
		{"small exponent", "br;q=5e-1", handler.Acceptable{id: 1}},
		{"hex float", "br;q=0x1p0", handler.Acceptable{id: 1}},
		{"NaN", "br;q=NaN", handler.Acceptable{id: 1}},
		{"Inf", "br;q=Inf", handler.Acceptable{id: 1}},
		{"underscore", "br;q=0_5", handler.Acceptable{id: 1}},
		{"quoted q", `br;q="0.5"`, handler.Acceptable{id: 1}},
		{"malformed identity q excludes it", "identity;q=x", handler.Acceptable{}},
		{"malformed star q excludes all", "*;q=x", handler.Acceptable{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := handler.ParseAcceptEncoding(tt.header); got != tt.want {
				t.Errorf("ParseAcceptEncoding(%q) = %v, want %v", tt.header, got, tt.want)
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
		{"ties prefer br", handler.Acceptable{id: 1, br: 1, gz: 1}, all, br, true},
		{"ties prefer gzip over identity", handler.Acceptable{id: 1, gz: 1}, all, gz, true},
		{"low ties prefer br", handler.Acceptable{id: 0.1, br: 0.1, gz: 0.1}, all, br, true},
		{"higher q wins", handler.Acceptable{id: 0.5, br: 0.5, gz: 1}, all, gz, true},
		{"identity highest", handler.Acceptable{id: 1, br: 0.9, gz: 0.9}, all, id, true},
		{"identity only accepted", handler.Acceptable{id: 1}, all, id, true},
		{"br unavailable", handler.Acceptable{id: 1, br: 1, gz: 1}, avail{id: true, gz: true}, gz, true},
		{"compressed unavailable", handler.Acceptable{id: 0.1, br: 1, gz: 1}, avail{id: true}, id, true},
		{"gzip unavailable", handler.Acceptable{id: 1, gz: 1}, avail{id: true, br: true}, id, true},
		{"nothing acceptable", handler.Acceptable{}, all, id, false},
		{"identity excluded, only identity", handler.Acceptable{br: 1, gz: 1}, avail{id: true}, id, false},
		{"identity excluded, br available", handler.Acceptable{br: 1}, avail{id: true, br: true}, br, true},
		{"nothing available", handler.Acceptable{id: 1, br: 1, gz: 1}, avail{}, id, false},
		{"only br available and accepted", handler.Acceptable{br: 0.001}, avail{br: true}, br, true},
		{"negative q is not acceptable", handler.Acceptable{id: -1, br: -1}, all, id, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := tt.a.Choose(tt.avail)
			if ok != tt.wantOK || (ok && got != tt.want) {
				t.Errorf("%v.Choose(%v) = %q, %v; want %q, %v", tt.a, tt.avail, got, ok, tt.want, tt.wantOK)
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
		"",
		"*;q=0",
	} {
		enc, ok := handler.ParseAcceptEncoding(h).Choose(stored)
		switch {
		case !ok:
			fmt.Printf("%-20q -> 406 Not Acceptable\n", h)
		case enc == handler.Identity:
			fmt.Printf("%-20q -> identity\n", h)
		default:
			fmt.Printf("%-20q -> %s\n", h, enc)
		}
	}
	// Output:
	// "gzip, deflate, br"  -> br
	// "gzip;q=1, br;q=0.5" -> gzip
	// "br;q=0, *"          -> gzip
	// ""                   -> identity
	// "*;q=0"              -> 406 Not Acceptable
}
