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

// filterMoves are the keys that move a list's selection while its filter
// has focus: arrows and pages, not the letters (j, k) that type.
var filterMoves = key.NewBinding(key.WithKeys("up", "down", "pgup", "pgdown"))

func newFilter() filter {
	ti := newTextInput()
	ti.Prompt = "/"
	ti.CharLimit = 200
	return filter{input: ti}
}

func (f *filter) start() tea.Cmd {
	f.active = true
	return f.input.Focus()
}

// update handles a message while the filter has focus: what it did, and
// whether the query changed.
func (f *filter) update(msg tea.Msg, km KeyMap) (cmd tea.Cmd, act filterAction, changed bool) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, filterMoves):
			return nil, filterMove, false
		case k.Code == tea.KeyEnter || key.Matches(k, km.Enter), k.String() == "tab":
			f.active = false
			f.input.Blur()
			if k.String() == "tab" {
				return nil, filterKept, false
			}
			return nil, filterOpen, false
		case k.Code == tea.KeyEscape:
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

// filterOpens tells whether k, typed into a filter, keeps it and opens
// the row selected.
func filterOpens(msg tea.Msg, km KeyMap) bool {
	k, ok := msg.(tea.KeyPressMsg)
	return ok && (k.Code == tea.KeyEnter || key.Matches(k, km.Enter))
}

// filterHelp is the full help's line on typing a filter.
var filterHelp = key.NewBinding(key.WithKeys("up", "down", "enter", "tab"), key.WithHelp("↑↓ enter", "in a filter: pick, open"))

// filterHint says, while a filter is typed, what the keys do.
const filterHint = "↑↓ select · enter opens · tab keeps · esc clears"

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
		return fitStyled(f.input.View()+st.Faint.Render("  "+model.Thousands(count)+"/"+model.Thousands(total)+"  "+filterHint), w)
	case f.query() != "":
		return fitStyled(st.Faint.Render("filter: ")+st.Accent.Render(model.Clean(f.input.Value()))+st.Faint.Render("  "+model.Thousands(count)+"/"+model.Thousands(total)+"  (esc clears)"), w)
	}
	return ""
}
