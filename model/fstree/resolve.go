package fstree

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

// Errors of Resolve; ErrNotFound is fs.ErrNotExist too.
var (
	ErrNotFound error = notFound{}
	ErrIsDir          = errors.New("is a directory")
	ErrNotFile        = errors.New("not a regular file")
	ErrLoop           = errors.New("too many levels of symbolic links")
)

type notFound struct{}

func (notFound) Error() string        { return "no such file or directory" }
func (notFound) Is(target error) bool { return target == fs.ErrNotExist }

// maxLinks is how many symbolic links one path may go through, as Linux
// allows (MAXSYMLINKS).
const maxLinks = 40

// Lookup is the entry of path p, as the view holds it (no link followed).
func (v View) Lookup(p string) (Entry, bool) {
	i, ok := v.find(p)
	if !ok {
		return Entry{}, false
	}
	return v.Entry(i), true
}

// find is the place of path p among the view's entries.
func (v View) find(p string) (int, bool) {
	var buf []byte
	i := sort.Search(len(v.refs), func(i int) bool {
		buf = v.appendPath(buf[:0], i)
		return string(buf) >= p
	})
	if i == len(v.refs) {
		return i, false
	}
	buf = v.appendPath(buf[:0], i)
	return i, string(buf) == p
}

// holdsUnder tells whether anything lies under directory p: a directory
// only implied by the paths under it has no entry of its own.
func (v View) holdsUnder(p string) bool {
	dir := p + "/"
	i, _ := v.find(dir)
	if i == len(v.refs) {
		return false
	}
	return bytes.HasPrefix(v.appendPath(nil, i), []byte(dir))
}

// Resolve finds the file a container opening path p would read: every
// symbolic link on the way is followed (absolute targets from the image's
// root, ".." never above it, as in a chroot), and a hard link is its
// target's entry. It returns a regular file's entry (its Path and Layer
// say where its bytes are), or ErrNotFound, ErrIsDir, ErrNotFile or
// ErrLoop, naming the path that failed.
func (v View) Resolve(p string) (Entry, error) { return v.resolveIn(v, p) }

// pathIndex is what resolving a path asks of a filesystem: the entry at a
// path, and whether anything lies under one (a View, or a lookup in
// layers not merged).
type pathIndex interface {
	entryAt(p string) (Ref, bool)
	holdsUnder(p string) bool
}

// entryAt is the record the view holds at path p.
func (v View) entryAt(p string) (Ref, bool) {
	i, ok := v.find(p)
	if !ok {
		return Ref{}, false
	}
	return v.refs[i], true
}

// resolveIn is Resolve over in, v giving its entries and hard links.
func (v View) resolveIn(in pathIndex, p string) (Entry, error) {
	e, at, err := v.resolve(in, p)
	if err != nil {
		return e, err
	}
	if e.Type == Hardlink {
		// A hard link reads what its target was when it was made (see
		// linkTo): links are not followed on the way to it.
		t, found := v.linkTo(at)
		if !found {
			return e, fmt.Errorf("%s: its hard link's target %s: %w", e.Path, e.LinkTarget, ErrNotFound)
		}
		e = v.layers[t.Layer].Record(int(t.Index)).Entry
	}
	switch e.Type {
	case File:
		return e, nil
	case Dir:
		return e, fmt.Errorf("%s: %w", e.Path, ErrIsDir)
	default:
		return e, fmt.Errorf("%s: %w (%s)", e.Path, ErrNotFile, e.Type)
	}
}

// resolve is Resolve up to the last entry, and its record (none for a
// directory only implied).
func (v View) resolve(in pathIndex, p string) (Entry, Ref, error) {
	todo := strings.Split(p, "/")
	done := "" // the path resolved so far, without links
	links := 0
	var e Entry
	var at Ref
	for len(todo) > 0 {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			done = parent(done)
			continue
		}
		next := c
		if done != "" {
			next = done + "/" + c
		}
		i, ok := in.entryAt(next)
		var found Entry
		switch {
		case ok:
			found = v.entryOf(i)
		case in.holdsUnder(next):
			found, i = Entry{Path: next, Type: Dir}, Ref{}
		default:
			return Entry{Path: next}, Ref{}, fmt.Errorf("%s: %w", next, ErrNotFound)
		}
		if found.Type == Symlink {
			if links++; links > maxLinks {
				return found, i, fmt.Errorf("%s: %w", p, ErrLoop)
			}
			if strings.HasPrefix(found.LinkTarget, "/") {
				done = ""
			}
			todo = append(strings.Split(found.LinkTarget, "/"), todo...)
			continue
		}
		if hasMore(todo) && found.Type != Dir {
			return found, i, fmt.Errorf("%s: %w, so nothing is under it", next, ErrNotFile)
		}
		done, e, at = next, found, i
	}
	if done == "" {
		return Entry{Type: Dir}, Ref{}, fmt.Errorf("/: %w", ErrIsDir)
	}
	return e, at, nil
}

// hasMore tells whether components that name something are left.
func hasMore(todo []string) bool {
	for _, c := range todo {
		if c != "" && c != "." {
			return true
		}
	}
	return false
}
