package ui

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
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

// goTo opens what the user typed, replacing the stack; it is remembered
// once it has opened.
func goTo(c *common, input string) tea.Cmd {
	loc, err := model.ParseLocation(input, c.Demo)
	if err != nil {
		return status(err.Error(), true)
	}
	screens := rememberWhenLoaded(screensFor(loc), input)
	return func() tea.Msg { return resetMsg{screens: screens} }
}

// rememberWhenLoaded makes the last of screens remember input once its
// data has arrived (a reference that fails to open is not remembered).
func rememberWhenLoaded(screens []screenMaker, input string) []screenMaker {
	if len(screens) == 0 || input == "" {
		return screens
	}
	out := slices.Clone(screens)
	last := out[len(out)-1]
	out[len(out)-1] = func(b base) screen {
		b.remember = input
		return last(b)
	}
	return out
}

// remember keeps a reference among the recent ones, off the UI goroutine;
// failing only costs the shortcut. The demo registry's references go to a
// list of their own: they mean nothing without --demo.
func remember(c *common, input string) tea.Cmd {
	if c.State == nil || input == "" {
		return nil
	}
	st, demo := c.State, c.Demo != ""
	return func() tea.Msg {
		_ = st.Remember(input, demo)
		return nil
	}
}
