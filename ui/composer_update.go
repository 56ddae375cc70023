package ui

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
)

func (s *composerScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	cmd := s.update(msg)
	cmd = tea.Batch(cmd, s.checkDraft()) // after an edit, the check again
	s.updateKeys()
	s.layout()
	return s, cmd
}

func (s *composerScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case answer:
		return s.onReply(msg)
	case addToDraftMsg:
		if s.state != ready {
			return status("the draft is still loading", true)
		}
		if len(msg.entries) > 0 {
			return s.addEntries(msg.ref, msg.entries)
		}
		return s.resolve(msg.ref)
	case retargetMsg:
		s.judgeFleet()
	case tagChangedMsg:
		if msg.tag.String() == s.dest.String() && s.state == ready {
			return s.reload(true)
		}
	case spinner.TickMsg:
		return tick(&s.spin, s.state == loading || s.pushing() || s.checking, msg)
	case tea.KeyPressMsg:
		if s.mode != modeNone {
			return s.inputKey(msg)
		}
		return s.key(msg)
	case tea.PasteMsg:
		if s.input.Focused() {
			var cmd tea.Cmd
			s.input, cmd = s.input.Update(msg)
			return cmd
		}
	case tea.MouseMsg:
		s.table, _ = s.table.Update(msg)
	}
	return nil
}

func (s *composerScreen) onReply(a answer) tea.Cmd {
	switch r := a.(type) {
	case reply[draftReply]:
		if r.err == nil && r.val.draft == nil {
			r.err = errWrongReply // no draft without an error: a bug, not a panic
		}
		if r.err != nil {
			s.state, s.err = failed, r.err
			return nil
		}
		d := r.val
		s.state, s.draft, s.current = ready, d.draft, d.current
		var cmds []tea.Cmd
		if d.savedErr != nil {
			cmds = append(cmds, status(d.savedErr.Error(), true))
		}
		if d.saved != nil && len(d.saved.Entries) > 0 {
			s.saved, s.mode = d.saved, modeRestore
		}
		return tea.Batch(append(cmds, s.changed())...)
	case reply[[]model.DraftEntry]:
		if r.err != nil {
			return status(registry.ShortError(r.err), true)
		}
		ref, _ := model.ParseReference(r.req.key)
		return s.addEntries(ref, r.val)
	case reply[tagNow]:
		if r.req.key == "check" {
			s.checking = false
		}
		if r.err != nil {
			return status(registry.ShortError(r.err), true)
		}
		switch v := r.val.(type) {
		case reloadReply:
			return s.onReload(v)
		case checkReply:
			return s.onCheck(v)
		case currentReply:
			return s.onCurrent(v)
		}
	case reply[pushEvent]:
		return s.onPush(r)
	case reply[checkedReply]:
		return s.draftChecked(r)
	case reply[struct{}]:
		if r.err != nil {
			return status("draft not saved: "+r.err.Error(), true)
		}
	default: // not the composer's
	}
	return nil
}

// onCurrent takes what the draft's tag holds now.
func (s *composerScreen) onCurrent(c currentReply) tea.Cmd {
	if c.tag.String() != s.draft.Target.String() {
		return nil // computed for a tag the draft no longer targets
	}
	s.current, s.draft.Base = c.current, ""
	if c.current != nil {
		s.draft.Base = c.current.Digest
	}
	return s.changed()
}

// addEntries adds resolved entries at the end of the draft: an edit.
func (s *composerScreen) addEntries(ref model.Reference, entries []model.DraftEntry) tea.Cmd {
	s.draft.Entries = append(s.draft.Entries, entries...)
	if s.draft.Base == "" && !s.mediaChosen {
		s.draft.MediaType = model.InferMediaType(s.draft.Entries)
	}
	cmd := s.changed()
	s.table.SetCursor(len(s.draft.Entries) - 1)
	return tea.Batch(cmd, status("added "+plural(len(entries), "entry")+" from "+ref.String(), false))
}

// resolve fetches the entries ref brings (every entry of an index, or the
// image); two adds of one reference are one request.
func (s *composerScreen) resolve(ref model.Reference) tea.Cmd {
	ctx, q := s.start(jobAdd, ref.String())
	client := s.c.Client
	return run(ctx, q, func(ctx context.Context) ([]model.DraftEntry, error) {
		return client.DraftEntries(ctx, ref)
	})
}

// checkReply is what the tag holds when P asked.
type checkReply struct {
	tag     model.Reference
	current *model.Manifest
}

