package e2e

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/connectedlearning/diagram/wasm/diagram"
)

// heldWasm holds the program's download back (DevTools' Fetch domain pauses every
// request for a .wasm) until release, so that a test explores the page as a person
// on a slow network does before the program arrives.
type heldWasm struct {
	tb       *tab
	mu       sync.Mutex
	held     []fetch.RequestID
	released bool
}

func holdWasm(tb *tab) *heldWasm {
	tb.t.Helper()
	h := &heldWasm{tb: tb}
	ctx := tb.ctx
	if err := chromedp.Listen(ctx, func(ev any) {
		e, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.released { // a request after the release goes on at once
			go chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: e.RequestID})
			return
		}
		h.held = append(h.held, e.RequestID)
	}); err != nil {
		tb.t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{
		{URLPattern: "*.wasm*", RequestStage: fetch.RequestStageRequest},
	}}); err != nil {
		tb.t.Fatal(err)
	}
	return h
}

// openHeld opens url in a tab of its own with the program's download held back,
// once the page has asked for it.
func openHeld(t *testing.T, url string) (*tab, *heldWasm) {
	t.Helper()
	tb := open(t, "", 1280, 720)
	held := holdWasm(tb)
	tb.navigate(url)
	held.waitHeld()
	return tb, held
}

// waitHeld waits until the page has asked for the program (and been kept waiting).
func (h *heldWasm) waitHeld() {
	h.tb.t.Helper()
	h.tb.waitUntil("the wasm to be requested", func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		return len(h.held) > 0
	})
}

func (h *heldWasm) release() {
	h.tb.t.Helper()
	h.mu.Lock()
	ids := h.held
	h.held, h.released = nil, true
	h.mu.Unlock()
	for _, id := range ids {
		if _, err := chromedp.Call(h.tb.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: id}); err != nil {
			h.tb.t.Fatal(err)
		}
	}
}

// probesOf returns the first probe of each kind of target: the parts, and a
// person and a resource of each ring.
func probesOf(s *diagram.Scene) map[string]diagram.Probe {
	out := map[string]diagram.Probe{}
	for _, p := range s.Probes() {
		key := p.Target.Part.String()
		if m, ok := s.Member(p.Target.Person); ok {
			key += "-" + map[bool]string{true: "resource", false: "person"}[m.Kind.Resource()]
			if m.Joined {
				key = "newcomer"
			}
		}
		if _, ok := out[key]; !ok {
			out[key] = p
		}
	}
	return out
}

// haloShown says whether the placeholder marks a target (a part, or "m<i>" for
// member i), and how strongly.
func haloShown(key string) string {
	return fmt.Sprintf(`(h => h && h.getAttribute('display') === 'inline' ? (h.style.opacity || '1') : '')(document.querySelector('svg.ph-dark [data-halo=%q]'))`, key)
}

