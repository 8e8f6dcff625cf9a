package damage

import (
	"image"
	"testing"
)

type box struct {
	key uint64
	r   []image.Rectangle
}

func describe(t *Tracker, w, h int, entries ...box) {
	t.Begin(w, h)
	for _, e := range entries {
		t.Add(e.key)
		for _, r := range e.r {
			t.Box(r)
		}
	}
}

func covered(rects []image.Rectangle, p image.Point) bool {
	for _, r := range rects {
		if p.In(r) {
			return true
		}
	}
	return false
}

func area(rects []image.Rectangle) int {
	n := 0
	for _, r := range rects {
		n += r.Dx() * r.Dy()
	}
	return n
}

var (
	background = box{1, []image.Rectangle{image.Rect(0, 0, 1280, 720)}}
	gear       = func(k uint64, x int) box { return box{k, []image.Rectangle{image.Rect(x, 300, x+40, 340)}} }
)

func TestAnUnchangedFrameDamagesNothing(t *testing.T) {
	var tr Tracker
	describe(&tr, 1280, 720, background, gear(2, 600))
	if _, whole := tr.Diff(0.5); !whole {
		t.Fatal("the first frame is not damaged whole")
	}
	describe(&tr, 1280, 720, background, gear(2, 600))
	rects, whole := tr.Diff(0.5)
	if whole || len(rects) != 0 {
		t.Fatalf("an unchanged frame damaged %v (whole %v)", rects, whole)
	}
}

func TestAMovedPartDamagesWhereItWasAndWhereItIs(t *testing.T) {
	var tr Tracker
	describe(&tr, 1280, 720, background, gear(2, 100), gear(3, 900))
	tr.Diff(0.5)
	// The first gear turns (its key changes) and moves; the second stays.
	describe(&tr, 1280, 720, background, gear(4, 130), gear(3, 900))
	rects, whole := tr.Diff(0.5)
	if whole {
		t.Fatal("a small change damaged the whole screen")
	}
	for _, p := range []image.Point{{100, 300}, {139, 339}, {169, 339}, {130, 300}} {
		if !covered(rects, p) {
			t.Errorf("%v, under the gear before or after, is not damaged: %v", p, rects)
		}
	}
	if covered(rects, image.Pt(910, 310)) {
		t.Errorf("the gear that did not change is damaged: %v", rects)
	}
	// What is damaged is the changed boxes rounded out to tiles, no more.
	if a := area(rects); a > 4*Tile*3*Tile {
		t.Errorf("damaged %d pixels for a 70x40 change: %v", a, rects)
	}
	for i, a := range rects {
		if !a.In(image.Rect(0, 0, 1280, 720)) {
			t.Errorf("%v reaches off the screen", a)
		}
		for _, b := range rects[i+1:] {
			if a.Overlaps(b) {
				t.Errorf("%v and %v overlap: a pixel would be drawn twice", a, b)
			}
		}
	}
}

func TestAPartThatGoesAwayDamagesWhereItWas(t *testing.T) {
	var tr Tracker
	describe(&tr, 1280, 720, background, gear(2, 100))
	tr.Diff(0.5)
	describe(&tr, 1280, 720, background)
	rects, _ := tr.Diff(0.5)
	if !covered(rects, image.Pt(120, 320)) {
		t.Fatalf("where the gone part was is not damaged: %v", rects)
	}
}

func TestAThreadDamagesItsStretchesNotItsSquare(t *testing.T) {
	var tr Tracker
	describe(&tr, 1280, 720, background)
	tr.Diff(0.5)
	// A diagonal thread from (100,100) to (600,600) in ten stretches.
	var th box
	th.key = 9
	for i := 0; i < 10; i++ {
		x := 100 + 50*i
		th.r = append(th.r, image.Rect(x-3, x-3, x+53, x+53))
	}
	describe(&tr, 1280, 720, background, th)
	rects, whole := tr.Diff(0.5)
	if whole {
		t.Fatal("a thread damaged the whole screen")
	}
	if covered(rects, image.Pt(550, 150)) || covered(rects, image.Pt(150, 550)) {
		t.Errorf("the thread damaged the corners of the square it spans: %v", rects)
	}
	if !covered(rects, image.Pt(350, 350)) {
		t.Errorf("the thread's middle is not damaged: %v", rects)
	}
}

func TestMuchDamageIsAWholeRedraw(t *testing.T) {
	var tr Tracker
	describe(&tr, 1280, 720, background)
	tr.Diff(0.5)
	describe(&tr, 1280, 720, box{5, []image.Rectangle{image.Rect(0, 0, 1280, 720)}})
	if _, whole := tr.Diff(0.5); !whole {
		t.Fatal("a changed background is not a whole redraw")
	}
}

func TestAResizeStartsAfresh(t *testing.T) {
	var tr Tracker
	describe(&tr, 1280, 720, background, gear(2, 100))
	tr.Diff(0.5)
	describe(&tr, 800, 1000, box{1, []image.Rectangle{image.Rect(0, 0, 800, 1000)}}, gear(4, 700))
	rects, _ := tr.Diff(0.9)
	for _, r := range rects {
		if !r.In(image.Rect(0, 0, 800, 1000)) {
			t.Errorf("%v is off the resized screen", r)
		}
	}
	if !covered(rects, image.Pt(710, 310)) {
		t.Errorf("the moved gear is not damaged after the resize: %v", rects)
	}
}

func TestDiffAllocatesNothingOnceWarm(t *testing.T) {
	var tr Tracker
	frame := func(k uint64) {
		tr.Begin(1280, 720)
		tr.Add(1)
		tr.Box(image.Rect(0, 0, 1280, 720))
		for i := 0; i < 40; i++ {
			tr.Add(k + uint64(i))
			tr.Box(image.Rect(20*i, 300, 20*i+30, 330))
		}
		tr.Diff(0.5)
	}
	for k := uint64(0); k < 4; k++ {
		frame(k * 100)
	}
	k := uint64(1000)
	if n := testing.AllocsPerRun(50, func() { k += 100; frame(k) }); n != 0 {
		t.Fatalf("%v allocations a frame", n)
	}
}

func TestHashTellsValuesApart(t *testing.T) {
	a := NewHash().F32(1).F32(2)
	b := NewHash().F32(2).F32(1)
	c := NewHash().F32(1).F32(2)
	if a == b || a != c {
		t.Fatalf("hash: %x %x %x", a, b, c)
	}
}
