package fstree

import (
	"bytes"
	"slices"
	"strings"
)

// impliedMode is the mode of a directory no layer has an entry for:
// containerd and Docker make a missing parent 0755.
const impliedMode = 0o755

// Listing calls f with every entry of the view and every directory only
// implied by the paths under it (Implied, mode 0755, from the lowest layer
// with something under it), sorted by path, until f returns false: every
// directory the tree shows, as files -o json lists them.
func (v View) Listing(f func(Entry) bool) {
	implied := impliedDirs(v, func(d string) bool { _, ok := v.find(d); return ok })
	mergeImplied(v, implied, func(e Entry, _ int) bool { return f(e) })
}

// withImplied is the view and the directories it only implies, as
// Listing lists them: a tree's source.
func (v View) withImplied() source {
	return addImplied(v, impliedDirs(v, func(d string) bool { _, ok := v.find(d); return ok }), nil)
}

// impliedDirs are the directories of src that have no entry of their own,
// made as parents of its entries or by its whiteouts and opaque markers,
// sorted by path; has tells whether src holds an entry at a path.
func impliedDirs(src View, has func(string) bool) []Entry {
	var out []Entry
	seen := map[string]bool{} // directories, with an entry or implied
	var stack pathStack       // the implied directories above the current path
	var at []int              // their places in out
	var buf, last []byte      // the path, and the last one's directory
	for i := range src.Len() {
		buf = src.appendPath(buf[:0], i)
		for stack.len() > 0 && !isUnder(buf, stack.top()) {
			stack.pop()
			at = at[:len(at)-1]
		}
		typ, _ := src.typeSize(i)
		if typ == Dir {
			seen[string(buf)] = true
		}
		// The missing directories above, from the top down; most paths
		// are in the last one's directory, known already.
		if d := parentOf(buf); !bytes.Equal(d, last) {
			last = append(last[:0], d...)
			var missing []string
			for ; len(d) > 0 && !seen[string(d)]; d = parentOf(d) {
				seen[string(d)] = true
				if has(string(d)) {
					break // an entry that is not a directory, with paths under it
				}
				missing = append(missing, string(d))
			}
			for k := len(missing) - 1; k >= 0; k-- {
				stack.push([]byte(missing[k]))
				at = append(at, len(out))
				out = append(out, Entry{Path: missing[k], Type: Dir, Mode: impliedMode, Layer: -1, Implied: true})
			}
		}
		if len(at) > 0 {
			layer := int32(src.layers[src.refs[i].Layer].Index)
			for _, k := range at {
				if out[k].Layer < 0 || layer < out[k].Layer {
					out[k].Layer = layer
				}
			}
		}
	}
	// What whiteouts and markers make, where nothing else did.
	for _, ref := range src.markers {
		s := &src.layers[ref.Layer].recs
		layer := int32(src.layers[ref.Layer].Index)
		var missing []string
		for d := markDir(s, int(ref.Index)); d != "" && !seen[d]; d = parent(d) {
			seen[d] = true
			if has(d) || src.holdsUnder(d) {
				break
			}
			missing = append(missing, d)
		}
		for _, d := range missing {
			out = append(out, Entry{Path: d, Type: Dir, Mode: impliedMode, Layer: layer, Implied: true})
		}
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// mergeImplied calls f with src's entries (and their places) and the
// implied directories (place -1) in path order.
func mergeImplied(src View, implied []Entry, f func(Entry, int) bool) {
	j := 0
	for i := range src.Len() {
		e := src.Entry(i)
		for ; j < len(implied) && implied[j].Path < e.Path; j++ {
			if !f(implied[j], -1) {
				return
			}
		}
		if !f(e, i) {
			return
		}
	}
	for ; j < len(implied); j++ {
		if !f(implied[j], -1) {
			return
		}
	}
}

// hasDir tells whether the view has path d: an entry, or a directory
// implied by what is under it or by a whiteout or opaque marker.
func (v View) hasDir(d string) bool {
	if _, ok := v.find(d); ok || v.holdsUnder(d) {
		return true
	}
	for _, ref := range v.markers {
		m := markDir(&v.layers[ref.Layer].recs, int(ref.Index))
		if m == d || strings.HasPrefix(m, d+"/") {
			return true
		}
	}
	return false
}
