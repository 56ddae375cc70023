package fstree

import (
	"bytes"
	"slices"
	"sort"
)

// Walk calls f for each node of the view's tree, depth first, every
// directory open, in Build's order (directories first, then by name) and
// with its totals, without building the tree: one directory's children
// are held at a time, not a node per entry. The Row's Node is f's only
// for the call: the walk fills the same one again for the next row.
func (v View) Walk(f func(Row)) { walkSource(v.withImplied(), f) }

// walkSource is Walk of any source: a view, a layer's changes.
func walkSource(v source, f func(Row)) {
	w := walker{v: v, totals: map[string]*total{}}
	// Directory totals first: a directory's line comes before what is
	// under it. What lies under a non-directory (a layer's changes can
	// hold a file and, removed, what was under it) counts up to it, not
	// past it: nondirs are those whose paths below are not passed yet.
	var nondirs pathStack
	for i := range v.Len() {
		w.buf = v.appendPath(w.buf[:0], i)
		p := w.buf
		for nondirs.len() > 0 {
			if top := nondirs.top(); isUnder(p, top) || lessThanDir(p, top) {
				break
			}
			nondirs.pop()
		}
		typ, size := v.typeSize(i)
		if typ == Dir {
			continue
		}
		for d := parentOf(p); !nondirs.contains(d); d = parentOf(d) {
			t := w.totals[string(d)]
			if t == nil {
				t = &total{}
				w.totals[string(d)] = t
			}
			t.size += size
			t.files++
			if len(d) == 0 {
				break
			}
		}
		nondirs.push(p)
	}
	w.dir(nil, 0, v.Len(), 0, f)
}

type total struct {
	size  int64
	files int
}

type walker struct {
	v        source
	totals   map[string]*total // of every directory with something under it
	buf, sub []byte
	node     Node
	entry    Entry
}

// child is one name in a directory: an entry (at), a directory only
// implied by the paths under it (at -1), or both; under is the range of
// entries below it.
type child struct {
	name  string
	at    int
	under [2]int
	isDir bool
}

// dir lists the children of directory prefix (empty or ending in "/"),
// whose entries are [lo, hi), and each child's own children after it.
func (w *walker) dir(prefix []byte, lo, hi, depth int, f func(Row)) {
	var kids []child
	byName := map[string]int{}
	for i := lo; i < hi; {
		w.buf = w.v.appendPath(w.buf[:0], i)
		rest := w.buf[len(prefix):]
		slash := bytes.IndexByte(rest, '/')
		if slash < 0 {
			typ, _ := w.v.typeSize(i)
			name := string(rest)
			byName[name] = len(kids)
			kids = append(kids, child{name: name, at: i, isDir: typ == Dir, under: [2]int{i, i}})
			i++
			continue
		}
		name := string(rest[:slash])
		w.sub = append(w.sub[:0], w.buf[:len(prefix)+slash+1]...)
		// What is under sub comes together: find where it ends.
		end := i + sort.Search(hi-i, func(k int) bool {
			w.buf = w.v.appendPath(w.buf[:0], i+k)
			return !bytes.HasPrefix(w.buf, w.sub)
		})
		if k, ok := byName[name]; ok {
			kids[k].under = [2]int{i, end}
		} else {
			byName[name] = len(kids)
			kids = append(kids, child{name: name, at: -1, isDir: true, under: [2]int{i, end}})
		}
		i = end
	}
	slices.SortFunc(kids, func(a, b child) int { return dirsFirst(a.isDir, b.isDir, a.name, b.name) })
	for _, k := range kids {
		n := &w.node
		*n = Node{Name: k.name}
		if k.at >= 0 {
			w.entry = w.v.Entry(k.at)
			n.Entry, n.Path, n.Mark = &w.entry, w.entry.Path, markNames[w.v.mark(k.at)]
		} else {
			n.Path = string(prefix) + k.name
		}
		if n.Dir() {
			if t := w.totals[n.Path]; t != nil {
				n.Size, n.Files = t.size, t.files
			}
		} else {
			n.Size, n.Files = n.Entry.Size, 1
		}
		path := n.Path
		f(Row{Node: n, Depth: depth})
		if k.under[1] > k.under[0] {
			w.dir(append([]byte(path), '/'), k.under[0], k.under[1], depth+1, f)
		}
	}
}

// pathStack is a stack of paths kept in one buffer: the walk pushes and
// pops one for nearly every entry, which would otherwise be a string each.
type pathStack struct {
	buf  []byte
	ends []int
}

func (s *pathStack) len() int { return len(s.ends) }

func (s *pathStack) push(p []byte) {
	s.buf = append(s.buf, p...)
	s.ends = append(s.ends, len(s.buf))
}

func (s *pathStack) pop() {
	s.ends = s.ends[:len(s.ends)-1]
	s.buf = s.buf[:s.start(len(s.ends))]
}

func (s *pathStack) start(k int) int {
	if k == 0 {
		return 0
	}
	return s.ends[k-1]
}

func (s *pathStack) top() []byte { return s.buf[s.start(len(s.ends)-1):] }

func (s *pathStack) contains(p []byte) bool {
	for k := range s.ends {
		if bytes.Equal(s.buf[s.start(k):s.ends[k]], p) {
			return true
		}
	}
	return false
}

// parentOf is the directory of a clean relative path: "a/b" is "a", "a"
// is "".
func parentOf(p []byte) []byte {
	i := bytes.LastIndexByte(p, '/')
	if i < 0 {
		return p[:0]
	}
	return p[:i]
}

// isUnder tells whether p is below directory dir.
func isUnder(p, dir []byte) bool {
	return len(p) > len(dir) && p[len(dir)] == '/' && bytes.Equal(p[:len(dir)], dir)
}

// lessThanDir tells whether p sorts before dir + "/".
func lessThanDir(p, dir []byte) bool {
	n := min(len(p), len(dir))
	if c := bytes.Compare(p[:n], dir[:n]); c != 0 {
		return c < 0
	}
	if len(p) <= len(dir) {
		return true
	}
	return p[len(dir)] < '/'
}
