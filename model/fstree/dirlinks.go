package fstree

import (
	"slices"
	"strings"
)

// Within one layer, tar extraction follows the symbolic links the layer
// made before: `bin -> usr/bin` then `bin/foo` puts foo in usr/bin. Docker's
// applier, containerd's and overlay2's all resolve a record's directory in
// the directory they unpack into: an absolute target from its root, ".."
// stopping there, 40 links at most (the kernel's bound; a loop fails the
// layer). A record is stored where it lands, with the path its tar wrote
// (Entry.TarPath). The links of lower layers are not followed: overlay2
// and containerd's overlayfs snapshotter unpack each layer alone (see
// NewView).

// resolveLinks is path p with the links of the layer so far followed on
// the way to its last element (all of it when whole); ok is false when
// no link is on the way, or too many (a loop): p stays as written.
func (s *records) resolveLinks(p string, whole bool) (string, bool) {
	dir := p
	if !whole {
		dir = parent(p)
	}
	if !s.throughLink(dir) {
		return p, false
	}
	done, todo, hops := "", dir, 0
	for todo != "" {
		var c string
		c, todo, _ = strings.Cut(todo, "/")
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
		if t, ok := s.symlinks[next]; ok {
			if hops++; hops > maxLinks {
				return p, false
			}
			if strings.HasPrefix(t, "/") {
				done = ""
			}
			if todo != "" {
				t += "/" + todo
			}
			todo = t
			continue
		}
		done = next
	}
	if !whole {
		_, name := splitPath(p)
		if done != "" {
			done += "/"
		}
		done += name
	}
	return done, done != p
}

// throughLink tells whether dir or a directory above it is one of the
// layer's links, without allocating: most records are not under one.
func (s *records) throughLink(dir string) bool {
	if len(s.symlinks) == 0 || dir == "" {
		return false
	}
	for i := range len(dir) {
		if dir[i] == '/' {
			if _, ok := s.symlinks[dir[:i]]; ok {
				return true
			}
		}
	}
	_, ok := s.symlinks[dir]
	return ok
}

// noteLink keeps the layer's links up to date with record r, added at
// its resolved path: a link is made, or replaced by whatever comes at
// its path; a non-directory replacing a directory takes the links under
// it along.
func (s *records) noteLink(r Record) {
	if r.Opaque {
		return
	}
	if r.Type == Symlink && !r.Whiteout {
		if s.symlinks == nil {
			s.symlinks = map[string]string{}
		}
		s.symlinks[r.Path] = r.LinkTarget
		return
	}
	if len(s.symlinks) == 0 {
		return
	}
	delete(s.symlinks, r.Path)
	if _, under := s.dirID[r.Path+"/"]; under && (r.Whiteout || r.Type != Dir) {
		for p := range s.symlinks {
			if strings.HasPrefix(p, r.Path+"/") {
				delete(s.symlinks, p)
			}
		}
	}
}

// tarPaths are where the tar wrote the records a link of their layer put
// elsewhere, by record, in the order they come: the written directory,
// kept once however many records share it, before the record's own name
// (a whole path where the written name differs: an opaque marker's
// directory).
type tarPaths struct {
	recs  []int32 // ascending
	where []int32 // into paths; ^k for a whole path
	paths []string
	ids   map[string]int32
}

func (t *tarPaths) add(rec int32, written, name string) {
	dir, base := splitPath(written)
	key, whole := dir, base != name
	if whole {
		key = written
	}
	id, ok := t.ids[key]
	if !ok {
		if t.ids == nil {
			t.ids = map[string]int32{}
		}
		id = int32(len(t.paths))
		t.paths = append(t.paths, key)
		t.ids[key] = id
	}
	if whole {
		id = ^id
	}
	t.recs = append(t.recs, rec)
	t.where = append(t.where, id)
}

// at is where the tar wrote record rec, named name; "" where it lands.
func (t *tarPaths) at(rec int32, name string) string {
	k, ok := slices.BinarySearch(t.recs, rec)
	switch {
	case !ok:
		return ""
	case t.where[k] < 0:
		return t.paths[^t.where[k]]
	}
	return t.paths[t.where[k]] + name
}
