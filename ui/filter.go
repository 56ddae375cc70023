package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/platypus-tui/platypus/model"
)

// filter is the `/` input shared by list screens: typing narrows the rows,
// enter keeps the filter and returns to the list, esc clears it.
type filter struct {
	input  textinput.Model
	active bool
}

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

// update handles a key while the filter has focus; changed tells whether
// the query changed.
func (f *filter) update(msg tea.Msg, km KeyMap) (cmd tea.Cmd, changed bool) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, km.Enter):
			f.active = false
			f.input.Blur()
			return nil, false
		case k.Type == tea.KeyEsc:
			f.active = false
			f.input.Blur()
			changed = f.input.Value() != ""
			f.input.SetValue("")
			return nil, changed
		}
	}
	before := f.input.Value()
	f.input, cmd = f.input.Update(msg)
	return cmd, f.input.Value() != before
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

func (f *filter) view(st styles, count, total int) string {
	switch {
	case f.active:
		return f.input.View() + st.Faint.Render("  "+model.Thousands(count)+"/"+model.Thousands(total))
	case f.query() != "":
		return st.Faint.Render("filter: ") + st.Accent.Render(f.input.Value()) + st.Faint.Render("  "+model.Thousands(count)+"/"+model.Thousands(total)+"  (esc clears)")
	}
	return ""
}
