package e2e

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// Without Chromium, make test skips the browser tests, every one of them, and
// passes; with CI=true a missing Chromium fails the run. The suite's own binary is
// run again with a PATH that has no browser on it.
func TestWithoutChromiumTheBrowserTestsSkip(t *testing.T) {
	if os.Getenv("DIAGRAM_E2E_INNER") != "" {
		t.Skip("the run without Chromium itself")
	}
	if testing.Short() {
		t.Skip("runs the suite again")
	}
	run := func(ci bool) (string, error) {
		cmd := exec.Command(os.Args[0], "-test.v", "-test.count=1")
		var env []string
		for _, e := range os.Environ() {
			if !strings.HasPrefix(e, "PATH=") && !strings.HasPrefix(e, "CHROMIUM=") && !strings.HasPrefix(e, "CI=") {
				env = append(env, e)
			}
		}
		env = append(env, "PATH="+t.TempDir(), "DIAGRAM_E2E_INNER=1")
		if ci {
			env = append(env, "CI=true")
		}
		cmd.Env = env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		return out.String(), err
	}

	out, err := run(false)
	if err != nil {
		t.Fatalf("without Chromium the browser tests fail (%v):\n%s", err, out)
	}
	skipped := len(regexp.MustCompile(`(?m)^--- SKIP: `).FindAllString(out, -1))
	if n := len(regexp.MustCompile(`(?m)^\s*--- (PASS|FAIL): `).FindAllString(out, -1)); n > 0 || skipped < 30 {
		t.Errorf("without Chromium %d tests passed or failed and %d were skipped; want every one skipped:\n%s", n, skipped, out)
	}
	if !strings.Contains(out, "Chromium is not installed") {
		t.Errorf("the run does not say why it skipped:\n%s", out)
	}

	out, err = run(true)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || !strings.Contains(out, "CI=true requires the browser tests") {
		t.Errorf("with CI=true and no Chromium the run did not fail (%v):\n%s", err, out)
	}
}
