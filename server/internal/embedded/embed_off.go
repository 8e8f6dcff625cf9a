//go:build !embed

package embedded

import "io/fs"

// Site reports that this binary has no site inside it.
func Site() (fs.FS, bool) { return nil, false }
