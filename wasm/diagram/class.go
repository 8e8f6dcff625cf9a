package diagram

import (
	"math"
	"sort"
)

// The class: in a live session the students who joined stand in the network as
// people of their own, marked as the class, so that the class itself becomes part
// of the Personal Learning Network the diagram explains. Their seats are found once,
// when the scene is laid out: the free spots of the network's band left by the crowd,
// clear of it, of the ring, of the labels and of one another. Students take seats as
// they join, spread round the circle, and leave them as they leave; when every seat
// is taken, the rest are counted (the page says how many more there are). A student's
// "connection" is a pulse that leaves their figure, passes through the ring into the
// brain and comes back to them.
//
// Names are words and stay in the page: the scene knows students only by the page's
// numbers for them.

const (
	classHeight  = 0.098 // a student's height, before the crowd's fit
	maxSeats     = 96
	seatFade     = 0.5 // seconds for a student to appear or leave
	maxSparks    = 24  // connections in flight at once; a new one replaces the oldest
	sparkHold    = 6.0 // seconds a connection waits, as a dot, while the motion is paused
	sparkPeriodK = 0.8 // a connection's round trip, as a fraction of a pulse's
)

// seats lays the class's seats out the first time they are needed: a scene that
// never has a class (no live session) never pays for finding them.
func (s *Scene) seats() {
	if s.seatBand != nil {
		s.layoutSeats(s.seatBand, s.seatFit)
		s.seatBand = nil
	}
}

// layoutSeats finds the class's seats in what is left of the band after the crowd,
// and appends a person for each to the scene's members, hidden until a student sits.
func (s *Scene) layoutSeats(sp *band, fit float64) {
	seed := uint32(s.c.PLN.Seed) + 911
	h := classHeight * fit
	var seats []person
	// Going round at several radii, the first spots that fit, nearest the middle of
	// the band first, so the class stands among the crowd rather than at its edge.
	const around = 200
	radii := []float64{0.80, 0.74, 0.86, 0.70, 0.91, 0.77, 0.83, 0.72, 0.88, 0.94}
	for _, r := range radii {
		for k := 0; k < around && len(seats) < maxSeats; k++ {
			a := 2 * math.Pi * (float64(k) + 0.5*rand01(seed, uint32(k))) / around
			p := person{kind: KindPerson, class: true, wide: lerp(0.92, 1.1, rand01(seed+1, uint32(len(seats)))), h: h, homeUp: Vec{0, -1}}
			p.homeUp = p.homeUp.Rot((rand01(seed+2, uint32(len(seats)))*2 - 1) * plnMaxTilt)
			if rand01(seed+3, uint32(len(seats))) < 0.2 {
				p.pose = poseWave
			}
			p.shade = rand01(seed+4, uint32(len(seats)))*2 - 1
			if sp.stand(&p, Polar(r, a)) {
				seats = append(seats, p)
			}
		}
	}
	// Seats are taken in an order that spreads the class round the circle: going
	// round, each next seat as far as can be from those taken.
	sort.Slice(seats, func(a, b int) bool { return seats[a].homeA < seats[b].homeA })
	order := spreadOrder(len(seats))
	s.seat0 = len(s.people)
	for _, k := range order {
		p := seats[k]
		p.role = len(s.people) - s.seat0
		s.people = append(s.people, p)
	}
	// Each student is linked to the nearest member of the crowd: they join the
	// network, not just stand in it.
	s.seatLink = make([]int, len(seats))
	for k := range s.seatLink {
		me := s.people[s.seat0+k].chest()
		best, bd := -1, math.Inf(1)
		for _, i := range s.crowd {
			if d := me.Dist2(s.people[i].chest()); i != s.joiner && d < bd {
				best, bd = i, d
			}
		}
		s.seatLink[k] = best
	}
	s.seatID = make([]int, len(seats))
	s.seatOn = make([]float64, len(seats))
	for i := range s.seatID {
		s.seatID[i] = -1
	}
}

// spreadOrder returns 0..n-1 in the order of the bit-reversed sequence, scaled: each
// next index falls in the largest gap left by those before it.
func spreadOrder(n int) []int {
	out := make([]int, 0, n)
	seen := make([]bool, n)
	for k := 0; len(out) < n; k++ {
		// Van der Corput: the radical inverse of k in base 2.
		x, f := 0.0, 0.5
		for m := k; m > 0; m >>= 1 {
			if m&1 == 1 {
				x += f
			}
			f /= 2
		}
		i := int(x * float64(n))
		for seen[i] {
			i = (i + 1) % n
		}
		seen[i] = true
		out = append(out, i)
	}
	return out
}

// Seats is how many students the picture has room for.
func (s *Scene) Seats() int {
	s.seats()
	return len(s.seatID)
}

