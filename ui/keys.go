package ui

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
)

// KeyMap is every binding, each rebindable by its action name in the
// config file. Screens keep a copy and switch off what does not apply now,
// so it neither matches nor shows in help.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding
	Enter, Back, Filter, Refresh, Goto    key.Binding
	Copy, Help, Quit, Platform            key.Binding
	Raw, RawConfig, Referrers, Sort       key.Binding
	Diagnose, NextPane, Scan, Compose     key.Binding
	// AddToDraft adds what is under the cursor to the open composer.
	AddToDraft key.Binding
	// Mark marks tags to compose an index from.
	Mark key.Binding
	// Yes answers a confirmation.
	Yes key.Binding
	// Cancel closes a text input, an overlay or a question without
	// acting; Back cannot there, its backspace deletes what is typed.
	Cancel key.Binding
	// CopyTo copies what is shown to another tag, repository or registry.
	CopyTo key.Binding
	// File trees: open and close directories, show a file, step through
	// layers.
	Expand, Collapse, ExpandAll, Files, Show key.Binding
	PrevLayer, NextLayer                     key.Binding
	// Diff marks what to compare and compares it.
	DiffMark, Diff key.Binding
	// Messages shows the status messages so far, in full.
	Messages key.Binding
	// Check shows the findings of the release check (platypus check).
	Check key.Binding
	// The composer's own keys.
	DraftAdd, DraftRemove, DraftPlatform, DraftAnnotate key.Binding
	DraftIndexAnnotate, DraftMoveUp, DraftMoveDown      key.Binding
	DraftMediaType, DraftTarget, DraftPreview           key.Binding
	DraftBrowse, DraftReferrers, DraftPush, DraftUndo   key.Binding
}

// DefaultKeyMap returns the bindings; it is also the help's key map.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, k, help string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, help))
	}
	return KeyMap{
		Up:        b([]string{"up", "k"}, "↑/k", "up"),
		Down:      b([]string{"down", "j"}, "↓/j", "down"),
		PageUp:    b([]string{"pgup", "ctrl+b"}, "pgup", "page up"),
		PageDown:  b([]string{"pgdown", "ctrl+f"}, "pgdn", "page down"),
		Home:      b([]string{"home"}, "home", "first"),
		End:       b([]string{"end", "G"}, "end/G", "last"),
		Enter:     b([]string{"enter"}, "enter", "open"),
		Back:      b([]string{"esc", "backspace"}, "esc", "back"),
		Cancel:    b([]string{"esc"}, "esc", "cancel"),
		Filter:    b([]string{"/"}, "/", "filter"),
		Refresh:   b([]string{"r"}, "r", "refresh"),
		Goto:      b([]string{"g"}, "g", "go to"),
		Copy:      b([]string{"y"}, "y", "copy ref"),
		Help:      b([]string{"?"}, "?", "help"),
		Quit:      b([]string{"q", "ctrl+c"}, "q", "quit"),
		Platform:  b([]string{"p"}, "p", "platform"),
		Raw:       b([]string{"v"}, "v", "raw JSON"),
		RawConfig: b([]string{"V"}, "V", "raw config"),
		Referrers: b([]string{"R"}, "R", "referrers"),
		Sort:      b([]string{"s"}, "s", "sort"),
		Diagnose:  b([]string{"d"}, "d", "diagnose"),
		NextPane:  b([]string{"tab"}, "tab", "next pane"),
		Scan:      b([]string{"S"}, "S", "scan tags"),
		Compose:   b([]string{"c"}, "c", "compose"),

		AddToDraft: b([]string{"+"}, "+", "add to draft"),
		Mark:       b([]string{"space"}, "space", "mark for compose"),
		Yes:        b([]string{"y"}, "y", "yes"),
		CopyTo:     b([]string{"C"}, "C", "copy to…"),
		Expand:     b([]string{"right", "l"}, "→/l", "open dir"),
		Collapse:   b([]string{"left", "h"}, "←/h", "close dir"),
		ExpandAll:  b([]string{"E"}, "E", "open/close all"),
		Files:      b([]string{"f"}, "f", "files"),
		Show:       b([]string{"enter"}, "enter", "show file"),
		PrevLayer:  b([]string{"["}, "[", "previous layer"),
		NextLayer:  b([]string{"]"}, "]", "next layer"),
		DiffMark:   b([]string{"M"}, "M", "mark for diff"),
		Diff:       b([]string{"="}, "=", "diff"),
		Messages:   b([]string{"!"}, "!", "messages"),
		Check:      b([]string{"F"}, "F", "check findings"),

		DraftAdd:           b([]string{"a"}, "a", "add ref"),
		DraftRemove:        b([]string{"x", "delete"}, "x", "remove"),
		DraftPlatform:      b([]string{"e"}, "e", "edit platform"),
		DraftAnnotate:      b([]string{"n"}, "n", "entry annotation"),
		DraftIndexAnnotate: b([]string{"N"}, "N", "index annotation"),
		DraftMoveUp:        b([]string{"K", "shift+up"}, "K", "move up"),
		DraftMoveDown:      b([]string{"J", "shift+down"}, "J", "move down"),
		DraftMediaType:     b([]string{"m"}, "m", "media type"),
		DraftTarget:        b([]string{"t"}, "t", "push to…"),
		DraftPreview:       b([]string{"v"}, "v", "preview JSON+diff"),
		DraftBrowse:        b([]string{"b"}, "b", "browse, + adds"),
		DraftReferrers:     b([]string{"R"}, "R", "copy referrers too"),
		DraftPush:          b([]string{"P"}, "P", "push"),
		DraftUndo:          b([]string{"u"}, "u", "undo history"),
	}
}

