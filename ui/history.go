package ui

import (
	"context"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/state"
)

// tagChangedMsg tells every screen that platypus changed a tag (an undo),
// so what shows it reloads.
type tagChangedMsg struct{ tag model.Reference }

// historyScreen is a tag's journal: every change platypus made to it,
// newest first. u steps back one change; enter restores the state before
// the change under the cursor. Both first ask the registry what the undo
// would do (without changing anything), then ask the user: what cannot be
// done is said before asking.
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
	// confirm is the undo waiting for y, with what it would do.
	confirm *undoAsk
	// checking: the registry is being asked what an undo would do.
	checking bool
}

// undoAsk is an undo the user is asked to confirm.
type undoAsk struct {
	opts    registry.UndoOptions
	preview registry.UndoPreview
}

func newHistoryScreen(tag model.Reference) screenMaker {
	return func(b base) screen {
		s := &historyScreen{base: b, tag: tag, spin: newSpinner(), keys: b.c.Keys}
		// The user's bindings (the config's keys), described for this screen.
		s.keys.Enter = relabel(s.keys.Enter, "restore the state before")
		s.keys.DraftUndo = relabel(s.keys.DraftUndo, "undo one step")
		s.table = newTable(&b.c.styles, b.c.Keys.tableKeys(), withCells(s.cell), withColumns(
			column{Title: "TIME", Width: 19}, column{Title: "ACTION", Width: 7}, column{Title: "BEFORE", Width: 12},
			column{Title: "AFTER", Width: 12}, column{Title: "STATE", Flex: 1}))
		return s
	}
}

// historyReply is the journal read for one tag.
type historyReply struct{ h state.History }

func (s *historyScreen) Init() tea.Cmd {
	s.state = loading
	ctx, q := s.start(jobHistory, "")
	j, tag := s.c.State.Journal(), s.c.Client.JournalName(s.tag)
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
	case reply[historyReply]:
		if msg.err != nil {
			s.state, s.err = failed, msg.err
			return nil
		}
		h := msg.val
		s.state, s.damage, s.changes = ready, h.h.Damage, nil
		for i := len(h.h.Changes) - 1; i >= 0; i-- {
			s.changes = append(s.changes, h.h.Changes[i])
		}
		s.table.SetLen(len(s.changes))
	case reply[undoEvent]:
		s.checking = false
		if msg.err != nil {
			return status(registry.ShortError(msg.err), true)
		}
		switch v := msg.val.(type) {
		case undoAsk:
			s.confirm = &v
		case undone:
			return s.undone(v.UndoResult)
		}
	case spinner.TickMsg:
		return tick(&s.spin, s.state == loading || s.reqs.busy(jobUndo), msg)
	case tea.KeyPressMsg:
		return s.key(msg)
	case tea.MouseMsg:
		s.table, _ = s.table.Update(msg)
	}
	return nil
}

// undone says what an undo did and reads the history again.
func (s *historyScreen) undone(res registry.UndoResult) tea.Cmd {
	tag := s.tag
	text := "restored " + res.Reference + " to " + model.ShortDigest(res.Digest)
	if res.Digest == "" {
		text = "deleted " + res.Reference + " (" + model.ShortDigest(res.PreviousDigest) + "), as before platypus created it"
	}
	return tea.Batch(status(text, false), s.Init(),
		func() tea.Msg { return tagChangedMsg{tag: tag} })
}

func (s *historyScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	if s.confirm != nil {
		opts := s.confirm.opts
		s.confirm = nil
		if key.Matches(msg, s.keys.Yes) {
			return s.undo(opts)
		}
		return status("nothing changed", false)
	}
	if s.reqs.busy(jobUndo) {
		return nil
	}
	switch {
	case key.Matches(msg, s.keys.Refresh):
		return s.Init()
	case s.table.handles(msg):
		s.table, _ = s.table.Update(msg)
	case key.Matches(msg, s.keys.DraftUndo):
		return s.preview(registry.UndoOptions{})
	case key.Matches(msg, s.keys.Enter):
		c := s.changes[s.table.Cursor]
		if c.PreviousDigest == "" {
			// The state before it is no tag: take back every change from
			// it on, which deletes the tag.
			return s.preview(registry.UndoOptions{Before: c.ID})
		}
		return s.preview(registry.UndoOptions{To: c.PreviousDigest})
	}
	return nil
}

// preview asks the registry what an undo would do; the answer is the
// question put to the user, or the reason it cannot be done.
func (s *historyScreen) preview(o registry.UndoOptions) tea.Cmd {
	ctx, q := s.start(jobUndo, "preview")
	s.checking = true
	client, j, tag := s.c.Client, s.c.State.Journal(), s.tag.String()
	return tea.Batch(s.spin.Tick, run(ctx, q, func(ctx context.Context) (undoEvent, error) {
		p, err := client.PreviewUndo(ctx, j, tag, o)
		return undoAsk{opts: o, preview: p}, err
	}))
}

func (s *historyScreen) undo(o registry.UndoOptions) tea.Cmd {
	ctx, q := s.start(jobUndo, "")
	client, j, tag := s.c.Client, s.c.State.Journal(), s.tag.String()
	return tea.Batch(s.spin.Tick, run(ctx, q, func(ctx context.Context) (undoEvent, error) {
		res, err := client.Undo(ctx, j, tag, o)
		return undone{res}, err
	}))
}

// question is what yes would do, said before it is pressed.
func (a *undoAsk) question(yes key.Binding, tag string) string {
	y := keyHint(yes)
	p := a.preview
	what := "takes back the newest change: "
	switch {
	case a.opts.Before != "" || a.opts.To != "":
		what = "takes back " + plural(len(p.Reverts), "change") + ": "
	case p.Action == "restore":
		what = ""
	}
	switch p.Delete {
	case registry.DeleteTag:
		return y + " " + what + "deletes " + tag + ", which platypus created (the tag alone); any other key cancels"
	case registry.DeleteDigest:
		return y + " " + what + "deletes " + tag + ", which platypus created: " + model.ShortDigest(p.From) +
			" goes by digest (no other tag holds it; its children stay); any other key cancels"
	}
	return y + " " + what + "puts " + tag + " back to " + model.ShortDigest(p.To) + "; any other key cancels"
}

func (s *historyScreen) View() string {
	st := s.c.styles
	switch s.state {
	case loading:
		return loadingView(st, s.spin, "history of "+s.tag.String())
	case failed:
		return errorView(st, s.c.Keys, s.err, s.w)
	default: // the changes, below
	}
	// The journal's name for the tag: the demo's is the same in every run.
	head := st.Faint.Render(fitLine(plural(len(s.changes), "change")+" platypus made to "+s.c.Client.JournalName(s.tag)+" (newest first)", s.w))
	switch {
	case s.confirm != nil:
		head = st.Warning.Render(fitLine(s.confirm.question(s.keys.Yes, s.tag.Tag), s.w))
	case s.reqs.busy(jobUndo) && s.checking:
		head = s.spin.View() + " " + st.Faint.Render("asking "+s.tag.Host()+" what undo would do…")
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
	text := c.Row()[col]
	if col == 0 || (col == 2 && c.PreviousDigest == "") {
		return text, st.Faint
	}
	return text, style
}
