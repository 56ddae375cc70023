package fstree

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// randomImage is 1 to most random layers.
func randomImage(t *testing.T, r *rand.Rand, most int) []Layer {
	var layers []Layer
	for i, items := range randomLayers(t, r, 1+r.IntN(most)) {
		layers = append(layers, layerOf(t, i, items...))
	}
	return layers
}

// randomLayers builds layers that add, replace and remove paths in a small
// tree, with whiteouts and opaque directories; no layer holds a path and
// its own whiteout, where tools disagree.
func randomLayers(t *testing.T, r *rand.Rand, n int) [][]item {
	var layers [][]item
	names := []string{"a", "b", "c", "d"}
	for range n {
		var items []item
		used := map[string]bool{} // paths this layer holds
		gone := map[string]bool{} // paths this layer whites out
		for range 3 + r.IntN(8) {
			depth := 1 + r.IntN(3)
			parts := make([]string, depth)
			for i := range parts {
				parts[i] = names[r.IntN(len(names))]
			}
			p := strings.Join(parts, "/")
			dir := strings.Join(parts[:depth-1], "/")
			clash := used[p] || gone[p]
			for i := 1; i < depth; i++ {
				clash = clash || gone[strings.Join(parts[:i], "/")]
			}
			k := r.IntN(10)
			if clash || (k >= 7 && k < 9 && usedUnder(used, p)) {
				continue
			}
			// Parents first, as real layers have them.
			for i := 1; i < depth; i++ {
				d := strings.Join(parts[:i], "/")
				if !used[d] {
					used[d] = true
					items = append(items, item{Name: d + "/", Body: ""})
				}
			}
			if k >= 7 && k < 9 {
				gone[p] = true
			} else {
				used[p] = true
			}
			switch {
			case k < 5:
				items = append(items, item{Name: p, Body: fmt.Sprint(r.IntN(1000))})
			case k < 7:
				items = append(items, item{Name: p + "/", Body: ""})
			case k < 9:
				items = append(items, item{Name: strings.TrimPrefix(dir+"/.wh."+parts[depth-1], "/"), Body: ""})
			default:
				if dir != "" {
					items = append(items, item{Name: dir + "/.wh..wh..opq", Body: ""})
				}
			}
		}
		layers = append(layers, items)
	}
	return layers
}

func usedUnder(used map[string]bool, p string) bool {
	for u := range used {
		if u == p || strings.HasPrefix(u, p+"/") {
			return true
		}
	}
	return false
}

// DiffViews, walking two views side by side, finds what Diff finds with
// its maps, on random pairs of images.
func TestDiffViewsIsDiff(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for round := range 300 {
		a, b := randomImage(t, r, 3), randomImage(t, r, 3)
		want := Diff(Merge(a), Merge(b))
		got := DiffViews(NewView(a), NewView(b))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d:\n got %+v\nwant %+v", round, got, want)
		}
	}
}
