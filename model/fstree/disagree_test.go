package fstree

import (
	"archive/tar"
	"errors"
	"fmt"
	"testing"

	"github.com/platypus-tui/platypus/model/fstree/layertest"
)

// Where the references disagree (see reference_test.go), each on the
// smallest stack that shows it: what platypus, Docker's applier,
// overlayfs (where it can run) and mutate.Extract make of one path. If a
// reference changes its mind, this says so.
func TestReferencesDisagree(t *testing.T) {
	file := func(name, body string, mode int64) layertest.Item {
		return layertest.Item{Name: name, Type: tar.TypeReg, Body: body, Mode: mode}
	}
	dir := func(name string, mode int64) layertest.Item {
		return layertest.Item{Name: name, Type: tar.TypeDir, Mode: mode}
	}
	link := func(name, target string) layertest.Item {
		return layertest.Item{Name: name, Type: tar.TypeLink, Link: target, Mode: 0o644}
	}
	is := func(body string) string { return "file " + layertest.Sum([]byte(body))[:8] }
	const (
		absent  = "absent"
		refused = "refused"
	)
	for _, c := range []struct {
		name                              string
		stack                             layertest.Stack
		path                              string
		platypus, docker, overlay, mutate string
	}{
		{"an opaque marker at the root (issue 21, defect 2)",
			layertest.Stack{{file("a.txt", "a", 0o644)}, {file(".wh..wh..opq", "", 0o644), file("c.txt", "c", 0o644)}},
			"a.txt", absent, absent, is("a"), absent},
		{"a file then a directory in one layer, over a directory",
			layertest.Stack{{dir("a", 0o755), file("a/low", "low", 0o644)}, {file("a", "file", 0o644), dir("a", 0o755)}},
			"a/low", is("low"), absent, is("low"), absent},
		{"an opaque marker after a parent its layer implied",
			layertest.Stack{{file("d/x", "x", 0o644)}, {file("d/e/f", "f", 0o644), file("d/.wh..wh..opq", "", 0o644)}},
			"d/e/f", is("f"), absent, is("f"), is("f")},
		{"a hard link to a lower layer's file",
			layertest.Stack{{file("t", "lower", 0o644)}, {link("h", "t")}},
			"h", is("lower"), is("lower"), refused, "hardlink"},
		{"a path twice in one layer (issue 21, defect 3)",
			layertest.Stack{{file("p", "first", 0o644), file("p", "last", 0o644)}},
			"p", is("last"), is("last"), is("last"), is("first")},
		{"a directory below a file, under a directory above it",
			layertest.Stack{{dir("a", 0o755), file("a/low", "low", 0o644)}, {file("a", "file", 0o644)}, {dir("a", 0o755)}},
			"a/low", absent, absent, absent, is("low")},
		{"a name with a leading slash under a whiteout",
			layertest.Stack{{file("/w/x", "x", 0o644)}, {file(".wh.w", "", 0o644)}, {dir("w", 0o755)}},
			"w/x", absent, absent, absent, is("x")},
		{"a parent a layer implies, over a directory of another mode",
			layertest.Stack{{dir("m", 0o700)}, {file("m/f", "f", 0o644)}},
			"m", "dir 0700", "dir 0700", "dir 0755", "dir 0700"},
	} {
		t.Run(c.name, func(t *testing.T) {
			layers, tars := readStack(t, c.stack)
			describe := func(tree layertest.Tree, err error) string {
				switch n, ok := tree[c.path]; {
				case err != nil:
					return refused
				case !ok:
					return absent
				case n.Type == "file":
					return "file " + n.Sum[:8]
				case n.Type == "dir":
					return fmt.Sprintf("dir %04o", n.Mode)
				default:
					return n.Type
				}
			}
			if got := describe(treeOf(NewView(layers)), nil); got != c.platypus {
				t.Errorf("platypus: %s, want %s", got, c.platypus)
			}
			trees, err := layertest.Docker(layertest.Scratch(t), tars)
			var top layertest.Tree
			if err == nil {
				top = trees[len(trees)-1]
			}
			if got := describe(top, err); got != c.docker && !errors.Is(err, layertest.ErrUnsupported) {
				t.Errorf("Docker's applier: %s (%v), want %s", got, err, c.docker)
			}
			tree, err := layertest.Overlay(layertest.Scratch(t), tars)
			if got := describe(tree, err); got != c.overlay && !errors.Is(err, layertest.ErrUnsupported) {
				t.Errorf("overlayfs: %s (%v), want %s", got, err, c.overlay)
			}
			tree, err = layertest.Mutate(tars)
			if got := describe(tree, err); got != c.mutate {
				t.Errorf("mutate.Extract: %s (%v), want %s", got, err, c.mutate)
			}
		})
	}
}
