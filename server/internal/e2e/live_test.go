package e2e

import (
	"context"
	"fmt"
	"image"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	goqr "github.com/piglig/go-qr"
)

// recordBridge records, in every document of the tab, the program's events of the
// class (window.__class: the latest {seats, overflow, capacity}) and the page's
// connection commands to the program (window.__connections: student numbers).
const recordBridge = `(() => {
	window.__class = null;
	window.__connections = [];
	let b;
	Object.defineProperty(window, 'diagramBridge', { configurable: true, get() { return b; }, set(v) {
		b = v;
		const on = v.onEvent;
		v.onEvent = function (name, e) { if (name === 'class') window.__class = JSON.parse(JSON.stringify(e)); return on.apply(this, arguments); };
		let cmd;
		Object.defineProperty(v, 'command', { configurable: true, get() { return cmd; }, set(f) {
			cmd = typeof f === 'function' ? function (name, arg) { if (name === 'connection') window.__connections.push(arg); return f.apply(this, arguments); } : f;
		} });
	} });
})()`

// openAlone opens url in a tab of a browser context of its own (its own storage
// and network conditions, like another person's device), with the bridge recorded.
func openAlone(t *testing.T, url string, w, h int, dpr float64) *tab {
	t.Helper()
	return open(t, url, w, h, withDPR(dpr), alone(), withScript(recordBridge))
}

// offline cuts the tab's device off the network (requests and sockets fail, and
// the page hears offline), or brings it back.
func (tb *tab) offline(off bool) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, patience)
	defer cancel()
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		tb.t.Fatal(err)
	}
	conds := []*network.Conditions{}
	if off {
		conds = append(conds, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
	}
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: conds}); err != nil {
		tb.t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		tb.t.Fatal(err)
	}
}

func waitLiveStep(tb *tab, n int) {
	tb.t.Helper()
	tb.wait(fmt.Sprintf(`document.getElementById('step-count').textContent === '%d / 6' && document.getElementById('app').classList.contains('presenting')`, n))
}

// diffBox is the box of the stage's pixels that differ between two screenshots,
// and how many do.
func diffBox(a, b image.Image, stage image.Rectangle) (image.Rectangle, int) {
	box, n := image.Rectangle{}, 0
	for y := stage.Min.Y; y < stage.Max.Y; y++ {
		for x := stage.Min.X; x < stage.Max.X; x++ {
			r1, g1, b1 := rgb(a.At(x, y))
			r2, g2, b2 := rgb(b.At(x, y))
			if math.Abs(r1-r2)+math.Abs(g1-g2)+math.Abs(b1-b2) > 40 {
				p := image.Rect(x, y, x+1, y+1)
				if n == 0 {
					box = p
				} else {
					box = box.Union(p)
				}
				n++
			}
		}
	}
	return box, n
}

func stageRect(tb *tab) image.Rectangle {
	r := eval[[]float64](tb, `(() => { const r = document.getElementById('stage').getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })()`)
	return image.Rect(int(r[0]*tb.dpr), int(r[1]*tb.dpr), int(r[2]*tb.dpr), int(r[3]*tb.dpr))
}

