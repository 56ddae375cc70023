package ui

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"platypus/model"
	"platypus/registry"
)

func (s *ComposerScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case draftMsg:
		if msg.err != nil {
			s.state, s.err = failed, msg.err
			return s, nil
		}
		s.state, s.draft, s.current = ready, msg.draft, msg.current
		if s.saved != nil && len(s.saved.Entries) > 0 {
			s.mode = modeRestore
		}
		return s, s.changed()
	case addToDraftMsg:
		if s.state != ready {
			return s, status("the draft is still loading", true)
		}
		if len(msg.entries) > 0 {
			return s.Update(addedMsg{id: s.id, ref: msg.ref, entries: msg.entries})
		}
		return s, s.apply(modeAdd, msg.ref.String())
	case addedMsg:
		if msg.err != nil {
			return s, status(registry.ShortError(msg.err), true)
		}
		s.draft.Entries = append(s.draft.Entries, msg.entries...)
		if s.draft.Base == "" && !s.mediaChosen {
			s.draft.MediaType = model.InferMediaType(s.draft.Entries)
		}
		s.table.SetLen(len(s.draft.Entries))
		s.table.SetCursor(len(s.draft.Entries) - 1)
		return s, tea.Batch(s.changed(), status("added "+plural(len(msg.entries), "entry")+" from "+msg.ref.String(), false))
	case pushProgressMsg:
		if msg.seq != s.seq {
			return s, nil
		}
		s.step, s.done, s.tot = msg.step, msg.done, msg.total
		return s, waitPush(msg.ch)
	case pushDoneMsg:
		if msg.seq != s.seq {
			return s, nil
		}
		s.pushing = false
		if msg.err != nil {
			return s, status("push failed, the tag is unchanged: "+registry.ShortError(msg.err), true)
		}
		dropDraft(s.c.StateDir, s.target)
		s.draft.Base = msg.res.Digest
		s.current = nil
		text := "pushed " + s.target.String() + "@" + model.ShortDigest(msg.res.Digest) + ", " + plural(len(msg.res.Copied), "child") + " copied"
		if msg.res.PreviousDigest != nil {
			text += "; u undoes (was " + model.ShortDigest(*msg.res.PreviousDigest) + ")"
		}
		return s, tea.Batch(status(text, false), s.reloadCurrent())
	case undoneMsg:
		if msg.err != nil {
			return s, status(registry.ShortError(msg.err), true)
		}
		return s, tea.Batch(status("restored "+msg.rec.Reference+" to "+model.ShortDigest(msg.rec.Digest), false), s.reloadCurrent())
	case spinner.TickMsg:
		return s, tick(&s.spin, s.state == loading || s.pushing, msg)
	case tea.KeyMsg:
		if s.mode != modeNone {
			return s, s.inputKey(msg)
		}
		return s, s.key(msg)
	case tea.MouseMsg:
		s.table.HandleKey(msg, s.c.Keys)
	}
	return s, nil
}

// reloadCurrent re-reads what the tag holds, for the next diff.
func (s *ComposerScreen) reloadCurrent() tea.Cmd {
	client, target, id, ctx := s.c.Client, s.target, s.id, s.ctx
	d := *s.draft
	return func() tea.Msg {
		cur, err := client.Current(ctx, target)
		if err != nil {
			return statusMsg{text: err.Error(), err: true}
		}
		if cur != nil {
			d.Base = cur.Digest
		}
		return draftMsg{id: id, draft: &d, current: cur}
	}
}

