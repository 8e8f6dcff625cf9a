// Package proto is the live classroom's wire protocol, defined once: the messages
// a page and the server exchange over the WebSocket (JSON text frames, one
// message per frame), the reasons a connection ends and their close codes, the
// join code's alphabet and the display-name rules.
//
// Invariants:
//   - It imports neither the model (wasm/diagram) nor the build or the server: the
//     page's client is tested against the fixtures its tests write
//     (testdata/, refreshed with go test ./server/internal/live/proto -update).
//   - Every (re)connect begins with a Snapshot; every message that changes the
//     room's state carries the room's sequence number (seq), which only grows:
//     the revision of the room that the change made. The events of one revision
//     share its seq and arrive together, in order. A page applies an event only
//     if its seq is above its last snapshot's (and not below the last event's);
//     anything else is stale and dropped. Pulses are not state and carry none.
//   - Parsing never panics and never trusts a field: ParseClient checks every
//     field's type and shape, and its errors carry a Reason.
package proto
