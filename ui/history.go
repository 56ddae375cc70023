package ui

import (
	"context"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/state"
)

// tagChangedMsg tells every screen that platypus changed a tag (an undo),
// so what shows it reloads.
type tagChangedMsg struct{ tag model.Reference }

// historyScreen is a tag's journal: every change platypus made to it,
// newest first. u steps back one change; enter restores the state before
// the change under the cursor. Both ask first.
type historyScreen struct {
	base
	tag     model.Reference
	state   loadState
	err     error
	spin    spinner.Model
	changes []state.Change // newest first
	damage  []state.Damage
	table   table
	keys    KeyMap
	// confirm is the undo waiting for y: "" steps back, else a digest.
	confirm *string
}

func newHistoryScreen(tag model.Reference) screenMaker {
	return func(b base) screen {
		s := &historyScreen{base: b, tag: tag, spin: newSpinner(), keys: b.c.Keys}
		s.keys.Enter = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "restore the state before"))
		s.keys.DraftUndo = key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo one step"))
		s.table = newTable(b.c.styles, b.c.Keys, withCells(s.cell), withColumns(
			column{Title: "TIME", Width: 19}, column{Title: "ACTION", Width: 7}, column{Title: "BEFORE", Width: 12},
			column{Title: "AFTER", Width: 12}, column{Title: "STATE", Flex: 1}))
		return s
	}
}

// historyReply is the journal read for one tag.
type historyReply struct{ h state.History }

func (s *historyScreen) Init() tea.Cmd {
	s.state = loading
	ctx, q := s.start(jobState, "history")
	j, tag := s.c.State.Journal(), s.tag.String()
	return tea.Batch(s.spin.Tick, run(ctx, q, func(context.Context) (historyReply, error) {
		h, err := j.Read(tag)
		return historyReply{h}, err
	}))
}

func (s *historyScreen) Host() string    { return s.tag.Registry }
func (s *historyScreen) Crumb() string   { return "history" }
func (s *historyScreen) Capturing() bool { return s.confirm != nil }

func (s *historyScreen) Bindings() []key.Binding {
	return []key.Binding{s.keys.DraftUndo, s.keys.Enter, s.keys.Refresh}
}

func (s *historyScreen) updateKeys() {
	idle := s.state == ready && !s.reqs.busy(jobUndo)
	enable(idle && len(s.changes) > 0, &s.keys.DraftUndo, &s.keys.Enter)
}

func (s *historyScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.table.SetSize(w, h-3)
}

func (s *historyScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	cmd := s.update(msg)
	s.updateKeys()
	return s, cmd
}

func (s *historyScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case reply:
		switch msg.req.job {
		case jobState:
			if msg.err != nil {
				s.state, s.err = failed, msg.err
				return nil
			}
			h, _ := msg.val.(historyReply)
			s.state, s.damage, s.changes = ready, h.h.Damage, nil
			for i := len(h.h.Changes) - 1; i >= 0; i-- {
				s.changes = append(s.changes, h.h.Changes[i])
			}
			s.table.SetLen(len(s.changes))
		case jobUndo:
			if msg.err != nil {
				return status(registry.ShortError(msg.err), true)
			}
			res, _ := msg.val.(registry.UndoResult)
			tag := s.tag
			return tea.Batch(status("restored "+res.Reference+" to "+model.ShortDigest(res.Digest), false), s.Init(),
				func() tea.Msg { return tagChangedMsg{tag: tag} })
		default: // not the history's
		}
	case spinner.TickMsg:
		return tick(&s.spin, s.state == loading || s.reqs.busy(jobUndo), msg)
	case tea.KeyMsg:
		return s.key(msg)
	case tea.MouseMsg:
		s.table, _ = s.table.Update(msg)
	}
	return nil
}

func (s *historyScreen) key(msg tea.KeyMsg) tea.Cmd {
	if s.confirm != nil {
		to := *s.confirm
		s.confirm = nil
		if key.Matches(msg, s.keys.Yes) {
			return s.undo(to)
		}
		return status("nothing changed", false)
	}
	switch {
	case key.Matches(msg, s.keys.Refresh):
		return s.Init()
	case s.table.handles(msg):
		s.table, _ = s.table.Update(msg)
	case key.Matches(msg, s.keys.DraftUndo):
		to := ""
		s.confirm = &to
	case key.Matches(msg, s.keys.Enter):
		c := s.changes[s.table.Cursor]
		if c.PreviousDigest == "" {
			return status(s.tag.Tag+" did not exist before this change: there is nothing to restore", true)
		}
		to := c.PreviousDigest
		s.confirm = &to
	}
	return nil
}

func (s *historyScreen) undo(to string) tea.Cmd {
	ctx, q := s.start(jobUndo, "")
	client, j, tag := s.c.Client, s.c.State.Journal(), s.tag.String()
	return tea.Batch(s.spin.Tick, run(ctx, q, func(ctx context.Context) (registry.UndoResult, error) {
		return client.Undo(ctx, j, tag, registry.UndoOptions{To: to})
	}))
}

func (s *historyScreen) View() string {
	st := s.c.styles
	switch s.state {
	case loading:
		return loadingView(st, s.spin, "history of "+s.tag.String())
	case failed:
		return errorView(st, s.err, s.w)
	default: // the changes, below
	}
	head := st.Faint.Render(fitLine(plural(len(s.changes), "change")+" platypus made to "+s.tag.String()+" (newest first)", s.w))
	switch {
	case s.confirm != nil && *s.confirm == "":
		head = st.Warning.Render(fitLine("y takes back the newest change not undone yet; any other key cancels", s.w))
	case s.confirm != nil:
		head = st.Warning.Render(fitLine("y puts "+s.tag.Tag+" back to "+model.ShortDigest(*s.confirm)+"; any other key cancels", s.w))
	case s.reqs.busy(jobUndo):
		head = s.spin.View() + " " + st.Faint.Render("undoing…")
	}
	if len(s.damage) > 0 {
		head += "\n" + st.Error.Render(fitLine("✗ the journal is damaged at "+s.damage[0].String(), s.w))
	} else {
		head += "\n"
	}
	if len(s.changes) == 0 {
		return head + "\n\n" + st.Faint.Render("  platypus has not changed this tag")
	}
	return head + "\n" + s.table.View()
}

func (s *historyScreen) cell(row, col int) (string, lipgloss.Style) {
	st := s.c.styles
	c := s.changes[row]
	style := st.Text
	if !c.Done() || c.RevertedBy != "" {
		style = st.Faint
	}
	switch col {
	case 0:
		return c.Time.Local().Format("2006-01-02 15:04:05"), st.Faint
	case 1:
		return c.Action, style
	case 2:
		if c.PreviousDigest == "" {
			return "(none)", st.Faint
		}
		return model.ShortDigest(c.PreviousDigest), style
	case 3:
		return model.ShortDigest(c.Digest), style
	}
	text := c.State
	switch {
	case c.RevertedBy != "":
		text += ", undone"
	case c.Error != "":
		text += ": " + model.Clean(c.Error)
	}
	return text, style
}
