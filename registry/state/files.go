package state

import (
	"errors"
	"fmt"
	"os"
)

// State files are opened without following a symbolic link at their name:
// a link planted in the state directory would have journal records
// appended to (or locks taken on) whatever it points at. A link is
// refused, naming the path; a file others can read or write is made
// private, as the directory is.

// ErrLink is returned for a state file that is a symbolic link.
var ErrLink = errors.New("is a symbolic link; platypus does not follow links in its state directory (remove it)")

// openFile opens path as os.OpenFile does, refusing a symbolic link and
// anything but a regular file (opened without blocking: a FIFO would wait
// for a writer, or a reader).
func openFile(path string, flag int, perm os.FileMode) (*os.File, error) {
	f, err := openNoFollow(path, flag, perm)
	if err != nil {
		if isLink(path) {
			return nil, fmt.Errorf("%s %w", path, ErrLink)
		}
		if fi, serr := os.Lstat(path); serr == nil && !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("%s is %w: not a regular file", path, ErrDamaged)
		}
		return nil, err // an *os.PathError names the path
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		_ = f.Close()
		return nil, fmt.Errorf("%s is %w: not a regular file", path, ErrDamaged)
	}
	return f, nil
}

// openPrivate opens a state file to write, creating it 0600, and makes an
// existing one private.
func openPrivate(path string, flag int) (*os.File, error) {
	f, err := openFile(path, flag|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := makePrivate(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

// makePrivate takes group and other permissions from an open state file.
func makePrivate(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name(), err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := f.Chmod(fi.Mode().Perm() &^ 0o077); err != nil {
			return fmt.Errorf("%s is readable by others and cannot be made private: %w", f.Name(), err)
		}
	}
	return nil
}

func isLink(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && fi.Mode()&os.ModeSymlink != 0
}