// bindings names every action for overrides in the config file.
func (k *KeyMap) bindings() map[string]*key.Binding {
	return map[string]*key.Binding{
		"up": &k.Up, "down": &k.Down, "pageUp": &k.PageUp, "pageDown": &k.PageDown, "home": &k.Home, "end": &k.End,
		"enter": &k.Enter, "back": &k.Back, "cancel": &k.Cancel, "filter": &k.Filter, "refresh": &k.Refresh, "goto": &k.Goto,
		"copy": &k.Copy, "help": &k.Help, "quit": &k.Quit, "platform": &k.Platform, "raw": &k.Raw,
		"rawConfig": &k.RawConfig, "referrers": &k.Referrers, "sort": &k.Sort, "diagnose": &k.Diagnose,
		"nextPane": &k.NextPane, "scan": &k.Scan, "compose": &k.Compose, "addToDraft": &k.AddToDraft,
		"mark": &k.Mark, "yes": &k.Yes, "copyTo": &k.CopyTo,
		"expand": &k.Expand, "collapse": &k.Collapse, "expandAll": &k.ExpandAll, "files": &k.Files, "show": &k.Show,
		"prevLayer": &k.PrevLayer, "nextLayer": &k.NextLayer, "diffMark": &k.DiffMark, "diff": &k.Diff, "messages": &k.Messages,
		"check": &k.Check, "draftAdd": &k.DraftAdd, "draftRemove": &k.DraftRemove, "draftPlatform": &k.DraftPlatform,
		"draftAnnotate": &k.DraftAnnotate, "draftIndexAnnotate": &k.DraftIndexAnnotate,
		"draftMoveUp": &k.DraftMoveUp, "draftMoveDown": &k.DraftMoveDown, "draftMediaType": &k.DraftMediaType,
		"draftTarget": &k.DraftTarget, "draftPreview": &k.DraftPreview, "draftBrowse": &k.DraftBrowse,
		"draftReferrers": &k.DraftReferrers, "draftPush": &k.DraftPush, "draftUndo": &k.DraftUndo,
	}
}

// Actions lists the action names the config file's "keys" may rebind.
func Actions() []string {
	var k KeyMap
	names := make([]string, 0, 56)
	for n := range k.bindings() {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Override rebinds actions to keys, as the config file's "keys" asks;
// unknown actions and empty key lists are reported all at once.
func (k *KeyMap) Override(m map[string][]string) error {
	named := k.bindings()
	var problems []string
	actions := make([]string, 0, len(m))
	for a := range m {
		actions = append(actions, a)
	}
	slices.Sort(actions)
	for _, action := range actions {
		keys := m[action]
		b, ok := named[action]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("unknown action %q", action))
			continue
		case len(keys) == 0:
			problems = append(problems, fmt.Sprintf("%s: no keys given", action))
			continue
		}
		help := b.Help()
		*b = key.NewBinding(key.WithKeys(keyNamesV2(keys)...), key.WithHelp(strings.Join(keys, "/"), help.Desc))
	}
	problems = append(problems, shadowed(named, m)...)
	if len(problems) > 0 {
		return fmt.Errorf("keys: %s; actions are %s", strings.Join(problems, "; "), strings.Join(Actions(), ", "))
	}
	return nil
}

// globalActions are matched on every screen before the screen's own keys,
// so a key of theirs given to another action would never reach it.
var globalActions = []string{"back", "goto", "platform", "copy", "diffMark", "diff", "messages", "help", "quit"}

// shadowed names the keys the user gave an action that a global action
// (as bound after the overrides) already takes. cancel and yes share keys
// with back and copy by design: prompts and inputs answer them first.
func shadowed(named map[string]*key.Binding, m map[string][]string) []string {
	var problems []string
	for _, action := range slices.Sorted(maps.Keys(m)) {
		if _, ok := named[action]; !ok || action == "cancel" || action == "yes" {
			continue
		}
		for _, k := range keyNamesV2(m[action]) {
			for _, g := range globalActions {
				if g != action && slices.Contains(named[g].Keys(), k) {
					problems = append(problems, fmt.Sprintf("%s: %q is %s's key, on every screen", action, k, g))
				}
			}
		}
	}
	return problems
}

// keyNamesV2 spells keys as Bubble Tea v2 names them: the space bar was
// " " in v1 and is "space", so a config file written for either works.
func keyNamesV2(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		if k == " " {
			k = "space"
		}
		out[i] = k
	}
	return out
}

// enable switches bindings on or off together.
func enable(on bool, bs ...*key.Binding) {
	for _, b := range bs {
		b.SetEnabled(on)
	}
}

// relabel is b, with the same keys, described as desc: a screen that gives
// an action its own meaning keeps the user's binding for it.
func relabel(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}
