package fstree

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// A partial layer holds some of a layer's records, in the layer's order:
// every whiteout, opaque marker and hard link, and all the records of
// the directories marked loaded. Its directory table is whole, as the
// merge's rules read it (a directory of a layer hides what is below even
// where the layer holds nothing but its children). Reading one file of a
// layer of millions then reads only the directories on its way: see
// ResolveLoading. Only ResolveLoading may be given partial layers.

// ErrPartial says a record given to a partial layer is not in its
// directory table.
var ErrPartial = errors.New("not a directory of the layer's table")

// NewPartial is an empty partial layer with l's fields (not its records)
// and the directory table dirs: the root, "", first, then directories
// ending in "/", in the order of l's Dirs.
func NewPartial(l Layer, dirs []string) (Layer, error) {
	out := Layer{Index: l.Index, Digest: l.Digest, Uncompressed: l.Uncompressed, UncompressedEstimated: l.UncompressedEstimated,
		Source: l.Source, TOCVerified: l.TOCVerified, TOCRejected: l.TOCRejected}
	if len(dirs) == 0 || dirs[0] != "" {
		return Layer{}, fmt.Errorf("%w: the table does not start at the root", ErrPartial)
	}
	s := &out.recs
	s.dirs, s.dirID = make([]string, 0, len(dirs)), make(map[string]int32, len(dirs))
	for i, d := range dirs {
		if _, dup := s.dirID[d]; dup || (i > 0 && (!strings.HasSuffix(d, "/") || d == "/")) {
			return Layer{}, fmt.Errorf("%w: %q twice, or not a directory", ErrPartial, d)
		}
		off, n, ok := s.names.add(d)
		if !ok {
			return Layer{}, errNames
		}
		d = s.names.at(off, n)
		s.dirs = append(s.dirs, d)
		s.dirID[d] = int32(i)
	}
	s.loaded = make([]bool, len(dirs))
	return out, nil
}

// PutLanded adds record r to a partial layer at r.Path, where it landed
// when the layer was read: no link is followed again.
func (l *Layer) PutLanded(r Record) error {
	dir, _ := splitPath(r.Path)
	if _, ok := l.recs.dirID[dir]; !ok || l.recs.loaded == nil {
		return fmt.Errorf("%w: %q", ErrPartial, dir)
	}
	return l.recs.put(r)
}

// MarkLoaded says the partial layer holds every record of directory d.
func (l *Layer) MarkLoaded(d string) {
	if id, ok := l.recs.dirID[d]; ok && l.recs.loaded != nil {
		l.recs.loaded[id] = true
	}
}

// Partial tells whether the layer holds only some of its records.
func (l *Layer) Partial() bool { return l.recs.loaded != nil }

// Loaded tells whether the layer holds every record of directory d
// (ending in "/", the root "").
func (l *Layer) Loaded(d string) bool {
	id, ok := l.recs.dirID[d]
	return !ok || l.recs.loaded == nil || l.recs.loaded[id]
}

// Dirs is the layer's directory table: the root, "", then every
// directory a record is in, ending in "/", in the order the layer first
// put a record in it. It is the layer's own: do not change it.
func (l *Layer) Dirs() []string {
	if l.recs.dirs == nil {
		return []string{""}
	}
	return l.recs.dirs
}

// ByDir calls f with the records of each directory of Dirs, in its
// order, each directory's in the layer's order; f must not keep recs.
func (l *Layer) ByDir(f func(dir int, recs []int32)) {
	s := &l.recs
	if s.n == 0 {
		f(0, nil) // the root, alone in the table
		return
	}
	ix := indexByDir(s)
	for d := range s.dirs {
		f(d, ix.recs[ix.start[d]:ix.start[d+1]])
	}
}

// Special tells whether record i is one a partial layer holds whatever
// directories it loads: a whiteout, an opaque marker or a hard link.
func (l *Layer) Special(i int) bool {
	r := l.recs.at(i)
	return r.whiteout() || r.opaque() || r.typ() == Hardlink
}

// maxLoads bounds the loads of one ResolveLoading before it loads every
// record: each symbolic link on the way may ask for a directory more.
const maxLoads = 64

// ResolveLoading is Resolve over layers some of which may be partial.
// Where the lookup reads a directory a partial layer has not loaded, it
// asks load for the layers again with those directories loaded too, and
// resolves again, until nothing it read was missing; load(nil) is every
// layer whole. It answers as Resolve over the whole layers does: a
// partial layer holds every record the merge's rules read for a path
// (the whiteouts, opaque markers and hard links of the layer, the
// records of the directories on the path's way and of its links'
// targets).
func ResolveLoading(layers []Layer, p string, load func(dirs []string) ([]Layer, error)) (Entry, error) {
	want := map[string]bool{}
	partial := false
	for pos := range layers {
		partial = partial || layers[pos].Partial()
	}
	for pos := range layers {
		// A hard link reads its target as the records before it left
		// it, in its layer or below: the directories on the way to
		// every target are read.
		s := &layers[pos].recs
		if !partial || s.hardlinks == 0 {
			continue
		}
		for i := range s.n {
			if s.at(i).typ() == Hardlink {
				wantChain(want, s.links[int32(i)])
			}
		}
	}
	var err error
	for loads := 0; ; {
		if missing := missingDirs(layers, want); len(missing) > 0 {
			if loads++; loads > maxLoads {
				break
			}
			if layers, err = load(missing); err != nil {
				return Entry{}, err
			}
			continue
		}
		l := newLookup(layers, maxImpliedProbes)
		l.want = want
		e, err := l.v.resolveIn(l, p)
		switch {
		case l.asked:
			continue
		case l.gaveUp:
			// The merge reads every record.
		default:
			return e, err
		}
		break
	}
	if layers, err = load(nil); err != nil {
		return Entry{}, err
	}
	return Resolve(layers, p)
}

// wantChain wants the directories on the way to path p: the root, and
// each directory above p.
func wantChain(want map[string]bool, p string) {
	want[""] = true
	for i := range len(p) {
		if p[i] == '/' {
			want[p[:i+1]] = true
		}
	}
}

// missingDirs are the directories of want some partial layer of layers
// has in its table and has not loaded, sorted.
func missingDirs(layers []Layer, want map[string]bool) []string {
	var out []string
	for d := range want {
		for pos := range layers {
			if !layers[pos].Loaded(d) {
				out = append(out, d)
				break
			}
		}
	}
	slices.Sort(out)
	return out
}

// ask notes that the lookup read directory dir where a partial layer has
// not loaded it: this lookup's answer does not count.
func (l *lookup) ask(dir string) {
	if l.want != nil {
		l.want[dir] = true
	}
	l.asked = true
}
