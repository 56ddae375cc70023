package registry

import (
	"fmt"
	"maps"
	"slices"
	"unicode/utf8"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
)

// compareTOC says where a layer's table of contents (toc) and its streamed
// bytes (stream) disagree: what each holds, the last record of a path
// winning as in extraction. A file the table gives no sum is not a
// disagreement; one it gives another sum is. The first disagreement is
// named (an error is one short line).
func compareTOC(toc, stream fstree.Layer) error {
	a, b := lastRecords(toc), lastRecords(stream)
	var first string
	n := 0
	note := func(path, s string) {
		if n++; n == 1 {
			first = cut(path, 60) + ": " + s
		}
	}
	for _, k := range slices.Sorted(maps.Keys(a)) {
		ra := a[k]
		rb, ok := b[k]
		switch {
		case !ok:
			note(ra.Path, describeRecord(ra, false)+" in the table, none in the layer")
		case !sameRecord(ra, rb):
			modes := ra.Mode != rb.Mode
			note(ra.Path, "the table says "+describeRecord(ra, modes)+", the layer holds "+describeRecord(rb, modes))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(b)) {
		if _, ok := a[k]; !ok {
			note(b[k].Path, describeRecord(b[k], false)+" in the layer, none in the table")
		}
	}
	if n == 0 {
		return nil
	}
	more := ""
	if n > 1 {
		more = fmt.Sprintf(" (and %d more)", n-1)
	}
	return fmt.Errorf("%w: the layer's table of contents disagrees with its bytes in %s: %s%s", ErrInvalid, model.Count(n, "entry"), first, more)
}

// lastRecords is a layer's records by kind and path, the last of each.
func lastRecords(l fstree.Layer) map[string]fstree.Record {
	m := make(map[string]fstree.Record, l.Len())
	for i := range l.Len() {
		r := l.Record(i)
		kind := "e"
		switch {
		case r.Whiteout:
			kind = "w"
		case r.Opaque:
			kind = "o"
		}
		m[kind+r.Path] = r
	}
	return m
}

func sameRecord(t, s fstree.Record) bool {
	if t.Type != s.Type || t.Mode != s.Mode || t.LinkTarget != s.LinkTarget {
		return false
	}
	if t.Type == fstree.File && (t.Size != s.Size || !t.Digest.IsZero() && t.Digest != s.Digest) {
		return false
	}
	return true
}

// describeRecord is a record in a few words, for a disagreement.
func describeRecord(r fstree.Record, mode bool) string {
	var s string
	switch {
	case r.Whiteout:
		return "a whiteout"
	case r.Opaque:
		return "an opaque marker"
	case r.Type == fstree.File:
		s = "a " + model.HumanSize(r.Size) + " file"
		if !r.Digest.IsZero() {
			s += " " + model.ShortDigest(r.Digest.String())
		}
	case r.Type == fstree.Symlink || r.Type == fstree.Hardlink:
		s = "a " + r.Type.String() + " to " + cut(r.LinkTarget, 40)
	default:
		s = "a " + r.Type.String()
	}
	if mode {
		s += fmt.Sprintf(" (mode %o)", r.Mode)
	}
	return s
}

// cut keeps the first n bytes of s, whole characters, and says it cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
