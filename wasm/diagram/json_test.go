package diagram

import (
	"strings"
	"testing"
)

func TestParseJSON(t *testing.T) {
	good := []struct {
		src  string
		kind jsonKind
	}{
		{`0`, jsonNumber}, {`-1.5e3`, jsonNumber}, {`"a\"b\\\/\n\u00e9\ud83d\ude00"`, jsonString},
		{`true`, jsonBool}, {`null`, jsonNull}, {` [1, [2], {}] `, jsonArray}, {`{"a": {"b": [true]}}`, jsonObject},
	}
	for _, tc := range good {
		v, err := parseJSON("t", tc.src)
		if err != nil || v.kind != tc.kind {
			t.Errorf("%s: got %v, %v", tc.src, v, err)
		}
	}
	v, _ := parseJSON("t", `"a\"b\\\/\n\u00e9\ud83d\ude00"`)
	if v.str != "a\"b\\/\né😀" {
		t.Errorf("escapes decoded as %q", v.str)
	}
	bad := []struct{ src, want string }{
		{`{"a":1,"a":2}`, `appears twice`},
		{`[1,]`, `expected a value`},
		{`01`, `after the end`},
		{`1.`, `digits expected`},
		{`{"a" 1}`, `expected ':'`},
		{"\"a\nb\"", `control character`},
		{`"\x"`, `unknown escape`},
		{`tru`, `expected a value`},
		{strings.Repeat("[", 100), `nested more than`},
		{"{\n\n\"a\": x}", `line 3`},
	}
	for _, tc := range bad {
		_, err := parseJSON("t", tc.src)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.src, err, tc.want)
		}
	}
}

func FuzzParseContent(f *testing.F) {
	f.Add(readContent(f))
	f.Add(`{"version":1}`)
	f.Add(`{"version":1,"cop":{"people":1e400}}`)
	f.Add(`{"palettes":{"dark":{"background":"#zzzzzz"}}}`)
	f.Add(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[`)
	f.Add("\"\\ud800\"")
	f.Fuzz(func(t *testing.T, src string) {
		c, err := ParseContent("diagram.json", src)
		if err == nil && c == nil {
			t.Fatal("no content and no error")
		}
		if err != nil && c != nil {
			t.Fatal("content and an error")
		}
		if c != nil {
			// Anything accepted must lay out and draw.
			s := New(c)
			s.Tick()
			var fr Frame
			s.Build(&fr)
		}
	})
}
