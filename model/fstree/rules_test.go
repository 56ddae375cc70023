package fstree

import (
	"crypto/sha256"
	"strings"
	"testing"
)

func sumOf(s string) Sum { return sha256.Sum256([]byte(s)) }

func changeLine(cs []Change) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Change[:1]+":"+c.Path)
	}
	return strings.Join(out, " ")
}

// An opaque marker at the root of a layer hides every lower layer, as it
// does under any directory (issue 21, defect 2): `crane export` and
// containerd list only the upper layer's files.
func TestRootOpaqueHidesEveryLowerLayer(t *testing.T) {
	for _, marker := range []string{".wh..wh..opq", "./.wh..wh..opq", "/.wh..wh..opq"} {
		base := layerOf(t, 0, item{Name: "a.txt", Body: "a"}, item{Name: "dir/", Body: ""}, item{Name: "dir/b.txt", Body: "b"})
		top := layerOf(t, 1, item{Name: marker, Body: ""}, item{Name: "c.txt", Body: "c"})
		layers := []Layer{base, top}
		if got := paths(Merge(layers)); got != "c.txt@1" {
			t.Errorf("%s: merged %s", marker, got)
		}
		v := NewView(layers)
		if _, err := v.Resolve("a.txt"); err == nil {
			t.Errorf("%s: a.txt resolves under a root opaque marker", marker)
		}
		if got := changeLine(Changes(layers, 1)); got != "r:a.txt a:c.txt r:dir r:dir/b.txt" {
			t.Errorf("%s: changes %s", marker, got)
		}
	}
}

// A path twice in one layer is what its last record says, as tar
// extraction leaves it (issue 21, defect 3): in the merged view, in
// Resolve, in the layer's own record and in its changes, listed once.
func TestLastRecordOfAPathWins(t *testing.T) {
	base := layerOf(t, 0, item{Name: "etc/", Body: ""}, item{Name: "etc/conf", Body: "base"})
	dup := layerOf(t, 1, item{Name: "etc/conf", Body: "first"}, item{Name: "new", Body: "1"}, item{Name: "etc/conf", Body: "last"}, item{Name: "new", Body: "2"})
	layers := []Layer{base, dup}
	v := NewView(layers)
	e, err := v.Resolve("etc/conf")
	if err != nil || e.Digest != sumOf("last") || e.Layer != 1 {
		t.Errorf("etc/conf resolves to %+v %v, want the last copy", e, err)
	}
	if e, _ := v.Lookup("new"); e.Digest != sumOf("2") {
		t.Errorf("new: %+v", e)
	}
	if r, ok := dup.Find("etc/conf"); !ok || r.Digest != sumOf("last") {
		t.Errorf("the layer's own record: %+v", r)
	}
	cs := Changes(layers, 1)
	if got := changeLine(cs); got != "m:etc/conf a:new" {
		t.Errorf("changes list %s, want each path once", got)
	}
	for _, c := range cs {
		if c.Path == "new" && c.Digest != sumOf("2") {
			t.Errorf("the change of new is its first copy: %+v", c)
		}
	}
}

// What a later record of the same layer replaces is gone: a directory's
// entries before the file that replaces it, a file before the directory
// that replaces it. A non-directory hides what lower layers hold under it,
// even when a layer above makes the path a directory again.
func TestReplacedWithinALayerOrBelow(t *testing.T) {
	base := layerOf(t, 0, item{Name: "a/", Body: ""}, item{Name: "a/low", Body: "0"}, item{Name: "b/", Body: ""}, item{Name: "b/low", Body: "0"})
	mid := layerOf(t, 1,
		item{Name: "a/mine", Body: "1"}, item{Name: "a", Body: "now a file"}, // a/mine goes with the directory
		item{Name: "b", Body: "file"})
	top := layerOf(t, 2, item{Name: "b/", Body: ""}, item{Name: "b/top", Body: "2"}) // b/low stays hidden
	if got := paths(Merge([]Layer{base, mid, top})); got != "a@1 b/ b/top@2" {
		t.Errorf("merged %s", got)
	}
	flip := layerOf(t, 1, item{Name: "c", Body: "file"}, item{Name: "c/", Body: ""}, item{Name: "c/x", Body: "x"})
	if got := paths(Merge([]Layer{base, flip})); got != "a/ a/low@0 b/ b/low@0 c/ c/x@1" {
		t.Errorf("a file then a directory: %s", got)
	}
	// A file then a directory of one path, over a directory below: the
	// references disagree. containerd's native applier applies each record
	// to the merged tree, so the file removes a/low for good; overlayfs,
	// containerd's and Docker's default, unpacks the layer alone into its
	// own directory, where the file replaces nothing below, and a/low
	// shows through the directory. platypus follows overlayfs: what a
	// container of a default install sees (mutate.Extract keeps the first
	// record, a file).
	over := layerOf(t, 1, item{Name: "a", Body: "file"}, item{Name: "a/", Body: ""}, item{Name: "a/x", Body: "x"})
	if got := paths(Merge([]Layer{base, over})); got != "a/ a/low@0 a/x@1 b/ b/low@0" {
		t.Errorf("a file then a directory over a directory: %s", got)
	}
}