// check asks the registry what the tag holds before P asks the user.
func (s *composerScreen) check() tea.Cmd {
	ctx, q := s.start(jobCurrent, "check")
	s.checking = true
	client, tag := s.c.Client, s.draft.Target
	return tea.Batch(s.spin.Tick, run(ctx, q, func(ctx context.Context) (tagNow, error) {
		cur, err := client.Current(ctx, tag)
		return checkReply{tag: tag, current: cur}, err
	}))
}

// onCheck asks to push when the tag holds what the draft is based on; it
// says so when the tag holds the draft already, or moved since.
func (s *composerScreen) onCheck(c checkReply) tea.Cmd {
	if c.tag.String() != s.draft.Target.String() {
		return nil
	}
	now := ""
	if c.current != nil {
		now = c.current.Digest
	}
	switch {
	case now == s.draft.Digest():
		s.current, s.moved = c.current, nil
		return status("nothing to push: "+s.dest.Tag+" already holds this index", false)
	case now != s.draft.Base:
		s.moved = &now
		return status(s.dest.Tag+" moved: it holds "+describe(now)+", not "+describe(s.draft.Base)+" this draft is based on; r reloads it (your edits stay on top)", true)
	}
	s.current, s.moved = c.current, nil
	// A push always asks: over an existing tag, and for a new one (a typo
	// in the tag would publish something nobody meant).
	s.mode = modeConfirm
	return nil
}

func describe(digest string) string {
	if digest == "" {
		return "nothing (no such tag)"
	}
	return model.ShortDigest(digest)
}

// reload re-reads the tag and rebases the draft on it: the user's edits
// stay on top of whatever changed underneath, which the header says (and
// the status line, unless quiet: another screen changed the tag).
func (s *composerScreen) reload(quiet bool) tea.Cmd {
	ctx, q := s.start(jobCurrent, "reload")
	client, tag := s.c.Client, s.draft.Target
	return tea.Batch(s.spin.Tick, run(ctx, q, func(ctx context.Context) (tagNow, error) {
		cur, err := client.Current(ctx, tag)
		if err != nil || cur == nil || !cur.IsIndex() {
			return reloadReply{tag: tag, current: cur, quiet: quiet}, err
		}
		entries, err := client.DraftEntries(ctx, tag.WithDigest(cur.Digest))
		return reloadReply{tag: tag, current: cur, entries: entries, quiet: quiet}, err
	}))
}

func (s *composerScreen) onReload(r reloadReply) tea.Cmd {
	if r.tag.String() != s.draft.Target.String() {
		return nil // read for a tag the draft no longer targets
	}
	was, before := s.draft.Base, s.current
	notes := s.draft.Rebase(r.current, r.entries)
	s.current, s.moved = r.current, nil
	now := s.draft.Base
	s.underneath = ""
	text := "reloaded " + s.dest.Tag + ": unchanged underneath (" + describe(now) + ")"
	if now != was {
		var changes []string
		if before != nil && r.current != nil && before.IsIndex() && r.current.IsIndex() {
			changes = model.IndexDiff(before, r.current).Lines()
		}
		s.underneath = "underneath, " + s.dest.Tag + " moved " + describe(was) + " → " + describe(now)
		if len(changes) > 0 {
			s.underneath += ": " + strings.Join(changes, ", ")
		}
		text = "reloaded " + s.dest.Tag + ": it moved " + describe(was) + " → " + describe(now) + "; the draft's edits are kept on top"
	}
	if len(notes) > 0 {
		text += "; " + strings.Join(notes, "; ")
	}
	cmd := s.changed()
	if r.quiet {
		return cmd
	}
	return tea.Batch(cmd, status(text, len(notes) > 0))
}

// reloadCurrent re-reads what the draft's tag holds, for the diff and the
// push's check that nobody moved it.
func (s *composerScreen) reloadCurrent() tea.Cmd {
	ctx, q := s.start(jobCurrent, "")
	client, tag := s.c.Client, s.draft.Target
	return run(ctx, q, func(ctx context.Context) (tagNow, error) {
		cur, err := client.Current(ctx, tag)
		return currentReply{tag: tag, current: cur}, err
	})
}

