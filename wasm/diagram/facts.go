package diagram

import "strconv"

// Facts about the diagram that the page, the server and the build need as well as
// the model. They are written here once; the build hands them to the page and the
// server in its manifest, so that neither keeps a copy of its own.

// AspectRatio is the shape (width over height) the diagram is designed for: the
// embed code's frame, the oEmbed frame and the thumbnail have it.
const AspectRatio = 16.0 / 10

// Speeds are the speed factors a person can choose (and ?speed= accepts).
var Speeds = [...]float64{0.5, 1, 2}

// Parts lists the parts a person can select, in the order the page presents them.
func Parts() []Part {
	out := make([]Part, 0, numParts-1)
	for p := PartConnectivism; p < numParts; p++ {
		out = append(out, p)
	}
	return out
}

// Colour names the palette field that colours the part in the picture, for the
// swatches beside its name on the page.
func (p Part) Colour() string {
	switch p {
	case PartConnectivism:
		return "brain"
	case PartCoP:
		return "cop"
	case PartPLN:
		return "pln"
	case PartConnections:
		return "pulse"
	}
	return ""
}

// ClampStep brings a step number into 1..NumSteps. It is the one rule for a step
// out of range, wherever one comes from.
func ClampStep(n int) int { return max(1, min(NumSteps, n)) }

// StepShows reports whether step n (clamped) shows the part: a selection of a part
// the step does not show is dropped when the step opens.
func StepShows(n int, p Part) bool { return shows(&stepTargets[ClampStep(n)], p) }

func shows(target *[numChannels]float64, p Part) bool {
	switch p {
	case PartConnectivism:
		return target[chBrain] > 0
	case PartCoP:
		return target[chCoP] > 0
	case PartPLN:
		return target[chPLN] > 0
	case PartConnections:
		return target[chPulses] > 0
	}
	return true
}

// Option is one option of the page's address (?name=value).
type Option struct {
	Name string
	// Values are the accepted values, in the order a menu lists them. For a flag
	// they are the spellings of "on", and Off lists those of "off".
	Values []string
	Off    []string
	Flag   bool
	// Default is the value in force when the address has none ("" for a flag, which
	// is off, and where the page decides: the system's motion setting, the
	// browser's language).
	Default string
	// Languages marks the option whose values are the site's languages, which the
	// build knows and the model does not.
	Languages bool
}

// flagOn and flagOff are how the address may say yes and no.
var (
	flagOn  = []string{"1", "", "true", "yes"}
	flagOff = []string{"0", "false", "no"}
)

// PageOptions lists the options of the page's address and the values each accepts.
// The page reads them, the oEmbed provider carries the valid ones into its frames.
func PageOptions() []Option {
	steps := make([]string, NumSteps)
	for i := range steps {
		steps[i] = strconv.Itoa(i + 1)
	}
	profiles := make([]string, numProfiles)
	for i := range profiles {
		profiles[i] = Profile(i).String()
	}
	speeds := make([]string, len(Speeds))
	for i, s := range Speeds {
		speeds[i] = strconv.FormatFloat(s, 'f', -1, 64)
	}
	flag := func(name string) Option { return Option{Name: name, Values: flagOn, Off: flagOff, Flag: true} }
	return []Option{
		flag("present"),
		{Name: "step", Values: steps, Default: "1"},
		{Name: "colorProfile", Values: profiles, Default: ProfileDark.String()},
		{Name: "lang", Languages: true},
		{Name: "motion", Values: []string{"full", "reduce"}},
		flag("paused"),
		{Name: "speed", Values: speeds, Default: "1"},
		flag("embed"),
	}
}
