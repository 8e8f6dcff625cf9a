package proto

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the fixtures in testdata/")

const (
	exCode   = "K7QX2M"
	exSecret = "q1tWcD3dZ9mB0nV5xR2sAg"
	exToken  = "Yd8rT3pQ0wL6uN1vB9kHcA"
)

// clientExamples are the messages a page sends, one of each (and the variants a
// page must be able to write). The page's client is tested against these files.
var clientExamples = map[string]Client{
	"open":           Open{Type: TypeOpen, Step: 1, Presenting: true, Lang: "fr"},
	"present":        Present{Type: TypePresent, Code: exCode, Secret: exSecret, Seq: 42},
	"join":           Join{Type: TypeJoin, Code: "k7q x2m", Name: "Ada", Lang: "en"},
	"join-rejoin":    Join{Type: TypeJoin, Code: exCode, ID: "m4h2k9t7c1", Token: exToken, Seq: 42},
	"join-anonymous": Join{Type: TypeJoin, Code: exCode, Lang: "es"},
	"rename":         Rename{Type: TypeRename, Name: "Grace Hopper"},
	"leave":          Leave{Type: TypeLeave},
	"pulse":          Pulse{Type: TypePulse},
	"step":           GoTo{Type: TypeStep, Step: 3, Presenting: true},
	"joining":        SetJoining{Type: TypeJoining, Open: false},
	"remove":         Remove{Type: TypeRemove, ID: "m4h2k9t7c1"},
	"end":            End{Type: TypeEnd},
	"ping":           Ping{Type: TypePing, T: 1234.5},
}

// serverExamples are the messages the server sends, one of each.
var serverExamples = map[string]any{
	"snapshot-follower": Snapshot{Type: TypeSnapshot, V: Version, Seq: 42, Role: RoleFollower,
		Room:   Room{Code: exCode, Step: 3, Presenting: true, Joining: true, Presenter: true, Members: 2, Max: 200},
		You:    &You{ID: "m4h2k9t7c1", Name: "Curious Otter", Token: exToken},
		Roster: []Member{{ID: "m9x3b6q2z8", Name: "Ada"}, {ID: "m4h2k9t7c1", Name: "Curious Otter"}}},
	"snapshot-presenter": Snapshot{Type: TypeSnapshot, V: Version, Seq: 42, Role: RolePresenter,
		Room:   Room{Code: exCode, Step: 3, Presenting: true, Joining: true, Presenter: true, Members: 1, Max: 200},
		Roster: []Member{{ID: "m9x3b6q2z8", Name: "Ada"}}},
	"snapshot-empty": Snapshot{Type: TypeSnapshot, V: Version, Seq: 7, Role: RolePresenter,
		Room: Room{Code: exCode, Step: 1, Presenting: true, Joining: true, Presenter: true, Max: 200}, Roster: []Member{}},
	"opened":         Opened{Type: TypeOpened, Code: exCode, Secret: exSecret},
	"step":           StepEvent{Type: TypeStep, Seq: 43, Step: 4, Presenting: true},
	"joining":        JoiningEvent{Type: TypeJoining, Seq: 44, Open: false},
	"joined":         Joined{Type: TypeJoined, Seq: 45, Member: Member{ID: "m2c8v5n1p6", Name: "Loutre curieuse"}, Members: 3},
	"renamed":        Renamed{Type: TypeRenamed, Seq: 46, Member: Member{ID: "m2c8v5n1p6", Name: "Marie"}},
	"left":           Left{Type: TypeLeft, Seq: 47, ID: "m2c8v5n1p6", Reason: LeftTimeout, Members: 2},
	"left-removed":   Left{Type: TypeLeft, Seq: 48, ID: "m9x3b6q2z8", Reason: LeftRemoved, Members: 1},
	"presenter":      PresenterEvent{Type: TypePresenter, Seq: 49, Online: false},
	"pulse":          PulseEvent{Type: TypePulse, From: "m4h2k9t7c1"},
	"ended":          Ended{Type: TypeEnded, Seq: 50, Reason: EndedByPresenter},
	"ended-expired":  Ended{Type: TypeEnded, Seq: 51, Reason: EndedExpired},
	"error-rate":     Error{Type: TypeError, Code: ReasonRateLimited, Retry: 1500, Detail: "one connection every 2s"},
	"error-unknown":  NewError(ReasonUnknownCode, true, "no room has this code"),
	"error-replaced": NewError(ReasonReplaced, true, "another presenter connection took control"),
	"error-refused":  NewError(ReasonNotAllowed, false, "a follower may not send step"),
	"pong":           Pong{Type: TypePong, T: 1234.5},
}

