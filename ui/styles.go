package ui

import (
	"image/color"

	"charm.land/lipgloss/v2"

	"github.com/platypus-tui/platypus/themes"
)

// styles is every style the UI uses, built once from a theme; views never
// create styles of their own.
type styles struct {
	Text, Faint, Accent, Header, Crumb, CrumbSep lipgloss.Style
	Selected                                     lipgloss.Style // the cursor row
	Success, Warning, Error                      lipgloss.Style
	ColumnHeader, Key, StatusBar, Border         lipgloss.Style
	Title                                        lipgloss.Style
	JSONKey, JSONString, JSONNumber, JSONLiteral lipgloss.Style
}

// roleColor is a role's colour for the terminal's background.
func roleColor(c themes.Color, mono bool, lightDark lipgloss.LightDarkFunc) color.Color {
	if mono || (c.Dark == "" && c.Light == "") {
		return lipgloss.NoColor{}
	}
	return lightDark(lipgloss.Color(c.Light), lipgloss.Color(c.Dark))
}

// newStyles turns a theme's palette into styles, for a dark or a light
// background.
func newStyles(t themes.Theme, dark bool) styles {
	lightDark := lipgloss.LightDark(dark)
	c := func(col themes.Color) color.Color { return roleColor(col, t.Mono, lightDark) }
	base := lipgloss.NewStyle()
	s := styles{
		Text:         base.Foreground(c(t.Text)),
		Faint:        base.Foreground(c(t.Faint)),
		Accent:       base.Foreground(c(t.Accent)),
		Header:       base.Foreground(c(t.Header)).Bold(true),
		Crumb:        base.Foreground(c(t.Accent)).Bold(true),
		CrumbSep:     base.Foreground(c(t.Faint)),
		Selected:     base.Foreground(c(t.SelText)).Background(c(t.Selection)),
		Success:      base.Foreground(c(t.Success)),
		Warning:      base.Foreground(c(t.Warning)),
		Error:        base.Foreground(c(t.Error)).Bold(true),
		ColumnHeader: base.Foreground(c(t.Faint)).Bold(true),
		Key:          base.Foreground(c(t.Accent)).Bold(true),
		StatusBar:    base.Foreground(c(t.Faint)),
		Border:       base.Foreground(c(t.Border)),
		Title:        base.Foreground(c(t.Header)).Bold(true),
		JSONKey:      base.Foreground(c(t.Accent)),
		JSONString:   base.Foreground(c(t.Success)),
		JSONNumber:   base.Foreground(c(t.Warning)),
		JSONLiteral:  base.Foreground(c(t.Header)),
	}
	if !t.Mono {
		s.Selected = s.Selected.Bold(true)
	}
	return s
}
