package ui

import (
	"context"
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"platypus/model"
	"platypus/registry"
)

// reposPage is how many repositories one catalog request asks for.
const reposPage = 100

// ReposScreen lists a registry's repositories, page by page as the user
// scrolls. Registries without a catalog get an input to type a name.
type ReposScreen struct {
	base
	host     string
	state    loadState
	err      error
	seq      int
	repos    []string
	view     []int
	next     string
	complete bool
	paging   bool
	noCat    bool
	input    textinput.Model
	table    Table
	filter   filter
	spin     spinner.Model
	cursorTo string
}

// NewReposScreen returns the repositories screen for host; cursorTo puts
// the cursor on a repository once it is loaded.
func NewReposScreen(host, cursorTo string) screenMaker {
	return func(ctx context.Context, c *Common, id int) Screen {
		ti := newTextInput()
		ti.Prompt = "repository: "
		ti.Placeholder = "library/alpine"
		s := &ReposScreen{base: newBase(ctx, c, id), host: host, filter: newFilter(), spin: newSpinner(), input: ti, cursorTo: cursorTo}
		s.host = host
		s.table.Cols = []Column{{Title: "REPOSITORY", Flex: 1}}
		return s
	}
}

func (s *ReposScreen) Init() tea.Cmd {
	s.state, s.seq, s.repos, s.next, s.complete, s.paging, s.noCat = loading, s.seq+1, nil, "", false, true, false
	return tea.Batch(s.spin.Tick, loadRepos(s.ctx, s.c.Client, s.id, s.seq, s.host, "", reposPage))
}

func (s *ReposScreen) Crumb() string   { return s.host }
func (s *ReposScreen) Capturing() bool { return s.filter.active || s.noCat }

func (s *ReposScreen) HandleBack() bool {
	if s.filter.clear() {
		s.rebuild()
		return true
	}
	return false
}

func (s *ReposScreen) Bindings() []key.Binding {
	km := s.c.Keys
	return []key.Binding{km.Enter, km.Filter, km.Compose, km.Refresh}
}

func (s *ReposScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.table.SetSize(w, h-2)
}

func (s *ReposScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case pageMsg:
		return s, s.onPage(msg)
	case spinner.TickMsg:
		return s, tick(&s.spin, s.state == loading || s.paging, msg)
	case tea.KeyMsg:
		return s, s.key(msg)
	case tea.MouseMsg:
		if s.state == ready && !s.noCat {
			if s.table.HandleKey(msg, s.c.Keys) {
				return s, s.more()
			}
			if s.table.Click(msg, msg.Y-1) {
				return s, s.open()
			}
		}
	}
	return s, nil
}

func (s *ReposScreen) key(msg tea.KeyMsg) tea.Cmd {
	km := s.c.Keys
	if s.noCat {
		switch msg.String() {
		case "enter":
			name := strings.TrimSpace(s.input.Value())
			r, err := model.ParseReference(s.host + "/" + name)
			if err != nil || name == "" {
				return status("not a repository name: "+name, true)
			}
			return push(NewTagsScreen(r, ""))
		case "esc":
			s.noCat = false
			s.input.Blur()
			return nil
		}
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(msg)
		return cmd
	}
	if s.filter.active {
		cmd, changed := s.filter.update(msg)
		if changed {
			s.rebuild()
		}
		return tea.Batch(cmd, s.more())
	}
	switch {
	case key.Matches(msg, km.Refresh):
		return s.Init()
	case s.state != ready:
		return nil
	case s.table.HandleKey(msg, km):
		return s.more()
	case key.Matches(msg, km.Filter):
		return tea.Batch(s.filter.start(), s.more())
	case key.Matches(msg, km.Enter):
		return s.open()
	case key.Matches(msg, km.Compose) && s.table.Cursor < len(s.view):
		name := s.repos[s.view[s.table.Cursor]]
		return push(NewComposerScreen(model.Reference{Registry: s.host, Repository: name, Tag: model.DefaultTag}, false, nil))
	}
	return nil
}

func (s *ReposScreen) open() tea.Cmd {
	if s.table.Cursor >= len(s.view) {
		return nil
	}
	name := s.repos[s.view[s.table.Cursor]]
	return push(NewTagsScreen(model.Reference{Registry: s.host, Repository: name}, ""))
}

func (s *ReposScreen) onPage(msg pageMsg) tea.Cmd {
	if msg.seq != s.seq {
		return nil
	}
	s.paging = false
	if msg.err != nil {
		if errors.Is(msg.err, registry.ErrNoCatalog) {
			s.state, s.noCat = ready, true
			return s.input.Focus()
		}
		if len(s.repos) == 0 {
			s.state, s.err = failed, msg.err
			return nil
		}
		return status(msg.err.Error(), true)
	}
	s.repos = append(s.repos, msg.page.Items...)
	s.next = msg.page.Next
	s.complete = s.next == "" || s.next == msg.last
	s.state = ready
	s.rebuild()
	if s.cursorTo != "" {
		for i, ri := range s.view {
			if s.repos[ri] == s.cursorTo {
				s.table.SetCursor(i)
				s.cursorTo = ""
			}
		}
	}
	return s.more()
}

// more asks for the next catalog page when the cursor nears the end, or
// when a filter needs everything.
func (s *ReposScreen) more() tea.Cmd {
	if s.complete || s.paging || s.state != ready {
		return nil
	}
	if s.table.Cursor < len(s.view)-2*s.table.Height() && s.filter.query() == "" && s.cursorTo == "" {
		return nil
	}
	s.paging = true
	return tea.Batch(s.spin.Tick, loadRepos(s.ctx, s.c.Client, s.id, s.seq, s.host, s.next, reposPage))
}

func (s *ReposScreen) rebuild() {
	s.view = s.view[:0]
	for i, r := range s.repos {
		if s.filter.match(r) {
			s.view = append(s.view, i)
		}
	}
	s.table.SetLen(len(s.view))
}

func (s *ReposScreen) View() string {
	st := s.c.Styles
	switch {
	case s.state == loading:
		return loadingView(st, s.spin, "repositories of "+s.host)
	case s.state == failed:
		return errorView(st, s.err, s.w)
	case s.noCat:
		return st.Warning.Render(wrap(s.host+" does not list its repositories (no catalog API; Docker Hub has none).", s.w)) + "\n" +
			st.Faint.Render("Type a repository to open its tags:") + "\n\n" + s.input.View()
	}
	info := st.Faint.Render(itoa(len(s.repos)) + " repositories")
	if !s.complete {
		info = st.Faint.Render(itoa(len(s.repos))+"+ repositories ") + s.spin.View()
	}
	if f := s.filter.view(st, len(s.view), len(s.repos)); f != "" {
		info = f
	}
	return info + "\n" + s.table.View(st, func(row, _ int) (string, lipgloss.Style) {
		return s.repos[s.view[row]], st.Text
	})
}
