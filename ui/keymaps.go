package ui

import (
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
)

// Components get key maps of their own, as bubbles' table and viewport
// do: only the bindings they answer, taken from the user's KeyMap, so a
// rebind in the config reaches every component and nothing else leaks in.

// tableKeys move a table's cursor.
type tableKeys struct{ Up, Down, PageUp, PageDown, Home, End key.Binding }

func (k KeyMap) tableKeys() tableKeys {
	return tableKeys{Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown, Home: k.Home, End: k.End}
}

// all is every move, as help lists them.
func (t tableKeys) all() []key.Binding {
	return []key.Binding{t.Up, t.Down, t.PageUp, t.PageDown, t.Home, t.End}
}

// paneKeys scroll a text pane: as a table moves, and sideways.
type paneKeys struct {
	tableKeys
	Left, Right key.Binding
}

func (k KeyMap) paneKeys() paneKeys {
	return paneKeys{tableKeys: k.tableKeys(), Left: k.Collapse, Right: k.Expand}
}

// inputKeys are a text input's: Accept takes what is typed, Cancel leaves
// the input as if it had not been opened.
type inputKeys struct{ Accept, Cancel key.Binding }

func (k KeyMap) inputKeys() inputKeys {
	return inputKeys{
		Accept: k.inText(func(m KeyMap) key.Binding { return m.Enter }),
		Cancel: k.inText(func(m KeyMap) key.Binding { return m.Cancel }),
	}
}

// copyKeys are a copy task's: input asks where to, Yes confirms an
// overwrite, Stop (the screen's back) cancels a copy under way.
type copyKeys struct {
	input     inputKeys
	Yes, Stop key.Binding
}

func (k KeyMap) copyKeys() copyKeys { return copyKeys{input: k.inputKeys(), Yes: k.Yes, Stop: k.Back} }

// filterKeys are a list filter's while it is typed into: Moves move the
// list's selection (the moves that type nothing: arrows and pages, not j
// and k), Accept keeps the filter and opens the row selected, Keep keeps
// it and gives the list the keys, Cancel clears it. Clear is the list's
// key that drops a filter kept (back), for the hint.
type filterKeys struct {
	Up, Down, PageUp, PageDown key.Binding
	Accept, Keep, Cancel       key.Binding
	Clear                      key.Binding
}

func (k KeyMap) filterKeys() filterKeys {
	in := k.inputKeys()
	return filterKeys{
		Up:       k.inText(func(m KeyMap) key.Binding { return m.Up }),
		Down:     k.inText(func(m KeyMap) key.Binding { return m.Down }),
		PageUp:   k.inText(func(m KeyMap) key.Binding { return m.PageUp }),
		PageDown: k.inText(func(m KeyMap) key.Binding { return m.PageDown }),
		Accept:   in.Accept,
		Keep:     k.inText(func(m KeyMap) key.Binding { return m.NextPane }),
		Cancel:   in.Cancel,
		Clear:    k.Back,
	}
}

// moves are the keys the filter passes to its list.
func (f filterKeys) moves() []key.Binding { return []key.Binding{f.Up, f.Down, f.PageUp, f.PageDown} }

// listKeys are a paged list's, beside its table's: Filter opens its
// filter, which answers filter.
type listKeys struct {
	Filter, Sort key.Binding
	filter       filterKeys
}

func (k KeyMap) listKeys() listKeys {
	return listKeys{Filter: k.Filter, Sort: k.Sort, filter: k.filterKeys()}
}

// treeKeys are a file tree's own, beside its table's and its filter's:
// Open opens or closes the directory under the cursor.
type treeKeys struct {
	Expand, Collapse, ExpandAll, Filter, Sort, Open key.Binding
	table                                           tableKeys
	filter                                          filterKeys
}

func (k KeyMap) treeKeys() treeKeys {
	return treeKeys{Expand: k.Expand, Collapse: k.Collapse, ExpandAll: k.ExpandAll, Filter: k.Filter, Sort: k.Sort, Open: k.Enter,
		table: k.tableKeys(), filter: k.filterKeys()}
}

// inText is the binding pick chooses from k, less the keys that type text,
// which a text input takes as text (enter rebound to "o" cannot accept a
// name with an o in it). Where the user left it none, the default's are
// kept, so an input can always be left.
func (k KeyMap) inText(pick func(KeyMap) key.Binding) key.Binding {
	b := pick(k)
	keys := untyped(b.Keys())
	if len(keys) == 0 {
		keys = untyped(pick(DefaultKeyMap()).Keys())
	}
	labels := make([]string, len(keys))
	for i, name := range keys {
		labels[i] = glyph(name)
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(strings.Join(labels, "/"), b.Help().Desc))
}

// untyped drops the keys that type a character: one rune, or space.
func untyped(keys []string) []string {
	var out []string
	for _, k := range keys {
		if k != "space" && utf8.RuneCountInString(k) != 1 {
			out = append(out, k)
		}
	}
	return out
}

// glyph is how a hint names a key: arrows as arrows.
func glyph(k string) string {
	switch k {
	case "up":
		return "↑"
	case "down":
		return "↓"
	case "left":
		return "←"
	case "right":
		return "→"
	case "pgdown":
		return "pgdn"
	}
	return k
}

// keyHint names b's first key in a sentence ("esc cancels"): the user's
// own binding, as the help shows it.
func keyHint(b key.Binding) string {
	if keys := b.Keys(); len(keys) > 0 {
		return glyph(keys[0])
	}
	return b.Help().Key
}
