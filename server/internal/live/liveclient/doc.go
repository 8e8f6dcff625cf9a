// Package liveclient is a Go client of the live classroom that keeps its
// connection up exactly as the page must: the tests of several servers drive
// it through a load balancer, and the page's JavaScript mirrors it (the README,
// "What a page does when its connection ends", says the same in prose).
//
//   - The first message of every connection: a presenter without a room sends
//     open; with one, present {code, secret, seq}; a follower sends join {code,
//     name, lang} and, once it has had a snapshot, also {id, token, seq} (its
//     member id and resume token from that snapshot's "you", and the newest seq
//     it applied), so that it comes back as itself and the server's copy of the
//     room is at least that new.
//   - A snapshot replaces the page's state, unless its seq is below what the
//     page applied (then it keeps what it shows). An event applies only if its
//     seq is above the snapshot's and not below the last event's.
//   - A presenter's page is the source of its step: after every snapshot, if
//     the room's step is not the one it last asked for, it sends it again. A
//     step sent while a connection was dying is not lost. A step refused with
//     a non-fatal unavailable or internal error (NATS failing over) is sent
//     again a second later, if the room still does not have it.
//   - The connection ends: its close status (or, when it ended without one,
//     1006: a server killed, a network gone) is looked up in proto.Reasons.
//     Reconnect false: the page says why and stops. Otherwise it shows
//     "reconnecting" and tries again after a wait drawn uniformly from the
//     upper half of a bound that starts at 250 ms and doubles at every failed
//     try up to 5 s (so that a server's pages, dropped at once, come back spread
//     out); a connection that got its snapshot resets the bound. rate-limited
//     and server-full wait at least the error's retry and at least 5 s. A dial
//     refused (502 or 503 from the load balancer, no answer) is a failed try.
//   - Liveness: a ping {t} after 10 s without one; if nothing at all arrives
//     within 5 s of it, the connection is taken for dead and closed, and the
//     page reconnects (a sleeping phone, a proxy that cut it silently). (The
//     page also reconnects at once on visibilitychange to visible, pageshow
//     and online, which a Go client has no use for.)
//
// It imports only the protocol: nothing of the server.
package liveclient
