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

// Sign is how a change is marked in a tree: + added, ~ modified,
// - removed, "" for no change.
func Sign(change string) string {
	switch change {
	case Added:
		return "+"
	case Modified:
		return "~"
	case Removed:
		return "-"
	}
	return ""
}

// Change is an entry of one layer with what it does to the layers below.
type Change struct {
	Entry
	Change string `json:"change"`
}

// Changes are what layer n adds, modifies and removes in the filesystem
// of the layers below it, sorted by path. A whiteout or an opaque
// directory removes what it hides, each path named.
func Changes(layers []Layer, n int) []Change {
	var out []Change
	EachChange(layers, n, func(c Change) bool { out = append(out, c); return true })
	return out
}

// EachChange calls f with each of Changes in turn, until it returns
// false, without a list of them: the filesystem below and layer n are
// walked side by side in path order.
func EachChange(layers []Layer, n int, f func(Change) bool) {
	eachChange(layers, n, func(c Change, _ Ref) bool { return f(c) })
}

// eachChange is EachChange telling also where each entry is: a record of
// layer n, or for a removed entry the record below that it was.
func eachChange(layers []Layer, n int, f func(Change, Ref) bool) {
	below := NewView(layers[:n])
	l := &layers[n]
	index := int32(l.Index)
	// Layer n's records that are paths, in path order (the layer's own
	// order among equals), and what its whiteouts, opaque directories and
	// non-directories remove under them.
	var mine []int32
	gone, under := map[string]bool{}, map[string]bool{}
	dirs := belowDirs(layers[:n])
	for i := range l.recs.n {
		r := l.recs.at(i)
		switch {
		case r.whiteout():
			p := l.recs.path(i)
			gone[p], under[p] = true, true
		case r.opaque():
			under[l.recs.path(i)] = true
		default:
			mine = append(mine, int32(i))
			if r.typ() != Dir && len(dirs) > 0 {
				if p := l.recs.path(i); dirs[p] {
					under[p] = true
				}
			}
		}
	}
	slices.SortFunc(mine, func(a, b int32) int {
		if c := l.recs.compare(int(a), int(b)); c != 0 {
			return c
		}
		return int(a - b)
	})
	removedUnder := map[string]bool{} // by directory, "" or ending in "/"
	removed := func(p string) bool {
		if gone[p] {
			return true
		}
		if len(under) == 0 {
			return false
		}
		dir, _ := splitPath(p)
		r, ok := removedUnder[dir]
		if !ok {
			for d := strings.TrimSuffix(dir, "/"); d != "" && !r; d = parent(d) {
				r = under[d]
			}
			removedUnder[dir] = r
		}
		return r
	}
	i, j := 0, 0
	var eb Entry // below's entry i
	if below.Len() > 0 {
		eb = below.Entry(0)
	}
	nextBelow := func() {
		if i++; i < below.Len() {
			eb = below.Entry(i)
		}
	}
	for i < below.Len() || j < len(mine) {
		var mr Record // layer n's record mine[j]
		c := -1
		if j < len(mine) {
			mr = l.Record(int(mine[j]))
			c = 1
			if i < below.Len() {
				c = strings.Compare(eb.Path, mr.Path)
			}
		}
		if c < 0 { // only below
			if removed(eb.Path) {
				eb.Layer = index
				if !f(Change{Entry: eb, Change: Removed}, below.refs[i]) {
					return
				}
			}
			nextBelow()
			continue
		}
		// Layer n's, over what is below or not, with the others of its path.
		kind := Added
		if c == 0 {
			kind = Modified
		}
		for {
			if !f(Change{Entry: mr.Entry, Change: kind}, Ref{Layer: int32(n), Index: mine[j]}) {
				return
			}
			if j++; j == len(mine) || l.recs.compare(int(mine[j-1]), int(mine[j])) != 0 {
				break
			}
			mr = l.Record(int(mine[j]))
		}
		if c == 0 {
			nextBelow()
		}
	}
}

// belowDirs are the directories of layers, every one above them too.
func belowDirs(layers []Layer) map[string]bool {
	out := map[string]bool{}
	for pos := range layers {
		for _, d := range layers[pos].recs.dirs {
			for d := strings.TrimSuffix(d, "/"); d != "" && !out[d]; d = parent(d) {
				out[d] = true
			}
		}
	}
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
