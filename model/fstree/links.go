package fstree

import (
	"math"
	"slices"
	"sync"
)

// A hard link reads the bytes its target had when the link was made: tar
// extraction (containerd's, Docker's, GNU tar's) links the inode at the
// target's path as it stands just before the link's record, made by an
// earlier record of the link's own layer or else by the layers below;
// what later records or layers do to that path leaves the link alone. A
// link to nothing there, but to a later record of its layer, reads that
// record: estargz writes such links (its Build moves a path written twice
// to its last place), and stargz-snapshotter, which links by name from
// the table of contents, reads it so; tar extraction fails on them.

// maxLinkHops bounds a chain of hard links to hard links.
const maxLinkHops = 16

// linkCache is what a view's hard links read and the modes they leave
// (see inodes.go), found once, on first use.
type linkCache struct {
	once sync.Once
	in   inodes
}

// inodes are the view's hard links and the modes they leave.
func (v View) inodes() inodes {
	if v.links == nil {
		return findInodes(v.layers)
	}
	v.links.once.Do(func() { v.links.in = findInodes(v.layers) })
	return v.links.in
}

// linkTo is the record hard link ref reads (a file, or whatever else is
// at its target); ok is false when nothing is there.
func (v View) linkTo(ref Ref) (Ref, bool) {
	t, ok := v.inodes().to[ref]
	return t, ok
}

// fileSum is the digest of record t, if it is a file.
func fileSum(layers []Layer, t Ref) Sum {
	if r := layers[t.Layer].recs.at(int(t.Index)); r.typ() == File {
		return r.digest
	}
	return Sum{}
}

// linkQuery is one hard link being followed down the layers.
type linkQuery struct {
	link   Ref    // the hard link asked about
	target string // the path being looked for
	pos    int32  // the layer looked in
	before int32  // only its records before this place count
	hops   int
	state  int8
	found  Ref
	ahead  bool  // looking ahead in the link's own layer (see above)
	from   int32 // the layer of the link being followed
}

const (
	linkUnknown int8 = iota // nothing in this layer says: look below
	linkFound               // found: a record of the target
	linkGone                // removed, or never there
)

// linkTargets finds the record each hard link of links reads. Each layer
// is read once for all the links that look into it, from the top down.
func linkTargets(layers []Layer, links []Ref) map[Ref]Ref {
	out := map[Ref]Ref{}
	var pending []linkQuery
	for _, l := range links {
		pending = append(pending, linkQuery{link: l, target: layers[l.Layer].recs.links[l.Index], pos: l.Layer, before: l.Index, from: l.Layer})
	}
	for len(pending) > 0 {
		slices.SortStableFunc(pending, func(a, b linkQuery) int { return int(b.pos - a.pos) })
		top := pending[0].pos
		n := 0
		for n < len(pending) && pending[n].pos == top {
			n++
		}
		batch := pending[:n]
		scanForLinks(&layers[top].recs, top, batch)
		next := slices.Clone(pending[n:])
		for _, q := range batch {
			switch q.state {
			case linkFound:
				r := layers[q.found.Layer].recs.at(int(q.found.Index))
				if r.typ() != Hardlink {
					out[q.link] = q.found
				} else if q.hops < maxLinkHops {
					// A link to a link: the inode that one has.
					next = append(next, linkQuery{link: q.link, target: layers[q.found.Layer].recs.links[q.found.Index],
						pos: q.found.Layer, before: q.found.Index, hops: q.hops + 1, from: q.found.Layer})
				}
			case linkUnknown, linkGone:
				switch {
				case q.ahead: // nothing after it either
				case q.state == linkUnknown && q.pos > 0:
					q.pos, q.before = q.pos-1, math.MaxInt32
					next = append(next, q)
				default:
					// Nothing before it: a record after it.
					q.pos, q.before, q.ahead, q.state = q.from, math.MaxInt32, true, linkUnknown
					next = append(next, q)
				}
			}
		}
		pending = next
	}
	return out
}

// scanForLinks reads layer pos's records in order, up to where each query
// stops, and says what each query's target was there: the layer's last
// record of it, or gone (a whiteout of it or of a directory above, an
// opaque directory above that the layer had not put it in, a directory
// above replaced by something else), or nothing said.
func scanForLinks(s *records, pos int32, batch []linkQuery) {
	want := map[string][]int{}  // targets
	above := map[string][]int{} // the directories above them ("" the root)
	var end int32
	for k := range batch {
		q := &batch[k]
		want[q.target] = append(want[q.target], k)
		for d := q.target; d != ""; {
			d = parent(d)
			above[d] = append(above[d], k)
		}
		end = max(end, q.before)
	}
	var buf []byte
	for i := range min(int32(s.n), end) {
		r := s.at(int(i))
		buf = append(append(buf[:0], s.dirs[r.dir]...), s.name(r)...)
		for _, k := range want[string(buf)] {
			switch q := &batch[k]; {
			case i >= q.before || r.opaque():
			case r.whiteout():
				q.state = linkGone
			default:
				q.state, q.found = linkFound, Ref{pos, i}
			}
		}
		for _, k := range above[string(buf)] {
			switch q := &batch[k]; {
			case i >= q.before:
			case r.whiteout(), !r.opaque() && r.typ() != Dir:
				q.state = linkGone
			case r.opaque() && q.state != linkFound:
				q.state = linkGone
			}
		}
	}
}