// A hard link is compared by what it reads (issue 21, defect 4): its
// entry carries its target's digest, so two images whose linked bytes
// differ differ.
func TestHardLinkCarriesItsTargetsDigest(t *testing.T) {
	img := func(body string) View {
		return NewView([]Layer{layerOf(t, 0, item{Name: "usr/bin/perl", Body: body}, item{Name: "usr/bin/perl5 => usr/bin/perl", Body: ""})})
	}
	a, b := img("amd64"), img("arm64")
	if e, _ := a.Lookup("usr/bin/perl5"); e.Type != Hardlink || e.Digest != sumOf("amd64") {
		t.Errorf("hard link entry %+v", e)
	}
	d := DiffViews(a, b)
	if got := paths(d.Modified); got != "usr/bin/perl@0 usr/bin/perl5=>usr/bin/perl" {
		t.Errorf("modified: %s", got)
	}
}

// A hard link reads its target as it was when the link was made: a later
// layer (or a later record) that replaces or removes the target's path
// leaves the link's bytes alone, as tar extraction does.
func TestHardLinkKeepsItsTargetsBytes(t *testing.T) {
	base := layerOf(t, 0, item{Name: "t", Body: "old"}, item{Name: "h => t", Body: ""}, item{Name: "gone", Body: "kept"}, item{Name: "g => gone", Body: ""})
	top := layerOf(t, 1, item{Name: "t", Body: "new"}, item{Name: ".wh.gone", Body: ""},
		item{Name: "u", Body: "first"}, item{Name: "k => u", Body: ""}, item{Name: "u", Body: "second"})
	v := NewView([]Layer{base, top})
	for p, want := range map[string]string{"h": "old", "t": "new", "g": "kept", "k": "first", "u": "second"} {
		e, err := v.Resolve(p)
		if err != nil || e.Digest != sumOf(want) {
			t.Errorf("%s: %+v %v, want the bytes %q", p, e, err, want)
		}
	}
}

// Every directory the tree shows is listed, those only implied by the
// paths under them too (issue 21, defect 8).
func TestListingHasImpliedDirectories(t *testing.T) {
	v := NewView([]Layer{
		layerOf(t, 0, item{Name: "opt/", Body: ""}, item{Name: "opt-x", Body: "1"}, item{Name: "opt/implicit/deep/file", Body: "1"}),
		layerOf(t, 1, item{Name: "opt/implicit/other", Body: "1"}),
	})
	var got []string
	v.Listing(func(e Entry) bool {
		s := e.Path
		if e.Implied {
			s += "(implied " + ModeString(&e) + ")"
		}
		got = append(got, s)
		return true
	})
	if strings.Join(got, " ") != "opt opt-x opt/implicit(implied drwxr-xr-x) opt/implicit/deep(implied drwxr-xr-x) opt/implicit/deep/file opt/implicit/other" {
		t.Errorf("listing: %s", strings.Join(got, " "))
	}
}

// A layer number out of range has no changes, and no panic (issue 21,
// defect 10).
func TestChangesOfNoLayer(t *testing.T) {
	layers := []Layer{layerOf(t, 0, item{Name: "a", Body: "1"})}
	for _, n := range []int{-1, 1, 7} {
		if cs := Changes(layers, n); len(cs) != 0 {
			t.Errorf("layer %d: %v", n, cs)
		}
		tree, _ := ChangeTree(layers, n)
		if tree == nil {
			t.Errorf("layer %d: no tree", n)
		}
	}
}