// codeExamples: what ParseCode accepts (and makes of it) and refuses.
var codeExamples = []struct {
	In  string `json:"in"`
	Out string `json:"out"` // "" when refused
}{
	{"K7QX2M", "K7QX2M"}, {"k7qx2m", "K7QX2M"}, {"k7q x2m", "K7QX2M"}, {" K7Q-X2M ", "K7QX2M"},
	{"K 7 Q X 2 M", "K7QX2M"}, {"ｋ７ｑ　ｘ２ｍ", "K7QX2M"}, {"k7q\tx2m\n", "K7QX2M"},
	{"K7QX2", ""}, {"K7QX2MM", ""}, {"K0QX2M", ""}, {"KOQX2M", ""}, {"K1QX2M", ""}, {"KIQX2M", ""},
	{"KLQX2M", ""}, {"K7QX2É", ""}, {"", ""}, {"      ", ""}, {"K7Q/X2M", ""},
}

// nameExamples: hostile display names and what every screen shows of them.
var nameExamples = []struct {
	In  string `json:"in"`
	Out string `json:"out"`
	OK  bool   `json:"ok"` // false: refused (bad-name), the name is unchanged
}{
	{"Ada", "Ada", true},
	{"  Ada   Lovelace  ", "Ada Lovelace", true},
	{"Ada\u00a0\u3000Lovelace", "Ada Lovelace", true},
	{"\tAda\nLovelace\r\n", "Ada Lovelace", true},
	{"e\u0301tienne", "étienne", true},                                         // NFD to NFC
	{"\u202egnp.exe", "gnp.exe", true},                                         // right-to-left override
	{"abc\u202d\u202a\u202b\u202c\u2066\u2067\u2068\u2069def", "abcdef", true}, // embeddings, isolates
	{"\u200eLTR\u200f\u061c", "LTR", true},                                     // directional marks
	{"a\u0000b\u0007c\u001bd\u007fe\u0080f", "abcdef", true},                   // C0 and C1 controls
	{"next\u0085line\u2028sep", "next line sep", true},                         // line breaks are spaces
	{"zero\u200bwidth\u2060\ufeff", "zerowidth", true},
	{"soft\u00adhyphen", "softhyphen", true},
	{"\u3164\u115f", "", true}, // Hangul fillers only: no name, a generated one
	{"\u200b\u200d\u200c", "", true},
	{"👩\u200d💻 Dev", "👩\u200d💻 Dev", true},                                               // a joiner inside an emoji sequence stays
	{"\u200dDev\u200d", "Dev", true},                                                     // joiners at the ends go
	{"a\u200d\u200db", "a\u200db", true},                                                 // a doubled joiner becomes one
	{"a \u200d b", "a b", true},                                                          // a joiner beside a space goes
	{"می\u200cخواهم", "می\u200cخواهم", true},                                             // Persian needs its non-joiner
	{"Z\u0335\u0321\u0322\u0327\u0328\u031b\u0334algo", "Z\u0335\u0334\u0321algo", true}, // at most three marks, in canonical order
	{"\u0301\u0301x", "x", true},                                                         // marks with nothing to sit on
	{"tag\U000e0041\U000e0042s", "tags", true},
	{"priv\ue000ate\U000f0000", "private", true},
	{"\ufffdbroken\ufffc", "broken", true},
	{"محمد", "محمد", true},
	{"Ngọc Ánh", "Ngọc Ánh", true},
	{"<script>alert(1)</script>", "<script>alert(1)</script>", true}, // 25 characters: too long
	{"<b>Ada</b>", "<b>Ada</b>", true},                               // text: pages set textContent, never HTML
	{"abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwx", true},
	{"abcdefghijklmnopqrstuvwxy", "", false},
	{"  abcdefghijklmnopqrstuvwx  ", "abcdefghijklmnopqrstuvwx", true},
	{"ééééééééééééééééééééééééé", "", false},
	{strings.Repeat("\u202e", 30) + "Ada", "Ada", true},
	{strings.Repeat("a", 600), "", false},
	{"", "", true},
}

