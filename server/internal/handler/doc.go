// Package handler serves a built site (see package site) from memory, the way nginx
// or Caddy serve precompressed static files.
//
// Invariants:
//   - Only files in the index built at start can be served: a request path is a
//     key looked up in a map, never joined onto a directory, so nothing outside
//     the site can be read whatever the path.
//   - Each file has up to three representations (identity, br, gzip), each with
//     its own strong ETag; the choice follows the request's Accept-Encoding with
//     q-values, and every response that could vary says Vary: Accept-Encoding.
//   - net/http's ServeContent does conditional requests and ranges; this package
//     adds what it leaves out (Content-Length for encoded bodies) and the caching
//     and security headers.
package handler
