package fstree

import (
	"math/bits"
	"slices"
	"sort"
	"strings"
)

// The sources of trees: a view (what a container sees), one layer's
// changes, and a diff's entries.

func (v View) appendPath(b []byte, i int) []byte {
	r := v.refs[i]
	s := &v.layers[r.Layer].recs
	x := s.at(int(r.Index))
	return append(append(b, s.dirs[x.dir]...), s.name(x)...)
}

func (v View) typeSize(i int) (Type, int64) {
	r := v.refs[i]
	x := v.layers[r.Layer].recs.at(int(r.Index))
	return x.typ(), x.size
}

func (v View) mark(int) uint8 { return markNone }

// refType is the type of entry i.
func (v View) refType(i int) Type {
	r := v.refs[i]
	return v.layers[r.Layer].recs.at(int(r.Index)).typ()
}

// changeList is a layer's changes as references into the layers.
type changeList struct {
	View
	marks []uint8
	layer int32 // the layer's index: what a removed entry says it comes from
}

func (c changeList) mark(i int) uint8 { return c.marks[i] }

func (c changeList) Entry(i int) Entry {
	e := c.View.Entry(i)
	if c.marks[i] == markRemoved {
		e.Layer = c.layer
	}
	return e
}

// ChangeTree is the tree of layer n's changes, each node marked added,
// modified or removed (a directory the layer only implies too), with the
// counts of each.
func ChangeTree(layers []Layer, n int) (*Tree, map[string]int) {
	c, counts := changesOf(layers, n)
	return newTree(c), counts
}

// WalkChanges is View.Walk of layer n's changes, marked: the rows of
// ChangeTree without holding the tree.
func WalkChanges(layers []Layer, n int, f func(Row)) {
	c, _ := changesOf(layers, n)
	walkSource(c, f)
}

func changesOf(layers []Layer, n int) (source, map[string]int) {
	c := changeList{View: View{layers: layers, links: &linkCache{}}}
	if n >= 0 && n < len(layers) {
		c.layer = int32(layers[n].Index)
		// The modes hard links leave, as they stand after layer n.
		c.layers = layers[:n+1]
	}
	counts := map[string]int{}
	var implied []Entry
	var marks []uint8
	eachChange(layers, n, true, func(ch Change, ref Ref) bool {
		counts[ch.Change]++
		if ref.Layer < 0 { // a directory the layer only implies
			implied, marks = append(implied, ch.Entry), append(marks, markOf(ch.Change))
			return true
		}
		c.refs = append(c.refs, ref)
		c.marks = append(c.marks, markOf(ch.Change))
		return true
	})
	return addImplied(c, implied, marks), counts
}

// entryList is entries made already, sorted by path, with their marks.
type entryList struct {
	entries []Entry
	marks   []uint8
}

func (l entryList) Len() int                          { return len(l.entries) }
func (l entryList) Entry(i int) Entry                 { return l.entries[i] }
func (l entryList) appendPath(b []byte, i int) []byte { return append(b, l.entries[i].Path...) }
func (l entryList) typeSize(i int) (Type, int64)      { return l.entries[i].Type, l.entries[i].Size }
func (l entryList) mark(i int) uint8                  { return l.marks[i] }

// DeltaTree is the tree of a filesystem diff, marked like ChangeTree.
func DeltaTree(d Delta) *Tree {
	type item struct {
		e    Entry
		mark uint8
	}
	var all []item
	for _, part := range []struct {
		list []Entry
		mark uint8
	}{{d.Added, markAdded}, {d.Removed, markRemoved}, {d.Modified, markModified}} {
		for _, e := range part.list {
			all = append(all, item{e, part.mark})
		}
	}
	slices.SortStableFunc(all, func(a, b item) int { return strings.Compare(a.e.Path, b.e.Path) })
	l := entryList{entries: make([]Entry, len(all)), marks: make([]uint8, len(all))}
	for i, it := range all {
		l.entries[i], l.marks[i] = it.e, it.mark
	}
	return newTree(l)
}

// EntriesTree is the tree of entries in any order, unmarked.
func EntriesTree(entries []Entry) *Tree {
	l := entryList{entries: slices.Clone(entries), marks: make([]uint8, len(entries))}
	slices.SortStableFunc(l.entries, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	return newTree(l)
}

// withImplied is a source and the directories it only implies (made as
// parents, or by whiteouts and opaque markers), as entries of their own
// among its: the rows of a tree or a walk are then what Listing and
// EachChange list, marks and all.
type withImplied struct {
	source
	extra []Entry // sorted by path
	marks []uint8
	// Which places are extra, 64 to a word, and how many extra are
	// before each word: a place is found in constant time (sorting a
	// tree by size asks for millions).
	bits []uint64
	rank []int32
}

// addImplied makes src with implied (sorted by path, none a path of
// src) among its entries.
func addImplied(src source, implied []Entry, marks []uint8) source {
	if len(implied) == 0 {
		return src
	}
	n := src.Len() + len(implied)
	w := withImplied{source: src, extra: implied, marks: marks, bits: make([]uint64, n/64+1), rank: make([]int32, n/64+1)}
	var buf []byte
	lo := 0
	for k, e := range implied {
		lo += sort.Search(src.Len()-lo, func(i int) bool {
			buf = src.appendPath(buf[:0], lo+i)
			return string(buf) > e.Path
		})
		at := lo + k
		w.bits[at/64] |= 1 << (at % 64)
	}
	for b := 1; b < len(w.rank); b++ {
		w.rank[b] = w.rank[b-1] + int32(bits.OnesCount64(w.bits[b-1]))
	}
	return w
}

// place is entry i's: k of extra, or i of the source.
func (w withImplied) place(i int) (int, bool) {
	word, bit := w.bits[i/64], uint64(1)<<(i%64)
	before := int(w.rank[i/64]) + bits.OnesCount64(word&(bit-1))
	if word&bit != 0 {
		return before, true
	}
	return i - before, false
}

func (w withImplied) Len() int { return w.source.Len() + len(w.extra) }

func (w withImplied) Entry(i int) Entry {
	k, extra := w.place(i)
	if extra {
		return w.extra[k]
	}
	return w.source.Entry(k)
}

func (w withImplied) appendPath(b []byte, i int) []byte {
	k, extra := w.place(i)
	if extra {
		return append(b, w.extra[k].Path...)
	}
	return w.source.appendPath(b, k)
}

func (w withImplied) typeSize(i int) (Type, int64) {
	k, extra := w.place(i)
	if extra {
		return Dir, 0
	}
	return w.source.typeSize(k)
}

func (w withImplied) mark(i int) uint8 {
	k, extra := w.place(i)
	switch {
	case !extra:
		return w.source.mark(k)
	case w.marks == nil:
		return markNone
	}
	return w.marks[k]
}