func (s *ComposerScreen) key(msg tea.KeyMsg) tea.Cmd {
	if s.state != ready || s.pushing {
		return nil
	}
	km := s.c.Keys
	switch {
	case s.table.HandleKey(msg, km):
	case key.Matches(msg, keyAdd):
		return s.ask(modeAdd, "add: ", "repo:tag, repo@digest, or host/repo:tag of any registry", "")
	case key.Matches(msg, keyRemove):
		if i := s.table.Cursor; i < len(s.draft.Entries) {
			s.draft.Entries = append(s.draft.Entries[:i], s.draft.Entries[i+1:]...)
			return s.changed()
		}
	case key.Matches(msg, keyEdit):
		if e := s.entry(); e != nil {
			cur := ""
			if e.Platform != nil {
				cur = strings.TrimSpace(e.Platform.String() + " " + e.Platform.OSVersion)
			}
			return s.ask(modePlatform, "platform: ", "os/arch[/variant] [os.version]", cur)
		}
	case key.Matches(msg, keyAnnotate):
		if s.entry() != nil {
			return s.ask(modeEntryAnnotation, "entry annotation: ", "key=value (key= removes)", "")
		}
	case key.Matches(msg, keyIndexAnn):
		return s.ask(modeIndexAnnotation, "index annotation: ", "key=value (key= removes)", "")
	case key.Matches(msg, keyMoveUp):
		s.table.SetCursor(s.draft.Move(s.table.Cursor, -1))
		return s.changed()
	case key.Matches(msg, keyMoveDown):
		s.table.SetCursor(s.draft.Move(s.table.Cursor, 1))
		return s.changed()
	case key.Matches(msg, keyMediaType):
		s.mediaChosen = true
		if s.draft.MediaType == model.MediaOCIIndex {
			s.draft.MediaType = model.MediaDockerList
		} else {
			s.draft.MediaType = model.MediaOCIIndex
		}
		return s.changed()
	case key.Matches(msg, keyTarget):
		return s.ask(modeTarget, "target tag: ", "the tag to push to", s.target.Tag)
	case key.Matches(msg, keyBrowse):
		return push(NewReposScreen(s.target.Registry, s.target.Repository))
	case key.Matches(msg, keyReferrers):
		s.referrers = !s.referrers
		if s.referrers {
			return status("the push will also copy signatures, SBOMs and attestations of copied children", false)
		}
		return status("the push will copy images only", false)
	case key.Matches(msg, keyPreview):
		return s.preview()
	case key.Matches(msg, keyPush):
		if model.Blocking(s.issues) {
			return status("fix the errors first: the push is blocked", true)
		}
		if s.unchanged() {
			return status("nothing to push: "+s.target.Tag+" already holds this index", false)
		}
		if s.current != nil {
			s.mode = modeConfirm
			return nil
		}
		return s.push()
	case key.Matches(msg, keyUndo):
		return s.undo()
	}
	return nil
}

func (s *ComposerScreen) entry() *model.DraftEntry {
	if s.draft == nil || s.table.Cursor >= len(s.draft.Entries) {
		return nil
	}
	return &s.draft.Entries[s.table.Cursor]
}

func (s *ComposerScreen) ask(m composerMode, prompt, placeholder, value string) tea.Cmd {
	s.mode = m
	s.input.Prompt, s.input.Placeholder = prompt, placeholder
	s.input.SetValue(value)
	s.input.CursorEnd()
	return s.input.Focus()
}

func (s *ComposerScreen) inputKey(msg tea.KeyMsg) tea.Cmd {
	switch s.mode {
	case modeConfirm:
		s.mode = modeNone
		if msg.String() == "y" {
			return s.push()
		}
		return status("not pushed", false)
	case modeRestore:
		s.mode = modeNone
		if msg.String() == "enter" || msg.String() == "y" {
			s.draft = s.saved
			s.saved = nil
			return tea.Batch(s.changed(), status("restored the saved draft", false))
		}
		s.saved = nil
		return s.changed()
	}
	switch msg.String() {
	case "esc":
		s.mode = modeNone
		s.input.Blur()
		return nil
	case "enter":
		v := strings.TrimSpace(s.input.Value())
		m := s.mode
		s.mode = modeNone
		s.input.Blur()
		return s.apply(m, v)
	}
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	return cmd
}