// TestLiveClassroom: a presenter and two students, each in a browser context of
// their own, on the real server with its embedded NATS. The students follow the
// steps; each appears in the presenter's outer ring (the program's class event,
// and a figure in the pixels, named on hover); a student's connection reaches the
// presenter's picture; a student who explores stops following and comes back; a
// device that goes offline catches up when it is back; the presenter's reload
// keeps control; ending the session tells everyone.
func TestLiveClassroom(t *testing.T) {
	start := time.Now()
	phase := func(what string) { t.Logf("%6.1fs %s", time.Since(start).Seconds(), what) }
	base := strings.TrimSuffix(startServer(t, siteDir).URL, "/")

	// The presenter, on a projector: light colours, paused so that the picture
	// changes only for what the class does.
	p := openAlone(t, base+"/?present=1&step=3&paused=1&colorProfile=projector", 1920, 1080, 1)
	p.waitReady()
	p.wait(`document.getElementById('app').dataset.live === 'available' && !document.getElementById('go-live').hidden`)
	if !eval[bool](p, `document.getElementById('join-open').hidden === false`) {
		// A presenter may also join another class: the Join button is offered too.
		t.Log("join not offered to the presenter")
	}
	p.do(chromedp.Click("#go-live"))
	p.wait(`document.getElementById('app').dataset.live === 'presenter live' && /^[2-9A-HJKMNP-Z]{3} [2-9A-HJKMNP-Z]{3}$/.test(document.getElementById('live-code').textContent)`)
	code := strings.ReplaceAll(eval[string](p, `document.getElementById('live-code').textContent`), " ", "")
	joinAddr := eval[string](p, `document.getElementById('live-url').textContent`)
	if want := strings.TrimPrefix(base, "http://") + "/?join=" + code; joinAddr != want {
		t.Errorf("join address %q, want %q", joinAddr, want)
	}
	// The secret is in the fragment, never in the query.
	loc := eval[[]string](p, `[location.search, location.hash]`)
	if !strings.HasPrefix(loc[1], "#live="+code+".") || strings.Contains(loc[0], "live") {
		t.Errorf("presenter address: search %q hash %q", loc[0], loc[1])
	}
	if n := eval[string](p, `document.getElementById('live-count').textContent`); !strings.HasPrefix(n, "0 ") {
		t.Errorf("joined count %q", n)
	}
	shot := p.screenshot("live-presenter-panel-1920")
	// The code is read from the back of the room: whole, on one line, inside its card.
	if fit := eval[[]float64](p, `(() => { const c = document.getElementById('live-code'), r = document.createRange(); r.selectNodeContents(c);
		const t = r.getBoundingClientRect(), k = c.closest('.live-card').getBoundingClientRect();
		return [t.right, k.right, t.height, parseFloat(getComputedStyle(c).lineHeight)]; })()`); fit[0] > fit[1] || fit[2] > 1.5*fit[3] {
		t.Errorf("the join code does not fit its card on one line: text right %.0f, card right %.0f, height %.0f, line %.0f", fit[0], fit[1], fit[2], fit[3])
	}
	// The QR code on the panel scans back to the join address (from the screenshot).
	p.wait(`!!document.querySelector('#live-qr svg')`)
	qr := eval[[]float64](p, `(() => { const r = document.getElementById('live-qr').getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })()`)
	if res, err := goqr.DecodeDetailed(cropped(shot, image.Rect(int(qr[0])-8, int(qr[1])-8, int(qr[2])+8, int(qr[3])+8))); err != nil {
		t.Errorf("the panel's QR code does not scan: %v", err)
	} else if !strings.HasSuffix(res.Text, "/?join="+code) || !strings.HasPrefix(res.Text, "http") {
		t.Errorf("the panel's QR code says %q, want the join address ending /?join=%s", res.Text, code)
	}
	p.do(chromedp.MouseEvent("mouseMoved", 5, 5))
	p.waitRest()
	stage := stageRect(p)
	before := p.screenshot("")

	phase("presenter live")
	// Student A opens the join address on a phone.
	a := openAlone(t, base+"/?join="+code+"&paused=1", 390, 844, 2)
	a.waitReady()
	a.wait(`document.getElementById('app').dataset.live === 'follower live'`)
	waitLiveStep(a, 3)
	aName := eval[string](a, `document.getElementById('follower-status').textContent`)
	if !strings.Contains(aName, code[:3]+" "+code[3:]) {
		t.Errorf("student's card %q does not name the class", aName)
	}

	phase("A joined")
	// A appears in the presenter's ring: the program seats them, and a figure is
	// drawn there, named on hover.
	p.wait(`window.__class && window.__class.seats.length === 1 && window.__class.overflow === 0`)
	p.wait(`document.getElementById('live-count').textContent.startsWith('1 ')`)
	p.waitRest()
	after := p.waitPicture("live-presenter-one-student", func(img image.Image) bool {
		_, n := diffBox(before, img, stage)
		return n > 40
	})
	box, n := diffBox(before, after, stage)
	if box.Dx() > stage.Dx()/6 || box.Dy() > stage.Dy()/6 {
		t.Errorf("the student's figure changed %d pixels over %v: more than one figure's place", n, box)
	}
	cx, cy := float64(box.Min.X+box.Max.X)/2, float64(box.Min.Y+box.Max.Y)/2
	p.do(chromedp.MouseEvent("mouseMoved", cx, cy))
	p.wait(`(() => { const c = document.querySelector('canvas'); const s = document.getElementById('roster').textContent; return c && c.title && s.includes(c.title.slice(0, 6)); })()`)
	hovered := eval[string](p, `document.querySelector('canvas').title`)
	if !strings.Contains(aName, hovered) {
		t.Errorf("hovering the new figure names %q; the student's card says %q", hovered, aName)
	}

	phase("A seen")
	// A takes a name of their own.
	a.do(chromedp.Click("#rename-open"))
	a.wait(`document.activeElement === document.getElementById('rename-input')`)
	a.do(chromedp.SetValue("#rename-input", "  Ada\u202e  Lovelace "), chromedp.Click(`#rename-form button[type=submit]`))
	a.wait(`document.getElementById('follower-status').textContent.includes('Ada Lovelace')`)
	p.wait(`document.querySelector('canvas').title === 'Ada Lovelace'`)

	phase("A renamed")
	// Student B types the code in the Join field, in lower case and with spaces.
	b := openAlone(t, base+"/?paused=1", 1280, 720, 1)
	b.waitReady()
	b.wait(`document.getElementById('app').dataset.live === 'available' && !document.getElementById('join-open').hidden`)
	b.do(chromedp.Click("#join-open"))
	b.wait(`document.activeElement === document.getElementById('join-code')`)
	typed := strings.ToLower(code[:3] + " " + code[3:])
	b.do(chromedp.SendKeys("#join-code", typed), chromedp.SendKeys("#join-name", "Grace"), chromedp.Click("#join-submit"))
	b.wait(`document.getElementById('app').dataset.live === 'follower live'`)
	waitLiveStep(b, 3)
	if st := eval[string](b, `document.getElementById('follower-status').textContent`); !strings.Contains(st, "Grace") {
		t.Errorf("B joined with the name Grace; the card says %q", st)
	}
	p.wait(`window.__class.seats.length === 2 && document.getElementById('live-count').textContent.startsWith('2 ')`)
	b.screenshot("live-student-1280")

	phase("B joined")
	// The presenter's steps drive the room.
	p.do(chromedp.Click("#next"))
	waitLiveStep(p, 4)
	waitLiveStep(a, 4)
	waitLiveStep(b, 4)
	a.screenshot("live-student-phone")

	phase("followed")
	// A sends a connection: the presenter's page tells its program, and a pulse
	// leaves A's figure on the presenter's screen.
	p.do(chromedp.MouseEvent("mouseMoved", 5, 5))
	p.waitRest()
	still := p.screenshot("")
	aNum := eval[float64](p, `window.__class.seats[0].id`)
	a.do(chromedp.Click("#send-connection"))
	p.wait(fmt.Sprintf(`window.__connections.includes(%v)`, aNum))
	pulse := p.waitPicture("live-presenter-pulse", func(img image.Image) bool {
		_, n := diffBox(still, img, stage)
		return n > 10
	})
	pb, _ := diffBox(still, pulse, stage)
	if !pb.Inset(-60).Overlaps(box) {
		t.Errorf("the pulse %v is not at the student's figure %v", pb, box)
	}

	phase("pulse seen")
	// B explores alone: no longer following, until Follow the presenter.
	b.do(chromedp.Click("#prev"))
	waitLiveStep(b, 3)
	b.wait(`!document.getElementById('follow').hidden`)
	p.do(chromedp.Click("#next"))
	waitLiveStep(a, 5)
	waitLiveStep(b, 3)
	b.do(chromedp.Click("#follow"))
	waitLiveStep(b, 5)
	b.wait(`document.getElementById('follow').hidden`)

	phase("explored")
	// B's device goes offline; the class moves on; B comes back and catches up,
	// as the same member.
	b.offline(true)
	b.wait(`document.getElementById('app').dataset.live === 'follower offline'`)
	p.do(chromedp.Click("#next"))
	waitLiveStep(a, 6)
	waitLiveStep(b, 5)
	b.offline(false)
	b.wait(`document.getElementById('app').dataset.live === 'follower live'`)
	waitLiveStep(b, 6)
	p.do(chromedp.Click("#live-class"))
	p.wait(`document.getElementById('class').open && document.querySelectorAll('#roster li').length === 2`)
	if names := eval[string](p, `[...document.querySelectorAll('#roster .roster-name')].map(e => e.textContent).join('|')`); names != "Ada Lovelace|Grace" {
		t.Errorf("the class after B came back: %q", names)
	}
	p.do(chromedp.Click("#class-close"))
	// The text description names the class under the network.
	p.wait(`(t => t.includes('Ada Lovelace') && t.includes('Grace'))(document.getElementById('desc-class').textContent)`)

	phase("offline done")
	// The presenter reloads: still in control, at the same step, same room.
	p.do(chromedp.Reload())
	p.waitReady()
	p.wait(`document.getElementById('app').dataset.live === 'presenter live'`)
	waitLiveStep(p, 6)
	if c := strings.ReplaceAll(eval[string](p, `document.getElementById('live-code').textContent`), " ", ""); c != code {
		t.Errorf("after a reload the code is %q, want %q", c, code)
	}
	p.do(chromedp.Click("#prev"))
	waitLiveStep(a, 5)
	waitLiveStep(b, 5)

	phase("reloaded")
	// Joining closed: a latecomer is told so (the page says it before its picture
	// is even drawn).
	p.do(chromedp.Click("#live-joining"))
	p.wait(`document.getElementById('live-joining').textContent === 'Open joining'`)
	c := openAlone(t, base+"/?join="+code+"&paused=1", 390, 844, 1)
	c.wait(`document.getElementById('app').dataset.live === 'follower failed' && document.getElementById('follower-status').textContent.includes('closed joining')`)

	// The presenter removes B, who is told; the count follows.
	p.do(chromedp.Click("#live-class"))
	p.wait(`document.getElementById('class').open && document.querySelectorAll('#roster li').length === 2`)
	p.do(chromedp.Click(`#roster li:nth-child(2) button`))
	p.wait(`document.querySelectorAll('#roster li').length === 1 && document.getElementById('live-count').textContent.startsWith('1 ')`)
	p.do(chromedp.Click("#class-close"))
	b.wait(`document.getElementById('app').dataset.live === 'follower failed' && document.getElementById('follower-status').textContent.includes('removed you')`)

	// Ending the session tells everyone.
	eval[any](p, `(window.confirm = () => true, null)`)
	p.do(chromedp.Click("#live-end"))
	p.wait(`document.getElementById('app').dataset.live === 'presenter ended'`)
	a.wait(`document.getElementById('app').dataset.live === 'follower ended' && document.getElementById('follower-status').textContent.includes('ended')`)
	a.wait(`window.__class && window.__class.seats.length === 0`)
	if h := eval[string](p, `location.hash`); h != "" {
		t.Errorf("the ended session's secret stays in the address: %q", h)
	}
	for _, s := range []*tab{p, a, b, c} {
		s.noConsoleErrors()
	}
}

