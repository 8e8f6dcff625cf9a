// Package siteformat is what the build writes and the server reads: the names and
// media types of a built site's files, the manifest the build writes into the page
// (and the marker it replaces), site.json, and the compression settings.
//
// Invariants:
//   - It imports neither the model (wasm/diagram) nor the minifier nor the bundler:
//     the server links this package and not the build's, so its binary carries
//     none of them (a test of the server checks `go list -deps`).
//   - The build and the server use these definitions and keep no copy of their own.
package siteformat