func (s *composerScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	if s.state != ready {
		return nil
	}
	k := s.keys
	switch {
	case s.table.handles(msg):
		s.table, _ = s.table.Update(msg)
	case key.Matches(msg, k.DraftAdd):
		return s.ask(modeAdd, "add: ", "repo:tag, repo@digest, or host/repo:tag of any registry", "")
	case key.Matches(msg, k.DraftRemove):
		i := s.table.Cursor
		s.draft.Entries = append(s.draft.Entries[:i], s.draft.Entries[i+1:]...)
		return s.changed()
	case key.Matches(msg, k.DraftPlatform):
		cur := ""
		if p := s.entry().Platform; p != nil {
			cur = p.Display()
		}
		return s.ask(modePlatform, "platform: ", "os/arch[/variant] [os.version]", cur)
	case key.Matches(msg, k.DraftAnnotate):
		return s.ask(modeEntryAnnotation, "entry annotation: ", "key=value (key= removes)", "")
	case key.Matches(msg, k.DraftIndexAnnotate):
		return s.ask(modeIndexAnnotation, "index annotation: ", "key=value (key= removes)", "")
	case key.Matches(msg, k.DraftMoveUp):
		s.table.SetCursor(s.draft.Move(s.table.Cursor, -1))
		return s.changed()
	case key.Matches(msg, k.DraftMoveDown):
		s.table.SetCursor(s.draft.Move(s.table.Cursor, 1))
		return s.changed()
	case key.Matches(msg, k.DraftMediaType):
		s.mediaChosen = true
		if s.draft.MediaType == model.MediaOCIIndex {
			s.draft.MediaType = model.MediaDockerList
		} else {
			s.draft.MediaType = model.MediaOCIIndex
		}
		return s.changed()
	case key.Matches(msg, k.DraftTarget):
		return s.ask(modeTarget, "push to: ", "a tag, or any repo:tag, host/repo:tag or ocidir://path:tag", s.dest.Tag)
	case key.Matches(msg, k.DraftBrowse):
		return push(newReposScreen(s.dest.Registry, s.dest.Repository))
	case key.Matches(msg, k.DraftReferrers):
		s.referrers = !s.referrers
		if s.referrers {
			return status("the push will also copy signatures, SBOMs and attestations of copied children", false)
		}
		return status("the push will copy images only", false)
	case key.Matches(msg, k.DraftPreview):
		return s.preview()
	case key.Matches(msg, k.DraftPush):
		switch {
		case model.Blocking(s.issues):
			return status("fix the errors first: the push is blocked", true)
		case s.c.State == nil:
			return status("not pushed: platypus has no private state directory to journal the change in (set XDG_STATE_HOME or HOME)", true)
		}
		// The release check first; then what the tag holds is asked of
		// the registry, not remembered from the last push: anyone may
		// have changed it since.
		return s.pushGate()
	case key.Matches(msg, k.Refresh):
		return s.reload(false)
	case key.Matches(msg, k.Check):
		return s.openDraftFindings()
	case key.Matches(msg, k.DraftUndo):
		if s.c.State == nil {
			return status("no journal: platypus has no state directory", true)
		}
		return push(newHistoryScreen(s.dest))
	}
	return nil
}

