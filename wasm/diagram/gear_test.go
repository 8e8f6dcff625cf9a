package diagram

import (
	"math"
	"testing"
)

func worldOutline(g *Gear, sh *GearShape, drive float64, dst []Vec) []Vec {
	xf := NewAffine(g.Center, g.Angle(drive), gearModule)
	dst = dst[:0]
	for _, p := range sh.Outline {
		dst = append(dst, xf.Apply(p))
	}
	return dst
}

func TestBrainHasEnoughGears(t *testing.T) {
	s := New(defaultContent(t))
	if n := len(s.gears); n < 12 {
		t.Fatalf("the brain has %d gears, want at least 12", n)
	}
	sizes := map[int]bool{}
	for _, g := range s.gears {
		sizes[g.Teeth] = true
	}
	if len(sizes) < 4 {
		t.Errorf("only %d gear sizes; gears should differ in size", len(sizes))
	}
	// Gears in every lobe, the large ones in the large lobes. Lobes by region of the
	// side view (facing left): the frontal lobe in front of the central sulcus, the
	// parietal behind it, both above the lateral fissure; the temporal lobe below it.
	lobe := func(c Vec) string {
		switch {
		case c.Y > 0.01:
			return "temporal"
		case c.X < -0.06:
			return "frontal"
		case c.X < 0.22:
			return "parietal"
		}
		return "occipital"
	}
	teeth, count := map[string]int{}, map[string]int{}
	for _, g := range s.gears {
		teeth[lobe(g.Center)] += g.Teeth
		count[lobe(g.Center)]++
	}
	for _, l := range []string{"frontal", "parietal", "temporal"} {
		if count[l] == 0 {
			t.Errorf("no gear in the %s lobe", l)
		}
	}
	mean := func(ls ...string) float64 {
		n, z := 0, 0
		for _, l := range ls {
			n, z = n+count[l], z+teeth[l]
		}
		return float64(z) / float64(max(n, 1))
	}
	if big, small := mean("frontal", "parietal"), mean("temporal", "occipital"); big <= small {
		t.Errorf("gears average %.1f teeth in the frontal and parietal lobes and %.1f in the temporal and occipital: the big lobes should hold the big gears", big, small)
	}
}

// Meshing gears: pitch circles touch, neighbours turn opposite ways at the ratio of
// their teeth, and the teeth roll without slipping.
func TestGearsMesh(t *testing.T) {
	s := New(defaultContent(t))
	meshes := 0
	for i, g := range s.gears {
		if g.Parent < 0 {
			if g.Ratio != 1 {
				t.Errorf("driver ratio %v", g.Ratio)
			}
			continue
		}
		meshes++
		p := s.gears[g.Parent]
		ri, rp := float64(g.Teeth)/2*gearModule, float64(p.Teeth)/2*gearModule
		if d := g.Center.Dist(p.Center); math.Abs(d-(ri+rp)) > 1e-12 {
			t.Errorf("gear %d: centre distance %.6f, pitch radii sum %.6f: pitch circles must touch", i, d, ri+rp)
		}
		if g.Ratio*p.Ratio >= 0 {
			t.Errorf("gear %d turns the same way as the gear it meshes with", i)
		}
		if want := float64(p.Teeth) / float64(g.Teeth); math.Abs(math.Abs(g.Ratio/p.Ratio)-want) > 1e-12 {
			t.Errorf("gear %d: speed ratio %.4f, want teeth ratio %.4f", i, math.Abs(g.Ratio/p.Ratio), want)
		}
		// Rolling without slip: equal arc lengths at the pitch circles.
		d0, d1 := 0.3, 1.1
		arcI := ri * (g.Angle(d1) - g.Angle(d0))
		arcP := rp * (p.Angle(d1) - p.Angle(d0))
		if math.Abs(arcI+arcP) > 1e-12 {
			t.Errorf("gear %d slips: arcs %.6f and %.6f", i, arcI, arcP)
		}
	}
	if meshes != len(s.gears)-1 {
		t.Errorf("%d meshes for %d gears; every gear but the driver must mesh", meshes, len(s.gears))
	}
}

