package fstree

import (
	"errors"
	"io/fs"
	"testing"
)

// Resolve follows links the way a container opening the path would: in
// every component, absolute targets from the root, ".." after a link from
// where the link led, never above the root; hard links to their targets.
func TestResolve(t *testing.T) {
	base := layerOf(t, 0,
		item{Name: "etc/"}, item{Name: "etc/os-release", Body: "ID=alpine"}, item{Name: "etc/alpine-release", Body: "3.20"},
		item{Name: "usr/lib/os-release", Body: "ID=usr"}, item{Name: "bin/busybox", Body: "ELF"},
		item{Name: "bin/sh -> busybox"}, item{Name: "bin/ash -> /bin/sh"}, item{Name: "lib -> usr/lib"},
		item{Name: "loop1 -> loop2"}, item{Name: "loop2 -> loop1"}, item{Name: "dangling -> nowhere"},
		item{Name: "up -> ../../../etc/os-release"}, item{Name: "fifo|"}, item{Name: "bin/hard => bin/busybox"},
		item{Name: "var/run -> ../run"}, item{Name: "run/x", Body: "x"}, item{Name: "gone", Body: "old"})
	top := layerOf(t, 1, item{Name: "etc/os-release", Body: "ID=platypus"}, item{Name: ".wh.gone"})
	v := NewView([]Layer{base, top})
	for _, c := range []struct {
		path, want string
		layer      int32
		err        error
	}{
		{"etc/os-release", "etc/os-release", 1, nil},
		{"/etc/os-release", "etc/os-release", 1, nil},
		{"./etc/../etc/alpine-release", "etc/alpine-release", 0, nil},
		{"bin/ash", "bin/busybox", 0, nil},                      // absolute link to a relative link
		{"lib/os-release", "usr/lib/os-release", 0, nil},        // a link in a directory's place
		{"lib/../lib/os-release", "usr/lib/os-release", 0, nil}, // ".." from where the link led: usr/
		{"lib/../etc/os-release", "", 0, ErrNotFound},           // usr/etc/os-release
		{"up", "etc/os-release", 1, nil},                        // never above the root
		{"var/run/x", "run/x", 0, nil},
		{"bin/hard", "bin/busybox", 0, nil},
		{"loop1", "", 0, ErrLoop},
		{"dangling", "", 0, ErrNotFound},
		{"gone", "", 0, ErrNotFound},
		{"etc", "", 0, ErrIsDir},
		{"usr", "", 0, ErrIsDir}, // only implied by what is under it
		{"/", "", 0, ErrIsDir},
		{"fifo", "", 0, ErrNotFile},
		{"etc/os-release/x", "", 0, ErrNotFile},
		{"nothing/here", "", 0, ErrNotFound},
	} {
		e, err := v.Resolve(c.path)
		switch {
		case c.err != nil && !errors.Is(err, c.err):
			t.Errorf("%s: err %v, want %v", c.path, err, c.err)
		case c.err == nil && (err != nil || e.Path != c.want || e.Layer != c.layer || e.Type != File):
			t.Errorf("%s: %+v %v, want %s of layer %d", c.path, e, err, c.want, c.layer)
		}
	}
	if _, err := v.Resolve("dangling"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("not found is not fs.ErrNotExist: %v", err)
	}
	if e, ok := v.Lookup("bin/sh"); !ok || e.Type != Symlink || e.LinkTarget != "busybox" {
		t.Errorf("Lookup does not follow links: %+v %v", e, ok)
	}
}
