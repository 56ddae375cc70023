package fstree

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// treeLines writes rows of the compact tree and of the oracle alike.
func treeLines(t *Tree, rows []TreeRow) []string {
	var out []string
	for _, r := range rows {
		n := t.Node(r.Node)
		out = append(out, rowLine(int(r.Depth), n))
	}
	return out
}

func oracleLines(rows []oracleRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, rowLine(r.Depth, r.Node.node()))
	}
	return out
}

func rowLine(depth int, n *Node) string {
	s := fmt.Sprintf("%d %s %s %d/%d %s dir=%v", depth, n.Name, n.Path, n.Size, n.Files, n.Mark, n.Dir())
	if e := n.Entry; e != nil {
		s += fmt.Sprintf(" %s %s %d@%d", e.Type, e.LinkTarget, e.Size, e.Layer)
	}
	return s
}

// randomEntries are entries sorted by path, with names that sort between
// a directory and what is under it ("a-b" comes between "a" and "a/b"),
// upper case, non-ASCII, repeated paths and files with paths under them.
func randomEntries(r *rand.Rand) ([]Entry, []uint8) {
	names := []string{"a", "a-b", "a.b", "B", "b", "é", "É", "c"}
	var es []Entry
	for range 1 + r.IntN(25) {
		parts := make([]string, 1+r.IntN(3))
		for i := range parts {
			parts[i] = names[r.IntN(len(names))]
		}
		e := Entry{Path: strings.Join(parts, "/"), Size: int64(r.IntN(100)), Layer: int32(r.IntN(3))}
		switch r.IntN(4) {
		case 0:
			e.Type, e.Size = Dir, 0
		case 1:
			e.Type, e.LinkTarget = Symlink, "x"
		default:
			e.Type = File
		}
		es = append(es, e)
	}
	slices.SortStableFunc(es, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	marks := make([]uint8, len(es))
	for i := range marks {
		marks[i] = uint8(r.IntN(4))
	}
	return es, marks
}

// The compact tree shows what the tree of a node per path showed: the
// same rows, totals, marks and order, whichever directories are open,
// with a filter, sorted by name or size; on random entries.
func TestTreeIsTheOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for round := range 2000 {
		es, marks := randomEntries(r)
		byPath := map[string]string{}
		for i, e := range es {
			byPath[e.Path] = markNames[marks[i]]
		}
		tree := newTree(entryList{entries: es, marks: marks})
		want := buildOracle(es, byPath)
		open := map[string]bool{}
		tree.Dirs(func(n int32) {
			if r.IntN(2) == 0 {
				open[tree.Path(n)] = true
			}
		})
		filter := []string{"", "a", "b/", "é", "-", "zz"}[r.IntN(6)]
		bySize := r.IntN(2) == 0
		tree.Sort(bySize)
		want.Sort(bySize)
		got := treeLines(tree, tree.Rows(func(n int32) bool { return open[tree.Path(n)] }, filter))
		if w := oracleLines(want.Rows(open, filter)); !slices.Equal(got, w) {
			t.Fatalf("round %d, filter %q, by size %v, open %v:\n got %q\nwant %q", round, filter, bySize, open, got, w)
		}
		// A longer filter narrows the rows of a shorter one to its own.
		short := []string{"a", "b", "/", "é"}[r.IntN(4)]
		long := short + []string{"-", "/", "b", "a", "/é", ".b"}[r.IntN(6)]
		narrowed := treeLines(tree, tree.Narrow(tree.Rows(nil, short), long))
		if w := treeLines(tree, tree.Rows(nil, long)); !slices.Equal(narrowed, w) {
			t.Fatalf("round %d, %q narrowed to %q:\n got %q\nwant %q", round, short, long, narrowed, w)
		}
		var all []string
		tree.Walk(func(x Row) { all = append(all, rowLine(x.Depth, x.Node)) })
		if w := oracleLines(want.All()); !slices.Equal(all, w) {
			t.Fatalf("round %d, all:\n got %q\nwant %q", round, all, w)
		}
		if tree.Size(Root) != want.Size || tree.Files(Root) != want.Files {
			t.Fatalf("round %d: root %d/%d, want %d/%d", round, tree.Size(Root), tree.Files(Root), want.Size, want.Files)
		}
	}
}

