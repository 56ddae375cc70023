package ui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/state"
)

// composerMode is what the composer's input line is asking for.
type composerMode int

const (
	modeNone composerMode = iota
	modeAdd
	modePlatform
	modeEntryAnnotation
	modeIndexAnnotation
	modeTarget
	modeConfirm
	modeRestore
	modeOverride // push past the release check's errors?
)

// composerScreen edits a draft index for a tag: add entries from anywhere,
// edit platforms and annotations, reorder, choose the media type, preview,
// validate continuously, and push safely with progress; the draft is saved
// on every edit.
//
// The draft is only ever changed here, by the user's edits: replies carry
// what they computed (entries to add, what the tag holds now), never a
// draft to put in its place.
type composerScreen struct {
	base
	dest    model.Reference // the tag the draft is for
	amend   bool
	from    []model.Reference // start from these tags
	state   loadState
	err     error
	spin    spinner.Model
	draft   *model.Draft
	rev     int64           // the draft's revision, newer on every edit
	current *model.Manifest // what the tag holds now
	issues  []model.DraftIssue
	table   table
	input   textinput.Model
	mode    composerMode
	saved   *model.Draft // a draft found on disk, offered at start
	keys    KeyMap
	// mediaChosen is set once the user picks the media type with m.
	mediaChosen bool
	// referrers also copies signatures and SBOMs of copied children.
	referrers bool
	// The push in flight: its step, and done of total.
	step      string
	done, tot int
	// header and footer are kept in step with the state so View only draws.
	header, footer string
	// moved is the digest the tag was found to hold when P checked ("":
	// no tag), when that is not what the draft is based on: r reloads it.
	moved *string
	// underneath says what changed in the tag at the last reload.
	underneath string
	// checking: P is asking the registry what the tag holds.
	checking bool
	// verify is the release check of the draft (composer_check.go).
	verify draftCheck
}

// reloadReply is what the tag holds now, with its entries as draft
// entries when it is an index (to rebase the draft on).
type reloadReply struct {
	tag     model.Reference
	current *model.Manifest
	entries []model.DraftEntry
	quiet   bool
}

// draftReply is the composer's first draft, what the tag holds, and a
// draft saved on disk for the tag.
type draftReply struct {
	draft    *model.Draft
	current  *model.Manifest
	saved    *model.Draft
	savedErr error
}

// currentReply is what a tag holds now (nil: nothing).
type currentReply struct {
	tag     model.Reference
	current *model.Manifest
}

// pushProgress and pushDone stream from a push.
type (
	pushProgress struct {
		step        string
		done, total int
	}
	pushDone struct {
		rev int64
		res registry.PushResult
		err error
	}
)

// newComposerScreen opens a draft for target: from what the tag holds
// (amend), from a set of tags, or empty.
func newComposerScreen(target model.Reference, amend bool, from []model.Reference) screenMaker {
	return func(b base) screen {
		s := &composerScreen{base: b, dest: target, amend: amend, from: from, spin: newSpinner(), input: newTextInput(), keys: b.c.Keys}
		s.input.CharLimit = 512
		s.table = newTable(&b.c.styles, b.c.Keys.tableKeys(), withCells(s.cell), withColumns(
			column{Title: "#", Width: 2, Right: true}, column{Title: "PLATFORM", Flex: 2}, column{Title: "OS.VERSION", Width: 15, Drop: 3},
			column{Title: "KIND", Width: 11, Drop: 1}, column{Title: "MANIFEST", Width: 8, Right: true, Drop: 2},
			column{Title: "DIGEST", Width: 12, Drop: 4}, column{Title: "FROM", Flex: 3},
			column{Title: "ANNOTATIONS", Flex: 2, Drop: 5},
		))
		s.updateKeys()
		return s
	}
}

func (s *composerScreen) holdsDraft() {}

// Init makes the first draft and reads a saved one, off the UI goroutine.
func (s *composerScreen) Init() tea.Cmd {
	s.state = loading
	ctx, q := s.start(jobDraft, "")
	client, target, amend, from, st := s.c.Client, s.dest, s.amend, s.from, s.c.State
	return tea.Batch(s.spin.Tick, run(ctx, q, func(ctx context.Context) (draftReply, error) {
		d, cur, err := client.StartDraft(ctx, target, amend)
		if err != nil {
			return draftReply{}, err
		}
		for _, r := range from {
			entries, err := client.DraftEntries(ctx, r)
			if err != nil {
				return draftReply{}, err
			}
			d.Entries = append(d.Entries, entries...)
		}
		if !amend {
			d.MediaType = model.InferMediaType(d.Entries)
		}
		out := draftReply{draft: d, current: cur}
		if st != nil {
			out.saved, out.savedErr = st.LoadDraft(target)
		}
		return out, nil
	}))
}

func (s *composerScreen) Host() string    { return s.dest.Registry }
func (s *composerScreen) Crumb() string   { return "compose " + s.dest.Tag }
func (s *composerScreen) Capturing() bool { return s.mode != modeNone }

