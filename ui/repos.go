package ui

import (
	"context"
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
)

// reposPage is how many repositories one catalog request asks for.
const reposPage = 100

// reposScreen lists a registry's repositories, page by page as the user
// scrolls. Registries without a catalog get an input to type a name.
type reposScreen struct {
	base
	host  string
	state loadState
	err   error
	noCat bool
	input textinput.Model
	list  pagedList
	spin  spinner.Model
	keys  KeyMap
}

// newReposScreen returns the repositories screen for host; cursorTo puts
// the cursor on a repository once it is loaded.
func newReposScreen(host, cursorTo string) screenMaker {
	return func(b base) screen {
		ti := newTextInput()
		ti.Prompt = "repository: "
		ti.Placeholder = "library/alpine"
		s := &reposScreen{base: b, host: host, spin: newSpinner(), input: ti, keys: b.c.Keys}
		t := newTable(&b.c.styles, b.c.Keys.tableKeys(), withColumns(column{Title: "REPOSITORY", Flex: 1, Middle: true}), withCells(s.cell))
		s.list = newPagedList("repository", t, b.c.Keys.listKeys(), s.fetch, withCursorTo(cursorTo))
		return s
	}
}

// fetch asks for one page: a catalog is paged whatever is asked
// (distribution serves at most 1,000 names a page).
func (s *reposScreen) fetch(last string, _ bool) tea.Cmd {
	ctx, q := s.start(jobCatalog, "")
	client, host := s.c.Client, s.host
	return run(ctx, q, func(ctx context.Context) (pageReply, error) {
		p, err := client.Repositories(ctx, host, last, reposPage)
		return pageReply{page: p, last: last}, err
	})
}

// pageReply is a page and the name it was asked after.
type pageReply struct {
	page registry.Page
	last string
}

func (s *reposScreen) Init() tea.Cmd {
	s.state, s.noCat = loading, false
	s.reqs.reset()
	return tea.Batch(s.spin.Tick, s.list.restart())
}

func (s *reposScreen) Host() string    { return s.host }
func (s *reposScreen) Loading() bool   { return s.state == loading }
func (s *reposScreen) Crumb() string   { return s.host }
func (s *reposScreen) Capturing() bool { return s.list.Capturing() || s.noCat }

func (s *reposScreen) HandleBack() (bool, tea.Cmd) { return s.list.clearFilter(), nil }

func (s *reposScreen) Bindings() []key.Binding {
	return []key.Binding{s.keys.Enter, s.list.keys.Filter, s.keys.Compose, s.keys.Refresh}
}

// updateKeys switches on the keys that work now.
func (s *reposScreen) updateKeys() {
	ready := s.state == ready && !s.noCat
	enable(s.noCat || (ready && s.list.table.Len() > 0), &s.keys.Enter)
	enable(ready && s.list.table.Len() > 0, &s.keys.Compose)
	enable(ready, &s.list.keys.Filter)
}

func (s *reposScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.list.SetSize(w, h-1)
}

func (s *reposScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	cmd := s.update(msg)
	s.updateKeys()
	return s, cmd
}

func (s *reposScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case reply[pageReply]:
		return s.onPage(msg)
	case spinner.TickMsg:
		var cmd tea.Cmd
		s.list, cmd, _ = s.list.Update(msg)
		return tea.Batch(cmd, tick(&s.spin, s.state == loading, msg))
	case tea.KeyPressMsg:
		return s.key(msg)
	case tea.PasteMsg:
		var cmd tea.Cmd
		switch {
		case s.noCat:
			s.input, cmd = s.input.Update(msg)
		case s.list.Capturing():
			s.list, cmd, _ = s.list.Update(msg)
		}
		return cmd
	case tea.MouseMsg:
		if s.state != ready || s.noCat {
			return nil
		}
		if s.list.table.Click(msg, msg.Mouse().Y-1) {
			return s.open()
		}
		var cmd tea.Cmd
		s.list, cmd, _ = s.list.Update(msg)
		return cmd
	}
	return nil
}

func (s *reposScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	if s.noCat {
		return s.nameKey(msg)
	}
	if s.list.Capturing() {
		var cmd tea.Cmd
		s.list, cmd, _ = s.list.Update(msg)
		if s.list.filter.opens(msg) && s.state == ready {
			return tea.Batch(cmd, s.open())
		}
		return cmd
	}
	switch {
	case key.Matches(msg, s.keys.Refresh):
		s.state, s.noCat = loading, false
		s.reqs.reset()
		return tea.Batch(s.spin.Tick, s.list.reload())
	case s.state != ready:
		return nil
	case key.Matches(msg, s.keys.Enter):
		return s.open()
	case key.Matches(msg, s.keys.Compose):
		if r, ok := s.list.current(); ok {
			return push(newComposerScreen(model.Reference{Registry: s.host, Repository: s.list.names[r], Tag: model.DefaultTag}, false, nil))
		}
		return nil
	}
	var cmd tea.Cmd
	s.list, cmd, _ = s.list.Update(msg)
	return cmd
}

// nameKey is the input of a registry without a catalog.
func (s *reposScreen) nameKey(msg tea.KeyPressMsg) tea.Cmd {
	in := s.keys.inputKeys()
	switch {
	case key.Matches(msg, in.Accept):
		name := strings.TrimSpace(s.input.Value())
		r, err := model.ParseReference(s.host + "/" + name)
		if err != nil || name == "" {
			return status("not a repository name: "+name, true)
		}
		return push(newTagsScreen(r, ""))
	case key.Matches(msg, in.Cancel):
		s.noCat = false
		s.input.Blur()
		return nil
	}
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	return cmd
}

func (s *reposScreen) open() tea.Cmd {
	r, ok := s.list.current()
	if !ok {
		return nil
	}
	return push(newTagsScreen(model.Reference{Registry: s.host, Repository: s.list.names[r]}, ""))
}

func (s *reposScreen) onPage(msg reply[pageReply]) tea.Cmd {
	if msg.err != nil {
		s.list.failed()
		if errors.Is(msg.err, registry.ErrNoCatalog) {
			s.state, s.noCat = ready, true
			return tea.Batch(s.loaded(), s.input.Focus())
		}
		if len(s.list.names) == 0 {
			s.state, s.err = failed, msg.err
			return nil
		}
		return status(msg.err.Error(), true)
	}
	p := msg.val
	s.state = ready
	return tea.Batch(s.loaded(), s.list.add(p.page.Items, p.page.Next, p.last, p.page.Dropped))
}

func (s *reposScreen) View() string {
	st := s.c.styles
	switch {
	case s.state == loading:
		return loadingView(st, s.spin, "repositories of "+s.host)
	case s.state == failed:
		return errorView(st, s.c.Keys, s.err, s.w)
	case s.noCat:
		return st.Warning.Render(wrap(s.host+" does not list its repositories (no catalog API; Docker Hub has none).", s.w)) + "\n" +
			st.Faint.Render("Type a repository to open its tags:") + "\n\n" + inputView(s.input)
	}
	return s.list.View(st)
}

func (s *reposScreen) cell(row, _ int) (string, lipgloss.Style) {
	return s.list.names[s.list.row(row)], s.c.styles.Text
}
