package fstree

// Node is one row of a tree as printed: a directory or a file, a
// directory with the total size and count of the files under it.
type Node struct {
	Name string
	Path string
	// Entry is the path's own entry; nil for a directory only implied by
	// the paths under it.
	Entry *Entry
	// Size is a file's size, or the total of the files under a directory.
	Size  int64
	Files int
	// Mark is a change ("added"…) the tree was built to show, if any.
	Mark string
}

// Dir tells whether the node has, or may have, children.
func (n *Node) Dir() bool { return n.Entry == nil || n.Entry.Type == Dir }

// Row is one line of a tree shown as a list.
type Row struct {
	Node  *Node
	Depth int
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
