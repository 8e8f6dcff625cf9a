package live

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Generated names: an adjective and an animal in the joiner's language, written
// as that language writes them ("Curious Otter", "Loutre curieuse", "Nutria
// curiosa"). They are made by the server, once, in the language the page asks
// for; every screen shows the same words.

type animal struct {
	en, fr, es string
	frF, esF   bool // feminine in French, in Spanish
}

type adjective struct {
	en       string
	frM, frF string
	esM, esF string
}

var animals = []animal{
	{"Otter", "loutre", "nutria", true, true},
	{"Fox", "renard", "zorro", false, false},
	{"Owl", "chouette", "lechuza", true, true},
	{"Heron", "héron", "garza", false, true},
	{"Badger", "blaireau", "tejón", false, false},
	{"Dolphin", "dauphin", "delfín", false, false},
	{"Hedgehog", "hérisson", "erizo", false, false},
	{"Squirrel", "écureuil", "ardilla", false, true},
	{"Tortoise", "tortue", "tortuga", true, true},
	{"Beaver", "castor", "castor", false, false},
	{"Panda", "panda", "panda", false, false},
	{"Lynx", "lynx", "lince", false, false},
	{"Penguin", "manchot", "pingüino", false, false},
	{"Koala", "koala", "koala", false, false},
	{"Whale", "baleine", "ballena", true, true},
	{"Bee", "abeille", "abeja", true, true},
	{"Seal", "phoque", "foca", false, true},
	{"Gazelle", "gazelle", "gacela", true, true},
	{"Firefly", "luciole", "luciérnaga", true, true},
	{"Crane", "grue", "grulla", true, true},
}

var adjectives = []adjective{
	{"Curious", "curieux", "curieuse", "curioso", "curiosa"},
	{"Brave", "courageux", "courageuse", "valiente", "valiente"},
	{"Calm", "calme", "calme", "tranquilo", "tranquila"},
	{"Clever", "astucieux", "astucieuse", "astuto", "astuta"},
	{"Cheerful", "joyeux", "joyeuse", "alegre", "alegre"},
	{"Gentle", "doux", "douce", "amable", "amable"},
	{"Bright", "brillant", "brillante", "brillante", "brillante"},
	{"Swift", "rapide", "rapide", "veloz", "veloz"},
	{"Patient", "patient", "patiente", "paciente", "paciente"},
	{"Thoughtful", "pensif", "pensive", "pensativo", "pensativa"},
	{"Bold", "hardi", "hardie", "audaz", "audaz"},
	{"Kind", "aimable", "aimable", "bondadoso", "bondadosa"},
	{"Lively", "vif", "vive", "vivaz", "vivaz"},
	{"Wise", "sage", "sage", "sabio", "sabia"},
	{"Friendly", "amical", "amicale", "simpático", "simpática"},
	{"Playful", "joueur", "joueuse", "juguetón", "juguetona"},
}

// friendlyName makes a generated name in lang (en, es, fr; anything else is
// English) that no member in taken has, if one of a few tries finds one, else
// with a number.
func friendlyName(lang string, taken func(string) bool) string {
	var name string
	for try := 0; try < 12; try++ {
		name = compose(lang, rand.IntN(len(adjectives)), rand.IntN(len(animals)))
		if !taken(name) {
			return name
		}
	}
	for n := 2; ; n++ {
		if c := name + " " + strconv.Itoa(n); !taken(c) {
			return c
		}
	}
}

func compose(lang string, adj, ani int) string {
	a, n := adjectives[adj], animals[ani]
	switch lang {
	case "fr":
		w := a.frM
		if n.frF {
			w = a.frF
		}
		return upperFirst(n.fr) + " " + w
	case "es":
		w := a.esM
		if n.esF {
			w = a.esF
		}
		return upperFirst(n.es) + " " + w
	}
	return a.en + " " + n.en
}

func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// language picks a generated name's language from a page's lang value.
func language(lang string) string {
	lang = strings.ToLower(lang)
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	switch lang {
	case "fr", "es":
		return lang
	}
	return "en"
}
