package fstree

import (
	"slices"
	"strings"
)

// Change kinds of a layer's entries against the layers below it.
const (
	Added    = "added"
	Modified = "modified"
	Removed  = "removed"
)

// Change is an entry of one layer with what it does to the layers below.
type Change struct {
	Entry
	Change string `json:"change"`
}

// Changes are what layer n adds, modifies and removes in the filesystem
// of the layers below it, sorted by path. A whiteout or an opaque
// directory removes what it hides, each path named.
func Changes(layers []Layer, n int) []Change {
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

// Waste is what files written over or removed by later layers cost: dive's
// efficiency.
type Waste struct {
	// Total is the size of every file of every layer; Final of the files
	// the container sees.
	Total, Final int64
	// Wasted is Total less Final.
	Wasted int64
	// Efficiency is Final over Total (1 when there are no files).
	Efficiency float64
	// Worst are the paths that waste most, most first.
	Worst []Wasted
}

// Wasted is one path written more than once, or written and removed.
type Wasted struct {
	Path   string `json:"path"`
	Count  int    `json:"count"`
	Wasted int64  `json:"wasted"`
}

// Delta is how filesystem b differs from a.
type Delta struct {
	Added    []Entry `json:"added"`
	Removed  []Entry `json:"removed"`
	Modified []Entry `json:"modified"`
}

// Empty tells whether a and b hold the same paths alike.
func (d Delta) Empty() bool { return len(d.Added)+len(d.Removed)+len(d.Modified) == 0 }

// DiffViews is Diff of two merged filesystems, walked side by side in path
// order: no map of either, and no entry made twice.
func DiffViews(a, b View) Delta {
	d := Delta{Added: []Entry{}, Removed: []Entry{}, Modified: []Entry{}}
	i, j := 0, 0
	var ea, eb Entry
	if a.Len() > 0 {
		ea = a.Entry(0)
	}
	if b.Len() > 0 {
		eb = b.Entry(0)
	}
	nextA := func() {
		if i++; i < a.Len() {
			ea = a.Entry(i)
		}
	}
	nextB := func() {
		if j++; j < b.Len() {
			eb = b.Entry(j)
		}
	}
	for i < a.Len() || j < b.Len() {
		c := 0
		switch {
		case j >= b.Len():
			c = -1
		case i >= a.Len():
			c = 1
		default:
			c = strings.Compare(ea.Path, eb.Path)
		}
		switch {
		case c < 0:
			d.Removed = append(d.Removed, ea)
			nextA()
		case c > 0:
			d.Added = append(d.Added, eb)
			nextB()
		default:
			if differ(ea, eb) {
				d.Modified = append(d.Modified, eb)
			}
			nextA()
			nextB()
		}
	}
	return d
}

// differ tells whether two entries of one path differ in type, size,
// mode, link target or content.
func differ(o, e Entry) bool {
	return o.Type != e.Type || o.Size != e.Size || o.Mode != e.Mode || o.LinkTarget != e.LinkTarget || o.Digest != e.Digest
}

// Diff compares two filesystems: paths only in b are added, only in a
// removed, in both but of another type, size, mode, link target or content
// modified (b's entry is given).
func Diff(a, b []Entry) Delta {
	d := Delta{Added: []Entry{}, Removed: []Entry{}, Modified: []Entry{}}
	old := make(map[string]Entry, len(a))
	for _, e := range a {
		old[e.Path] = e
	}
	now := make(map[string]bool, len(b))
	for _, e := range b {
		now[e.Path] = true
		o, ok := old[e.Path]
		switch {
		case !ok:
			d.Added = append(d.Added, e)
		case differ(o, e):
			d.Modified = append(d.Modified, e)
		}
	}
	for _, e := range a {
		if !now[e.Path] {
			d.Removed = append(d.Removed, e)
		}
	}
	by := func(x, y Entry) int { return strings.Compare(x.Path, y.Path) }
	slices.SortFunc(d.Added, by)
	slices.SortFunc(d.Removed, by)
	slices.SortFunc(d.Modified, by)
	return d
}
