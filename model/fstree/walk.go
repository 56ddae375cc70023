package fstree

import (
	"slices"
	"sort"
	"strings"
)

// Walk calls f for each node of the view's tree, depth first, every
// directory open, in Build's order (directories first, then by name) and
// with its totals, without building the tree: one directory's children
// are held at a time, not a node per entry.
func (v View) Walk(f func(Row)) { walkSource(v, f) }

// walkSource is Walk of any source: a view, a layer's changes.
func walkSource(v source, f func(Row)) {
	w := walker{v: v, totals: map[string]total{}}
	// Directory totals first: a directory's line comes before what is
	// under it. What lies under a non-directory (a layer's changes can
	// hold a file and, removed, what was under it) counts up to it, not
	// past it: nondirs are those whose paths below are not passed yet.
	var nondirs []string
	for i := range v.Len() {
		e := v.Entry(i)
		for len(nondirs) > 0 {
			top := nondirs[len(nondirs)-1] + "/"
			if strings.HasPrefix(e.Path, top) || e.Path < top {
				break
			}
			nondirs = nondirs[:len(nondirs)-1]
		}
		if e.Type == Dir {
			continue
		}
		for d := parent(e.Path); !slices.Contains(nondirs, d); d = parent(d) {
			t := w.totals[d]
			t.size += e.Size
			t.files++
			w.totals[d] = t
			if d == "" {
				break
			}
		}
		nondirs = append(nondirs, e.Path)
	}
	w.dir("", 0, v.Len(), 0, f)
}

type total struct {
	size  int64
	files int
}

type walker struct {
	v      source
	totals map[string]total // of every directory with something under it
}

// child is one name in a directory: an entry, a directory only implied by
// the paths under it (entry nil), or both; under is the range of entries
// below it.
type child struct {
	name  string
	entry *Entry
	mark  uint8
	under [2]int
	isDir bool
}

// dir lists the children of directory prefix ("" or ending in "/"), whose
// entries are [lo, hi), and each child's own children after it.
func (w *walker) dir(prefix string, lo, hi, depth int, f func(Row)) {
	var kids []child
	byName := map[string]int{}
	for i := lo; i < hi; {
		e := w.v.Entry(i)
		rest := e.Path[len(prefix):]
		slash := strings.IndexByte(rest, '/')
		if slash < 0 {
			byName[rest] = len(kids)
			kids = append(kids, child{name: rest, entry: &e, mark: w.v.mark(i), isDir: e.Type == Dir, under: [2]int{i, i}})
			i++
			continue
		}
		name := rest[:slash]
		sub := prefix + name + "/"
		// What is under sub comes together: find where it ends.
		end := i + sort.Search(hi-i, func(k int) bool { return !strings.HasPrefix(w.v.Entry(i+k).Path, sub) })
		if k, ok := byName[name]; ok {
			kids[k].under = [2]int{i, end}
		} else {
			byName[name] = len(kids)
			kids = append(kids, child{name: name, isDir: true, under: [2]int{i, end}})
		}
		i = end
	}
	slices.SortFunc(kids, func(a, b child) int { return dirsFirst(a.isDir, b.isDir, a.name, b.name) })
	for _, k := range kids {
		n := &Node{Name: k.name, Path: prefix + k.name, Entry: k.entry, Mark: markNames[k.mark]}
		if n.Dir() {
			t := w.totals[n.Path]
			n.Size, n.Files = t.size, t.files
		} else {
			n.Size, n.Files = n.Entry.Size, 1
		}
		f(Row{Node: n, Depth: depth})
		if k.under[1] > k.under[0] {
			w.dir(n.Path+"/", k.under[0], k.under[1], depth+1, f)
		}
	}
}
