package fstree

// FS is an image's filesystem as platypus shows it: its layers, what a
// container sees (with the waste) and its tree.
type FS struct {
	Layers []Layer
	View   View
	Tree   *Tree
}

// Load merges layers (base first) into an FS.
func Load(layers []Layer) *FS {
	v := NewView(layers)
	return &FS{Layers: layers, View: v, Tree: NewTree(v)}
}

// Uncompressed is the size of every layer's tar.
func (f *FS) Uncompressed() int64 {
	var n int64
	for _, l := range f.Layers {
		n += l.Uncompressed
	}
	return n
}

// LayerTree is the tree of layer n's changes (see ChangeTree).
func (f *FS) LayerTree(n int) (*Tree, map[string]int) { return ChangeTree(f.Layers, n) }
