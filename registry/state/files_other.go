//go:build !unix

package state

import (
	"fmt"
	"os"
)

// openNoFollow: without O_NOFOLLOW, a link is looked for first (a race
// remains, in a directory only its owner can write).
func openNoFollow(path string, flag int, perm os.FileMode) (*os.File, error) {
	if isLink(path) {
		return nil, fmt.Errorf("%s %w", path, ErrLink)
	}
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is %w: not a regular file", path, ErrDamaged)
	}
	return os.OpenFile(path, flag, perm) //nolint:wrapcheck // the caller names the path
}
