package ui

import (
	"strconv"

	"github.com/platypus-tui/platypus/model"
)

// nestedOwner is the entry of the root index that holds a manifest found
// inside a nested index: its place (1-based, as the check's messages
// count) and digest.
type nestedOwner struct {
	pos    int
	digest string
}

// label names the nested entry as the check's messages do: "entry 1".
func (o nestedOwner) label() string { return "entry " + strconv.Itoa(o.pos) }

// nestedOwners maps every digest inside the indexes nested in tree's root
// (to model.MaxDepth, as the check walks) to the root entry that holds it,
// the nested index's own digest included. A digest the root lists itself
// is the root's.
func nestedOwners(tree *model.Tree) map[string]nestedOwner {
	if tree == nil || tree.Root == nil || !tree.Root.IsIndex() {
		return nil
	}
	root := map[string]bool{}
	for _, e := range tree.Root.Entries {
		root[e.Digest] = true
	}
	out := map[string]nestedOwner{}
	var visit func(m *model.Manifest, o nestedOwner, seen map[string]bool, depth int)
	visit = func(m *model.Manifest, o nestedOwner, seen map[string]bool, depth int) {
		for _, e := range m.Entries {
			if _, ok := out[e.Digest]; !ok && !root[e.Digest] {
				out[e.Digest] = o
			}
			if c := tree.Children[e.Digest]; c != nil && c.IsIndex() && !seen[e.Digest] && depth < model.MaxDepth {
				seen[e.Digest] = true
				visit(c, o, seen, depth+1)
			}
		}
	}
	seen := map[string]bool{tree.Root.Digest: true}
	for i, e := range tree.Root.Entries {
		if c := tree.Children[e.Digest]; c != nil && c.IsIndex() && !seen[e.Digest] {
			o := nestedOwner{pos: i + 1, digest: e.Digest}
			if _, ok := out[e.Digest]; !ok {
				out[e.Digest] = o
			}
			seen[e.Digest] = true
			visit(c, o, seen, 1)
		}
	}
	return out
}

// findEntry finds the entry with digest d in tree's root or in an index
// nested in it, with the index that lists it.
func findEntry(tree *model.Tree, d string) (model.Entry, *model.Manifest, bool) {
	seen := map[string]bool{}
	var find func(m *model.Manifest, depth int) (model.Entry, *model.Manifest, bool)
	find = func(m *model.Manifest, depth int) (model.Entry, *model.Manifest, bool) {
		for _, e := range m.Entries {
			if e.Digest == d {
				return e, m, true
			}
		}
		for _, e := range m.Entries {
			if c := tree.Children[e.Digest]; c != nil && c.IsIndex() && !seen[e.Digest] && depth < model.MaxDepth {
				seen[e.Digest] = true
				if e, in, ok := find(c, depth+1); ok {
					return e, in, true
				}
			}
		}
		return model.Entry{}, nil, false
	}
	return find(tree.Root, 0)
}
