package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Type-ahead: keys typed while the screen on top is still loading (the
// demo registry starting, a list or a manifest on its way) are kept and
// replayed in order once it is ready, as a shell keeps what is typed
// while a command runs. `j j enter` typed at start opens the third row.
// A replayed key that starts work (opening a screen) holds the next ones
// until that work's message has been handled, so they reach the screen
// it opened. Quit and ctrl+c act at once; esc acts at once and drops
// what was kept; r alone retries the load at once.

// loader is a screen still loading what it shows; keys wait for it.
type loader interface{ Loading() bool }

// replayedMsg carries the message of a command a replayed key started.
type replayedMsg struct{ msg tea.Msg }

// maxTyped bounds the keys kept (a held key repeating).
const maxTyped = 256

// typeAheadOn tells whether keys wait now.
func (a *explorer) typeAheadOn() bool { return len(a.typed) > 0 || a.replaying > 0 || a.loading() }

// loading tells whether the screen on top is still loading.
func (a *explorer) loading() bool {
	l, ok := a.top().(loader)
	return ok && l.Loading()
}

// typeAhead keeps k for later, when it must wait; it reports whether it
// did.
func (a *explorer) typeAhead(k tea.KeyPressMsg) bool {
	if !a.typeAheadOn() {
		return false
	}
	km := a.c.Keys
	switch {
	case key.Matches(k, km.Quit):
		return false
	case key.Matches(k, km.Back):
		a.typed = nil // leaving: what was typed for this screen goes too
		return false
	case key.Matches(k, km.Refresh) && len(a.typed) == 0 && a.replaying == 0:
		return false // retry a slow load now (typed after other keys, it waits with them)
	}
	if len(a.typed) < maxTyped {
		a.typed = append(a.typed, k)
	}
	return true
}

// replay hands the kept keys over while the top screen is ready and no
// replayed key's work is pending.
func (a *explorer) replay() tea.Cmd {
	var cmds []tea.Cmd
	for len(a.typed) > 0 && a.replaying == 0 && !a.loading() {
		k := a.typed[0]
		a.typed = a.typed[1:]
		cmds = append(cmds, a.track(a.handleKey(k)))
	}
	return tea.Batch(cmds...)
}

// track runs cmd so that its message comes back as a replayedMsg, and
// the keys after it wait for it.
func (a *explorer) track(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	a.replaying++
	return func() tea.Msg { return replayedMsg{msg: cmd()} }
}

// replayed handles the message of a replayed key's command; what that
// message starts in turn (a screen's loading) is not waited for here: the
// screen says when it is ready.
func (a *explorer) replayed(m replayedMsg) tea.Cmd {
	a.replaying--
	switch inner := m.msg.(type) {
	case nil:
		return nil
	case tea.QuitMsg:
		return tea.Quit
	case tea.BatchMsg:
		cmds := make([]tea.Cmd, 0, len(inner))
		for _, c := range inner {
			cmds = append(cmds, a.track(c))
		}
		return tea.Batch(cmds...)
	default:
		return a.update(inner)
	}
}
