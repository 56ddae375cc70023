package fstree

import (
	"slices"
	"strings"
)

// changesByMap is how Changes worked before it walked sorted views: maps
// of every path. Kept as the oracle Changes is tested against.
func changesByMap(layers []Layer, n int) []Change {
	below := map[string]Entry{}
	for _, e := range Merge(layers[:n]) {
		below[e.Path] = e
	}
	var out []Change
	mine := map[string]bool{}
	records := layers[n].Records()
	for _, r := range records {
		if r.Whiteout || r.Opaque {
			continue
		}
		mine[r.Path] = true
		kind := Added
		if _, ok := below[r.Path]; ok {
			kind = Modified
		}
		e := r.Entry
		e.Layer = int32(layers[n].Index)
		out = append(out, Change{Entry: e, Change: kind})
	}
	paths := make([]string, 0, len(below))
	for p := range below {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	gone := map[string]bool{}
	remove := func(p string) {
		if !mine[p] && !gone[p] {
			gone[p] = true
			e := below[p]
			e.Layer = int32(layers[n].Index)
			out = append(out, Change{Entry: e, Change: Removed})
		}
	}
	for _, r := range records {
		// A whiteout removes a path; an opaque directory, or anything but a
		// directory put where one was, removes what was under it.
		if !r.Whiteout && !r.Opaque && r.Type == Dir {
			continue
		}
		if _, ok := below[r.Path]; ok && r.Whiteout {
			remove(r.Path)
		}
		prefix := r.Path + "/"
		i, _ := slices.BinarySearch(paths, prefix)
		for ; i < len(paths) && strings.HasPrefix(paths[i], prefix); i++ {
			remove(paths[i])
		}
	}
	slices.SortFunc(out, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	return out
}