func init() {
	// The 25-character script tag above is refused: fix the row rather than the rule.
	for i := range nameExamples {
		if utf8.RuneCountInString(nameExamples[i].Out) > MaxName {
			nameExamples[i].Out, nameExamples[i].OK = "", false
		}
	}
}

// invalidExamples are messages ParseClient refuses, with the reason (fuzz seeds too).
var invalidExamples = []struct {
	In     string `json:"in"`
	Reason Reason `json:"reason"`
}{
	{``, ReasonBadMessage},
	{`null`, ReasonBadMessage},
	{`[]`, ReasonBadMessage},
	{`"join"`, ReasonBadMessage},
	{`{}`, ReasonBadMessage},
	{`{"type":null}`, ReasonBadMessage},
	{`{"type":"teleport"}`, ReasonBadMessage},
	{`{"type":3}`, ReasonBadMessage},
	{`{"type":"step","step":"3"}`, ReasonBadMessage},
	{`{"type":"step","step":2.5}`, ReasonBadMessage},
	{`{"type":"step","step":0}`, ReasonBadMessage},
	{`{"type":"step","step":-1}`, ReasonBadMessage},
	{`{"type":"step","step":99999999999999999999}`, ReasonBadMessage},
	{`{"type":"open","step":0}`, ReasonBadMessage},
	{`{"type":"present","code":"K7QX2M","secret":"short"}`, ReasonNotAllowed},
	{`{"type":"present","code":"K7QX2M","secret":"q1tWcD3dZ9mB0nV5xR2sAh"}`, ReasonNotAllowed}, // stray low bits
	{`{"type":"present","code":"K7QX2M"}`, ReasonNotAllowed},
	{`{"type":"join","code":"K7QX2M","id":"m1"}`, ReasonBadMessage},
	{`{"type":"join","code":"K7QX2M","id":"M1!","token":"Yd8rT3pQ0wL6uN1vB9kHcA"}`, ReasonBadMessage},
	{`{"type":"join","code":"K7QX2M","name":7}`, ReasonBadMessage},
	{`{"type":"remove","id":""}`, ReasonBadMessage},
	{`{"type":"joining","open":"no"}`, ReasonBadMessage},
	{`{"type":"ping","t":"now"}`, ReasonBadMessage},
	{`{"type":"rename","name":"` + strings.Repeat("x", 600) + `"}`, ReasonBadName},
	{`{"type":"join","code":"K7QX2M"`, ReasonBadMessage},
	{`{"type":"pulse"}{"type":"pulse"}`, ReasonBadMessage},
	{`{"type":"ping","t":` + strings.Repeat("1", 3000) + `}`, ReasonTooBig},
}

// golden compares got with the file, or writes it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./server/internal/live/proto -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s changed:\n got %s\nwant %s\n(a change of the protocol: run with -update and change the page's client too)", p, got, want)
	}
}

func indent(v any) []byte {
	b, _ := json.MarshalIndent(v, "", "  ")
	return append(b, '\n')
}

