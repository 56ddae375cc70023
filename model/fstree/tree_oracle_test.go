package fstree

import (
	"cmp"
	"path"
	"slices"
	"strings"
)

// The tree as first written, one node per path with its children: the
// oracle the compact Tree is held to.

// Node is a directory or a file of a tree built from entries, for display:
// a directory knows the total size and count of the files under it.
type oracleNode struct {
	Name string
	Path string
	// Entry is the path's own entry; nil for a directory only implied by
	// the paths under it.
	Entry    *Entry
	Children []*oracleNode
	// Size is a file's size, or the total of the files under a directory.
	Size  int64
	Files int
	// Mark is a change ("added"…) the tree was built to show, if any.
	Mark string
}

// Dir tells whether the node has, or may have, children.
func (n *oracleNode) Dir() bool { return n.Entry == nil || n.Entry.Type == Dir }

// buildOracle makes the tree of entries, directories first then by name; marks,
// when given, label paths (a layer's changes).
func buildOracle(entries []Entry, marks map[string]string) *oracleNode {
	root := &oracleNode{}
	dirs := map[string]*oracleNode{"": root}
	var node func(p string) *oracleNode
	node = func(p string) *oracleNode {
		if n, ok := dirs[p]; ok {
			return n
		}
		parentPath := parent(p)
		up := node(parentPath)
		n := &oracleNode{Name: path.Base(p), Path: p}
		up.Children = append(up.Children, n)
		dirs[p] = n
		return n
	}
	for i := range entries {
		e := &entries[i]
		n := node(e.Path)
		n.Entry = e
		n.Mark = marks[e.Path]
	}
	root.total()
	root.Sort(false)
	return root
}

func (n *oracleNode) total() {
	if !n.Dir() {
		// A layer above can put paths under what a layer below holds as
		// a file: they are shown, with their own sizes.
		for _, c := range n.Children {
			c.total()
		}
		n.Size, n.Files = n.Entry.Size, 1
		return
	}
	n.Size, n.Files = 0, 0
	for _, c := range n.Children {
		c.total()
		n.Size += c.Size
		n.Files += c.Files
	}
}

// Sort orders every directory's children: directories first, then by
// name, or by size (largest first) when bySize.
func (n *oracleNode) Sort(bySize bool) {
	slices.SortFunc(n.Children, func(a, b *oracleNode) int {
		if a.Dir() != b.Dir() {
			if a.Dir() {
				return -1
			}
			return 1
		}
		if bySize {
			if c := cmp.Compare(b.Size, a.Size); c != 0 {
				return c
			}
		}
		return strings.Compare(a.Name, b.Name)
	})
	for _, c := range n.Children {
		c.Sort(bySize)
	}
}

// Row is one line of a tree shown as a list.
type oracleRow struct {
	Node  *oracleNode
	Depth int
}

// Rows lists the tree depth first, below the directories that are open;
// with a filter, only the paths that contain it and their directories,
// all open.
func (n *oracleNode) Rows(open map[string]bool, filter string) []oracleRow {
	var out []oracleRow
	var walk func(m *oracleNode, depth int) bool
	walk = func(m *oracleNode, depth int) bool {
		start := len(out)
		if m != n {
			out = append(out, oracleRow{Node: m, Depth: depth})
		}
		shown := filter == "" || strings.Contains(strings.ToLower(m.Path), filter)
		if m.Dir() && (m == n || open[m.Path] || filter != "") {
			for _, c := range m.Children {
				if walk(c, depth+1) {
					shown = true
				}
			}
		}
		if !shown && m != n {
			out = out[:start]
		}
		return shown
	}
	walk(n, -1)
	return out
}

// All lists the whole tree depth first, every directory open.
func (n *oracleNode) All() []oracleRow {
	var out []oracleRow
	n.Walk(func(r oracleRow) { out = append(out, r) })
	return out
}

// Walk calls f for each node of the tree depth first, every directory
// open, without a list of them all.
func (n *oracleNode) Walk(f func(oracleRow)) {
	var walk func(m *oracleNode, depth int)
	walk = func(m *oracleNode, depth int) {
		if m != n {
			f(oracleRow{Node: m, Depth: depth})
		}
		for _, c := range m.Children {
			walk(c, depth+1)
		}
	}
	walk(n, -1)
}

// node is the row's Node as the Tree makes it.
func (n *oracleNode) node() *Node {
	return &Node{Name: n.Name, Path: n.Path, Entry: n.Entry, Size: n.Size, Files: n.Files, Mark: n.Mark}
}
