package ui

import (
	"context"
	"fmt"
	"io"
	"os"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/check"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/state"
	"github.com/platypus-tui/platypus/themes"
)

// Options configure the explorer.
type Options struct {
	Client *registry.Client
	Target model.Target
	// Fleet, when set, is judged for instead of Target alone: a verdict
	// per target beside the others (Target is its first). Fleets are the
	// fleets the picker offers whole.
	Fleet  model.Fleet
	Fleets []SavedFleet
	Theme  string // --theme; "" for $PLATYPUS_THEME or the default
	// ConfigTheme is the config file's theme, below $PLATYPUS_THEME.
	ConfigTheme string
	Location    *model.Location
	Demo        string // the demo registry's host, when --demo is on
	// State keeps recents, drafts and the journal; nil keeps nothing.
	State *state.Dir
	// QuotaShare is the largest share of a pull quota a scan spends unasked.
	QuotaShare float64
	// ScanAsk is how many tags a scan judges unasked without quota headers.
	ScanAsk int
	// Remember is what the user typed to open the explorer, kept among the
	// recent references of the start screen.
	Remember string
	// Keys overrides key bindings by action (the config file's "keys").
	Keys map[string][]string
	// Compose opens the composer on this tag instead of the explorer.
	Compose *model.Reference
	// Policy is what the release check runs on an index screen and on a
	// draft before its push, as `platypus check` does; nil: the built-in
	// rules alone.
	Policy *check.Policy
	// Prepare, when set, runs first, off the UI goroutine, while the first
	// screen says Preparing: what it gives replaces Client, Demo, Location
	// and Remember (the demo registry starts so, and keys typed meanwhile
	// are kept). Its error ends the explorer and is Run's.
	Prepare   func(context.Context) (Prepared, error)
	Preparing string
	Output    io.Writer // defaults to stdout
	Input     io.Reader // defaults to stdin
}

// newCommon builds what every screen shares, styled for a dark
// background until told otherwise.
func newCommon(o Options, theme themes.Theme) *common {
	return &common{
		styles:     newStyles(theme, true),
		theme:      theme,
		dark:       true,
		Keys:       DefaultKeyMap(),
		Client:     o.Client,
		Clipboard:  tea.SetClipboard,
		State:      o.State,
		Demo:       o.Demo,
		QuotaShare: o.QuotaShare,
		ScanAsk:    o.ScanAsk,
		fleet:      o.Fleet,
		Fleets:     o.Fleets,
		Policy:     o.Policy,
	}
}

// Prepared is what Options.Prepare gives.
type Prepared struct {
	Client   *registry.Client
	Demo     string
	Location *model.Location
	Remember string
}

// firstScreens is the stack the explorer opens on.
func firstScreens(o Options) []screenMaker {
	switch {
	case o.Prepare != nil:
		return []screenMaker{newPrepareScreen(o.Preparing, o.Prepare)}
	case o.Compose != nil:
		return []screenMaker{newComposerScreen(*o.Compose, true, nil)}
	case o.Location != nil:
		return rememberWhenLoaded(screensFor(*o.Location), o.Remember)
	}
	return []screenMaker{newStartScreen()}
}

// Run opens the explorer and blocks until the user quits.
func Run(ctx context.Context, o Options) error {
	out := o.Output
	if out == nil {
		out = os.Stdout
	}
	// What the environment says the output shows (TERM, COLORTERM,
	// NO_COLOR, a terminal or not); nothing is asked of the terminal.
	colour := colorprofile.Detect(out, os.Environ()) >= colorprofile.ANSI
	theme, err := themes.Choose(o.Theme, o.ConfigTheme, colour)
	if err != nil {
		return err
	}
	c := newCommon(o, theme)
	if err := c.Keys.Override(o.Keys); err != nil {
		return err
	}
	if dark := envDark(os.Getenv("COLORFGBG")); !dark {
		c.restyle(dark)
	}
	c.askBackground = needsBackground(o, os.Getenv, theme)
	app := newApp(ctx, c, o.Target, firstScreens(o)...)
	// 120 fps: data that arrives is on screen within ~8 ms, not ~17. The
	// alternate screen, the mouse and focus reports are the View's.
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithFPS(120), tea.WithOutput(out)}
	if o.Input != nil {
		opts = append(opts, tea.WithInput(o.Input))
	}
	p := tea.NewProgram(app, opts...)
	if o.State != nil {
		watch, stop := context.WithCancel(ctx)
		defer stop()
		go watchJournal(watch, o.State.Journal().Path(), p)
	}
	// Interrupted (the context ended) is not a failure of the explorer.
	if _, err = p.Run(); err != nil && ctx.Err() == nil {
		return fmt.Errorf("explorer: %w", err)
	}
	return app.fatal
}