// Over a full turn, the teeth of every meshing pair interlock (each reaches into the
// other's tooth ring) and never overlap; gears that do not mesh never touch.
func TestGearTeethNeverOverlap(t *testing.T) {
	s := New(defaultContent(t))
	var a, b []Vec
	for i, g := range s.gears {
		if g.Parent < 0 {
			continue
		}
		p := &s.gears[g.Parent]
		shI, shP := &s.shapes[i], &s.shapes[g.Parent]
		// A full turn of the driver moves the pair's teeth through many pitches; a
		// full turn of the parent gear is covered at 720 samples.
		turn := 2 * math.Pi / math.Abs(p.Ratio)
		interlocked := 0
		for k := 0; k < 720; k++ {
			drive := turn * float64(k) / 720
			a = worldOutline(&s.gears[i], shI, drive, a)
			b = worldOutline(p, shP, drive, b)
			tipP := shP.Tip * gearModule
			rootP := shP.Root * gearModule
			for _, v := range a {
				d := v.Dist(p.Center)
				if d > tipP {
					continue
				}
				if d < (shP.Root+shP.Tip)/2*gearModule && d > rootP {
					interlocked++
				}
				if pointInPolygon(v, b) {
					t.Fatalf("gear %d's tooth overlaps gear %d at drive %.4f (point %v)", i, g.Parent, drive, v)
				}
			}
			tipI := shI.Tip * gearModule
			for _, v := range b {
				if v.Dist(g.Center) <= tipI && pointInPolygon(v, a) {
					t.Fatalf("gear %d's tooth overlaps gear %d at drive %.4f", g.Parent, i, drive)
				}
			}
		}
		if interlocked == 0 {
			t.Errorf("gear %d's teeth never reach into gear %d's teeth: not meshing", i, g.Parent)
		}
	}
	for i := range s.gears {
		for j := i + 1; j < len(s.gears); j++ {
			if s.gears[i].Parent == j || s.gears[j].Parent == i {
				continue
			}
			d := s.gears[i].Center.Dist(s.gears[j].Center)
			if d < (s.shapes[i].Tip+s.shapes[j].Tip)*gearModule {
				t.Errorf("gears %d and %d do not mesh but their teeth can touch", i, j)
			}
		}
	}
}

func TestGearsInsideBrain(t *testing.T) {
	s := New(defaultContent(t))
	for i, g := range s.gears {
		if !pointInPolygon(g.Center, s.outline) {
			t.Errorf("gear %d is outside the brain", i)
			continue
		}
		if d := polygonEdgeDist(g.Center, s.outline); d < s.shapes[i].Tip*gearModule {
			t.Errorf("gear %d's teeth stick out of the brain outline", i)
		}
	}
}

func TestGearShape(t *testing.T) {
	for _, z := range gearSizes {
		g := newGearShape(z)
		if len(g.Outline) < z*8 {
			t.Errorf("z=%d: %d points, too coarse for a tooth profile", z, len(g.Outline))
		}
		// z teeth, each centred on a multiple of the tooth pitch angle.
		tips := 0
		step := 2 * math.Pi / float64(z)
		for _, p := range g.Outline {
			a := math.Atan2(p.Y, p.X)
			off := math.Abs(math.Remainder(a, step))
			if math.Abs(p.Len()-g.Tip) < 1e-9 && off < 1e-9 {
				tips++
			}
		}
		if tips != z {
			t.Errorf("z=%d: %d tips", z, tips)
		}
		for _, p := range g.Outline {
			if r := p.Len(); r < g.Root-1e-9 || r > g.Tip+1e-9 {
				t.Errorf("z=%d: point at radius %.3f outside root %.3f..tip %.3f", z, r, g.Root, g.Tip)
				break
			}
		}
	}
}

// polygonEdgeDist returns the distance from p to the nearest edge of poly.
func polygonEdgeDist(p Vec, poly []Vec) float64 {
	d2 := math.Inf(1)
	j := len(poly) - 1
	for i := range poly {
		d2 = min(d2, segDist2(p, poly[j], poly[i]))
		j = i
	}
	return math.Sqrt(d2)
}
