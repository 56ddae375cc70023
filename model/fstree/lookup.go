package fstree

import "strings"

// Resolve is NewView(layers).Resolve(p) without merging the layers:
// reading one file of a layer of millions should not cost sorting them
// all. It asks the layers, top down, only for the paths on the way (and
// their directories above), by the rules NewView applies to every path;
// where that would mean looking at too many paths (a directory with no
// entry of its own, everything under it hidden), it merges the layers
// after all.
func Resolve(layers []Layer, p string) (Entry, error) {
	e, ok, err := resolveUnmerged(layers, p, maxImpliedProbes)
	if !ok {
		return NewView(layers).Resolve(p)
	}
	return e, err
}

// maxImpliedProbes bounds the paths one Resolve looks at under
// directories that have no entry of their own.
const maxImpliedProbes = 64

// resolveUnmerged is Resolve by a lookup; ok is false when it gave up
// (then e and err mean nothing).
func resolveUnmerged(layers []Layer, p string, probes int) (e Entry, ok bool, err error) {
	l := newLookup(layers, probes)
	e, err = l.v.resolveIn(l, p)
	return e, !l.gaveUp, err
}

// lookup answers what NewView would hold at a path, path by path: the
// merger's maps of whiteouts, opaque markers and directories are made as
// NewView makes them (one pass over the records, nothing sorted), and
// what records of a directory above cut is noted for the directories
// asked about.
type lookup struct {
	v      View // the layers and their hard links, no entries
	m      *merger
	byDir  []dirIndex      // per layer, made on first use
	cut    map[string]bool // directories whose records cutUnder has read
	probes int             // paths holdsUnder may still look at
	gaveUp bool
	buf    []byte
	// want gathers the directories asked of partial layers that have
	// not loaded them (see ResolveLoading); asked says there were some.
	want  map[string]bool
	asked bool
}

// dirIndex is a layer's records by directory: those of directory d are
// recs[start[d]:start[d+1]], in the layer's order.
type dirIndex struct {
	start []int32
	recs  []int32
}

func newLookup(layers []Layer, probes int) *lookup {
	l := &lookup{v: View{layers: layers, links: &linkCache{}}, m: newMerger(layers), byDir: make([]dirIndex, len(layers)), cut: map[string]bool{}, probes: probes}
	for pos := range layers {
		l.m.note(pos, nil, false)
	}
	return l
}

// index is layer pos's records by directory.
func (l *lookup) index(pos int) *dirIndex {
	ix := &l.byDir[pos]
	if ix.start == nil {
		*ix = indexByDir(&l.v.layers[pos].recs)
	}
	return ix
}

// indexByDir is s's records by directory.
func indexByDir(s *records) dirIndex {
	ix := dirIndex{start: make([]int32, len(s.dirs)+1)}
	for i := range s.n {
		ix.start[s.at(i).dir+1]++
	}
	for d := 1; d < len(ix.start); d++ {
		ix.start[d] += ix.start[d-1]
	}
	next := append([]int32(nil), ix.start[:len(s.dirs)]...)
	ix.recs = make([]int32, s.n)
	for i := range s.n {
		d := s.at(i).dir
		ix.recs[next[d]] = int32(i)
		next[d]++
	}
	return ix
}

// records are the records of path p that are paths (no whiteouts or
// opaque markers), in the merger's order: the highest layer first, then
// a layer's last record first.
func (l *lookup) records(p string) []Ref {
	dir, name := splitPath(p)
	var out []Ref
	for pos := len(l.v.layers) - 1; pos >= 0; pos-- {
		s := &l.v.layers[pos].recs
		id, ok := s.dirID[dir]
		if !ok {
			continue
		}
		if s.loaded != nil && !s.loaded[id] {
			l.ask(dir)
			continue
		}
		ix := l.index(pos)
		recs := ix.recs[ix.start[id]:ix.start[id+1]]
		for k := len(recs) - 1; k >= 0; k-- {
			r := s.at(int(recs[k]))
			if !r.whiteout() && !r.opaque() && s.name(r) == name {
				out = append(out, Ref{int32(pos), recs[k]})
			}
		}
	}
	return out
}

// cutAbove has cutUnder read the records of every directory above p, as
// NewView does before it reaches p (they sort before it).
func (l *lookup) cutAbove(p string) {
	for i := range len(p) {
		if p[i] != '/' {
			continue
		}
		d := p[:i]
		if _, done := l.cut[d]; done {
			continue
		}
		l.cut[d] = true
		if _, ok := l.m.dirPaths[d]; ok {
			l.m.cutUnder(l.records(d), &l.buf)
		}
	}
}

// entryAt is the record NewView would hold at p: the first of p's
// records nothing above hides, unless a layer above holds p as a
// directory only as a parent (see NewView).
func (l *lookup) entryAt(p string) (Ref, bool) {
	l.cutAbove(p)
	dir, _ := splitPath(p)
	m := l.m
	for _, ref := range l.records(p) {
		pos := int(ref.Layer)
		if g, ok := m.gone[p]; ok && g > pos {
			continue
		}
		if t := m.above(dir, ref.Layer); int(t.Layer) > pos || ref.Index < t.Index {
			continue
		}
		if m.rec(ref).typ() != Dir {
			if d, ok := m.dirPaths[p]; ok && d > ref.Layer {
				return Ref{}, false
			}
		}
		return ref, true
	}
	return Ref{}, false
}

// holdsUnder tells whether NewView would hold anything under p: whether
// any path of a record under p has an entry. Past the probes it may look
// at, it gives up.
func (l *lookup) holdsUnder(p string) bool {
	prefix := p + "/"
	seen := map[string]bool{}
	for pos := len(l.v.layers) - 1; pos >= 0; pos-- {
		s := &l.v.layers[pos].recs
		for id, d := range s.dirs {
			if !strings.HasPrefix(d, prefix) {
				continue
			}
			if s.loaded != nil && !s.loaded[id] {
				// One directory at a time: most paths are answered by
				// the first record looked at.
				l.ask(d)
				return false
			}
			ix := l.index(pos)
			for _, i := range ix.recs[ix.start[id]:ix.start[id+1]] {
				r := s.at(int(i))
				if r.whiteout() || r.opaque() {
					continue
				}
				q := d + s.name(r)
				if seen[q] {
					continue
				}
				seen[q] = true
				if l.probes--; l.probes < 0 {
					l.gaveUp = true
					return false
				}
				if _, ok := l.entryAt(q); ok {
					return true
				}
			}
		}
	}
	return false
}