// Before the program has downloaded, the picture the page shows is the diagram to
// explore: hover marks what is under the pointer with the pointer cursor, a click
// opens its panel, the labels and the keys work, the steps show their parts. When
// the program arrives, it takes over what was selected, hovered, the step and the
// focus, and its events say it draws the same.
func TestExploreBeforeTheProgram(t *testing.T) {
	tb, held := openHeld(t, mainServer(t)+"?paused=1&present=1&step=2")
	tb.wait(`document.querySelector('svg.ph-dark [data-part]') && document.querySelector('#panel-body .part-list')`)
	if st := eval[string](tb, `document.getElementById('app').dataset.state`); st != "loading" {
		t.Fatalf("the page is %q while its program is held back", st)
	}
	// The placeholder is the whole picture (steps hide what they do not show yet):
	// the model's whole picture on this stage says where its shapes are.
	s, _ := model(t, tb)
	probes := probesOf(s)
	// Hover: the pointer cursor, the halo, the name.
	cop := probes["cop"]
	tb.do(chromedp.MouseEvent("mouseMoved", cop.X, cop.Y))
	tb.wait(haloShown("cop") + ` === '0.7'`)
	if c := eval[string](tb, fmt.Sprintf(`getComputedStyle(document.elementFromPoint(%g, %g)).cursor`, cop.X, cop.Y)); c != "pointer" {
		t.Errorf("over the ring the cursor is %q, want pointer", c)
	}
	if title := eval[string](tb, `document.getElementById('placeholder').title`); title != "Community of Practice" {
		t.Errorf("over the ring the picture is titled %q", title)
	}
	// Its people are drawn in stronger colours, as on the canvas; the brain is not.
	hot := `[...document.querySelectorAll('svg.ph-dark [data-part=%q]')].filter(g => getComputedStyle(g).filter.includes('ph-emph')).length`
	tb.wait(fmt.Sprintf(hot, "cop") + ` > 0`)
	if n := eval[int](tb, fmt.Sprintf(hot, "connectivism")); n != 0 {
		t.Errorf("with the ring hovered, %d groups of the brain are emphasised", n)
	}
	tb.screenshot("explore-hover-ring")
	tb.do(chromedp.MouseEvent("mouseMoved", 3, 700))
	tb.wait(haloShown("cop") + ` === ''`)
	tb.wait(fmt.Sprintf(hot, "cop") + ` === 0`)

	if c := eval[string](tb, `getComputedStyle(document.elementFromPoint(3, 700)).cursor`); c == "pointer" {
		t.Error("the pointer cursor over empty space")
	}
	// Step 2 shows the brain and the ring, not the network yet.
	if n := eval[int](tb, `[...document.querySelectorAll('svg.ph-dark [data-part="pln"]')].filter(g => getComputedStyle(g).display !== 'none').length`); n != 0 {
		t.Errorf("at step 2 the placeholder shows %d groups of the network", n)
	}
	// A click on the ring opens its panel and marks it.
	tb.click(cop.X, cop.Y)
	tb.wait(`document.getElementById('panel-title').textContent.includes('Community of Practice')`)
	tb.wait(haloShown("cop") + ` === '1'`)
	if o := eval[string](tb, `document.querySelector('svg.ph-dark [data-part="connectivism"]').style.opacity`); o != "0.42" {
		t.Errorf("with the ring selected the brain's opacity is %q, want 0.42 as on the canvas", o)
	}
	// A person of the ring says who they are.
	person := probes["cop-person"]
	tb.click(person.X, person.Y)
	tb.wait(`document.getElementById('panel-body').innerText.includes('Part of')`)
	tb.wait(haloShown(fmt.Sprintf("m%d", person.Target.Person)) + ` === '1'`)
	// The keys step: the network appears at step 3 (and the newcomer is not in the
	// ring before step 5).
	eval[any](tb, `document.getElementById('panel-title').focus(), null`)
	tb.do(chromedp.KeyEvent(kb.ArrowRight))
	tb.wait(`document.getElementById('step-count').textContent.includes('3')`)
	tb.wait(`[...document.querySelectorAll('svg.ph-dark [data-part="pln"]')].some(g => getComputedStyle(g).display !== 'none')`)
	if n := eval[int](tb, `(i => i < 0 ? -1 : [...document.querySelectorAll('svg.ph-dark [data-member="' + i + '"]')].filter(g => getComputedStyle(g).display !== 'none').length)(JSON.parse(document.getElementById('manifest').textContent).members.findIndex(m => m.kind === 'newcomer'))`); n != 0 {
		t.Errorf("at step 3 the newcomer is drawn in the ring (%d groups)", n)
	}
	// A label, by the keyboard: focus marks its part, Enter selects it.
	eval[any](tb, `document.querySelector('.label[data-part="connectivism"]').focus(), null`)
	tb.wait(haloShown("connectivism") + ` === '1'`)
	tb.do(chromedp.KeyEvent(kb.Enter))
	tb.wait(`document.getElementById('panel-title').textContent.includes('Connectivism')`)
	// A resource of the network, by a click.
	res := probes["pln-resource"]
	tb.click(res.X, res.Y)
	tb.wait(`document.getElementById('panel-body').innerText.includes('Personal Learning Network')`)
	resTitle := eval[string](tb, `document.getElementById('panel-title').textContent`)
	// The state to hand over: a member selected, the brain hovered, focus on the
	// network's label.
	plnPerson := probes["pln-person"]
	tb.click(plnPerson.X, plnPerson.Y)
	tb.wait(fmt.Sprintf(`document.getElementById('panel-title').textContent !== %q && document.getElementById('panel-body').innerText.includes('Part of')`, resTitle))
	brain := probes["connectivism"]
	tb.do(chromedp.MouseEvent("mouseMoved", brain.X, brain.Y))
	tb.wait(haloShown("connectivism") + ` === '0.7'`)
	eval[any](tb, `document.querySelector('.label[data-part="pln"]').focus(), null`)
	tb.screenshot("explore-placeholder")
	reportAxe(t, "before the program", runAxe(t, tb))
	// Record the program's events and what the panel holds, then let it come.
	eval[any](tb, `(() => {
		window.programEvents = [];
		const b = window.diagramBridge, on = b.onEvent;
		b.onEvent = function (name, e) { window.programEvents.push([name, JSON.parse(JSON.stringify(e || {}))]); return on.call(this, name, e); };
		window.panelBefore = document.getElementById('panel-body').firstChild;
		window.stageBefore = JSON.stringify(document.getElementById('stage').getBoundingClientRect());
	})(), null`)
	panelText := eval[string](tb, `document.getElementById('panel-body').innerText`)
	held.release()
	tb.waitReady()
	// The program draws the member selected and the brain hovered: its first
	// reports say so (it reports what it shows, and a member of a part the step
	// does not show could not have been selected).
	tb.wait(fmt.Sprintf(`programEvents.some(([n, e]) => n === 'select' && e.person === %d && e.part === 'pln')`, plnPerson.Target.Person))
	tb.wait(`programEvents.some(([n, e]) => n === 'hover' && e.part === 'connectivism' && e.person === -1)`)
	tb.wait(`programEvents.some(([n, e]) => n === 'anchors' && e.anchors.find(a => a.part === 'pln').shown)`)
	if got := eval[string](tb, `document.activeElement.classList.contains('label') ? document.activeElement.dataset.part : document.activeElement.tagName`); got != "pln" {
		t.Errorf("after the hand-over focus is on %s, want the network's label", got)
	}
	if !eval[bool](tb, `document.getElementById('panel-body').firstChild === window.panelBefore`) {
		t.Error("the panel was drawn again at the hand-over")
	}
	if got := eval[string](tb, `document.getElementById('panel-body').innerText`); got != panelText {
		t.Errorf("the panel changed at the hand-over:\n%s\nwas\n%s", got, panelText)
	}
	if !eval[bool](tb, `JSON.stringify(document.getElementById('stage').getBoundingClientRect()) === window.stageBefore`) {
		t.Error("the stage moved at the hand-over")
	}
	if got := eval[string](tb, `document.getElementById('step-count').textContent`); !strings.Contains(got, "3") {
		t.Errorf("after the hand-over the step is %q", got)
	}
	tb.screenshot("explore-live")
	// The canvas has taken over: the picture no longer takes the pointer.
	if eval[bool](tb, fmt.Sprintf(`!!document.elementFromPoint(%g, %g).closest('#placeholder')`, brain.X, brain.Y)) {
		t.Error("the placeholder still takes the pointer after the hand-over")
	}
	tb.noConsoleErrors()
}

