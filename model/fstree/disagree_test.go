package fstree

import (
	"archive/tar"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model/fstree/layertest"
)

// Where the references disagree (see reference_test.go), each on the
// smallest stack that shows it: what platypus, Docker's applier,
// overlayfs over layers unpacked as Docker's overlay2 unpacks them,
// containerd's overlayfs snapshotter (those two where they can run) and
// mutate.Extract make of one path. If a reference changes its mind, this
// says so. Why platypus answers as it does, beyond reference_test.go:
//   - A file through a lower layer's link to a directory (bin/foo over a
//     merged-/usr bin -> usr/bin): Docker's applier, applying records to
//     the merged tree, follows the link to usr/bin/foo. Docker's default
//     storage does not: overlay2's ApplyDiff untars the layer alone into
//     its diff directory (chrootarchive.UntarUncompressed), and
//     containerd's overlayfs snapshotter applies it to the upperdir alone
//     (diff/apply/apply_linux.go: archive.Apply with the lower directories
//     as parents, whose mkparent makes bin a real directory and copies
//     only attributes). That bin/ is a directory which overlayfs puts over
//     the link, looking no further down: the container's /bin holds foo
//     and nothing else (/bin/sh is gone; nixpkgs#110696, rules_oci#857).
//     platypus shows what the container sees: bin a directory, modified by
//     that layer, usr/bin as it was.
//   - Within one layer every applier follows the layer's own link: the
//     record is where it lands, usr/bin/foo, its tar path kept (TarPath).
//   - A link that climbs past the root: moby's unpacker (os.Root) refuses
//     to follow it and crane export drops it; containerd's fs.RootPath,
//     like the kernel inside a container, stops at the root, as platypus.
//   - A whiteout of a path its own layer holds: the OCI spec applies
//     whiteouts to the layers below only ("files that are present in the
//     same layer as a whiteout file can only be hidden by whiteout files
//     in subsequent layers"). Docker's applier, record by record, removes
//     a file written before the whiteout; overlay2 and containerd fail that
//     layer (the whiteout's mknod finds the file: EEXIST). A file written
//     after the whiteout stays everywhere but in crane export. platypus
//     keeps the layer's file in both orders, as the spec says and as the
//     default runtimes show wherever they unpack the layer. A whiteout
//     that a later record of its layer replaces at its path is a device
//     that record removes, for overlay2 and containerd: a directory made
//     again there is not opaque, and what is below shows under it.
//     Docker's applier, which removed what was below, and crane export
//     hide it; platypus shows it, as a container does.
//   - A hard link's header sets its mode on the inode it shares: every
//     applier leaves a file and its links the mode of the last of their
//     records applied. crane export, an archive, keeps each header's.
func TestReferencesDisagree(t *testing.T) {
	file := func(name, body string, mode int64) layertest.Item {
		return layertest.Item{Name: name, Type: tar.TypeReg, Body: body, Mode: mode}
	}
	dir := func(name string, mode int64) layertest.Item {
		return layertest.Item{Name: name, Type: tar.TypeDir, Mode: mode}
	}
	hardlink := func(name, target string, mode int64) layertest.Item {
		return layertest.Item{Name: name, Type: tar.TypeLink, Link: target, Mode: mode}
	}
	link := func(name, target string) layertest.Item { return hardlink(name, target, 0o644) }
	symlink := func(name, target string) layertest.Item {
		return layertest.Item{Name: name, Type: tar.TypeSymlink, Link: target, Mode: 0o777}
	}
	// mergedUsr is a merged-/usr base (bin -> usr/bin) and a layer above.
	mergedUsr := func(top ...layertest.Item) layertest.Stack {
		return layertest.Stack{{dir("usr", 0o755), dir("usr/bin", 0o755), file("usr/bin/ls", "ls", 0o755), symlink("bin", "usr/bin")}, top}
	}
	is := func(body string) string { return "file " + layertest.Sum([]byte(body))[:8] }
	const (
		absent  = "absent"
		refused = "refused"
	)
	for _, c := range []struct {
		name                                          string
		stack                                         layertest.Stack
		path                                          string
		platypus, docker, overlay, containerd, mutate string
	}{
		{"an opaque marker at the root (issue 21, defect 2)",
			layertest.Stack{{file("a.txt", "a", 0o644)}, {file(".wh..wh..opq", "", 0o644), file("c.txt", "c", 0o644)}},
			"a.txt", absent, absent, is("a"), is("a"), absent},
		{"a file then a directory in one layer, over a directory",
			layertest.Stack{{dir("a", 0o755), file("a/low", "low", 0o644)}, {file("a", "file", 0o644), dir("a", 0o755)}},
			"a/low", is("low"), absent, is("low"), is("low"), absent},
		{"an opaque marker after a parent its layer implied",
			layertest.Stack{{file("d/x", "x", 0o644)}, {file("d/e/f", "f", 0o644), file("d/.wh..wh..opq", "", 0o644)}},
			"d/e/f", is("f"), absent, is("f"), is("f"), is("f")},
		{"a hard link to a lower layer's file",
			layertest.Stack{{file("t", "lower", 0o644)}, {link("h", "t")}},
			"h", is("lower"), is("lower"), refused, refused, "hardlink"},
		{"a path twice in one layer (issue 21, defect 3)",
			layertest.Stack{{file("p", "first", 0o644), file("p", "last", 0o644)}},
			"p", is("last"), is("last"), is("last"), is("last"), is("first")},
		{"a directory below a file, under a directory above it",
			layertest.Stack{{dir("a", 0o755), file("a/low", "low", 0o644)}, {file("a", "file", 0o644)}, {dir("a", 0o755)}},
			"a/low", absent, absent, absent, absent, is("low")},
		{"a name with a leading slash under a whiteout",
			layertest.Stack{{file("/w/x", "x", 0o644)}, {file(".wh.w", "", 0o644)}, {dir("w", 0o755)}},
			"w/x", absent, absent, absent, absent, is("x")},
		{"a parent a layer implies, over a directory of another mode",
			layertest.Stack{{dir("m", 0o700)}, {file("m/f", "f", 0o644)}},
			"m", "dir 0700", "dir 0700", "dir 0755", "dir 0700", "dir 0700"},
		{"a file through a lower layer's link to a directory: the link",
			mergedUsr(file("bin/foo", "foo", 0o755)),
			"bin", "dir 0755", "symlink", "dir 0755", "dir 0755", "symlink"},
		{"a file through a lower layer's link to a directory: where Docker puts it",
			mergedUsr(file("bin/foo", "foo", 0o755)),
			"usr/bin/foo", absent, is("foo"), absent, absent, absent},
		{"a whiteout through a lower layer's link to a directory",
			mergedUsr(file("bin/.wh.ls", "", 0o644)),
			"usr/bin/ls", is("ls"), absent, is("ls"), is("ls"), is("ls")},
		{"a file through a link of its own layer that climbs past the root",
			layertest.Stack{{dir("usr", 0o755), dir("usr/bin", 0o755)}, {symlink("bin", "../../usr/bin"), file("bin/foo", "foo", 0o755)}},
			"usr/bin/foo", is("foo"), refused, refused, is("foo"), absent},
		{"a whiteout after a file of its own layer (one path)",
			layertest.Stack{{file("x", "low", 0o644)}, {file("x", "mine", 0o644), file(".wh.x", "", 0o644)}},
			"x", is("mine"), absent, refused, refused, is("mine")},
		{"a whiteout before a file of its own layer (one path)",
			layertest.Stack{{file("x", "low", 0o644)}, {file(".wh.x", "", 0o644), file("x", "mine", 0o644)}},
			"x", is("mine"), is("mine"), is("mine"), is("mine"), absent},
		{"a whiteout, then a directory at its path, in one layer",
			layertest.Stack{{dir("x", 0o755), file("x/low", "low", 0o644)}, {file(".wh.x", "", 0o644), dir("x", 0o755), file("x/mine", "mine", 0o644)}},
			"x/low", is("low"), absent, is("low"), is("low"), absent},
		{"a hard link's mode, on the inode it shares with its target",
			layertest.Stack{{file("t", "t", 0o644), hardlink("h", "t", 0o755)}},
			"t", is("t") + " 0755", is("t") + " 0755", is("t") + " 0755", is("t") + " 0755", is("t") + " 0644"},
	} {
		t.Run(c.name, func(t *testing.T) {
			layers, tars := readStack(t, c.stack)
			want := c.platypus // a file's mode is compared where it is given
			describe := func(tree layertest.Tree, err error) string {
				switch n, ok := tree[c.path]; {
				case err != nil:
					return refused
				case !ok:
					return absent
				case n.Type == "file" && strings.Count(want, " ") == 2:
					return fmt.Sprintf("file %s %04o", n.Sum[:8], n.Mode)
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
			tree, err = layertest.Containerd(layertest.Scratch(t), tars)
			if got := describe(tree, err); got != c.containerd && !errors.Is(err, layertest.ErrUnsupported) {
				t.Errorf("containerd: %s (%v), want %s", got, err, c.containerd)
			}
			tree, err = layertest.Mutate(tars)
			if got := describe(tree, err); got != c.mutate {
				t.Errorf("mutate.Extract: %s (%v), want %s", got, err, c.mutate)
			}
		})
	}
}
