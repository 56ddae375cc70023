// Package ui is platypus's terminal explorer, built on Bubble Tea. The App
// routes messages to a stack of screens; every screen loads its data in
// tea.Cmds under a context that is cancelled when the screen is left, and
// every reply is checked against the request that asked for it.
package ui

import (
	"context"
	"sync/atomic"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/check"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/state"
	"github.com/platypus-tui/platypus/themes"
)

// common is what every screen shares: styles, keys, the registry client
// and the state directory. Only the styles change once the explorer runs,
// when the terminal tells its background (background.go).
type common struct {
	styles styles
	theme  themes.Theme
	// dark is the background the styles are for; askBackground is set
	// when the terminal is to be asked it.
	dark, askBackground bool
	Keys                KeyMap
	Client              *registry.Client
	// Clipboard copies text (tea.SetClipboard, OSC 52; tests record it).
	Clipboard func(string) tea.Cmd
	// State keeps recent references, drafts and the journal; nil keeps
	// nothing (and the composer will not push).
	State *state.Dir
	// Demo is the demo registry's host when --demo is on.
	Demo string
	// fleet is the fleet the explorer starts with (nil: one target), and
	// Fleets those the picker offers whole.
	fleet  model.Fleet
	Fleets []SavedFleet
	// QuotaShare is the largest share of a pull quota a tag scan may spend
	// before it asks (0 means the default, one half).
	QuotaShare float64
	// ScanAsk is how many tags a scan judges unasked when the registry
	// says nothing of a quota (0: no limit).
	ScanAsk int
	// Policy is the release check's (check.go); nil: the built-in rules.
	Policy *check.Policy
	// checkFacts, when set, gathers a check's facts instead of a fresh
	// registry.Checker (tests see the context it runs under).
	checkFacts func(context.Context, model.Reference, registry.CheckOptions) (*check.Facts, error)
}

// screen is one level of the explorer's stack.
type screen interface {
	Init() tea.Cmd
	// Update may return another screen to take this one's place (a
	// manifest that turns out to be an index or an image).
	Update(tea.Msg) (screen, tea.Cmd)
	// View renders; it never changes the screen.
	View() string
	SetSize(w, h int)
	// Crumb is this screen's part of the breadcrumb.
	Crumb() string
	// Bindings are the keys this screen answers now, for help.
	Bindings() []key.Binding
	// Capturing is true while a text input has focus: keys go to it first.
	Capturing() bool
	// Ref is what `y` copies, when the screen shows one manifest.
	Ref() (model.Reference, bool)
	// Close cancels the screen's requests.
	Close()
	core() *base
}

// Optional parts of a screen, which the App looks for.
type (
	// copier copies something other than its reference.
	copier interface{ CopyText() (string, bool) }
	// backHandler uses Back itself first (to clear a filter, stop a scan).
	backHandler interface{ HandleBack() (bool, tea.Cmd) }
	// draftHolder holds a draft: it stays when the user goes elsewhere, and
	// it receives what other screens add to the draft.
	draftHolder interface{ holdsDraft() }
	// hostScreen shows one registry, whose pull quota the footer shows.
	hostScreen interface{ Host() string }
	// resizer loads what a new size brings into view (rows whose details
	// are fetched as they show).
	resizer interface{ Resized() tea.Cmd }
)

// base is what every screen embeds: its identity, its context and
// requests, the target platform and the size it was given.
type base struct {
	id     int
	c      *common
	ctx    context.Context
	cancel context.CancelFunc
	target model.Target
	// fleet, when set, is every target judged for (target is its first).
	fleet model.Fleet
	// drafting is set while a composer is open below, so screens offer
	// "+ add to draft".
	drafting bool
	w, h     int
	reqs     requests
	// remember is what the user typed to open this screen: kept among the
	// recent references once the screen has loaded, not before.
	remember string
	// marks are the references marked for a diff (M), A first.
	marks []string
}

func (b *base) core() *base                  { return b }
func (b *base) Capturing() bool              { return false }
func (b *base) Ref() (model.Reference, bool) { return model.Reference{}, false }

// loaded is called when the screen's data arrived: it remembers what
// opened it, once.
func (b *base) loaded() tea.Cmd {
	input := b.remember
	b.remember = ""
	return remember(b.c, input)
}

// Close cancels every request of the screen.
func (b *base) Close() {
	b.reqs.reset()
	b.cancel()
}

// start begins a request of this screen; see requests.start.
func (b *base) start(j job, key string) (context.Context, request) {
	return b.reqs.start(b.ctx, b.id, j, key)
}

// observe takes what the App tells every screen before its Update sees it.
func (b *base) observe(msg tea.Msg) {
	switch msg := msg.(type) {
	case retargetMsg:
		b.target, b.fleet = msg.target, msg.fleet
	case draftingMsg:
		b.drafting = msg.on
	case marksMsg:
		b.marks = msg.refs
	}
}

// diffMark is the glyph of ref when it is marked for a diff: "[A] " or
// "[B] ", else "". A glyph, not a style: it shows without colour.
func (b *base) diffMark(ref model.Reference) string {
	r := ref.String()
	for i, m := range b.marks {
		if m == r {
			return "[" + sideNames[i] + "] "
		}
	}
	return ""
}

// screenMaker builds a screen around the base the App prepared.
type screenMaker func(b base) screen

// Messages the App understands from screens, and tells them.
type (
	// pushMsg opens a screen on top of the stack.
	pushMsg struct{ make screenMaker }
	// resetMsg replaces the stack (go to a reference), above a draft.
	resetMsg struct{ screens []screenMaker }
	// statusMsg shows a passing message in the status line.
	statusMsg struct {
		text string
		err  bool
		// seq orders messages as they were made: commands of a batch
		// answer in any order, and the newer message must win.
		seq int64
	}
	// targetMsg asks for a new target platform, or fleet, everywhere.
	targetMsg struct {
		target model.Target
		fleet  model.Fleet
	}
	// retargetMsg tells every screen the target changed.
	retargetMsg struct {
		target model.Target
		fleet  model.Fleet
	}
	// draftingMsg tells every screen whether a composer is open.
	draftingMsg struct{ on bool }
	// marksMsg tells every screen what is marked for a diff, A first.
	marksMsg struct{ refs []string }
	// addToDraftMsg adds a reference (resolved by the composer) or ready
	// entries to the composer open lower in the stack.
	addToDraftMsg struct {
		ref     model.Reference
		entries []model.DraftEntry
	}
)

func addToDraft(ref model.Reference, entries ...model.DraftEntry) tea.Cmd {
	return func() tea.Msg { return addToDraftMsg{ref: ref, entries: entries} }
}

func push(f screenMaker) tea.Cmd {
	return func() tea.Msg { return pushMsg{make: f} }
}

// statusSeq numbers status messages as they are made.
var statusSeq atomic.Int64

func status(text string, isErr bool) tea.Cmd {
	n := statusSeq.Add(1)
	return func() tea.Msg { return statusMsg{text: text, err: isErr, seq: n} }
}