// The program's first picture is drawn with what the page queued for it while it
// loaded (here a selection made on the explorable picture), however long the page
// takes to answer the program's connection: where the program runs in the page's
// worker that answer is a round trip, and here the page's main thread is held for
// 2 s as it arrives (as a busy page's would be). The program's first report of
// the selection comes before its first frame is shown, not after it, so the
// placeholder does not fade over a picture without it. (Chromium holds a
// worker's animation frames while the page's main thread is held, as traced
// here: the worker's frames waiting for the page's answer, assets/warm.js, keep
// this from depending on that.)
func TestFirstPictureWaitsForThePagesAnswer(t *testing.T) {
	tb, held := openHeld(t, mainServer(t)+"?paused=1")
	tb.wait(`document.querySelector('svg.ph-dark [data-part]')`)
	s, _ := model(t, tb)
	cop := probesOf(s)["cop"]
	tb.click(cop.X, cop.Y)
	tb.wait(`document.getElementById('panel-title').textContent.includes('Community of Practice')`)
	eval[any](tb, `(() => {
		window.programEvents = [];
		const b = window.diagramBridge, on = b.onEvent, connected = b.connected;
		b.onEvent = function (name, e) { window.programEvents.push(name === 'select' ? name + ':' + (e && e.part) : name); return on.call(this, name, e); };
		b.connected = function () {
			const t0 = performance.now();
			while (performance.now() - t0 < 2000) {}
			return connected.apply(this, arguments);
		};
	})(), null`)
	held.release()
	tb.waitReady()
	tb.wait(`programEvents.includes('select:cop')`)
	if !eval[bool](tb, `performance.getEntriesByName('diagram-go-run')[0].detail.worker === true`) {
		t.Log("the program ran on the page's main thread, where the page answers in the connection's own call")
	}
	if ev := eval[[]string](tb, `programEvents`); indexOf(ev, "select:cop") > indexOf(ev, "ready") {
		t.Errorf("the program's first picture was drawn before the page's selection reached it: %v", ev)
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return len(list)
}

// In the projector palette the page fetches that palette's picture, which is as
// explorable, and its ids are its own.
func TestExploreProjectorPaletteBeforeTheProgram(t *testing.T) {
	tb, held := openHeld(t, mainServer(t)+"?paused=1&colorProfile=projector")
	tb.wait(`document.querySelector('svg.ph-projector [data-part]') && document.querySelector('#panel-body .part-list')`)
	if !eval[bool](tb, `getComputedStyle(document.querySelector('svg.ph-dark')).display === 'none' && getComputedStyle(document.querySelector('svg.ph-projector')).display !== 'none'`) {
		t.Error("the projector palette does not show its own picture")
	}
	if n := eval[int](tb, `(ids => ids.length - new Set(ids).size)([...document.querySelectorAll('[id]')].map(e => e.id))`); n != 0 {
		t.Errorf("%d ids are used twice in the page with both pictures in it", n)
	}
	s, _ := model(t, tb)
	pln := probesOf(s)["pln"]
	tb.click(pln.X, pln.Y)
	tb.wait(`document.getElementById('panel-title').textContent.includes('Personal Learning Network')`)
	tb.wait(`(h => h && h.getAttribute('display') === 'inline')(document.querySelector('svg.ph-projector [data-halo="pln"]'))`)
	tb.screenshot("explore-projector")
	held.release()
	tb.waitReady()
	tb.noConsoleErrors()
}
