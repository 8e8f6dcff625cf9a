package diagram

import "strings"

// Kind is what a member of the picture is: a person, or, in the network, a resource
// (the source, after Curran, calls a PLN a "self-created set of experts, colleagues,
// and resources").
type Kind uint8

const (
	KindPerson  Kind = iota
	KindBook         // a book a colleague recommended
	KindVideo        // a screen playing a video
	KindPodcast      // headphones: a podcast you follow
	KindArticle      // a page of an article or a blog post
	numKinds
)

var kindNames = [...]string{"person", "book", "video", "podcast", "article"}

// String returns the kind's id, as in content files and the page's messages.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return ""
}

// Resource reports whether the kind is a resource rather than a person.
func (k Kind) Resource() bool { return k > KindPerson && k < numKinds }

// ParseKind reads a kind's id; ok is false for anything unknown.
func ParseKind(s string) (Kind, bool) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), true
		}
	}
	return KindPerson, false
}

// resourceKindList names the resource kinds for error messages: "book, video, ...".
func resourceKindList() string { return strings.Join(kindNames[KindBook:], ", ") }

// Member says who member i of the picture is, for the page's words: the part it
// belongs to now (the ring or the network), what it is, and its index into the
// language file's word list for that (roles.cop, roles.pln, or resources.<kind>).
// Joined marks the network's person who walked in and joined the ring (step 5): the
// words for it are roles.newcomer.
type Member struct {
	Part   Part
	Kind   Kind
	Joined bool
	Class  bool // a student of a live session, in a seat of the network; Role is the seat
	Role   int
}

// Words names the list of the language file that describes the member: "person",
// "newcomer", "class" (a student: the page has their name), or a resource kind.
func (m Member) Words() string {
	if m.Joined {
		return "newcomer"
	}
	if m.Class {
		return "class"
	}
	return m.Kind.String()
}

// Member returns who member i is now; ok is false for an index out of range.
func (s *Scene) Member(i int) (m Member, ok bool) {
	if i < 0 || i >= len(s.people) {
		return Member{}, false
	}
	p := &s.people[i]
	part := s.personPart(i)
	return Member{Part: part, Kind: p.kind, Joined: !p.founding && part == PartCoP, Class: p.class, Role: p.role}, true
}

// Members lists every member of the picture as it is now, by index: the ring's
// founding members, then the network's people, its resources, and the class's seats.
func (s *Scene) Members() []Member {
	out := make([]Member, len(s.people))
	for i := range out {
		out[i], _ = s.Member(i)
	}
	return out
}
