package fstree

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model/fstree/layertest"
)

// The three views of a filesystem list the same entries, with the same
// marks: files -o json (Listing, EachChange), the files table (Walk,
// WalkChanges) and the explorer's Files pane (NewTree, ChangeTree) — for
// the merged view and each layer's changes, directories only implied or
// made by a whiteout or an opaque marker included (issue 21).
func TestJSONTableAndPaneListTheSame(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 5))
	line := func(path string, dir bool, mark string) string {
		s := path
		if dir {
			s += "/"
		}
		return Sign(mark) + s
	}
	for round := range 300 {
		s := layertest.Random(r)
		layers, _ := readStack(t, s)
		for n := -1; n < len(layers); n++ {
			var json, table, pane []string
			var tree *Tree
			if n < 0 {
				v := NewView(layers)
				v.Listing(func(e Entry) bool { json = append(json, line(e.Path, e.Type == Dir, "")); return true })
				v.Walk(func(r Row) { table = append(table, line(r.Node.Path, r.Node.Dir(), r.Node.Mark)) })
				tree = NewTree(v)
			} else {
				EachChange(layers, n, func(c Change) bool { json = append(json, line(c.Path, c.Type == Dir, c.Change)); return true })
				WalkChanges(layers, n, func(r Row) { table = append(table, line(r.Node.Path, r.Node.Dir(), r.Node.Mark)) })
				tree, _ = ChangeTree(layers, n)
			}
			tree.Walk(func(r Row) { pane = append(pane, line(r.Node.Path, r.Node.Dir(), r.Node.Mark)) })
			// The table and the pane walk a tree; JSON is in path order.
			// A tree of changes shows the directories on the way to
			// them too, unmarked: the layer does not change them.
			listed := map[string]bool{}
			for _, l := range json {
				listed[l] = true
			}
			for _, rows := range []*[]string{&table, &pane} {
				*rows = slices.DeleteFunc(*rows, func(l string) bool {
					if n < 0 || listed[l] || !strings.HasSuffix(l, "/") || strings.ContainsAny(l[:1], "+~-") {
						return false
					}
					for _, j := range json {
						if strings.HasPrefix(strings.TrimLeft(j, "+~-"), l) {
							return true
						}
					}
					return false
				})
				sortLines(*rows)
			}
			what := "merged"
			if n >= 0 {
				what = fmt.Sprintf("layer %d", n)
			}
			if a, b := strings.Join(json, " "), strings.Join(table, " "); a != b {
				t.Fatalf("round %d, %s: JSON lists\n%s\nthe table\n%s\n%s", round, what, a, b, s)
			}
			if a, b := strings.Join(json, " "), strings.Join(pane, " "); a != b {
				t.Fatalf("round %d, %s: JSON lists\n%s\nthe pane\n%s\n%s", round, what, a, b, s)
			}
		}
	}
}

// sortLines sorts lines by path, the sign and a directory's "/" aside.
func sortLines(lines []string) {
	key := func(s string) string { return strings.TrimSuffix(strings.TrimLeft(s, "+~-"), "/") }
	for i := 1; i < len(lines); i++ {
		for j := i; j > 0 && key(lines[j]) < key(lines[j-1]); j-- {
			lines[j], lines[j-1] = lines[j-1], lines[j]
		}
	}
}
