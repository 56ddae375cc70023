package ui

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// startScreen asks where to go, offering recent references.
type startScreen struct {
	base
	input  textinput.Model
	recent []string
	cursor int // -1: the input; 0…: a recent reference
	keys   KeyMap
}

// newStartScreen returns the screen shown without a reference.
func newStartScreen() screenMaker {
	return func(b base) screen {
		ti := newTextInput()
		ti.Prompt = "open: "
		ti.Placeholder = "registry host, repository, repo:tag or ocidir://path"
		ti.CharLimit = 512
		ti.Focus()
		return &startScreen{base: b, input: ti, cursor: -1, keys: b.c.Keys}
	}
}

// Init reads the recent references from the state directory.
func (s *startScreen) Init() tea.Cmd {
	if s.c.State == nil {
		return textinput.Blink
	}
	ctx, q := s.start(jobRecent, "")
	st, demo := s.c.State, s.c.Demo != ""
	return tea.Batch(textinput.Blink, run(ctx, q, func(context.Context) ([]string, error) { return st.Recent(demo) }))
}

func (s *startScreen) Crumb() string   { return "start" }
func (s *startScreen) Capturing() bool { return s.cursor < 0 }

func (s *startScreen) Bindings() []key.Binding {
	recent := relabel(s.toRecent(), "recent")
	recent.SetEnabled(len(s.recent) > 0)
	return []key.Binding{s.keys.Enter, recent}
}

func (s *startScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.input.SetWidth(max(w-10, 10))
}

func (s *startScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case reply[[]string]:
		if msg.err != nil {
			return s, status("recent references: "+msg.err.Error(), true)
		}
		s.recent = msg.val
		return s, nil
	case tea.KeyPressMsg:
		return s, s.key(msg)
	}
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	return s, cmd
}

// toRecent goes from the input down to the recent references: down, less
// the keys that type (j is a letter of a name).
func (s *startScreen) toRecent() key.Binding {
	return s.keys.inText(func(m KeyMap) key.Binding { return m.Down })
}

func (s *startScreen) key(k tea.KeyPressMsg) tea.Cmd {
	open := s.keys.Enter
	if s.cursor < 0 {
		open = s.keys.inputKeys().Accept
	}
	switch {
	case key.Matches(k, open):
		v := strings.TrimSpace(s.input.Value())
		if s.cursor >= 0 {
			v = s.recent[s.cursor]
		}
		if v == "" {
			return status("type a registry host, a repository or a reference", true)
		}
		return goTo(s.c, v)
	case s.cursor < 0 && key.Matches(k, s.toRecent()), s.cursor >= 0 && key.Matches(k, s.keys.Down):
		if s.cursor < len(s.recent)-1 {
			s.cursor++
			s.input.Blur()
		}
		return nil
	case s.cursor >= 0 && key.Matches(k, s.keys.Up):
		s.cursor--
		if s.cursor < 0 {
			return s.input.Focus()
		}
		return nil
	}
	if s.cursor >= 0 {
		if key.Matches(k, s.keys.Quit) {
			return tea.Quit
		}
		return nil
	}
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(k)
	return cmd
}

func (s *startScreen) View() string {
	st := s.c.styles
	lines := []string{
		st.Title.Render("Where to?"),
		st.Faint.Render(wrap("a registry (registry.example.com), a repository (library/mysql), a tag (mysql:5.7), a digest, or ocidir://path", s.w)),
		"",
		s.input.View(),
	}
	if s.c.Demo != "" {
		lines = append(lines, "", st.Faint.Render(wrap("demo registry: "+s.c.Demo+" (names without a host open there)", s.w)))
	}
	if len(s.recent) > 0 {
		lines = append(lines, "", st.Title.Render("Recent"))
		for i, r := range s.recent {
			if i == s.cursor {
				lines = append(lines, st.Selected.Render(fitLine("› "+r, s.w)))
			} else {
				lines = append(lines, "  "+st.Text.Render(fitLine(r, s.w-2)))
			}
		}
	}
	return strings.Join(lines, "\n")
}