// A view's tree and walk, and a layer's tree and walk of changes, are the
// oracle's trees of the same entries, on random layers.
func TestViewAndChangeTreesAreTheOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for round := range 300 {
		layers := randomImage(t, r)
		v := NewView(layers)
		var got, walked, want []string
		NewTree(v).Walk(func(x Row) { got = append(got, rowLine(x.Depth, x.Node)) })
		v.Walk(func(x Row) { walked = append(walked, rowLine(x.Depth, x.Node)) })
		buildOracle(listed(v), nil).Walk(func(x oracleRow) { want = append(want, rowLine(x.Depth, x.Node.node())) })
		if !slices.Equal(got, want) || !slices.Equal(walked, want) {
			t.Fatalf("round %d, view:\n got %q\nwalked %q\nwant %q", round, got, walked, want)
		}
		n := r.IntN(len(layers))
		tree, counts := ChangeTree(layers, n)
		changes := Changes(layers, n)
		entries, marks := make([]Entry, len(changes)), map[string]string{}
		wantCounts := map[string]int{}
		for i, c := range changes {
			entries[i], marks[c.Path] = c.Entry, c.Change
			wantCounts[c.Change]++
		}
		got, want = got[:0], want[:0]
		tree.Walk(func(x Row) { got = append(got, rowLine(x.Depth, x.Node)) })
		buildOracle(entries, marks).Walk(func(x oracleRow) { want = append(want, rowLine(x.Depth, x.Node.node())) })
		if !slices.Equal(got, want) || fmt.Sprint(counts) != fmt.Sprint(wantCounts) {
			t.Fatalf("round %d, layer %d:\n got %q %v\nwant %q %v", round, n, got, counts, want, wantCounts)
		}
		got = got[:0]
		WalkChanges(layers, n, func(x Row) { got = append(got, rowLine(x.Depth, x.Node)) })
		if !slices.Equal(got, want) {
			t.Fatalf("round %d, layer %d walked:\n got %q\nwant %q", round, n, got, want)
		}
	}
}

func TestTreeRows(t *testing.T) {
	v := NewView([]Layer{layerOf(t, 0, item{Name: "etc/", Body: ""}, item{Name: "etc/a", Body: "12"}, item{Name: "etc/sub/b", Body: "123"}, item{Name: "usr/bin/x", Body: "12345678"}, item{Name: "top", Body: "1"})})
	tree := NewTree(v)
	if tree.Size(Root) != 14 || tree.Files(Root) != 4 {
		t.Fatalf("root %d bytes, %d files", tree.Size(Root), tree.Files(Root))
	}
	names := func(rows []TreeRow, path bool) []string {
		var out []string
		for _, r := range rows {
			if path {
				out = append(out, tree.Path(r.Node))
			} else {
				out = append(out, strings.Repeat(" ", int(r.Depth))+tree.Name(r.Node))
			}
		}
		return out
	}
	open := func(n int32) bool { return tree.Path(n) == "etc" }
	if got, want := names(tree.Rows(open, ""), false), []string{"etc", " sub", " a", "usr", "top"}; !slices.Equal(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
	if got, want := names(tree.Rows(open, "bin"), true), []string{"usr", "usr/bin", "usr/bin/x"}; !slices.Equal(got, want) {
		t.Errorf("filtered %q", got)
	}
	tree.Sort(true)
	if got := tree.Name(tree.Kids(Root)[0]); got != "usr" {
		t.Errorf("by size: %s first", got)
	}
}
