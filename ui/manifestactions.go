package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// The actions on the manifest itself that an index screen and an image
// screen share, in one place: raw JSON, referrers, compose, copy.

// manifestAction tells whether msg asks for one of them.
func manifestAction(msg tea.KeyPressMsg, k KeyMap) bool {
	return key.Matches(msg, k.Raw, k.Referrers, k.Compose, k.CopyTo)
}

// act does the manifest action msg asks for (see manifestAction).
func (o opened) act(msg tea.KeyPressMsg, k KeyMap, copying *copyTask) tea.Cmd {
	root := o.tree.Root
	ref := o.ref.WithDigest(root.Digest)
	switch {
	case key.Matches(msg, k.Raw):
		return push(newRawScreen(ref, "manifest", root.MediaType, root.Raw))
	case key.Matches(msg, k.Referrers):
		return push(newReferrersScreen(ref))
	case key.Matches(msg, k.Compose):
		return composeFrom(o)
	case key.Matches(msg, k.CopyTo):
		return copying.start(ref)
	}
	return nil
}

// reloads tells whether msg asks to load the manifest again: r, or the tag
// shown moved elsewhere. Not while a copy runs (its plan is of what is
// shown) nor while a text input has the keys.
func (o opened) reloads(msg tea.Msg, k KeyMap, capturing, copying bool) bool {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return !capturing && !copying && key.Matches(msg, k.Refresh)
	case tagsChangedMsg:
		return !copying && o.movedBy(msg)
	}
	return false
}
