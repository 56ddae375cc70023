package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"platypus/model"
)

// ScreensFor returns the stack that shows loc: the registry's repositories,
// then the repository's tags, then the manifest, so Esc walks back up.
func ScreensFor(loc model.Location) []screenMaker {
	switch loc.Kind {
	case model.LocHost:
		return []screenMaker{NewReposScreen(loc.Host, "")}
	case model.LocRepo:
		if loc.Ref.IsOCIDir() {
			return []screenMaker{NewTagsScreen(loc.Ref, "")}
		}
		return []screenMaker{NewReposScreen(loc.Ref.Registry, loc.Ref.Repository), NewTagsScreen(loc.Ref, "")}
	}
	r := loc.Ref
	var out []screenMaker
	if !r.IsOCIDir() {
		out = append(out, NewReposScreen(r.Registry, r.Repository))
	}
	return append(out, NewTagsScreen(r, r.Tag), NewManifestScreen(r, "", nil))
}

// goTo opens what the user typed, replacing the stack.
func goTo(c *Common, input string) tea.Cmd {
	loc, err := model.ParseLocation(input, c.Demo)
	if err != nil {
		return status(err.Error(), true)
	}
	rememberRecent(c.StateDir, input)
	screens := ScreensFor(loc)
	return func() tea.Msg { return resetMsg{screens: screens} }
}
