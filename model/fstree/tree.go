package fstree

import (
	"cmp"
	"path"
	"slices"
	"strings"
)

// Node is a directory or a file of a tree built from entries, for display:
// a directory knows the total size and count of the files under it.
type Node struct {
	Name string
	Path string
	// Entry is the path's own entry; nil for a directory only implied by
	// the paths under it.
	Entry    *Entry
	Children []*Node
	// Size is a file's size, or the total of the files under a directory.
	Size  int64
	Files int
	// Mark is a change ("added"…) the tree was built to show, if any.
	Mark string
}

// Dir tells whether the node has, or may have, children.
func (n *Node) Dir() bool { return n.Entry == nil || n.Entry.Type == Dir }

// Build makes the tree of entries, directories first then by name; marks,
// when given, label paths (a layer's changes).
func Build(entries []Entry, marks map[string]string) *Node {
	root := &Node{}
	dirs := map[string]*Node{"": root}
	var node func(p string) *Node
	node = func(p string) *Node {
		if n, ok := dirs[p]; ok {
			return n
		}
		parentPath := parent(p)
		up := node(parentPath)
		n := &Node{Name: path.Base(p), Path: p}
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

func (n *Node) total() {
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
func (n *Node) Sort(bySize bool) {
	slices.SortFunc(n.Children, func(a, b *Node) int {
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
type Row struct {
	Node  *Node
	Depth int
}

// Rows lists the tree depth first, below the directories that are open;
// with a filter, only the paths that contain it and their directories,
// all open.
func (n *Node) Rows(open map[string]bool, filter string) []Row {
	var out []Row
	var walk func(m *Node, depth int) bool
	walk = func(m *Node, depth int) bool {
		start := len(out)
		if m != n {
			out = append(out, Row{Node: m, Depth: depth})
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
func (n *Node) All() []Row {
	var out []Row
	n.Walk(func(r Row) { out = append(out, r) })
	return out
}

// Walk calls f for each node of the tree depth first, every directory
// open, without a list of them all.
func (n *Node) Walk(f func(Row)) {
	var walk func(m *Node, depth int)
	walk = func(m *Node, depth int) {
		if m != n {
			f(Row{Node: m, Depth: depth})
		}
		for _, c := range m.Children {
			walk(c, depth+1)
		}
	}
	walk(n, -1)
}

// ModeString is an entry's mode as ls shows it: "drwxr-xr-x".
func ModeString(e *Entry) string {
	if e == nil {
		return "d?????????"
	}
	b := []byte("----------")
	switch e.Type {
	case Dir:
		b[0] = 'd'
	case Symlink:
		b[0] = 'l'
	case Hardlink:
		b[0] = 'h'
	case Other:
		b[0] = '?'
	case File:
	}
	const rwx = "rwxrwxrwx"
	for i := range 9 {
		if e.Mode&(1<<(8-i)) != 0 {
			b[i+1] = rwx[i]
		}
	}
	special := func(bit uint32, at int, set, unset byte) {
		if e.Mode&bit != 0 {
			if b[at] == '-' {
				b[at] = unset
			} else {
				b[at] = set
			}
		}
	}
	special(0o4000, 3, 's', 'S')
	special(0o2000, 6, 's', 'S')
	special(0o1000, 9, 't', 'T')
	return string(b)
}
