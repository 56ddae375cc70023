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
