package fstree

// A hard link shares its target's inode, and tar extraction sets the mode
// of each header it applies on the inode it writes: a hard link's header
// too (Docker's applier, containerd's and overlay2's alike, unless the
// target is a symbolic link). So a file and every hard link to it show
// the mode of the last of their records applied, in layer order then
// record order: `t` 0644 then `h => t` 0755 leaves both 0755. (Owners go
// the same way; platypus does not show them.)

// inodes are the hard links of some layers, what each reads, and the
// files whose mode a later hard link set.
type inodes struct {
	to   map[Ref]Ref
	mode map[Ref]uint16 // by file record
}

// findInodes reads every hard link of layers, hidden or not: each set
// its mode when it was applied.
func findInodes(layers []Layer) inodes {
	var links []Ref
	for pos := range layers {
		s := &layers[pos].recs
		if s.hardlinks == 0 {
			continue
		}
		for i := range s.n {
			if s.at(i).typ() == Hardlink {
				links = append(links, Ref{int32(pos), int32(i)})
			}
		}
	}
	in := inodes{to: linkTargets(layers, links)}
	for _, l := range links { // in the order they were applied
		t, ok := in.to[l]
		if !ok || layers[t.Layer].recs.at(int(t.Index)).typ() != File || !after(l, t) {
			continue
		}
		if in.mode == nil {
			in.mode = map[Ref]uint16{}
		}
		in.mode[t] = layers[l.Layer].recs.at(int(l.Index)).mode
	}
	return in
}

// after tells whether record a was applied after record b.
func after(a, b Ref) bool {
	return a.Layer > b.Layer || (a.Layer == b.Layer && a.Index > b.Index)
}

// modeOf is the mode record r (a file or a hard link) is left with.
func (in inodes) modeOf(layers []Layer, r Ref) uint32 {
	rec := layers[r.Layer].recs.at(int(r.Index))
	if rec.typ() == Hardlink {
		t, ok := in.to[r]
		if !ok || layers[t.Layer].recs.at(int(t.Index)).typ() != File {
			return uint32(rec.mode)
		}
		r, rec = t, layers[t.Layer].recs.at(int(t.Index))
	}
	if m, ok := in.mode[r]; ok {
		return uint32(m)
	}
	return uint32(rec.mode)
}
