package fstree

import "strings"

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
