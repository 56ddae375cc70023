package ui

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// StartScreen asks where to go, offering recent references.
type StartScreen struct {
	base
	input  textinput.Model
	recent []string
	cursor int // -1: the input; 0…: a recent reference
}

// NewStartScreen returns the screen shown without a reference.
func NewStartScreen() screenMaker {
	return func(ctx context.Context, c *Common, id int) Screen {
		ti := newTextInput()
		ti.Prompt = "open: "
		ti.Placeholder = "registry host, repository, repo:tag or ocidir://path"
		ti.CharLimit = 512
		ti.Focus()
		return &StartScreen{base: newBase(ctx, c, id), input: ti, recent: loadRecent(c.StateDir), cursor: -1}
	}
}

func (s *StartScreen) Init() tea.Cmd   { return textinput.Blink }
func (s *StartScreen) Crumb() string   { return "start" }
func (s *StartScreen) Capturing() bool { return s.cursor < 0 }

func (s *StartScreen) Bindings() []key.Binding {
	return []key.Binding{s.c.Keys.Enter, key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "recent"))}
}

func (s *StartScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.input.Width = max(w-10, 10)
}

func (s *StartScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(msg)
		return s, cmd
	}
	switch k.String() {
	case "enter":
		v := strings.TrimSpace(s.input.Value())
		if s.cursor >= 0 {
			v = s.recent[s.cursor]
		}
		if v == "" {
			return s, status("type a registry host, a repository or a reference", true)
		}
		return s, goTo(s.c, v)
	case "down":
		if s.cursor < len(s.recent)-1 {
			s.cursor++
			s.input.Blur()
		}
		return s, nil
	case "up":
		if s.cursor >= 0 {
			s.cursor--
		}
		if s.cursor < 0 {
			return s, s.input.Focus()
		}
		return s, nil
	}
	if s.cursor >= 0 {
		if k.String() == "q" {
			return s, tea.Quit
		}
		return s, nil
	}
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	return s, cmd
}

func (s *StartScreen) View() string {
	st := s.c.Styles
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