// TestLiveNotOnStaticHost: without a live server (the server with -live=false, or
// the built site on a plain file server) the page offers neither Go live nor Join,
// and a join address says nothing of a class.
func TestLiveNotOnStaticHost(t *testing.T) {
	off := startServer(t, siteDir, "-live=false")
	files := httptest.NewServer(http.FileServer(http.Dir(siteDir)))
	t.Cleanup(files.Close)
	for _, host := range []struct{ name, url string }{{"live=false", strings.TrimSuffix(off.URL, "/")}, {"file server", files.URL}} {
		t.Run(host.name, func(t *testing.T) {
			for _, q := range []string{"/?present=1&step=3&paused=1", "/?join=K7QX2M&paused=1"} {
				tb := open(t, host.url+q, 1280, 720)
				tb.wait(`document.getElementById('app').dataset.live === 'none'`)
				hidden := eval[[]bool](tb, `['go-live', 'join-open', 'live-show', 'live-presenter', 'live-follower'].map(id => document.getElementById(id).hidden)`)
				for i, h := range hidden {
					if !h {
						t.Errorf("%s%s: live control %d is offered", host.name, q, i)
					}
				}
				if u, _ := url.Parse(host.url); u == nil {
					t.Fatal("bad url")
				}
			}
		})
	}
}