func (s *composerScreen) Ref() (model.Reference, bool) {
	if s.draft == nil {
		return s.dest, false
	}
	return s.dest.WithDigest(s.draft.Digest()), true
}

func (s *composerScreen) pushing() bool { return s.reqs.busy(jobPush) }

func (s *composerScreen) Bindings() []key.Binding {
	k := s.keys
	return []key.Binding{k.Back, k.DraftAdd, k.DraftBrowse, k.DraftRemove, k.DraftPlatform, k.DraftAnnotate, k.DraftIndexAnnotate,
		k.DraftMoveUp, k.DraftMoveDown, k.DraftMediaType, k.DraftTarget, k.DraftReferrers, k.DraftPreview, k.DraftPush, k.Refresh, k.DraftUndo, k.Check}
}

// updateKeys switches on the keys that work now: none but cancel while a
// push runs, entry keys only with an entry under the cursor.
func (s *composerScreen) updateKeys() {
	k := &s.keys
	editing := s.state == ready && !s.pushing()
	entry := editing && s.entry() != nil
	k.Refresh = relabel(s.c.Keys.Refresh, "reload the tag")
	enable(editing, &k.DraftAdd, &k.DraftBrowse, &k.DraftIndexAnnotate, &k.DraftMediaType, &k.DraftTarget,
		&k.DraftReferrers, &k.DraftPreview, &k.DraftPush, &k.DraftUndo, &k.Refresh)
	enable(entry, &k.DraftRemove, &k.DraftPlatform, &k.DraftAnnotate, &k.DraftMoveUp, &k.DraftMoveDown)
	enable(editing && s.verify.started, &k.Check)
	k.Back = relabel(s.c.Keys.Back, "cancel push")
	k.Back.SetEnabled(s.pushing())
}

func (s *composerScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.input.SetWidth(max(w-20, 10))
	s.layout()
}

// layout computes the header and footer and gives the table the rest.
func (s *composerScreen) layout() {
	if s.state != ready {
		s.header, s.footer = "", ""
		return
	}
	s.header, s.footer = s.headerView(), s.footerView()
	s.table.SetSize(s.w, max(s.h-countLines(s.header)-countLines(s.footer)-1, 3))
}

// HandleBack cancels a push in flight instead of leaving, then reads what
// the tag holds: the push may have ended anywhere.
func (s *composerScreen) HandleBack() (bool, tea.Cmd) {
	if !s.pushing() {
		return false, nil
	}
	s.reqs.stop(jobPush, "")
	cmd := s.reloadCurrent()
	s.updateKeys()
	s.layout()
	return true, tea.Batch(cmd, status("push cancelled: "+keyHint(s.keys.DraftUndo)+" shows what reached the registry", true))
}

// fitColumns sizes PLATFORM to the platforms and shows OS.VERSION and
// ANNOTATIONS only when an entry has some, as wide as they are.
func (s *composerScreen) fitColumns() {
	platform, osVersion, from, annotations := 0, 0, 0, 0
	width := func(row, col int) int {
		text, _ := s.cell(row, col)
		return ansi.StringWidth(model.Clean(text))
	}
	for row, e := range s.draft.Entries {
		platform = max(platform, width(row, 1))
		if e.Platform != nil {
			osVersion = max(osVersion, ansi.StringWidth(model.Clean(e.Platform.OSVersion)))
		}
		from = max(from, width(row, 6), len("FROM"))
		annotations = max(annotations, width(row, 7))
	}
	s.table.SetFixed(1, platform, 28)
	s.table.SetFixed(2, osVersion, 20)
	s.table.SetFlex(6, 3, from)
	s.table.SetFlex(7, 2, annotations)
}

// changed follows every edit of the draft: a new revision, validated,
// shown, and saved to disk in a command.
func (s *composerScreen) changed() tea.Cmd {
	s.draft.Updated = time.Now().UTC()
	s.issues = s.draft.Validate()
	s.table.SetLen(len(s.draft.Entries))
	s.fitColumns()
	if s.c.State == nil {
		s.rev++
		return nil
	}
	s.rev = s.c.State.Revision()
	b, err := state.EncodeDraft(s.draft)
	if err != nil {
		return status("draft not saved: "+err.Error(), true)
	}
	ctx, q := s.start(jobSave, "")
	st, target, rev := s.c.State, s.draft.Target, s.rev
	return run(ctx, q, func(context.Context) (struct{}, error) {
		return struct{}{}, st.SaveDraft(target, rev, b)
	})
}

func (s *composerScreen) entry() *model.DraftEntry {
	if s.draft == nil || s.table.Cursor >= len(s.draft.Entries) {
		return nil
	}
	return &s.draft.Entries[s.table.Cursor]
}

func (s *composerScreen) ask(m composerMode, prompt, placeholder, value string) tea.Cmd {
	s.mode = m
	s.input.Prompt, s.input.Placeholder = prompt, placeholder
	s.input.SetValue(value)
	s.input.CursorEnd()
	return s.input.Focus()
}
