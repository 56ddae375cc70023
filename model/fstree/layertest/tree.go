package layertest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// ErrUnsupported says a reference cannot run here (not Linux, or no
// right to mount).
var ErrUnsupported = errors.New("this reference cannot run here")

// Node is what a path is in a filesystem.
type Node struct {
	Type string // file, dir, symlink (and hardlink in an archive)
	Mode uint32 // permission, setuid, setgid and sticky bits
	Link string // a symbolic link's target; a hard link's, cleaned
	Sum  string // a file's sha256, hex
	// Links is how many paths share a file's inode.
	Links int
}

func (n Node) String() string {
	s := fmt.Sprintf("%s %04o", n.Type, n.Mode)
	if n.Link != "" {
		s += " -> " + n.Link
	}
	if n.Sum != "" {
		s += " " + n.Sum[:12]
	}
	return s
}

// Differs tells whether n and w are not the same type, link, bytes and
// mode (a shared inode's: the mode of the last header applied to it, a
// hard link's too).
func (n Node) Differs(w Node) bool {
	return n.Type != w.Type || n.Link != w.Link || n.Sum != w.Sum || n.Mode != w.Mode
}

// Tree is a filesystem by path (relative, as fstree writes paths).
type Tree map[string]Node

// Paths are the tree's paths, sorted.
func (t Tree) Paths() []string {
	out := make([]string, 0, len(t))
	for p := range t {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// Diff lists where got differs from want, one line a path.
func Diff(got, want Tree) []string {
	var out []string
	for _, p := range want.Paths() {
		w := want[p]
		g, ok := got[p]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%q: missing, want %s", p, w))
		case g.Differs(w):
			out = append(out, fmt.Sprintf("%q: %s, want %s", p, g, w))
		}
	}
	for _, p := range got.Paths() {
		if _, ok := want[p]; !ok {
			out = append(out, fmt.Sprintf("%q: %s, not there", p, got[p]))
		}
	}
	return out
}

// Snapshot reads the filesystem under dir.
func Snapshot(dir string) (Tree, error) {
	t := Tree{}
	err := filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return err //nolint:wrapcheck // WalkDir's error is wrapped once below
		}
		n, err := nodeAt(p)
		if errors.Is(err, fs.ErrNotExist) {
			// overlayfs lists a whiteout in a directory it does not
			// merge (one over a link below), and hides it from lstat.
			return nil
		}
		t[filepath.ToSlash(rel)] = n
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", dir, err)
	}
	return t, nil
}

// nodeAt is what path p is.
func nodeAt(p string) (Node, error) {
	fi, err := os.Lstat(p)
	if err != nil {
		return Node{}, fmt.Errorf("%s: %w", p, err)
	}
	n := Node{Mode: uint32(fi.Mode().Perm()), Links: links(fi)}
	if fi.Mode()&fs.ModeSetuid != 0 {
		n.Mode |= 0o4000
	}
	if fi.Mode()&fs.ModeSetgid != 0 {
		n.Mode |= 0o2000
	}
	if fi.Mode()&fs.ModeSticky != 0 {
		n.Mode |= 0o1000
	}
	switch {
	case fi.IsDir():
		n.Type = "dir"
	case fi.Mode()&fs.ModeSymlink != 0:
		n.Type, n.Mode = "symlink", 0o777
		if n.Link, err = os.Readlink(p); err != nil {
			return n, fmt.Errorf("%s: %w", p, err)
		}
	case fi.Mode().IsRegular():
		b, err := os.ReadFile(p)
		if err != nil {
			return n, fmt.Errorf("%s: %w", p, err)
		}
		n.Type, n.Sum = "file", Sum(b)
	default:
		n.Type = "other " + strings.ToLower(fi.Mode().Type().String())
	}
	return n, nil
}

// Sum is the hex sha256 of b.
func Sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Scratch is an empty directory for a reference to unpack into, removed
// when the test ends: in memory (/dev/shm) where the machine has it, as
// unpacking thousands of small layers to a slow disk takes minutes.
func Scratch(t testing.TB) string {
	t.Helper()
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if dir, err := os.MkdirTemp("/dev/shm", "platypus-layertest-"); err == nil {
			t.Cleanup(func() { _ = os.RemoveAll(dir) })
			return dir
		}
	}
	return t.TempDir()
}
