package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// TestTapSelects: on a touch screen a tap on the picture selects what is there,
// as a click does, and a second finger's tap elsewhere selects that; a finger
// resting on the screen is one tap, not one a frame.
func TestTapSelects(t *testing.T) {
	tb := open(t, mainServer(t)+"?paused=1", 1280, 720)
	if _, err := chromedp.Call(tb.ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 2}); err != nil {
		t.Fatal(err)
	}
	tb.navigate(mainServer(t) + "?paused=1")
	tb.waitReady()
	s, _ := model(t, tb)
	first := map[string][2]float64{}
	for _, p := range s.Probes() {
		if p.Target.Person < 0 {
			if _, ok := first[p.Target.Part.String()]; !ok {
				first[p.Target.Part.String()] = [2]float64{p.X, p.Y}
			}
		}
	}
	touch := func(kind input.DispatchTouchEventType, pts ...[2]float64) {
		t.Helper()
		var tp []*input.TouchPoint
		for i, p := range pts {
			id := float64(i + 1)
			tp = append(tp, &input.TouchPoint{X: p[0], Y: p[1], ID: &id})
		}
		ctx, cancel := context.WithTimeout(tb.ctx, patience)
		defer cancel()
		if _, err := chromedp.Call(ctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: kind, TouchPoints: tp}); err != nil {
			t.Fatal(err)
		}
	}
	title := func(want string) string {
		return fmt.Sprintf(`document.getElementById('panel-title').textContent.includes(%q)`, want)
	}
	cop, pln := first["cop"], first["pln"]
	touch(input.DispatchTouchEventTypeTouchStart, cop)
	tb.wait(title("Community of Practice"))
	touch(input.DispatchTouchEventTypeTouchEnd)
	// A finger held on the ring, a second one taps the network.
	touch(input.DispatchTouchEventTypeTouchStart, cop)
	touch(input.DispatchTouchEventTypeTouchStart, cop, pln)
	tb.wait(title("Personal Learning Network"))
	touch(input.DispatchTouchEventTypeTouchEnd)
	tb.noConsoleErrors()
}
