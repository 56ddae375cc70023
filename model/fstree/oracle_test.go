package fstree

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/platypus-tui/platypus/model/fstree/layertest"
)

// randomImage is the layers of a random stack (see layertest.Random).
func randomImage(t *testing.T, r *rand.Rand) []Layer {
	layers, _ := readStack(t, layertest.Random(r))
	return layers
}

// DiffViews, walking two views side by side, finds what Diff finds with
// its maps in their listings (implied directories too), on random pairs
// of images.
func TestDiffViewsIsDiff(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for round := range 300 {
		a, b := randomImage(t, r), randomImage(t, r)
		va, vb := NewView(a), NewView(b)
		want := Diff(listed(va), listed(vb))
		got := DiffViews(va, vb)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d:\n got %+v\nwant %+v", round, got, want)
		}
	}
}
