package ui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every binding; screens switch off the ones that do not apply
// so they neither match nor show in help.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding
	Enter, Back, Filter, Refresh, Goto    key.Binding
	Copy, Help, Quit, Platform            key.Binding
	Raw, RawConfig, Referrers, Sort       key.Binding
	Diagnose, NextPane, Scan, Compose     key.Binding
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
	}
}
