package ui

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"platypus/model"
	"platypus/registry"
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
)

// ComposerScreen edits a draft index for a tag: add entries from anywhere,
// edit platforms and annotations, reorder, choose the media type, preview,
// validate continuously, and push safely with progress; the draft is saved
// on every edit.
type ComposerScreen struct {
	base
	target  model.Reference
	amend   bool
	from    []model.Reference // start from these tags
	state   loadState
	err     error
	spin    spinner.Model
	draft   *model.Draft
	current *model.Manifest // what the tag holds now
	issues  []model.DraftIssue
	table   Table
	input   textinput.Model
	mode    composerMode
	saved   *model.Draft // a draft found on disk, offered at start
	// mediaChosen is set once the user picks the media type with m.
	mediaChosen bool
	// referrers also copies signatures and SBOMs of copied children.
	referrers bool

	pushing    bool
	pushCancel context.CancelFunc
	step       string
	done, tot  int
	seq        int
}

// Messages of the composer.
type (
	draftMsg struct {
		id      int
		draft   *model.Draft
		current *model.Manifest
		err     error
	}
	addedMsg struct {
		id      int
		ref     model.Reference
		entries []model.DraftEntry
		err     error
	}
	pushProgressMsg struct {
		id, seq     int
		step        string
		done, total int
		ch          chan tea.Msg
	}
	pushDoneMsg struct {
		id, seq int
		res     registry.PushResult
		err     error
	}
	undoneMsg struct {
		id  int
		rec registry.JournalRecord
		err error
	}
)

func (m draftMsg) screenID() int        { return m.id }
func (m addedMsg) screenID() int        { return m.id }
func (m pushProgressMsg) screenID() int { return m.id }
func (m pushDoneMsg) screenID() int     { return m.id }
func (m undoneMsg) screenID() int       { return m.id }

// NewComposerScreen opens a draft for target: from what the tag holds
// (amend), from a set of tags, or empty.
func NewComposerScreen(target model.Reference, amend bool, from []model.Reference) screenMaker {
	return func(ctx context.Context, c *Common, id int) Screen {
		s := &ComposerScreen{base: newBase(ctx, c, id), target: target, amend: amend, from: from, spin: newSpinner(), input: newTextInput()}
		s.host = target.Registry
		s.input.CharLimit = 512
		s.table.Cols = []Column{
			{Title: "#", Width: 2, Right: true}, {Title: "PLATFORM", Flex: 2}, {Title: "OS.VERSION", Width: 15, Drop: 3}, {Title: "KIND", Width: 11, Drop: 1},
			{Title: "SIZE", Width: 7, Right: true, Drop: 2}, {Title: "DIGEST", Width: 12, Drop: 4}, {Title: "FROM", Flex: 3},
		}
		s.saved = loadDraft(c.StateDir, target)
		return s
	}
}

func (s *ComposerScreen) Init() tea.Cmd {
	s.state = loading
	client, target, amend, from, id, ctx := s.c.Client, s.target, s.amend, s.from, s.id, s.ctx
	return tea.Batch(s.spin.Tick, func() tea.Msg {
		d, cur, err := client.StartDraft(ctx, target, amend)
		if err != nil {
			return draftMsg{id: id, err: err}
		}
		for _, r := range from {
			entries, err := client.DraftEntries(ctx, r)
			if err != nil {
				return draftMsg{id: id, err: err}
			}
			d.Entries = append(d.Entries, entries...)
		}
		if !amend {
			d.MediaType = model.InferMediaType(d.Entries)
		}
		return draftMsg{id: id, draft: d, current: cur}
	})
}

func (s *ComposerScreen) Crumb() string { return "compose " + s.target.Tag }

func (s *ComposerScreen) Capturing() bool { return s.mode != modeNone }

func (s *ComposerScreen) Ref() (model.Reference, bool) {
	if s.draft == nil {
		return s.target, false
	}
	return s.target.WithDigest(s.draft.Digest()), true
}

// Composer keys, besides the shared ones.
var (
	keyAdd        = key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add ref"))
	keyRemove     = key.NewBinding(key.WithKeys("x", "delete"), key.WithHelp("x", "remove"))
	keyEdit       = key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit platform"))
	keyAnnotate   = key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "entry annotation"))
	keyIndexAnn   = key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "index annotation"))
	keyMoveUp     = key.NewBinding(key.WithKeys("K", "shift+up"), key.WithHelp("K", "move up"))
	keyMoveDown   = key.NewBinding(key.WithKeys("J", "shift+down"), key.WithHelp("J", "move down"))
	keyMediaType  = key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "media type"))
	keyTarget     = key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "target tag"))
	keyPreview    = key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "preview JSON+diff"))
	keyBrowse     = key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "browse, + adds"))
	keyReferrers  = key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "copy referrers too"))
	keyPush       = key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "push"))
	keyUndo       = key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo last push"))
	keyCancelPush = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel push"))
)

func (s *ComposerScreen) Bindings() []key.Binding {
	if s.pushing {
		return []key.Binding{keyCancelPush}
	}
	return []key.Binding{keyAdd, keyBrowse, keyRemove, keyEdit, keyAnnotate, keyIndexAnn, keyMoveUp, keyMoveDown, keyMediaType, keyTarget, keyReferrers, keyPreview, keyPush, keyUndo}
}

func (s *ComposerScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.input.Width = max(w-20, 10)
	s.layout()
}

func (s *ComposerScreen) layout() {
	s.table.SetSize(s.w, max(s.h-s.headerHeight()-s.footerHeight()-1, 3))
}

// HandleBack cancels a push in flight instead of leaving.
func (s *ComposerScreen) HandleBack() bool {
	if s.pushing {
		s.pushCancel()
		return true
	}
	return false
}

// fitColumns sizes PLATFORM to the platforms and shows OS.VERSION only
// when an entry has one.
func (s *ComposerScreen) fitColumns() {
	platform, osVersion := 0, 0
	for row, e := range s.draft.Entries {
		text, _ := s.cell(row, 1)
		platform = max(platform, ansi.StringWidth(text))
		if e.Platform != nil {
			osVersion = max(osVersion, ansi.StringWidth(e.Platform.OSVersion))
		}
	}
	s.table.SetFixed(1, platform, 28)
	s.table.SetFixed(2, osVersion, 20)
}

// changed re-validates and saves the draft after an edit.
func (s *ComposerScreen) changed() tea.Cmd {
	s.draft.Updated = time.Now().UTC()
	s.issues = s.draft.Validate()
	s.table.SetLen(len(s.draft.Entries))
	s.fitColumns()
	s.layout()
	if err := saveDraft(s.c.StateDir, s.draft); err != nil {
		return status("draft not saved: "+err.Error(), true)
	}
	return nil
}
