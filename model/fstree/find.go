package fstree

// Files are the places in the layer of the regular-file records of path
// p, in the layer's order, found without making a path per record.
func (l *Layer) Files(p string) []int {
	s := &l.recs
	dir, name := splitPath(p)
	id, ok := s.dirID[dir]
	if !ok {
		return nil
	}
	var out []int
	for i := range s.n {
		if r := s.at(i); r.dir == id && r.kind == uint8(File) && s.name(r) == name {
			out = append(out, i)
		}
	}
	return out
}
