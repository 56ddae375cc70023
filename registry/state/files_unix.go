//go:build unix

package state

import (
	"os"
	"syscall"
)

// openNoFollow opens path with O_NOFOLLOW: the kernel refuses a link at
// the last component, with no window between a check and the open. With
// O_NONBLOCK a FIFO does not hold the open (a regular file ignores it).
func openNoFollow(path string, flag int, perm os.FileMode) (*os.File, error) {
	return os.OpenFile(path, flag|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, perm) //nolint:wrapcheck // the caller names the path
}