// apply carries out what the input line asked for.
func (s *ComposerScreen) apply(m composerMode, v string) tea.Cmd {
	switch m {
	case modeAdd:
		loc, err := model.ParseLocation(v, s.c.Demo)
		if err != nil || loc.Kind == model.LocHost {
			return status("not a reference: "+v, true)
		}
		client, id, ctx, ref := s.c.Client, s.id, s.ctx, loc.Ref.Pullable()
		return func() tea.Msg {
			entries, err := client.DraftEntries(ctx, ref)
			return addedMsg{id: id, ref: ref, entries: entries, err: err}
		}
	case modePlatform:
		t, err := parseTyped(v)
		if err != nil {
			return status(err.Error(), true)
		}
		p := t.Platform
		if typed, err := model.ParsePlatform(strings.Fields(v)[0]); err == nil {
			// Keep what the user typed (arm64/v8 stays v8), with the os.version.
			typed.OSVersion = p.OSVersion
			p = typed
		}
		s.entry().Platform = &p
	case modeEntryAnnotation, modeIndexAnnotation:
		k, val, ok := strings.Cut(v, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return status("annotations are key=value", true)
		}
		target := &s.draft.Annotations
		if m == modeEntryAnnotation {
			target = &s.entry().Annotations
		}
		if *target == nil {
			*target = map[string]string{}
		}
		if val == "" {
			delete(*target, k)
		} else {
			(*target)[k] = val
		}
	case modeTarget:
		if !model.ValidTag(v) {
			return status("not a valid tag: "+v, true)
		}
		s.target = s.target.WithTag(v)
		s.draft.Target = s.target
		return tea.Batch(s.changed(), s.reloadCurrent())
	}
	return s.changed()
}

func (s *ComposerScreen) preview() tea.Cmd {
	raw, err := s.draft.JSON()
	if err != nil {
		return status(err.Error(), true)
	}
	diff := s.draft.Diff(s.current)
	var b strings.Builder
	b.WriteString("// diff against what " + s.target.String() + " holds now\n")
	if s.current == nil {
		b.WriteString("// (the tag does not exist yet)\n")
	}
	for _, a := range diff.Added {
		b.WriteString("// + " + a + "\n")
	}
	for _, r := range diff.Removed {
		b.WriteString("// - " + r + "\n")
	}
	for _, c := range diff.Changed {
		b.WriteString("// ~ " + c + "\n")
	}
	if diff.Empty() && s.current != nil {
		b.WriteString("// no change to the entries\n")
	}
	b.WriteString("// digest " + model.DigestOf(raw) + "\n")
	return push(NewPreviewScreen(s.target, b.String(), raw))
}

func (s *ComposerScreen) push() tea.Cmd {
	s.seq++
	s.pushing, s.step, s.done, s.tot = true, "starting", 0, 1
	ctx, cancel := context.WithCancel(s.ctx)
	s.pushCancel = cancel
	d := *s.draft
	client, id, seq, referrers := s.c.Client, s.id, s.seq, s.referrers
	journal := s.journal()
	ch := make(chan tea.Msg, 16)
	go func() {
		defer cancel()
		expect := d.Base
		res, err := client.Push(ctx, &d, registry.PushOptions{
			Journal: journal, ExpectPrevious: &expect, Referrers: referrers,
			Progress: func(step string, done, total int) {
				select {
				case ch <- pushProgressMsg{id: id, seq: seq, step: step, done: done, total: total, ch: ch}:
				default: // the UI is behind: skip a progress tick, never block the push
				}
			},
		})
		ch <- pushDoneMsg{id: id, seq: seq, res: res, err: err}
		close(ch)
	}()
	return tea.Batch(s.spin.Tick, waitPush(ch))
}

func waitPush(ch chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		m, ok := <-ch
		if !ok {
			return nil
		}
		return m
	}
}

func (s *ComposerScreen) journal() *registry.Journal {
	if s.c.StateDir == "" {
		return nil
	}
	return &registry.Journal{Path: filepath.Join(s.c.StateDir, "journal.jsonl")}
}

func (s *ComposerScreen) undo() tea.Cmd {
	j := s.journal()
	if j == nil {
		return status("no journal: platypus has no state directory", true)
	}
	client, id, ctx, target := s.c.Client, s.id, s.ctx, s.target.String()
	return func() tea.Msg {
		rec, err := client.Undo(ctx, j, target)
		return undoneMsg{id: id, rec: rec, err: err}
	}
}
