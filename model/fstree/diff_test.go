package fstree

import (
	"archive/tar"
	"bytes"
	"testing"
)

// listed is every entry Listing gives: what files -o json lists.
func listed(v View) []Entry {
	var out []Entry
	v.Listing(func(e Entry) bool { out = append(out, e); return true })
	return out
}

// A directory only implied by the paths under it is in the container as
// much as any other (issue 21): DiffViews, and so diff --files, says it is
// added, removed or modified as Listing lists it. The Debian image's edge
// layer adds opt/implicit/deep/file and no directory entry above it; the
// container of that layer has opt/implicit and opt/implicit/deep that the
// one below does not.
func TestDiffViewsListsImpliedDirectories(t *testing.T) {
	base := layerOf(t, 0, item{Name: "opt/", Body: ""}, item{Name: "etc/", Body: ""}, item{Name: "etc/conf", Body: "c"})
	edge := layerOf(t, 1, item{Name: "opt/implicit/deep/file", Body: "x"})
	below, above := NewView([]Layer{base}), NewView([]Layer{base, edge})

	d := DiffViews(below, above)
	if got := paths(d.Added); got != "opt/implicit/ opt/implicit/deep/ opt/implicit/deep/file@1" {
		t.Errorf("added: %s", got)
	}
	for _, e := range d.Added {
		if e.Type == Dir && (!e.Implied || e.Mode != impliedMode || e.Layer != 1) {
			t.Errorf("%s: %+v, want implied, mode %o, layer 1", e.Path, e, impliedMode)
		}
	}
	if len(d.Removed)+len(d.Modified) != 0 {
		t.Errorf("removed %s, modified %s", paths(d.Removed), paths(d.Modified))
	}
	if got := paths(DiffViews(above, below).Removed); got != "opt/implicit/ opt/implicit/deep/ opt/implicit/deep/file@1" {
		t.Errorf("removed, the other way: %s", got)
	}

	// An implied directory against an entry of another type or mode is
	// modified; against a directory of mode 0755, the same.
	other := NewView([]Layer{base, layerOf(t, 1, item{Name: "opt/implicit", Body: "a file"})})
	if got := paths(DiffViews(above, other).Modified); got != "opt/implicit@1" {
		t.Errorf("implied directory, then a file: modified %s", got)
	}
	dirs := func(mode int64) View {
		var b bytes.Buffer
		tw := tar.NewWriter(&b)
		for _, h := range []*tar.Header{{Name: "opt/implicit/", Mode: mode, Typeflag: tar.TypeDir},
			{Name: "opt/implicit/deep/", Mode: 0o755, Typeflag: tar.TypeDir}, {Name: "opt/implicit/deep/file", Mode: 0o644, Size: 1}} {
			_ = tw.WriteHeader(h)
		}
		_, _ = tw.Write([]byte("x"))
		_ = tw.Close()
		l, err := Read(&b, 1, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		return NewView([]Layer{base, l})
	}
	if d := DiffViews(above, dirs(0o700)); paths(d.Modified) != "opt/implicit/" || len(d.Added)+len(d.Removed) != 0 {
		t.Errorf("implied directory, then one of mode 0700: %+v", d)
	}
	if d := DiffViews(above, dirs(0o755)); !d.Empty() {
		t.Errorf("implied directories, then the same of mode 0755: %+v", d)
	}
}
