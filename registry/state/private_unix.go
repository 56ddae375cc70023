//go:build unix

package state

import (
	"fmt"
	"os"
	"syscall"
)

// checkPrivate refuses a state directory another user owns and makes one
// that others can read private.
func checkPrivate(path string) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return fmt.Errorf("state directory: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("state directory %s is not a directory", path)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("state directory %s belongs to another user (uid %d)", path, st.Uid)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, 0o700); err != nil {
			return fmt.Errorf("state directory %s is readable by others and cannot be made private: %w", path, err)
		}
	}
	return nil
}
