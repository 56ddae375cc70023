package fstree

import (
	"path"
	"slices"
	"strings"
)

// Merge applies layers, base first, and returns the filesystem a container
// sees, sorted by path: an entry of a later layer replaces the same path
// below; a whiteout removes a path and everything under it from the layers
// below; an opaque directory hides everything under it from the layers
// below. Both apply only downwards: what the same layer holds stays.
func Merge(layers []Layer) []Entry {
	var out []Entry
	seen := map[string]int{}    // path → the entry that wins, in out
	gone := map[string]bool{}   // paths removed from the layers below
	opaque := map[string]bool{} // directories whose lower contents are hidden
	for i := len(layers) - 1; i >= 0; i-- {
		var removed, hidden []string
		for _, r := range layers[i].Records {
			switch {
			case r.Whiteout:
				removed = append(removed, r.Path)
			case r.Opaque:
				hidden = append(hidden, r.Path)
			default:
				if _, done := seen[r.Path]; done || gone[r.Path] || covered(seen, out, gone, opaque, r.Path) {
					continue
				}
				e := r.Entry
				e.Layer = int32(layers[i].Index)
				seen[r.Path] = len(out)
				out = append(out, e)
			}
		}
		// A layer's whiteouts and opaque markers hide only what lies below
		// it, even where a higher layer put the same path back.
		for _, p := range removed {
			gone[p] = true
		}
		for _, p := range hidden {
			opaque[p] = true
		}
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// covered tells whether a higher layer hides p: an ancestor of p was
// removed, replaced by something that is not a directory, or made opaque.
func covered(seen map[string]int, out []Entry, gone, opaque map[string]bool, p string) bool {
	for dir := parent(p); dir != ""; dir = parent(dir) {
		if opaque[dir] || gone[dir] {
			return true
		}
		if i, ok := seen[dir]; ok && out[i].Type != Dir {
			return true
		}
	}
	return false
}

func parent(p string) string {
	d := path.Dir(p)
	if d == "." || d == "/" {
		return ""
	}
	return d
}
