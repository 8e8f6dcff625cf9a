// Package live is the live classroom's server: a WebSocket endpoint (/live/ws)
// where a presenter drives a room and followers join it, an information endpoint
// (/live/info) by which a page learns that a live server exists, and counters
// (/live/metrics).
//
// One engine: NATS. Room state lives in a JetStream key-value bucket (one key per
// room, written by compare-and-set, so one presenter wins and every server that
// shares the NATS sees the same room), presence in another bucket whose TTL is
// the grace time (refreshed by each member's server while its device answers
// pings; an expired key is a member gone). Every server that has connections in a
// room watches that room's key once and fans each change out to its local
// connections, encoded once; pulses travel on a NATS subject per room. The NATS is
// embedded in the process by default (no port, JetStream in memory); NewEngine
// takes any *nats.Conn, so an external cluster is a connection away.
//
// Invariants:
//   - The sequence number of a room is the revision of its key: it only grows,
//     and every (re)connect begins with a snapshot at least as new as anything
//     the page saw (it says what it saw; the server waits for its copy to catch
//     up).
//   - Roles are decided by the server at the first message and never change: a
//     follower's connection can only rename, leave, pulse and ping; anything else
//     changes nothing and is counted.
//   - The presenter's secret is kept only as a SHA-256 hash and compared in
//     constant time; it is never logged. Nothing about members is logged or
//     written to disk: the buckets are in memory, and ending a session deletes
//     the room's key and every member's presence.
//   - Nothing waits on a rate limiter, and nothing blocks on a slow client: each
//     has a bounded queue, and overflow closes it (too-slow, 4009).
//   - It imports neither the model nor the build.
package live
