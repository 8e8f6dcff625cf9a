package e2e

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// go test -run Shots with SHOTS="url-suffix|w|h|name;..." saves screenshots.
func TestShots(t *testing.T) {
	spec := os.Getenv("SHOTS")
	if spec == "" {
		t.Skip()
	}
	for _, s := range strings.Split(spec, ";") {
		f := strings.Split(s, "|")
		var w, h int
		fmt.Sscan(f[1], &w)
		fmt.Sscan(f[2], &h)
		tb := open(t, mainServer(t)+f[0], w, h)
		tb.waitReady()
		if len(f) > 4 {
			eval[any](tb, f[4])
			tb.sleep(1500e6)
		}
		tb.screenshot(f[3])
		if es := tb.consoleErrors(); len(es) > 0 {
			t.Log(es)
		}
	}
}
