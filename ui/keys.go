package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

// KeyMap is every binding; screens switch off the ones that do not apply
// so they neither match nor show in help.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding
	Enter, Back, Filter, Refresh, Goto    key.Binding
	Copy, Help, Quit, Platform            key.Binding
	Raw, RawConfig, Referrers, Sort       key.Binding
	Diagnose, NextPane, Scan, Compose     key.Binding
	AddToDraft                            key.Binding
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
		// AddToDraft adds what is under the cursor to the open composer.
		AddToDraft: b([]string{"+"}, "+", "add to draft"),
	}
}

// bindings names every action for overrides in the config file.
func (k *KeyMap) bindings() map[string]*key.Binding {
	return map[string]*key.Binding{
		"up": &k.Up, "down": &k.Down, "pageUp": &k.PageUp, "pageDown": &k.PageDown, "home": &k.Home, "end": &k.End,
		"enter": &k.Enter, "back": &k.Back, "filter": &k.Filter, "refresh": &k.Refresh, "goto": &k.Goto,
		"copy": &k.Copy, "help": &k.Help, "quit": &k.Quit, "platform": &k.Platform, "raw": &k.Raw,
		"rawConfig": &k.RawConfig, "referrers": &k.Referrers, "sort": &k.Sort, "diagnose": &k.Diagnose,
		"nextPane": &k.NextPane, "scan": &k.Scan, "compose": &k.Compose, "addToDraft": &k.AddToDraft,
	}
}

// Override rebinds actions to keys, as the config file's "keys" asks;
// unknown actions are reported all at once.
func (k *KeyMap) Override(m map[string][]string) error {
	named := k.bindings()
	var unknown []string
	for action, keys := range m {
		b, ok := named[action]
		if !ok || len(keys) == 0 {
			unknown = append(unknown, action)
			continue
		}
		help := b.Help()
		*b = key.NewBinding(key.WithKeys(keys...), key.WithHelp(strings.Join(keys, "/"), help.Desc))
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		names := make([]string, 0, len(named))
		for n := range named {
			names = append(names, n)
		}
		slices.Sort(names)
		return fmt.Errorf("keys: unknown or empty action(s) %s; actions are %s", strings.Join(unknown, ", "), strings.Join(names, ", "))
	}
	return nil
}
