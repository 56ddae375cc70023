package fstree

// FS is an image's filesystem as platypus shows it: its layers, what a
// container sees, the waste, and the tree of the merged view.
type FS struct {
	Layers []Layer
	Merged []Entry
	Waste  Waste
	Tree   *Node
}

// Load merges layers (base first) into an FS.
func Load(layers []Layer) *FS {
	v := NewView(layers)
	merged := v.Entries()
	return &FS{Layers: layers, Merged: merged, Waste: v.Waste, Tree: Build(merged, nil)}
}

// Uncompressed is the size of every layer's tar.
func (f *FS) Uncompressed() int64 {
	var n int64
	for _, l := range f.Layers {
		n += l.Uncompressed
	}
	return n
}

// LayerTree is the tree of layer n's changes, each node marked added,
// modified or removed, with the counts of each.
func (f *FS) LayerTree(n int) (*Node, map[string]int) {
	changes := Changes(f.Layers, n)
	entries := make([]Entry, len(changes))
	marks := make(map[string]string, len(changes))
	counts := map[string]int{}
	for i, c := range changes {
		entries[i] = c.Entry
		marks[c.Path] = c.Change
		counts[c.Change]++
	}
	return Build(entries, marks), counts
}

// DeltaTree is the tree of a filesystem diff, marked like LayerTree.
func DeltaTree(d Delta) *Node {
	var entries []Entry
	marks := map[string]string{}
	for kind, list := range map[string][]Entry{Added: d.Added, Removed: d.Removed, Modified: d.Modified} {
		for _, e := range list {
			marks[e.Path] = kind
			entries = append(entries, e)
		}
	}
	return Build(entries, marks)
}