// SetClass says which students are in the session now, by the page's numbers for
// them. A student already seated keeps their seat; one who left frees it (their
// figure fades out); a new one takes the next free seat. It returns how many
// students found no seat.
func (s *Scene) SetClass(ids []int) (overflow int) {
	s.seats()
	in := make(map[int]bool, len(ids))
	for _, id := range ids {
		in[id] = true
	}
	seated := map[int]bool{}
	for k, id := range s.seatID {
		if id >= 0 && !in[id] {
			s.seatID[k] = -1
		} else if id >= 0 {
			seated[id] = true
		}
	}
	for _, id := range ids {
		if seated[id] {
			continue
		}
		seated[id] = true
		free := -1
		// A seat whose last student has faded out, the first in spread order.
		for k, sid := range s.seatID {
			if sid < 0 && s.seatOn[k] == 0 {
				free = k
				break
			}
		}
		if free < 0 {
			for k, sid := range s.seatID {
				if sid < 0 {
					free = k
					break
				}
			}
		}
		if free < 0 {
			overflow++
			continue
		}
		s.seatID[free] = id
	}
	// Connections of students who left are dropped.
	for k := range s.sparks {
		if sp := &s.sparks[k]; sp.on && s.seatID[sp.seat] != sp.id {
			sp.on = false
		}
	}
	s.classGen++
	s.changes |= ChangedClass
	s.dirty = true
	return overflow
}

// ClassSeat is where a student stands in the picture: their member index.
type ClassSeat struct {
	ID     int
	Member int
}

// Class returns the seated students and their members, in seat order.
func (s *Scene) Class() []ClassSeat {
	var out []ClassSeat
	for k, id := range s.seatID {
		if id >= 0 {
			out = append(out, ClassSeat{ID: id, Member: s.seat0 + k})
		}
	}
	return out
}

// Connection sends a pulse from student id's figure through the ring into the brain
// and back to them. It reports false for a student without a seat.
func (s *Scene) Connection(id int) bool {
	seat := -1
	for k, sid := range s.seatID {
		if sid == id && id >= 0 {
			seat = k
		}
	}
	if seat < 0 {
		return false
	}
	// A free slot, or the oldest connection's.
	slot, oldest := -1, math.Inf(-1)
	for k := range s.sparks {
		sp := &s.sparks[k]
		if !sp.on {
			slot = k
			break
		}
		if age := sp.age + sp.held; age > oldest {
			slot, oldest = k, age
		}
	}
	s.sparkSeq++
	h := hash32(uint32(s.sparkSeq)*0x9e3779b9 ^ uint32(id))
	me := s.seat0 + seat
	sp := &s.sparks[slot]
	*sp = spark{on: true, id: id, seat: seat}
	pu := &s.pulses[len(s.pulses)-maxSparks+slot]
	pu.routePLN = [2]int{me, me}
	pu.routeCoP[0] = s.nearestRing(s.people[me].homeA)
	ringN := len(s.order)
	q2 := (s.ringPos(pu.routeCoP[0]) + 1 + int(h%2)*(ringN-2)) % ringN
	if out := s.order[q2]; out != s.joiner || s.ch[chJoin] >= 1 {
		pu.routeCoP[1] = out
	} else {
		pu.routeCoP[1] = pu.routeCoP[0]
	}
	g := len(s.gears)
	pu.gear[0] = int((h >> 8) % uint32(g))
	pu.gear[1] = (pu.gear[0] + 1 + int((h>>16)%uint32(g-1))) % g
	pu.side = 0.2
	if h&(1<<30) != 0 {
		pu.side = -0.2
	}
	s.dirty = true
	return true
}

// spark is a student's connection in flight; its pulse is one of the last
// maxSparks of the scene's pulses.
type spark struct {
	on   bool
	id   int     // the student
	seat int     // their seat
	age  float64 // seconds of motion since it left
	held float64 // seconds it has waited while the motion is paused
}

// advanceClass moves the seats' fades and the connections on by one tick, and
// reports whether anything changed.
func (s *Scene) advanceClass(step float64, playing bool) bool {
	moved := false
	for k, id := range s.seatID {
		want := 0.0
		if id >= 0 {
			want = 1
		}
		if s.seatOn[k] != want {
			d := step / seatFade
			if s.seatOn[k] < want {
				s.seatOn[k] = math.Min(want, s.seatOn[k]+d)
			} else {
				s.seatOn[k] = math.Max(want, s.seatOn[k]-d)
			}
			moved = true
		}
	}
	P := s.c.Pulses.Period * sparkPeriodK
	for k := range s.sparks {
		sp := &s.sparks[k]
		if !sp.on {
			continue
		}
		moved = true
		if playing {
			sp.age += step
		} else {
			sp.held += dt // wall-clock ticks: a paused picture drops it in time
		}
		if sp.age/P >= puOutEnd || sp.held >= sparkHold {
			sp.on = false
		}
	}
	return moved
}

// updateSparks places the connections' pulses and returns how much the brain
// lights up for them.
func (s *Scene) updateSparks(vis float64) float64 {
	glow := 0.0
	P := s.c.Pulses.Period * sparkPeriodK
	base := len(s.pulses) - maxSparks
	for k := range s.sparks {
		sp := &s.sparks[k]
		pu := &s.pulses[base+k]
		if !sp.on {
			pu.visible = false
			continue
		}
		a := vis * s.seatOn[sp.seat]
		glow = math.Max(glow, s.placePulse(pu, sp.age/P, a))
	}
	return glow
}