// TestFixtures writes (-update) or checks the fixtures, one file per message as it
// goes on the wire, and checks that they cover every type and parse back.
func TestFixtures(t *testing.T) {
	covered := map[Type]bool{}
	for name, m := range clientExamples {
		b := append(Encode(m), '\n')
		golden(t, "client/"+name+".json", b)
		got, err := ParseClient(b)
		if err != nil {
			t.Errorf("client/%s.json does not parse: %v", name, err)
		} else if !reflect.DeepEqual(got, m) {
			t.Errorf("client/%s.json parses as %#v, want %#v", name, got, m)
		}
		covered[m.ClientType()] = true
	}
	for _, ty := range []Type{TypeOpen, TypePresent, TypeJoin, TypeRename, TypeLeave, TypePulse, TypeStep, TypeJoining, TypeRemove, TypeEnd, TypePing} {
		if !covered[ty] {
			t.Errorf("no client fixture for %q", ty)
		}
	}
	covered = map[Type]bool{}
	for name, m := range serverExamples {
		b := append(Encode(m), '\n')
		golden(t, "server/"+name+".json", b)
		var env struct{ Type Type }
		json.Unmarshal(b, &env)
		covered[env.Type] = true
	}
	for _, ty := range []Type{TypeSnapshot, TypeOpened, TypeStep, TypeJoining, TypeJoined, TypeRenamed, TypeLeft, TypePresenter, TypePulse, TypeEnded, TypeError, TypePong} {
		if !covered[ty] {
			t.Errorf("no server fixture for %q", ty)
		}
	}
	golden(t, "reasons.json", indent(Reasons))
	golden(t, "codes.json", indent(map[string]any{"alphabet": CodeAlphabet, "length": CodeLen, "examples": codeExamples}))
	golden(t, "names.json", indent(map[string]any{"max": MaxName, "examples": nameExamples}))
	golden(t, "invalid.json", indent(invalidExamples))
	golden(t, "limits.json", indent(map[string]any{"version": Version, "maxMessage": MaxMessage, "maxName": MaxName,
		"secretLength": SecretLen, "memberIdMax": MemberIDMax, "languages": Languages}))
}

// Fixture files that no example writes any more are stale.
func TestNoStaleFixtures(t *testing.T) {
	if *update {
		t.Skip()
	}
	for dir, names := range map[string][]string{"client": keys(clientExamples), "server": keys(serverExamples)} {
		files, _ := filepath.Glob(filepath.Join("testdata", dir, "*.json"))
		for _, f := range files {
			if !slices.Contains(names, strings.TrimSuffix(filepath.Base(f), ".json")) {
				t.Errorf("%s is written by no example: remove it", f)
			}
		}
	}
}

func keys[M ~map[string]V, V any](m M) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestParseCode(t *testing.T) {
	for _, tt := range codeExamples {
		got, ok := ParseCode(tt.In)
		if ok != (tt.Out != "") || got != tt.Out {
			t.Errorf("ParseCode(%q) = %q, %v; want %q", tt.In, got, ok, tt.Out)
		}
	}
}

func TestNewCode(t *testing.T) {
	seen := map[string]bool{}
	counts := map[rune]int{}
	for i := 0; i < 2000; i++ {
		c := NewCode()
		if got, ok := ParseCode(c); !ok || got != c {
			t.Fatalf("NewCode() = %q, which ParseCode reads as %q, %v", c, got, ok)
		}
		seen[c] = true
		for _, r := range c {
			counts[r]++
		}
	}
	if len(seen) < 1990 {
		t.Errorf("2000 codes, only %d different", len(seen))
	}
	// 12,000 characters over 31: about 387 each. A character never drawn, or drawn
	// twice as often as it should, means a broken draw.
	for _, r := range CodeAlphabet {
		if counts[r] < 250 || counts[r] > 550 {
			t.Errorf("%q drawn %d times in 12000 (expected about 387)", r, counts[r])
		}
	}
	for _, r := range "0O1IL" {
		if strings.ContainsRune(CodeAlphabet, r) {
			t.Errorf("the alphabet holds the look-alike %q", r)
		}
	}
	if FormatCode("K7QX2M") != "K7Q X2M" {
		t.Errorf("FormatCode = %q", FormatCode("K7QX2M"))
	}
}

func TestSecrets(t *testing.T) {
	a, b := NewSecret(), NewSecret()
	if a == b || !validSecret(a) || !validSecret(b) || len(a) != SecretLen {
		t.Errorf("NewSecret: %q %q", a, b)
	}
}

func TestNormalizeName(t *testing.T) {
	for _, tt := range nameExamples {
		got, ok := NormalizeName(tt.In)
		if ok != tt.OK || got != tt.Out {
			t.Errorf("NormalizeName(%+q) = %+q, %v; want %+q, %v", tt.In, got, ok, tt.Out, tt.OK)
		}
		if ok {
			// Normalising twice changes nothing.
			if again, ok2 := NormalizeName(got); again != got || !ok2 {
				t.Errorf("NormalizeName(%+q) = %+q, not idempotent", got, again)
			}
		}
	}
}

