package fstree

import (
	"cmp"
	"path"
	"slices"
	"strings"
)

// Ref is one record of one layer of a View.
type Ref struct {
	Layer int32 // the layer's place in the view's layers
	Index int32 // the record's place in its layer
}

// View is the filesystem a container sees, sorted by path, as references
// into its layers' records: two million entries are 16 MB of references,
// not two million copies. It carries dive's waste, found on the way.
type View struct {
	layers []Layer
	refs   []Ref
	Waste  Waste
	links  *linkCache
	// markers are the whiteouts and opaque markers whose directory
	// nothing above hides: unpacking them makes it, as a parent.
	markers []Ref
}

// Len is the number of entries.
func (v View) Len() int { return len(v.refs) }

// Entry is entry i (its path made anew); a hard link's Digest is that of
// the file it reads, and a file's or a hard link's Mode the one their
// inode is left with (see inodes.go).
func (v View) Entry(i int) Entry { return v.entryOf(v.refs[i]) }

// entryOf is record r as the view shows it (see Entry).
func (v View) entryOf(r Ref) Entry {
	l := &v.layers[r.Layer]
	e := l.Record(int(r.Index)).Entry
	if e.Type != Hardlink && e.Type != File {
		return e
	}
	in := v.inodes()
	if e.Type == Hardlink {
		if t, ok := in.to[r]; ok {
			e.Digest = fileSum(v.layers, t)
		}
	}
	e.Mode = in.modeOf(v.layers, r)
	return e
}

// Entries are every entry, made anew: for views of a size to hold twice.
func (v View) Entries() []Entry {
	out := make([]Entry, len(v.refs))
	for i := range out {
		out[i] = v.Entry(i)
	}
	return out
}

// Merge applies layers, base first, and returns the filesystem a container
// sees, sorted by path (see NewView).
func Merge(layers []Layer) []Entry { return NewView(layers).Entries() }

// Efficiency measures the waste of layers: what files written over or
// removed by later layers cost.
func Efficiency(layers []Layer) Waste { return NewView(layers).Waste }

// NewView merges layers, base first: an entry of a later layer replaces the
// same path below; a whiteout removes a path and everything under it from
// the layers below; an opaque directory (the root too) hides everything
// under it from the layers below. Both apply only downwards: what the same
// layer holds stays. Within a layer the last of two records of one path
// counts, as tar extraction leaves it, and a record that is not a
// directory removes what the layer put under its path before it. A layer
// whose last record of a path is not a directory hides what the layers
// below hold under it, even if a layer above makes it a directory again
// (overlayfs looks no further down).
//
// Every record is sorted by path once (highest layer first among equals,
// then the layer's last record first), so each path's records come
// together and every directory comes before what is under it: the winner
// of a path is the first of its records that nothing above hides, and
// nothing is kept per path but whiteouts and what non-directories cut.
func NewView(layers []Layer) View {
	v := View{layers: layers, links: &linkCache{}}
	m := newMerger(layers)
	all := m.entries()
	slices.SortFunc(all, m.compare)
	w := &v.Waste
	var buf []byte
	for start := 0; start < len(all); {
		end := start + 1
		for end < len(all) && m.compareByPath(all[start], all[end]) == 0 {
			end++
		}
		run := all[start:end]
		won := -1
		var files int
		var size int64
		for k, ref := range run {
			r := m.rec(ref)
			if r.typ() == File {
				files++
				size += r.size
			}
			if won < 0 && !m.hidden(ref, r, &buf) {
				won = k
			}
		}
		if won >= 0 && m.rec(run[won]).typ() != Dir && len(m.dirPaths) > 0 {
			// A layer above holds the path as a directory it made only
			// as a parent: unpacked alone, as overlay2 and containerd's
			// overlayfs snapshotter unpack it, that is a directory of its
			// own, which hides the link or file below (overlayfs looks no
			// further down). Docker's applier would follow a link there.
			buf = m.appendPath(buf[:0], run[won])
			if d, ok := m.dirPaths[string(buf)]; ok && d > run[won].Layer {
				won = -1
			}
		}
		w.Total += size
		kept := int64(0)
		if won >= 0 {
			ref := run[won]
			r := m.rec(ref)
			// Winners are kept at the front of all, behind the run being
			// read: no second list of millions.
			all[len(v.refs)] = ref
			v.refs = all[:len(v.refs)+1]
			if r.typ() == File {
				kept = r.size
				w.Final += kept
			}
		}
		if len(m.dirPaths) > 0 {
			m.cutUnder(run, &buf)
		}
		if len(layers) > 1 && size-kept > 0 {
			// One layer alone wastes nothing that dive counts (a tar that
			// repeats a name is rare enough to ignore).
			w.Worst = append(w.Worst, Wasted{Path: string(m.appendPath(nil, run[0])), Count: files, Wasted: size - kept})
		}
		start = end
	}
	v.refs = slices.Clip(v.refs)
	for _, ref := range m.marks {
		if d := markDir(&m.layers[ref.Layer].recs, int(ref.Index)); !m.dirHidden(d, ref) {
			v.markers = append(v.markers, ref)
		}
	}
	w.Wasted = w.Total - w.Final
	w.Efficiency = 1
	if w.Total > 0 {
		w.Efficiency = float64(w.Final) / float64(w.Total)
	}
	slices.SortFunc(w.Worst, func(a, b Wasted) int {
		if c := cmp.Compare(b.Wasted, a.Wasted); c != 0 {
			return c
		}
		return strings.Compare(a.Path, b.Path)
	})
	return v
}

