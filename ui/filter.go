package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
)

// filter is the `/` input shared by list screens, as fzf and lazygit's
// menus have it: typing narrows the rows, ↑/↓ (and pgup/pgdn) move the
// selection while the input keeps the keys, enter keeps the filter and
// opens the row selected, tab keeps the filter and returns to the list,
// esc clears it (the cursor stays on its item).
type filter struct {
	input  textinput.Model
	keys   filterKeys
	active bool
}

// filterAction is what a key did to the filter; the list acts on it.
type filterAction int

const (
	filterTyped   filterAction = iota // the query may have changed
	filterMove                        // a cursor key for the list: move its selection
	filterKept                        // tab: the filter stays, the list has the keys
	filterOpen                        // enter: the filter stays; open the row selected
	filterCleared                     // esc: no filter; keep the cursor on its item
)

func newFilter(km filterKeys) filter {
	ti := newTextInput()
	ti.Prompt = "/"
	ti.CharLimit = 200
	return filter{input: ti, keys: km}
}

func (f *filter) start() tea.Cmd {
	f.active = true
	return f.input.Focus()
}

// update handles a message while the filter has focus: what it did, and
// whether the query changed.
func (f *filter) update(msg tea.Msg) (cmd tea.Cmd, act filterAction, changed bool) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, f.keys.moves()...):
			return nil, filterMove, false
		case key.Matches(k, f.keys.Keep):
			f.active = false
			f.input.Blur()
			return nil, filterKept, false
		case key.Matches(k, f.keys.Accept):
			f.active = false
			f.input.Blur()
			return nil, filterOpen, false
		case key.Matches(k, f.keys.Cancel):
			f.active = false
			f.input.Blur()
			changed = f.input.Value() != ""
			f.input.SetValue("")
			return nil, filterCleared, changed
		}
	}
	before := f.input.Value()
	f.input, cmd = f.input.Update(msg)
	return cmd, filterTyped, f.input.Value() != before
}

// opens tells whether msg, typed into the filter, kept it and opens the
// row selected.
func (f *filter) opens(msg tea.Msg) bool {
	k, ok := msg.(tea.KeyPressMsg)
	return ok && key.Matches(k, f.keys.Accept) && !key.Matches(k, append(f.keys.moves(), f.keys.Keep)...)
}

// help is the full help's line on typing a filter.
func (f filterKeys) help() key.Binding {
	return key.NewBinding(key.WithKeys(f.Accept.Keys()...), key.WithHelp(keyHint(f.Up)+keyHint(f.Down)+" "+keyHint(f.Accept), "in a filter: pick, open"))
}

// hint says, while a filter is typed, what the keys do.
func (f filterKeys) hint() string {
	return keyHint(f.Up) + keyHint(f.Down) + " select · " + keyHint(f.Accept) + " opens · " + keyHint(f.Keep) + " keeps · " + keyHint(f.Cancel) + " clears"
}

// clear drops a kept filter; it reports whether there was one.
func (f *filter) clear() bool {
	if f.input.Value() == "" {
		return false
	}
	f.input.SetValue("")
	return true
}

func (f *filter) query() string { return strings.ToLower(strings.TrimSpace(f.input.Value())) }

// match reports whether s contains every word of the query.
func (f *filter) match(s string) bool { return f.matcher()(s) }

// matcher returns match with the query read once: a list of a million
// names is tested against the same words a million times.
func (f *filter) matcher() func(string) bool {
	words := strings.Fields(f.query())
	if len(words) == 0 {
		return func(string) bool { return true }
	}
	return func(s string) bool {
		s = strings.ToLower(s)
		for _, w := range words {
			if !strings.Contains(s, w) {
				return false
			}
		}
		return true
	}
}

// view is the filter's line, cut to w: the query and its count first.
func (f *filter) view(st styles, count, total, w int) string {
	switch {
	case f.active:
		return fitStyled(f.input.View()+st.Faint.Render("  "+model.Thousands(count)+"/"+model.Thousands(total)+"  "+f.keys.hint()), w)
	case f.query() != "":
		return fitStyled(st.Faint.Render("filter: ")+st.Accent.Render(model.Clean(f.input.Value()))+st.Faint.Render("  "+model.Thousands(count)+"/"+model.Thousands(total)+"  ("+keyHint(f.keys.Clear)+" clears)"), w)
	}
	return ""
}
