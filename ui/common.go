// Package ui is platypus's terminal explorer, built on Bubble Tea. The App
// routes messages to a stack of screens; every screen loads its data in
// tea.Cmds under a context that is cancelled when the screen is left.
package ui

import (
	"context"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"platypus/model"
	"platypus/registry"
)

// Common is what every screen shares: styles, keys, the registry client and
// the target platform. Screens hold a pointer, so a new target shows on
// every screen at once.
type Common struct {
	Styles Styles
	Keys   KeyMap
	Client *registry.Client
	Target model.Target
	// Clipboard copies text (OSC 52 by default; tests record it).
	Clipboard func(string) tea.Cmd
	// StateDir holds recent references; "" keeps nothing.
	StateDir string
	// Demo is the demo registry's host when --demo is on.
	Demo string
	// Drafting is set while a composer is open in the stack, so screens
	// offer "+ add to draft".
	Drafting bool
	// QuotaShare is the largest share of a pull quota a tag scan may spend
	// before it asks (0 means the default, one half).
	QuotaShare float64
}

// Screen is one level of the explorer's stack.
type Screen interface {
	ID() int
	Init() tea.Cmd
	Update(tea.Msg) (Screen, tea.Cmd)
	View() string
	SetSize(w, h int)
	// Crumb is this screen's part of the breadcrumb.
	Crumb() string
	// Bindings are the keys this screen answers, for help.
	Bindings() []key.Binding
	// Capturing is true while a text input has focus: keys go to it first.
	Capturing() bool
	// Ref is what `y` copies, when the screen shows one manifest.
	Ref() (model.Reference, bool)
	// Close cancels the screen's requests.
	Close()
}

// routed is a reply addressed to the screen that asked for it.
type routed interface{ screenID() int }

type base struct {
	id     int
	c      *Common
	ctx    context.Context
	cancel context.CancelFunc
	w, h   int
	host   string // registry shown, for the quota in the status line
}

func newBase(parent context.Context, c *Common, id int) base {
	ctx, cancel := context.WithCancel(parent)
	return base{id: id, c: c, ctx: ctx, cancel: cancel}
}

func (b *base) ID() int                      { return b.id }
func (b *base) Host() string                 { return b.host }
func (b *base) Close()                       { b.cancel() }
func (b *base) Capturing() bool              { return false }
func (b *base) Ref() (model.Reference, bool) { return model.Reference{}, false }

// Messages the App understands from screens.
type (
	// pushMsg opens a screen on top of the stack.
	pushMsg struct{ make screenMaker }
	// statusMsg shows a passing message in the status line.
	statusMsg struct {
		text string
		err  bool
	}
	// targetMsg changes the target platform everywhere.
	targetMsg struct{ target model.Target }
	// retargetMsg tells screens the target changed.
	retargetMsg struct{}
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

// screenMaker builds a screen with its id, under the App's context.
type screenMaker func(ctx context.Context, c *Common, id int) Screen

func push(f screenMaker) tea.Cmd {
	return func() tea.Msg { return pushMsg{make: f} }
}

func status(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return statusMsg{text: text, err: isErr} }
}
