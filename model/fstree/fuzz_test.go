package fstree

import (
	"bytes"
	"reflect"
	"slices"
	"testing"
)

// FuzzLayers: any two tar streams a registry sends are read within the
// limits without a panic, and what platypus shows of them agrees with
// itself: the compact tree with the tree of a node per path, the walk of
// a view and of a layer's changes with their trees, the side-by-side diff
// with the diff by maps.
func FuzzLayers(f *testing.F) {
	seed := func(items ...item) []byte { return tarOf(f, items...) }
	base := seed(item{Name: "etc/"}, item{Name: "etc/passwd", Body: "root"}, item{Name: "bin/sh", Body: "elf"},
		item{Name: "bin/ash -> sh"}, item{Name: "usr/lib/a", Body: "1"}, item{Name: "usr/lib/b", Body: "22"})
	top := seed(item{Name: "etc/.wh.passwd"}, item{Name: "usr/lib/.wh..wh..opq"}, item{Name: "usr/lib/c", Body: "3"},
		item{Name: "bin/sh", Body: "new"}, item{Name: "é\u202e/\x1b[31mx", Body: "z"}, item{Name: "a-b"}, item{Name: "a/b/"})
	f.Add(base, top)
	f.Add(top, base)
	f.Add(base, []byte("not a tar"))
	f.Add([]byte{}, base)
	f.Add(sparseTar(1<<40), base)
	lim := Limits{Bytes: 1 << 20, Entries: 1000, PathLen: 256}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		la, err := Read(bytes.NewReader(a), 0, lim)
		if err != nil {
			return
		}
		lb, err := Read(bytes.NewReader(b), 1, lim)
		if err != nil {
			return
		}
		layers := []Layer{la, lb}
		v := NewView(layers)
		lines := func(walk func(func(Row))) []string {
			var out []string
			walk(func(r Row) { out = append(out, rowLine(r.Depth, r.Node)) })
			return out
		}
		oracle := func(es []Entry, marks map[string]string) []string {
			var out []string
			buildOracle(es, marks).Walk(func(r oracleRow) { out = append(out, rowLine(r.Depth, r.Node.node())) })
			return out
		}
		want := oracle(listed(v), nil)
		if got := lines(NewTree(v).Walk); !slices.Equal(got, want) {
			t.Fatalf("tree:\n got %q\nwant %q", got, want)
		}
		if got := lines(v.Walk); !slices.Equal(got, want) {
			t.Fatalf("walk:\n got %q\nwant %q", got, want)
		}
		tree, _ := ChangeTree(layers, 1)
		changes := Changes(layers, 1)
		es, marks := make([]Entry, len(changes)), map[string]string{}
		for i, c := range changes {
			es[i], marks[c.Path] = c.Entry, c.Change
		}
		want = oracle(es, marks)
		if got := lines(tree.Walk); !slices.Equal(got, want) {
			t.Fatalf("changes tree:\n got %q\nwant %q", got, want)
		}
		if got := lines(func(f func(Row)) { WalkChanges(layers, 1, f) }); !slices.Equal(got, want) {
			t.Fatalf("changes walk:\n got %q\nwant %q", got, want)
		}
		va, vb := NewView(layers[:1]), NewView(layers[1:])
		if got, want := DiffViews(va, vb), Diff(listed(va), listed(vb)); !reflect.DeepEqual(got, want) {
			t.Fatalf("diff:\n got %+v\nwant %+v", got, want)
		}
		tree.Sort(true)
		_ = tree.Rows(func(int32) bool { return true }, "a")
		// Every path and link target resolves to a file the view holds,
		// or to an error, and never loops for ever.
		for _, e := range v.Entries() {
			for _, p := range []string{e.Path, e.LinkTarget, e.Path + "/../" + e.LinkTarget} {
				f, err := v.Resolve(p)
				if err != nil {
					continue
				}
				if got, ok := v.Lookup(f.Path); !ok || got.Type != File || f.Type != File {
					t.Fatalf("%q resolved to %+v, which the view holds as %+v (%v)", p, f, got, ok)
				}
			}
		}
	})
}