// TestLiveInSandboxedFrames: a course page (another site) embeds the diagram twice
// in frames sandboxed with only allow-scripts (an opaque origin, as WordPress
// makes): the presenter goes live in one, whose secret stays in memory and in its
// messages; a student joins in the other, and their connection reaches the
// presenter's class.
func TestLiveInSandboxedFrames(t *testing.T) {
	base := mainServer(t)
	psrc := base + "?embed=1&present=1&step=4&paused=1&test=liveframe-presenter"
	host := hostPage(t, fmt.Sprintf(`<iframe id="p" src="%s" width="960" height="540" title="Diagram" sandbox="allow-scripts" style="border:0;display:block"></iframe>`, psrc))
	tb := open(t, host, 1000, 1140)
	pf := frameTab(t, tb, psrc)
	pf.waitReady()
	if origin := eval[string](pf, `String(self.origin)`); origin != "null" {
		t.Fatalf("test setup: the frame's origin is %s, not opaque", origin)
	}
	pf.wait(`document.getElementById('app').dataset.live === 'available' && !document.getElementById('go-live').hidden`)
	eval[any](pf, `document.getElementById('go-live').click(), null`)
	pf.wait(`document.getElementById('app').dataset.live === 'presenter live' && document.getElementById('live-code').textContent.length === 7`)
	code := strings.ReplaceAll(eval[string](pf, `document.getElementById('live-code').textContent`), " ", "")
	if u := eval[string](pf, `document.getElementById('live-url').textContent`); !strings.HasSuffix(u, "/?join="+code) {
		t.Errorf("join address in a frame %q", u)
	}

	ssrc := base + "?embed=1&join=" + code + "&paused=1&test=liveframe-student"
	eval[any](tb, fmt.Sprintf(`document.body.insertAdjacentHTML('beforeend', %q), null`,
		fmt.Sprintf(`<iframe id="s" src="%s" width="390" height="560" title="Diagram, a student's" sandbox="allow-scripts" style="border:0;display:block"></iframe>`, ssrc)))
	sf := frameTab(t, tb, ssrc)
	sf.waitReady()
	sf.wait(`document.getElementById('app').dataset.live === 'follower live'`)
	waitLiveStep(sf, 4)
	pf.wait(`document.getElementById('live-count').textContent.startsWith('1 ')`)
	// The student's name is in the presenter's class, and their own card.
	name := eval[string](sf, `document.getElementById('follower-status').textContent`)
	pf.wait(`document.getElementById('roster').textContent.length > 0`)
	if r := eval[string](pf, `document.getElementById('roster').textContent`); !strings.Contains(name, strings.TrimSuffix(r, "Remove")) {
		t.Errorf("the presenter's class %q; the student's card %q", r, name)
	}
	tb.screenshot("live-sandboxed-frames")
	pf.noConsoleErrors()
	sf.noConsoleErrors()
}