func TestParseClientRefuses(t *testing.T) {
	for _, tt := range invalidExamples {
		m, err := ParseClient([]byte(tt.In))
		var pe *ParseError
		if err == nil {
			t.Errorf("ParseClient(%.60q) = %#v, want a refusal (%s)", tt.In, m, tt.Reason)
			continue
		}
		if !errorsAs(err, &pe) || pe.Reason != tt.Reason {
			t.Errorf("ParseClient(%.60q): %v, want reason %s", tt.In, err, tt.Reason)
		}
		if len(err.Error()) > 200 {
			t.Errorf("ParseClient(%.60q): an error of %d bytes", tt.In, len(err.Error()))
		}
	}
}

func errorsAs(err error, pe **ParseError) bool {
	p, ok := err.(*ParseError)
	*pe = p
	return ok
}

func TestReasons(t *testing.T) {
	seen := map[int]Reason{}
	for _, r := range Reasons {
		if r.Close != 0 {
			if other, dup := seen[r.Close]; dup {
				t.Errorf("close %d for both %s and %s", r.Close, other, r.Reason)
			}
			seen[r.Close] = r.Reason
			if got, ok := ReasonForClose(r.Close); !ok || got != r.Reason {
				t.Errorf("ReasonForClose(%d) = %s", r.Close, got)
			}
			if r.Close >= 1000 && r.Close < 4000 && !slices.Contains([]int{1000, 1009, 1011, 1012, 1013}, r.Close) {
				t.Errorf("%s: %d is not a status the RFC gives an endpoint", r.Reason, r.Close)
			}
		}
		if r.Reason.Close() != r.Close && r.Close != 0 {
			t.Errorf("%s.Close() = %d", r.Reason, r.Reason.Close())
		}
	}
	if ReasonBadName.Close() != 1011 {
		t.Error("a reason that never closes maps to 1011 if asked")
	}
}

// FuzzParseClient: nothing a page sends panics the parser, a refusal always has
// a reason from the table, and what is accepted encodes and parses back the same.
func FuzzParseClient(f *testing.F) {
	for _, m := range clientExamples {
		f.Add(Encode(m))
	}
	for _, tt := range invalidExamples {
		f.Add([]byte(tt.In))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseClient(b)
		if err != nil {
			pe, ok := err.(*ParseError)
			if !ok {
				t.Fatalf("an error that is not a ParseError: %v", err)
			}
			if _, ok := pe.Reason.Info(); !ok {
				t.Fatalf("reason %q is not in the table", pe.Reason)
			}
			return
		}
		again, err := ParseClient(Encode(m))
		if err != nil || !reflect.DeepEqual(again, m) {
			t.Fatalf("%#v encodes to %s, which parses as %#v, %v", m, Encode(m), again, err)
		}
		if j, ok := m.(Join); ok {
			if n, ok := NormalizeName(j.Name); ok && utf8.RuneCountInString(n) > MaxName {
				t.Fatalf("a name of %d characters", utf8.RuneCountInString(n))
			}
		}
	})
}

// FuzzNormalizeName: a normalised name is valid UTF-8, at most MaxName characters,
// free of the characters the rules remove, trimmed, and stable.
func FuzzNormalizeName(f *testing.F) {
	for _, tt := range nameExamples {
		f.Add(tt.In)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := NormalizeName(s)
		if !ok {
			return
		}
		if !utf8.ValidString(n) || utf8.RuneCountInString(n) > MaxName || strings.TrimSpace(n) != n || strings.Contains(n, "  ") {
			t.Fatalf("NormalizeName(%+q) = %+q", s, n)
		}
		for _, r := range n {
			if r != '\u200c' && r != '\u200d' && invisible(r) {
				t.Fatalf("NormalizeName(%+q) = %+q keeps %U", s, n, r)
			}
		}
		if again, ok := NormalizeName(n); !ok || again != n {
			t.Fatalf("NormalizeName(%+q) = %+q, then %+q", s, n, again)
		}
	})
}
