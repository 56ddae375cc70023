package model

import (
	"reflect"
	"strings"
	"testing"
)

// treeOf is an index of amd64 and, in a nested index without a platform,
// s390x, with an attestation; loaded says which manifests arrived.
func treeOf(loaded ...int) *Tree {
	nested := Entry{Descriptor: Descriptor{MediaType: MediaOCIIndex, Digest: dig(3), Size: 300}, Kind: KindIndex}
	t := NewTree(index(img(1, pl("linux/amd64")), nested, attestation(5, 1)))
	all := map[int]*Manifest{
		1: {Digest: dig(1), Kind: KindImage, Config: &Descriptor{Digest: dig(101), Size: 10},
			Layers: []Descriptor{{Digest: dig(201), Size: 1000}, {Digest: dig(202), Size: 100}}},
		3: {Digest: dig(3), Kind: KindIndex, MediaType: MediaOCIIndex, Entries: []Entry{img(4, pl("linux/s390x"))}},
		4: {Digest: dig(4), Kind: KindImage, Config: &Descriptor{Digest: dig(104), Size: 20},
			Layers: []Descriptor{{Digest: dig(201), Size: 1000}, {Digest: dig(204), Size: 7}}},
		5: {Digest: dig(5), Kind: KindAttestation, Config: &Descriptor{Digest: dig(105), Size: 2},
			Layers: []Descriptor{{Digest: dig(205), Size: 3}}},
	}
	for _, n := range loaded {
		t.Children[dig(n)] = all[n]
	}
	t.Configs[dig(1)] = &Config{Digest: dig(101), Platform: *pl("linux/amd64")}
	return t
}

func TestTreePick(t *testing.T) {
	single := NewTree(&Manifest{Digest: dig(7), Kind: KindImage})
	for _, c := range []struct {
		name     string
		tree     *Tree
		platform string
		image    string
		err      string // a part of the error line
	}{
		{"top-level entry", treeOf(1, 3, 4, 5), "linux/amd64", dig(1), ""},
		{"nested index followed", treeOf(1, 3, 4, 5), "linux/s390x", dig(4), ""},
		{"no match, Docker's words", treeOf(1, 3, 4, 5), "linux/ppc64le", "", "no matching manifest for linux/ppc64le"},
		{"nested index not loaded", treeOf(1), "linux/s390x", "", "no image for linux/s390x"},
		{"a single image is its own pick", single, "linux/arm64", dig(7), ""},
		{"nothing loaded", &Tree{}, "linux/amd64", "", "nothing loaded"},
	} {
		image, err := c.tree.Pick(target(c.platform, ""))
		if image != c.image || !strings.Contains(err, c.err) || (c.err == "") != (err == "") {
			t.Errorf("%s: Pick(%s) = %q, %q; want %q, %q", c.name, c.platform, image, err, c.image, c.err)
		}
	}
}

func TestTreeImage(t *testing.T) {
	tr := treeOf(1, 3, 4)
	if im := tr.Image(dig(1)); im.Manifest != tr.Children[dig(1)] || im.Config != tr.Configs[dig(1)] || im.Config == nil {
		t.Errorf("Image(child) = %+v, want the child with its config", im)
	}
	if im := tr.Image(dig(4)); im.Manifest != tr.Children[dig(4)] || im.Config != nil {
		t.Errorf("Image(child without config) = %+v", im)
	}
	if im := tr.Image(dig(8)); im.Manifest != nil || im.Config != nil {
		t.Errorf("Image(unknown) = %+v, want nothing", im)
	}
	single := NewTree(&Manifest{Digest: dig(7), Kind: KindImage})
	if im := single.Image(dig(7)); im.Manifest != single.Root {
		t.Errorf("Image(root) = %+v, want the root image", im)
	}
	if im := (&Tree{}).Image(dig(7)); im.Manifest != nil {
		t.Errorf("an empty tree has no image: %+v", im)
	}
}

func TestTreeSizes(t *testing.T) {
	// Every entry has its own size; the totals are the images' alone, as
	// the README defines CFG+LAYERS (the attestation's 5 bytes and the
	// nested index are left out); layer 201 is shared by amd64 and s390x
	// and stored once.
	got := treeOf(1, 3, 4, 5).Sizes()
	want := SizeReport{
		Compressed: map[string]int64{dig(1): 1110, dig(4): 1027, dig(5): 5},
		Shared:     map[string]int{dig(1): 1, dig(4): 1},
		Users:      map[string]int{dig(201): 2, dig(202): 1, dig(204): 1, dig(205): 1},
		Total:      1110 + 1027,
		Unique:     10 + 1000 + 100 + 20 + 7,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Sizes() = %+v\nwant %+v", got, want)
	}
	// A single image is its own report.
	root := &Manifest{Digest: dig(7), Kind: KindImage, Layers: []Descriptor{{Digest: dig(201), Size: 5}}}
	if got := NewTree(root).Sizes(); got.Total != 5 || got.Compressed[dig(7)] != 5 {
		t.Errorf("single image Sizes() = %+v", got)
	}
}
