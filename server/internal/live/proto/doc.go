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
//     room's state carries the room's sequence number, which only grows. A message
//     whose seq is not above the last one applied is stale and is dropped.
//   - Parsing never panics and never trusts a field: ParseClient checks every
//     field's type and shape, and its errors carry a Reason.
package proto
