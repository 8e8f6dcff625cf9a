// Package startup lets the browser run between the program's runtime start and
// the rest of its package initialisation. Imported by the program's main package
// and importing only package page, it is initialised right after the runtime and
// the standard library packages it needs, before Ebiten's packages (the Go
// specification initialises packages in import-path order, each after its
// imports), whose initialisation compiles three Kage shaders and sets up the
// engine: together, one task of 100-120 ms on the page's main thread here. Cut
// in two, neither part holds a click on the explorable picture for as long.
package startup

import "github.com/connectedlearning/diagram/wasm/internal/page"

func init() { page.Yield() }
