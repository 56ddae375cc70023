package model

// MaxDepth bounds how deep nested indexes are followed.
const MaxDepth = 4

// Tree is a manifest with what was loaded below it: the manifests its
// entries point to (nested indexes followed), their configs, and the
// failures, so a partial load still shows what arrived.
type Tree struct {
	Root     *Manifest
	Children map[string]*Manifest // by manifest digest
	Configs  map[string]*Config   // by manifest digest of the image
	Errors   map[string]error     // by digest of a manifest that failed to load
	// ConfigErrors holds config failures by the image's manifest digest.
	ConfigErrors map[string]error
}

// NewTree returns a tree with empty maps around root.
func NewTree(root *Manifest) *Tree {
	return &Tree{Root: root, Children: map[string]*Manifest{}, Configs: map[string]*Config{}, Errors: map[string]error{}, ConfigErrors: map[string]error{}}
}

// Image returns the image for a manifest digest: the root itself for a
// single-image manifest, or a loaded child.
func (t *Tree) Image(digest string) Image {
	m := t.Children[digest]
	if m == nil && t.Root != nil && t.Root.Digest == digest {
		m = t.Root
	}
	return Image{Manifest: m, Config: t.Configs[digest]}
}

// Sizes analyses the loaded manifests of the tree that hold blobs: images,
// and the attestations and artifacts beside them.
func (t *Tree) Sizes() SizeReport {
	imgs := map[string]*Manifest{}
	for d, m := range t.Children {
		if m.Kind != KindIndex {
			imgs[d] = m
		}
	}
	if t.Root != nil && t.Root.Kind != KindIndex {
		imgs[t.Root.Digest] = t.Root
	}
	return AnalyzeSizes(imgs)
}

// Pick is the image a pull of the tree takes for target: the root when it
// is an image, else the entry Docker selects (nested indexes followed).
// When nothing matches it returns Docker's error line.
func (t *Tree) Pick(target Target) (string, string) {
	if t.Root == nil {
		return "", "nothing loaded"
	}
	if !t.Root.IsIndex() {
		return t.Root.Digest, ""
	}
	a := Analyze(t.Root, target, t.Children, t.Configs)
	if a.Primary == nil || !a.Primary.Found() {
		if a.Primary != nil && a.Primary.DockerError != "" {
			return "", a.Primary.DockerError
		}
		return "", "no image for " + target.Platform.Display()
	}
	return a.Primary.Image, ""
}
