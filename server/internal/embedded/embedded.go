// Package embedded holds the built site inside the server binary when it is built
// with the "embed" tag (make dist copies the site into ./site first). Without the
// tag it holds nothing and the server reads the site from a directory.
package embedded
