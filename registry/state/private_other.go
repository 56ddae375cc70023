//go:build !unix

package state

import (
	"fmt"
	"os"
)

// checkPrivate: on Windows the profile directory's ACL keeps it private.
func checkPrivate(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("state directory: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("state directory %s is not a directory", path)
	}
	return nil
}
