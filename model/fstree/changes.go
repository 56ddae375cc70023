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
	Change string
}

// Changes are what layer n adds, modifies and removes in the filesystem
// of the layers below it, sorted by path, each path once (the layer's last
// record of it). A whiteout or an opaque directory removes what it hides,
// each path named; a directory the layer makes only as a parent of its
// entries is added (Implied), or modified when the layer removes the one
// below and makes it again. A layer that is not there has no changes.
func Changes(layers []Layer, n int) []Change {
	var out []Change
	EachChange(layers, n, func(c Change) bool { out = append(out, c); return true })
	return out
}

// EachChange calls f with each of Changes in turn, until it returns
// false, without a list of them: the filesystem below and layer n are
// walked side by side in path order.
func EachChange(layers []Layer, n int, f func(Change) bool) {
	eachChange(layers, n, true, func(c Change, _ Ref) bool { return f(c) })
}

// eachChange is EachChange telling also where each entry is: a record of
// layer n, or for a removed entry the record below that it was (Layer -1
// for an implied directory, listed only when implied is set).
func eachChange(layers []Layer, n int, implied bool, f func(Change, Ref) bool) {
	if n < 0 || n >= len(layers) {
		return
	}
	below := NewView(layers[:n])
	// The layer as it leaves itself: its last record of each path, less
	// what a later record of its own replaced.
	own := NewView(layers[n : n+1])
	l := &layers[n]
	index := int32(l.Index)
	// What the layer's whiteouts, opaque directories and non-directories
	// remove under them.
	gone, under := map[string]bool{}, map[string]bool{}
	for _, i := range l.recs.whiteouts() {
		p := l.recs.path(i)
		gone[p], under[p] = true, true
	}
	for i := range l.recs.n {
		if l.recs.at(i).opaque() {
			under[l.recs.path(i)] = true
		}
	}
	if dirs := belowDirs(layers[:n]); len(dirs) > 0 {
		var buf []byte
		for j := range own.Len() {
			if typ, _ := own.typeSize(j); typ != Dir {
				if buf = own.appendPath(buf[:0], j); dirs[string(buf)] {
					under[string(buf)] = true
				}
			}
		}
	}
	removedUnder := map[string]bool{} // by directory, "" or ending in "/"
	removed := func(p string) bool {
		if gone[p] || under[""] {
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
	// The layer's implied directories that change something, in path
	// order, sent among the others.
	// (A directory the layer removes and makes again as a parent is
	// modified, not removed; without implied, it is not sent at all.)
	// Below's implied directories matter when the layer can remove them;
	// the layer's own, when they are listed or can replace what it
	// removes.
	removes := len(gone)+len(under) > 0
	var belowImplied, ownImplied []Entry
	if removes {
		belowImplied = impliedDirs(below, func(d string) bool { _, ok := below.find(d); return ok })
	}
	if removes || implied {
		ownImplied = impliedDirs(own, func(d string) bool { _, ok := own.find(d); return ok })
	}
	var parents []Change
	for _, e := range ownImplied {
		kind := Added
		i, found := below.find(e.Path)
		switch ok := below.hasDir(e.Path); {
		case found && below.refType(i) != Dir:
			kind = Modified // a link or a file below, which the layer's directory hides (see NewView)
		case ok && removed(e.Path):
			kind = Modified // what was there is removed, and made again
		case ok:
			continue
		}
		e.Layer = index
		parents = append(parents, Change{Entry: e, Change: kind})
	}
	// sendParents sends the implied directories up to path p (all of
	// them when p is ""); replaced says p was one of them.
	sendParents := func(p string) (replaced, ok bool) {
		for len(parents) > 0 && (p == "" || parents[0].Path <= p) {
			c := parents[0]
			parents = parents[1:]
			if implied && !f(c, Ref{-1, -1}) {
				return false, false
			}
			if c.Path == p {
				return true, true
			}
		}
		return false, true
	}
	send := func(c Change, ref Ref) bool {
		if replaced, ok := sendParents(c.Path); replaced || !ok {
			return ok
		}
		return f(c, ref)
	}
	// What the hard links read, and the modes they leave, the layer's
	// own included (a link to a file below changes its mode too).
	ino := findInodes(layers[:n+1])
	// Below and layer n side by side, in path order; below's directories
	// only implied count as entries: a layer can remove or replace them.
	b := listingCursor{v: below, implied: belowImplied}
	b.next()
	j := 0
	for b.ok || j < own.Len() {
		c := -1
		var mr Record // layer n's record own.refs[j]
		if j < own.Len() {
			mr = l.Record(int(own.refs[j].Index))
			c = 1
			if b.ok {
				c = strings.Compare(b.e.Path, mr.Path)
			}
		}
		if c < 0 { // only below
			switch {
			case removed(b.e.Path):
				b.e.Layer = index
				if !send(Change{Entry: b.e, Change: Removed}, b.ref) {
					return
				}
			case len(ino.mode) > 0 && b.ref.Layer >= 0 && (b.e.Type == File || b.e.Type == Hardlink):
				if m := ino.modeOf(layers, b.ref); m != b.e.Mode {
					// A hard link of the layer set the mode of its inode.
					b.e.Mode = m
					if !send(Change{Entry: b.e, Change: Modified}, b.ref) {
						return
					}
				}
			}
			b.next()
			continue
		}
		kind := Added
		switch {
		case c == 0:
			kind = Modified
			b.next()
		case !removes && mr.Type == Dir && below.hasDir(mr.Path):
			kind = Modified // over a directory only implied below
		}
		ref := Ref{Layer: int32(n), Index: own.refs[j].Index}
		if t, ok := ino.to[ref]; ok {
			mr.Digest = fileSum(layers, t)
		}
		if mr.Type == File || mr.Type == Hardlink {
			mr.Mode = ino.modeOf(layers, ref)
		}
		if !send(Change{Entry: mr.Entry, Change: kind}, ref) {
			return
		}
		j++
	}
	sendParents("")
}

// listingCursor walks a view's Listing: e is the entry, ref where it is
// (Layer -1 for an implied directory), ok false past the end.
type listingCursor struct {
	v       View
	implied []Entry
	i       int
	e       Entry
	ref     Ref
	ok      bool
}

func (c *listingCursor) next() {
	c.ok = c.i < c.v.Len() || len(c.implied) > 0
	if !c.ok {
		return
	}
	if c.i < c.v.Len() {
		c.e = c.v.Entry(c.i)
		if len(c.implied) == 0 || c.e.Path < c.implied[0].Path {
			c.ref = c.v.refs[c.i]
			c.i++
			return
		}
	}
	c.e, c.ref, c.implied = c.implied[0], Ref{-1, -1}, c.implied[1:]
}

// belowDirs are the directories of layers, every one above them too:
// those records are in, and those opaque markers make.
func belowDirs(layers []Layer) map[string]bool {
	out := map[string]bool{}
	add := func(d string) {
		for ; d != "" && !out[d]; d = parent(d) {
			out[d] = true
		}
	}
	for pos := range layers {
		s := &layers[pos].recs
		for _, d := range s.dirs {
			add(strings.TrimSuffix(d, "/"))
		}
		for i := range s.n {
			if s.at(i).opaque() {
				add(s.path(i))
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
	Path   string
	Count  int
	Wasted int64
}

// Delta is how filesystem b differs from a.
type Delta struct {
	Added    []Entry
	Removed  []Entry
	Modified []Entry
}

// Empty tells whether a and b hold the same paths alike.
func (d Delta) Empty() bool { return len(d.Added)+len(d.Removed)+len(d.Modified) == 0 }

// DiffViews is Diff of two merged filesystems as Listing lists them,
// directories only implied by the paths under them included (a container
// has them as much as any other), walked side by side in path order: no
// map of either's entries, and no entry made twice.
func DiffViews(a, b View) Delta {
	d := Delta{Added: []Entry{}, Removed: []Entry{}, Modified: []Entry{}}
	ca := listingCursor{v: a, implied: impliedDirs(a, func(p string) bool { _, ok := a.find(p); return ok })}
	cb := listingCursor{v: b, implied: impliedDirs(b, func(p string) bool { _, ok := b.find(p); return ok })}
	ca.next()
	cb.next()
	for ca.ok || cb.ok {
		c := 0
		switch {
		case !cb.ok:
			c = -1
		case !ca.ok:
			c = 1
		default:
			c = strings.Compare(ca.e.Path, cb.e.Path)
		}
		switch {
		case c < 0:
			d.Removed = append(d.Removed, ca.e)
			ca.next()
		case c > 0:
			d.Added = append(d.Added, cb.e)
			cb.next()
		default:
			if differ(ca.e, cb.e) {
				d.Modified = append(d.Modified, cb.e)
			}
			ca.next()
			cb.next()
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
