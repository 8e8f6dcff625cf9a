package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// chunkFetched is how many times the page fetched the live classroom's chunk (the
// file the manifest names), by the browser's resource timing.
const chunkFetched = `(() => { const m = JSON.parse(document.getElementById('manifest').textContent);
	return performance.getEntriesByType('resource').filter(r => new URL(r.name).pathname.endsWith('/' + m.live)).length; })()`

// chunkLoaded is how many of those fetches brought it.
const chunkLoaded = `(() => { const m = JSON.parse(document.getElementById('manifest').textContent);
	return performance.getEntriesByType('resource').filter(r => new URL(r.name).pathname.endsWith('/' + m.live) && r.responseStatus === 200).length; })()`

// TestLiveChunkOnlyWhenAsked: the live classroom's code is a chunk of its own that
// a visitor who never goes live never downloads. Go live and Join a class are
// offered as soon as the server says live is there, before the chunk; Go live
// with the network gone says so in the page's words and offers Try again, which
// works once the device is back; Join takes a code typed before the chunk is
// there.
func TestLiveChunkOnlyWhenAsked(t *testing.T) {
	base := strings.TrimSuffix(startServer(t, siteDir).URL, "/")
	b, err := os.ReadFile(filepath.Join(root, "assets", "lang", "en.json"))
	if err != nil {
		t.Fatal(err)
	}
	var words struct {
		Live map[string]any `json:"live"`
	}
	if err := json.Unmarshal(b, &words); err != nil {
		t.Fatal(err)
	}
	loadFailed, _ := words.Live["loadFailed"].(string)
	if loadFailed == "" {
		t.Fatal("en.json has no live.loadFailed")
	}

	// The presenter: Go live is there before any of the live code is.
	p := openAlone(t, base+"/?present=1&step=3&paused=1", 1280, 720, 1)
	p.waitReady()
	p.wait(`document.getElementById('app').dataset.live === 'available' && !document.getElementById('go-live').hidden && !document.getElementById('join-open').hidden`)
	if n := eval[int](p, chunkFetched); n != 0 {
		t.Fatalf("a cold load fetched the live chunk %d times before live was asked for", n)
	}
	at := eval[[]float64](p, `(() => { const r = document.getElementById('go-live').getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`)

	// The network goes; Go live says what happened and stays offered.
	p.offline(true)
	p.do(chromedp.Click("#go-live"))
	p.wait(`!document.getElementById('live-problem').hidden && document.getElementById('live-problem-text').textContent.length > 0`)
	if got := eval[string](p, `document.getElementById('live-problem-text').textContent`); got != loadFailed {
		t.Errorf("the problem card says %q, want %q", got, loadFailed)
	}
	if got := eval[string](p, `document.activeElement && document.activeElement.id`); got != "live-problem-retry" {
		t.Errorf("focus is on %q after the failure, want Try again", got)
	}
	if eval[bool](p, `document.getElementById('go-live').hidden`) || eval[string](p, `document.getElementById('app').dataset.live`) != "available" {
		t.Error("after a chunk that could not load, Go live is no longer offered")
	}
	now := eval[[]float64](p, `(() => { const r = document.getElementById('go-live').getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`)
	if !sameRect(at, now) {
		t.Errorf("Go live moved from %v to %v", at, now)
	}
	// Back online, Try again goes live.
	p.offline(false)
	p.do(chromedp.Click("#live-problem-retry"))
	p.wait(`document.getElementById('app').dataset.live === 'presenter live' && /^[2-9A-HJKMNP-Z]{3} [2-9A-HJKMNP-Z]{3}$/.test(document.getElementById('live-code').textContent)`)
	if !eval[bool](p, `document.getElementById('live-problem').hidden`) {
		t.Error("the problem card stays after going live")
	}
	if n := eval[int](p, chunkLoaded); n != 1 {
		t.Errorf("the chunk was loaded %d times, want once", n)
	}
	code := strings.ReplaceAll(eval[string](p, `document.getElementById('live-code').textContent`), " ", "")

	// A student: Join a class opens its dialog at once, also with the network
	// gone; the code typed then is refused in the dialog's words, and taken once
	// the device is back (through the chunk, loaded once).
	s := openAlone(t, base+"/?paused=1", 390, 844, 2)
	s.waitReady()
	s.wait(`document.getElementById('app').dataset.live === 'available' && !document.getElementById('join-open').hidden`)
	if n := eval[int](s, chunkFetched); n != 0 {
		t.Fatalf("the student's page fetched the live chunk %d times before Join", n)
	}
	s.offline(true)
	s.do(chromedp.Click("#join-open"))
	s.wait(`document.getElementById('join').open`)
	s.do(chromedp.SetValue("#join-code", strings.ToLower(code[:3]+" "+code[3:])), chromedp.Click("#join-submit"))
	s.wait(`document.getElementById('join-error').textContent.length > 0`)
	if got := eval[string](s, `document.getElementById('join-error').textContent`); got != loadFailed {
		t.Errorf("the join dialog says %q, want %q", got, loadFailed)
	}
	if !eval[bool](s, `document.getElementById('join').open`) || eval[string](s, `location.search`) != "?paused=1" {
		t.Error("a join that could not load the chunk closed the dialog or left the page")
	}
	s.offline(false)
	s.do(chromedp.Click("#join-submit"))
	s.wait(`document.getElementById('app').dataset.live === 'follower live'`)
	waitLiveStep(s, 3)
	if n := eval[int](s, chunkLoaded); n != 1 {
		t.Errorf("the student's page loaded the chunk %d times, want once", n)
	}
	p.wait(`document.getElementById('live-count').textContent.startsWith('1 ')`)
}

func sameRect(a, b []float64) bool {
	for i := range a {
		if d := a[i] - b[i]; d > 0.5 || d < -0.5 {
			return false
		}
	}
	return len(a) == len(b)
}

// TestColdLoadFetchesWhatItShows: a visitor who neither goes live nor prints
// downloads neither the live classroom's chunk nor the handout's light picture
// (the build's projector placeholder): the handout's picture is the program's,
// asked for once it draws. With the projector palette chosen, its picture is
// fetched.
func TestColdLoadFetchesWhatItShows(t *testing.T) {
	base := strings.TrimSuffix(mainServer(t), "/")
	const fetched = `(() => performance.getEntriesByType('resource').map(r => new URL(r.name).pathname))()`
	tb := open(t, base+"/?paused=1", 1280, 720)
	tb.waitReady()
	tb.wait(`document.getElementById('print').dataset.fresh === 'true' && !!document.querySelector('#print .print-picture svg')`)
	for _, p := range eval[[]string](tb, fetched) {
		// The English words are in the page; the live classroom's chunk and the
		// projector's picture are fetched when asked for.
		if strings.Contains(p, "/assets/live.") || strings.Contains(p, "placeholder-projector") || strings.Contains(p, "/assets/lang/en.") {
			t.Errorf("a cold load fetched %s, which it does not show", p)
		}
	}
	if eval[bool](tb, `!!document.querySelector('#print .print-picture img')`) {
		t.Error("the handout still holds the build's picture once the program's is there")
	}
	pj := open(t, base+"/?paused=1&colorProfile=projector", 1280, 720)
	pj.waitReady()
	pj.wait(`performance.getEntriesByType('resource').some(r => r.name.includes('placeholder-projector'))`)
}