// merger is the state of one NewView. Layers are named by their place,
// pos; a map from a path to a pos says the layers below pos lose it.
type merger struct {
	layers []Layer
	gone   map[string]int // whited-out paths: the highest layer that did
	opaque map[string]int // opaque directories ("" the root): the highest layer marking it
	// full are directory paths of some layer that a layer's last record
	// of them holds as something else: the highest such layer; partial,
	// by path and layer, is one past the place of the layer's last
	// record of the path that is not a directory, when a directory
	// record follows it (see cutUnder).
	full    map[string]int
	partial map[cutKey]int32
	// dirPaths are the directories of every layer, made by a record or
	// as a parent (of a record, a whiteout, an opaque marker): the
	// highest layer holding each.
	dirPaths map[string]int32
	marks    []Ref // whiteouts and opaque markers not at the root
	// threshold caches, per layer and directory, what hides records of
	// that layer under that directory (layer -1: not known yet).
	threshold [][]Ref
}

func newMerger(layers []Layer) *merger {
	m := &merger{layers: layers, gone: map[string]int{}, opaque: map[string]int{}, full: map[string]int{}, partial: map[cutKey]int32{}, dirPaths: map[string]int32{}}
	m.threshold = make([][]Ref, len(layers))
	for pos := range layers {
		m.threshold[pos] = make([]Ref, len(layers[pos].recs.dirs))
		for i := range m.threshold[pos] {
			m.threshold[pos][i].Layer = -1
		}
	}
	return m
}

// entries are the records of every layer that are paths, unsorted; the
// whiteouts and opaque markers among them go to gone and opaque instead.
func (m *merger) entries() []Ref {
	total := 0
	for pos := range m.layers {
		total += m.layers[pos].Len()
	}
	all := make([]Ref, 0, total)
	for pos := range m.layers {
		all = m.note(pos, all, true)
	}
	return all
}

// note reads layer pos's whiteouts, opaque markers and directories into
// the merger's maps, appending the records that are paths to all when
// keep says so.
func (m *merger) note(pos int, all []Ref, keep bool) []Ref {
	s := &m.layers[pos].recs
	for _, i := range s.whiteouts() {
		m.hide(m.gone, s.path(i), pos)
	}
	for i := range s.n {
		r := s.at(i)
		if r.opaque() {
			p := s.path(i)
			m.hide(m.opaque, p, pos)
			m.holdDir(p, int32(pos)) // unpacking the marker makes it
		}
		switch {
		case r.whiteout() || r.opaque():
			if markDir(s, i) != "" {
				m.marks = append(m.marks, Ref{int32(pos), int32(i)})
			}
		case keep:
			all = append(all, Ref{int32(pos), int32(i)})
		}
	}
	for _, d := range s.dirs {
		// The table holds the directories records are in; a path
		// above them is a directory too.
		m.holdDir(strings.TrimSuffix(d, "/"), int32(pos))
	}
	return all
}

// holdDir notes d and the directories above it as directories of layer
// pos (layers come base first).
func (m *merger) holdDir(d string, pos int32) {
	for ; d != ""; d = parent(d) {
		if old, ok := m.dirPaths[d]; ok && old == pos {
			return
		}
		m.dirPaths[d] = pos
	}
}

func (m *merger) hide(in map[string]int, p string, pos int) {
	if old, ok := in[p]; !ok || pos > old {
		in[p] = pos
	}
}

func (m *merger) rec(r Ref) *rec { return m.layers[r.Layer].recs.at(int(r.Index)) }

func (m *merger) parts(r Ref) (dir, name string) {
	s := &m.layers[r.Layer].recs
	x := s.at(int(r.Index))
	return s.dirs[x.dir], s.name(x)
}

func (m *merger) appendPath(b []byte, r Ref) []byte {
	dir, name := m.parts(r)
	return append(append(b, dir...), name...)
}

func (m *merger) compareByPath(a, b Ref) int {
	ad, an := m.parts(a)
	bd, bn := m.parts(b)
	return compareJoined(ad, an, bd, bn)
}

