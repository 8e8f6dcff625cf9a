//go:build embed

package embedded

import (
	"embed"
	"io/fs"
)

//go:embed all:site
var files embed.FS

// Site returns the embedded site.
func Site() (fs.FS, bool) {
	sub, err := fs.Sub(files, "site")
	return sub, err == nil
}
