// Package site builds the deployable static site: it compiles the wasm, checks the
// content files, renders the placeholder picture from the model, minifies every
// text file, gives every asset a content-hashed name (rewriting the references to
// it), and writes brotli and gzip siblings, compressed once per content hash and
// kept in a cache.
//
// Invariants:
//   - The output is a plain directory that any static host can serve under any
//     sub-path: every URL in it is relative.
//   - index.html is the only file without a hash in its name (and site.json, the
//     server's description of the site); everything else may be cached forever.
//   - A broken input fails the build with the file's name and the reason; a build
//     never writes a partial site over a good one.
package site