// compare orders by path, then the highest layer first, then the layer's
// last record first.
func (m *merger) compare(a, b Ref) int {
	if c := m.compareByPath(a, b); c != 0 {
		return c
	}
	if a.Layer != b.Layer {
		return cmp.Compare(b.Layer, a.Layer)
	}
	return cmp.Compare(b.Index, a.Index)
}

// cutUnder notes what the records of one path (a run, in compare's order)
// hide under it, if the path is a directory somewhere. A layer whose last
// record of the path is not a directory hides what it and every lower
// layer put there (tar extraction cannot put anything under a file, and
// overlayfs looks no further down); a layer whose last record is a
// directory but an earlier one is not loses only what it put there before
// that record.
func (m *merger) cutUnder(run []Ref, buf *[]byte) {
	var p string
	for k, ref := range run {
		last := k == 0 || run[k-1].Layer != ref.Layer
		if m.rec(ref).typ() == Dir || (!last && m.partial[cutKey{p, ref.Layer}] > 0) {
			continue
		}
		if p == "" {
			*buf = m.appendPath((*buf)[:0], ref)
			if _, ok := m.dirPaths[string(*buf)]; !ok {
				return
			}
			p = string(*buf)
		}
		if last {
			m.full[p] = int(ref.Layer)
			return // it hides every lower layer
		}
		m.partial[cutKey{p, ref.Layer}] = ref.Index + 1
	}
}

// hidden tells whether something above ref hides it: a whiteout of its
// path, or, for a directory above it, a whiteout, an opaque marker or a
// record that is not a directory (see cutUnder).
func (m *merger) hidden(ref Ref, r *rec, buf *[]byte) bool {
	pos := int(ref.Layer)
	if len(m.gone) > 0 {
		*buf = m.appendPath((*buf)[:0], ref)
		if g, ok := m.gone[string(*buf)]; ok && g > pos {
			return true
		}
	}
	if len(m.gone)+len(m.opaque)+len(m.full)+len(m.partial) == 0 {
		return false
	}
	t := &m.threshold[ref.Layer][r.dir]
	if t.Layer < 0 {
		// Every directory above sorts before anything under it: what
		// hides under them is known by now.
		*t = m.above(m.layers[ref.Layer].recs.dirs[r.dir], ref.Layer)
	}
	return int(t.Layer) > pos || ref.Index < t.Index
}

// markDir is the directory whiteout or opaque marker i is in ("" for the
// root).
func markDir(s *records, i int) string {
	if s.at(i).opaque() {
		return s.path(i)
	}
	return parent(s.path(i))
}

// dirHidden tells whether something above hides directory d as mark ref
// makes it.
func (m *merger) dirHidden(d string, ref Ref) bool {
	if g, ok := m.gone[d]; ok && g > int(ref.Layer) {
		return true
	}
	up := parent(d)
	if up != "" {
		up += "/"
	}
	t := m.above(up, ref.Layer)
	return t.Layer > ref.Layer || ref.Index < t.Index
}

// cutKey is a path of one layer.
type cutKey struct {
	path  string
	layer int32
}

// above is what hides the records of layer pos under dir (ending in "/"):
// Layer, the highest layer that hides all of them (0 when none does), and
// Index, below which the layer's own records are cut.
func (m *merger) above(dir string, pos int32) Ref {
	top := Ref{Index: -1}
	for d := strings.TrimSuffix(dir, "/"); ; d = parent(d) {
		if o, ok := m.opaque[d]; ok {
			top.Layer = max(top.Layer, int32(o))
		}
		if d == "" {
			return top
		}
		if g, ok := m.gone[d]; ok {
			top.Layer = max(top.Layer, int32(g))
		}
		if f, ok := m.full[d]; ok {
			top.Layer = max(top.Layer, int32(f)+1)
		}
		if len(m.partial) > 0 {
			top.Index = max(top.Index, m.partial[cutKey{d, pos}])
		}
	}
}

// compareJoined compares a1+a2 with b1+b2 without joining them.
func compareJoined(a1, a2, b1, b2 string) int {
	if a1 == b1 {
		return strings.Compare(a2, b2)
	}
	for {
		if a1 == "" {
			a1, a2 = a2, ""
		}
		if b1 == "" {
			b1, b2 = b2, ""
		}
		if a1 == "" || b1 == "" {
			return cmp.Compare(len(a1), len(b1))
		}
		n := min(len(a1), len(b1))
		if c := strings.Compare(a1[:n], b1[:n]); c != 0 {
			return c
		}
		a1, b1 = a1[n:], b1[n:]
	}
}

func parent(p string) string {
	d := path.Dir(p)
	if d == "." || d == "/" {
		return ""
	}
	return d
}