func (s *composerScreen) inputKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.keys
	switch s.mode {
	case modeConfirm:
		s.mode = modeNone
		if key.Matches(msg, k.Yes) {
			return s.push()
		}
		return status("not pushed", false)
	case modeOverride:
		return s.overrideKey(msg)
	case modeRestore:
		s.mode = modeNone
		saved := s.saved
		s.saved = nil
		if key.Matches(msg, k.Enter, k.Yes) {
			s.draft = saved
			s.dest = saved.Target
			// Saved a while ago: rebased on what the tag holds now.
			return tea.Batch(s.changed(), s.reload(true), status("restored the saved draft", false))
		}
		return s.changed()
	default: // an input line, below
	}
	in := k.inputKeys()
	switch {
	case key.Matches(msg, in.Cancel):
		s.mode = modeNone
		s.input.Blur()
		return nil
	case key.Matches(msg, in.Accept):
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
func (s *composerScreen) apply(m composerMode, v string) tea.Cmd {
	switch m {
	case modeAdd:
		loc, err := model.ParseLocation(v, s.c.Demo)
		if err != nil || loc.Kind == model.LocHost {
			return status("not a reference: "+v, true)
		}
		return s.resolve(loc.Ref.Pullable())
	case modePlatform:
		p, err := model.ParsePlatformLine(v)
		if err != nil {
			return status(err.Error(), true)
		}
		s.entry().Platform = &p
	case modeEntryAnnotation, modeIndexAnnotation:
		k, val, err := model.ParseAnnotation(v)
		if err != nil {
			return status(err.Error(), true)
		}
		entry := -1
		if m == modeEntryAnnotation {
			entry = s.table.Cursor
		}
		s.draft.SetAnnotation(entry, k, val)
	case modeTarget:
		dest, err := s.parseDest(v)
		if err != "" {
			return status(err, true)
		}
		s.dest = dest
		s.draft.Target = s.dest
		s.current = nil
		return tea.Batch(s.changed(), s.reloadCurrent())
	default: // confirmations are answered above
	}
	return s.changed()
}

// parseDest reads where the draft goes: a tag of this repository, or any
// reference (another repository, registry or ocidir://) with a tag.
func (s *composerScreen) parseDest(v string) (model.Reference, string) {
	if model.ValidTag(v) {
		return s.dest.WithTag(v), ""
	}
	loc, err := model.ParseLocation(v, s.c.Demo)
	switch {
	case err != nil:
		return model.Reference{}, "not a tag or reference: " + v
	case loc.Kind == model.LocHost:
		return model.Reference{}, "a draft goes to a tag, not a whole registry: " + v
	case loc.Ref.Digest != "":
		return model.Reference{}, "a draft goes to a tag, not a digest: " + v
	}
	if loc.Ref.Tag == "" {
		return loc.Ref.WithTag(s.dest.Tag), ""
	}
	return loc.Ref, ""
}

func (s *composerScreen) preview() tea.Cmd {
	raw, err := s.draft.JSON()
	if err != nil {
		return status(err.Error(), true)
	}
	var b strings.Builder
	b.WriteString("// diff against what " + s.dest.String() + " holds now\n")
	if s.current == nil {
		b.WriteString("// (the tag does not exist yet)\n")
	}
	diff := s.draft.Diff(s.current)
	for _, l := range diff.Lines() {
		b.WriteString("// " + l + "\n")
	}
	if diff.Empty() && s.current != nil {
		b.WriteString("// no change to the entries\n")
	}
	b.WriteString(s.fleetPreview())
	b.WriteString("// digest " + model.DigestOf(raw) + "\n")
	return push(newPreviewScreen(s.dest, b.String(), raw))
}

// push publishes a copy of the draft as it is now; progress and the result
// stream back as replies of one request, which esc cancels.
func (s *composerScreen) push() tea.Cmd {
	s.step, s.done, s.tot = "starting", 0, 1
	ctx, q := s.start(jobPush, "")
	d, rev := s.draft.Clone(), s.rev
	client, referrers, journal, overridden := s.c.Client, s.referrers, s.c.State.Journal(), s.verify.overridden
	return tea.Batch(s.spin.Tick, func() tea.Msg {
		ch := make(chan pushEvent, 16)
		go func() {
			defer close(ch)
			expect := d.Base
			res, err := client.Push(ctx, d, registry.PushOptions{
				Journal: journal, ExpectPrevious: &expect, Referrers: referrers, CheckOverridden: overridden,
				Progress: func(step string, done, total int) {
					select {
					case ch <- pushProgress{step: step, done: done, total: total}:
					default: // the UI is behind: skip a tick, never block the push
					}
				},
			})
			select {
			case ch <- pushDone{rev: rev, res: res, err: err}:
			case <-ctx.Done():
			}
		}()
		return streamed(q, ch)()
	})
}

func (s *composerScreen) onPush(r reply[pushEvent]) tea.Cmd {
	switch v := r.val.(type) {
	case pushProgress:
		s.step, s.done, s.tot = v.step, v.done, v.total
	case pushDone:
		// The stream closes next; its slot stays busy until then.
		s.reqs.stop(jobPush, "")
		if v.err != nil {
			return status("push failed, the tag is unchanged: "+registry.ShortError(v.err), true)
		}
		if v.res.Unchanged {
			return tea.Batch(status("nothing pushed: "+s.dest.Tag+" already holds this index", false), s.reloadCurrent())
		}
		// What was copied lives in the target repository now: no more
		// "will be copied" for it.
		for i, e := range s.draft.Entries {
			if !e.Source.SameRepository(s.dest) {
				s.draft.Entries[i].Source = s.dest.RepoOnly().WithDigest(e.Digest)
			}
		}
		s.issues = s.draft.Validate()
		s.underneath, s.moved = "", nil
		text := "pushed " + s.dest.String() + "@" + model.ShortDigest(v.res.Digest) + ", " + plural(len(v.res.Copied), "child") + " copied"
		if v.res.PreviousDigest != nil {
			text += "; " + keyHint(s.keys.DraftUndo) + " undoes (was " + model.ShortDigest(*v.res.PreviousDigest) + ")"
		}
		st, tag := s.c.State, s.dest
		drop := func() tea.Msg { _ = st.DropDraft(tag, v.rev); return nil }
		return tea.Batch(status(text, false), drop, s.reloadCurrent())
	}
	return r.next
}
