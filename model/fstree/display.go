package fstree

import (
	"bytes"
	"cmp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Tree is a tree of entries for a screen: directory totals, directories
// that open and close, sorting by name or size, a filter on paths. It is
// compact — a node is 12 bytes and names its entry by index, its name,
// path and a file's size read from the layers' records when shown; only a
// node with something under it has totals of its own — so a layer of two
// million entries is a tree of about 32 MB, not half a gigabyte of nodes.
type Tree struct {
	src   source
	nodes []tnode // nodes[0] is the root; a directory's children are contiguous, in name order
	dirs  []tdir  // the nodes with children
	kids  []int32 // the nodes in the tree's order: a directory's children at the places of its nodes
}

// Root is the root node; it is never a row.
const Root = 0

type tnode struct {
	at    int32 // the entry; for a directory only implied, an entry under it
	dir   int32 // its place in Tree.dirs, or -1 when nothing is under it
	flags uint8
	mark  uint8
}

// tdir is what a node with children keeps besides: where they are and
// what it totals.
type tdir struct {
	size  int64 // the total of the files under it (a file's own size, for a file something is under)
	plen  int32 // the node's path is the first plen bytes of at's path
	first int32 // its first child in Tree.nodes (and Tree.kids)
	n     int32
	files int32
}

const (
	flagDir     = 1 << iota // has, or may have, children
	flagImplied             // no entry of its own
)

// source is what a Tree shows: entries sorted by path (equal paths
// together, the last of them counting).
type source interface {
	Len() int
	Entry(i int) Entry
	appendPath(b []byte, i int) []byte
	typeSize(i int) (Type, int64)
	mark(i int) uint8
}

// Marks, as a source keeps them.
const (
	markNone uint8 = iota
	markAdded
	markModified
	markRemoved
)

var markNames = [...]string{markNone: "", markAdded: Added, markModified: Modified, markRemoved: Removed}

func markOf(change string) uint8 {
	switch change {
	case Added:
		return markAdded
	case Modified:
		return markModified
	case Removed:
		return markRemoved
	}
	return markNone
}

// NewTree is the tree of a view: what a container sees, the directories
// it only implies (Listing's) included.
func NewTree(v View) *Tree { return newTree(v.withImplied()) }

func newTree(src source) *Tree {
	t := &Tree{src: src, nodes: []tnode{{at: -1, dir: -1, flags: flagDir | flagImplied}}, kids: []int32{Root}}
	b := treeBuilder{t: t}
	b.dir(Root, nil, 0, src.Len())
	t.nodes = slices.Clip(t.nodes)
	t.dirs = slices.Clip(t.dirs)
	t.kids = slices.Clip(t.kids)
	return t
}

type treeBuilder struct {
	t        *Tree
	buf, sub []byte
}

// kid is one name in a directory while it is built: its own entry (-1
// when only implied) and the range of entries under it.
type kid struct {
	name   string
	at     int32
	lo, hi int
	dir    bool
}

// dir makes the children of node, whose path is prefix ("" or ending in
// "/") and whose entries below are [lo, hi), then theirs; it returns the
// totals of what is under the node.
func (b *treeBuilder) dir(node int32, prefix []byte, lo, hi int) (int64, int32) {
	src := b.t.src
	var kids []kid
	byName := map[string]int{}
	for i := lo; i < hi; {
		b.buf = src.appendPath(b.buf[:0], i)
		rest := b.buf[len(prefix):]
		slash := bytes.IndexByte(rest, '/')
		if slash < 0 {
			typ, _ := src.typeSize(i)
			if k, ok := byName[string(rest)]; ok {
				kids[k].at, kids[k].dir = int32(i), typ == Dir
			} else {
				byName[string(rest)] = len(kids)
				kids = append(kids, kid{name: string(rest), at: int32(i), dir: typ == Dir})
			}
			i++
			continue
		}
		name := string(rest[:slash])
		b.sub = append(b.sub[:0], b.buf[:len(prefix)+slash+1]...)
		// What is under name/ comes together: find where it ends.
		end := i + sort.Search(hi-i, func(k int) bool {
			b.buf = src.appendPath(b.buf[:0], i+k)
			return !bytes.HasPrefix(b.buf, b.sub)
		})
		if k, ok := byName[name]; ok {
			kids[k].lo, kids[k].hi = i, end
		} else {
			byName[name] = len(kids)
			kids = append(kids, kid{name: name, at: -1, lo: i, hi: end, dir: true})
		}
		i = end
	}
	slices.SortFunc(kids, func(a, b kid) int { return dirsFirst(a.dir, b.dir, a.name, b.name) })
	t := b.t
	first := int32(len(t.nodes))
	if len(kids) > 0 {
		t.nodes[node].dir = int32(len(t.dirs))
		t.dirs = append(t.dirs, tdir{plen: int32(max(len(prefix)-1, 0)), first: first, n: int32(len(kids))})
	}
	for _, c := range kids {
		n := tnode{at: c.at, dir: -1}
		if c.at < 0 {
			n.at, n.flags = int32(c.lo), flagDir|flagImplied
		} else {
			if c.dir {
				n.flags = flagDir
			}
			n.mark = src.mark(int(c.at))
		}
		t.kids = append(t.kids, int32(len(t.nodes)))
		t.nodes = append(t.nodes, n)
	}
	var size int64
	var files int32
	sub := make([]byte, 0, len(prefix)+64)
	for k, c := range kids {
		id := first + int32(k)
		if c.hi > c.lo {
			sub = append(append(append(sub[:0], prefix...), c.name...), '/')
			s, f := b.dir(id, sub, c.lo, c.hi)
			if d := t.nodes[id].dir; d >= 0 {
				t.dirs[d].size, t.dirs[d].files = s, f
			}
		}
		if d := t.nodes[id].dir; d >= 0 && t.nodes[id].flags&flagDir == 0 {
			// A layer above can put paths under what a layer below holds
			// as a file: they are shown, with the file's own size.
			_, t.dirs[d].size = src.typeSize(int(t.nodes[id].at))
			t.dirs[d].files = 1
		}
		s, f := t.Size(id), int32(t.Files(id))
		size += s
		files += f
	}
	if node == Root && len(kids) > 0 {
		t.dirs[0].size, t.dirs[0].files = size, files
	}
	return size, files
}

// dirsFirst is a tree's order of names in a directory: directories
// first, then by name.
func dirsFirst(aDir, bDir bool, a, b string) int {
	if aDir != bDir {
		if aDir {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// Sort orders every directory's children: directories first, then by
// name, or by size (largest first) when bySize.
func (t *Tree) Sort(bySize bool) {
	for _, d := range t.dirs {
		if d.n < 2 {
			continue
		}
		kids := t.kids[d.first : d.first+d.n]
		if !bySize {
			for k := range kids {
				kids[k] = d.first + int32(k)
			}
			continue
		}
		slices.SortFunc(kids, func(a, b int32) int {
			if x, y := t.nodes[a].flags&flagDir, t.nodes[b].flags&flagDir; x == y {
				if c := cmp.Compare(t.Size(b), t.Size(a)); c != 0 {
					return c
				}
			}
			return cmp.Compare(a, b)
		})
	}
}

// TreeRow is one line of a tree shown as a list.
type TreeRow struct {
	Node  int32
	Depth int32
}

// Rows lists the tree depth first, below the directories open says are
// open; with a filter (lower case), only the paths that contain it and
// their directories, all open.
func (t *Tree) Rows(open func(node int32) bool, filter string) []TreeRow {
	var out []TreeRow
	matches := t.matcher(filter)
	var walk func(n, depth int32) bool
	walk = func(n, depth int32) bool {
		start := len(out)
		if n != Root {
			out = append(out, TreeRow{Node: n, Depth: depth})
		}
		shown := filter == "" || (n != Root && matches(n))
		if n == Root || (t.Dir(n) && (filter != "" || open(n))) {
			for _, c := range t.Kids(n) {
				if walk(c, depth+1) {
					shown = true
				}
			}
		}
		if !shown && n != Root {
			out = out[:start]
		}
		return shown
	}
	walk(Root, -1)
	return out
}

const (
	asciiLower = iota // ASCII with no upper case: matched as it is
	asciiUpper        // ASCII with upper case: lowered byte by byte
	notASCII          // lowered by strings.ToLower
)

// matcher tells whether a node's path holds filter (lower case), case
// aside.
func (t *Tree) matcher(filter string) func(n int32) bool {
	var buf, lower []byte
	want := []byte(filter)
	matches := func(n int32) bool {
		buf = t.appendPath(buf[:0], n)
		switch asciiCase(buf) {
		case asciiLower:
			return bytes.Contains(buf, want)
		case asciiUpper:
			lower = append(lower[:0], buf...)
			for i, c := range lower {
				if 'A' <= c && c <= 'Z' {
					lower[i] = c + 'a' - 'A'
				}
			}
			return bytes.Contains(lower, want)
		}
		return strings.Contains(strings.ToLower(string(buf)), filter)
	}
	return matches
}

// Narrow is Rows(open, filter) from rows of a filter that filter
// contains: a node shown for the longer filter was shown for the shorter,
// so only those rows are read again, not the whole tree.
func (t *Tree) Narrow(rows []TreeRow, filter string) []TreeRow {
	matches := t.matcher(filter)
	keep := make([]bool, len(rows))
	// kept[d]: a row at depth d, below the row being read, is kept.
	var kept []bool
	for i := len(rows) - 1; i >= 0; i-- {
		d := int(rows[i].Depth)
		for len(kept) <= d+1 {
			kept = append(kept, false)
		}
		keep[i] = kept[d+1] || matches(rows[i].Node)
		kept[d+1] = false
		kept[d] = kept[d] || keep[i]
	}
	var out []TreeRow
	for i, r := range rows {
		if keep[i] {
			out = append(out, r)
		}
	}
	return out
}

func asciiCase(b []byte) int {
	out := asciiLower
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return notASCII
		}
		if 'A' <= c && c <= 'Z' {
			out = asciiUpper
		}
	}
	return out
}

// Walk calls f for every node depth first, every directory open, in the
// tree's order, with a Node made for the row alone.
func (t *Tree) Walk(f func(Row)) {
	var walk func(n int32, depth int)
	walk = func(n int32, depth int) {
		if n != Root {
			f(Row{Node: t.Node(n), Depth: depth})
		}
		for _, c := range t.Kids(n) {
			walk(c, depth+1)
		}
	}
	walk(Root, -1)
}

// Len is the number of nodes, the root's included.
func (t *Tree) Len() int { return len(t.nodes) }

// Frozen is the tree as it stands, for another goroutine to read while
// this one sorts: only the order of children changes after a tree is
// built, and the copy keeps its own.
func (t *Tree) Frozen() *Tree {
	c := *t
	c.kids = slices.Clone(t.kids)
	return &c
}

// Kids are a node's children, in the tree's order.
func (t *Tree) Kids(n int32) []int32 {
	d := t.nodes[n].dir
	if d < 0 {
		return nil
	}
	x := &t.dirs[d]
	return t.kids[x.first : x.first+x.n]
}

// Dirs calls f for each directory with something under it.
func (t *Tree) Dirs(f func(n int32)) {
	for _, d := range t.dirs {
		for n := d.first; n < d.first+d.n; n++ {
			if t.nodes[n].dir >= 0 && t.Dir(n) {
				f(n)
			}
		}
	}
}

func (t *Tree) appendPath(b []byte, n int32) []byte {
	if n == Root {
		return b
	}
	x := &t.nodes[n]
	if x.dir < 0 {
		// Nothing under it: a node of its own entry, all of its path.
		return t.src.appendPath(b, int(x.at))
	}
	start := len(b)
	b = t.src.appendPath(b, int(x.at))
	return b[:start+int(t.dirs[x.dir].plen)]
}

// Path is a node's path ("" for the root).
func (t *Tree) Path(n int32) string { return string(t.appendPath(nil, n)) }

// Name is a node's last path element.
func (t *Tree) Name(n int32) string {
	p := t.Path(n)
	return p[strings.LastIndexByte(p, '/')+1:]
}

// Entry is a node's own entry; false for a directory only implied by the
// paths under it.
func (t *Tree) Entry(n int32) (Entry, bool) {
	x := &t.nodes[n]
	if n == Root || x.flags&flagImplied != 0 {
		return Entry{}, false
	}
	return t.src.Entry(int(x.at)), true
}

// Dir tells whether the node has, or may have, children.
func (t *Tree) Dir(n int32) bool { return t.nodes[n].flags&flagDir != 0 }

// HasKids tells whether anything is under the node.
func (t *Tree) HasKids(n int32) bool { return t.nodes[n].dir >= 0 }

// Size is a file's size or the total of the files under a directory.
func (t *Tree) Size(n int32) int64 {
	x := &t.nodes[n]
	switch {
	case x.dir >= 0:
		return t.dirs[x.dir].size
	case x.flags&flagDir != 0:
		return 0
	}
	_, size := t.src.typeSize(int(x.at))
	return size
}

// Files is 1 for a file, or the number of files under a directory.
func (t *Tree) Files(n int32) int {
	x := &t.nodes[n]
	switch {
	case x.dir >= 0:
		return int(t.dirs[x.dir].files)
	case x.flags&flagDir != 0:
		return 0
	}
	return 1
}

// Mark is the node's change ("added"…), if the tree shows changes.
func (t *Tree) Mark(n int32) string { return markNames[t.nodes[n].mark] }

// Node is node n made as a Node, for one row.
func (t *Tree) Node(n int32) *Node {
	out := &Node{Path: t.Path(n), Size: t.Size(n), Files: t.Files(n), Mark: t.Mark(n)}
	out.Name = out.Path[strings.LastIndexByte(out.Path, '/')+1:]
	if e, ok := t.Entry(n); ok {
		out.Entry = &e
	}
	return out
}
