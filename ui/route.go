package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"platypus/model"
)

// screensFor returns the stack that shows loc: the registry's repositories,
// then the repository's tags, then the manifest, so Esc walks back up.
func screensFor(loc model.Location) []screenMaker {
	switch loc.Kind {
	case model.LocHost:
		return []screenMaker{newReposScreen(loc.Host, "")}
	case model.LocRepo:
		if loc.Ref.IsOCIDir() {
			return []screenMaker{newTagsScreen(loc.Ref, "")}
		}
		return []screenMaker{newReposScreen(loc.Ref.Registry, loc.Ref.Repository), newTagsScreen(loc.Ref, "")}
	default: // a manifest, below
	}
	r := loc.Ref
	var out []screenMaker
	if !r.IsOCIDir() {
		out = append(out, newReposScreen(r.Registry, r.Repository))
	}
	return append(out, newTagsScreen(r, r.Tag), newManifestScreen(r, "", nil))
}

// goTo opens what the user typed, replacing the stack, and remembers it.
func goTo(c *common, input string) tea.Cmd {
	loc, err := model.ParseLocation(input, c.Demo)
	if err != nil {
		return status(err.Error(), true)
	}
	screens := screensFor(loc)
	return tea.Batch(remember(c, input), func() tea.Msg { return resetMsg{screens: screens} })
}

// remember keeps a reference among the recent ones, off the UI goroutine;
// failing only costs the shortcut.
func remember(c *common, input string) tea.Cmd {
	if c.State == nil || input == "" {
		return nil
	}
	st := c.State
	return func() tea.Msg {
		_ = st.Remember(input)
		return nil
	}
}
