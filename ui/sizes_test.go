package ui

import (
	"testing"

	"github.com/platypus-tui/platypus/model"
)

// One size on every screen, config+layers, named where it shows: an
// artifact is as big in the tag list as on its own screen, and an image's
// header says what its size is made of.
func TestSizesAgreeBetweenScreens(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "platypus/charts"), "linux/amd64")
	tags := h.top().(*tagsScreen)
	i, _ := tags.list.current()
	row := model.HumanSize(tags.rows[i].summary.Size)
	wantIn(t, h.view(), "CFG+LAYERS")
	h.keys("enter")
	img := h.top().(*imageScreen)
	want := model.HumanSize(img.image().CompressedSize())
	if row != want {
		t.Errorf("the tag list says %s, the artifact's screen %s", row, want)
	}
	wantIn(t, h.view(), "size           "+want+" = config ")

	h = newHarness(t, "mono", demoLoc(t, "platypus/webapp:1.0"), "linux/amd64")
	wantIn(t, h.view(), "CFG+LAYERS", "config+layers in all")
	h.keys("enter")
	img = h.top().(*imageScreen)
	m := img.image().Manifest
	wantIn(t, h.view(), model.HumanSize(img.image().CompressedSize())+" = config "+model.HumanSize(m.Config.Size)+
		" + 3 layers "+model.HumanSize(m.LayersSize()))
}

// An index's size is its images' config and layers, on the tags row and
// in the index header alike (README: "summed over an index's images");
// the header counted the attestations' too (155kB against 160kB for
// platypus/webapp:1.0). The oracle sums the image entries' own sizes.
func TestIndexSizeIsTheImagesOnEveryScreen(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "platypus/webapp"), "linux/amd64")
	tags := h.top().(*tagsScreen)
	row := int64(-1)
	for i, r := range tags.rows {
		if tags.list.names[i] == "1.0" && r != nil {
			row = r.summary.Size
		}
	}
	h.keys("enter") // 1.0, the first tag
	idx := h.top().(*indexScreen)
	var images, all int64
	for _, e := range idx.tree.Root.Entries {
		n := model.Image{Manifest: idx.tree.Children[e.Digest]}.CompressedSize()
		all += n
		if e.Kind == model.KindImage {
			images += n
		}
	}
	if images == all {
		t.Fatal("the fixture has no attestations: the test proves nothing")
	}
	if row != images || idx.sizes.Total != images {
		t.Errorf("tags row %d, index total %d; the images hold %d", row, idx.sizes.Total, images)
	}
	wantIn(t, h.view(), model.HumanSize(images)+" config+layers in all")
}
