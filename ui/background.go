package ui

import (
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/themes"
)

// The terminal's background picks the dark or the light colours of a
// theme whose roles have both. It is asked once, from inside the program
// (Bubble Tea's background-colour query, answered as a message), and only
// when no theme was named: Bubble Tea v1 asked in an init function, before
// main, and a terminal that never answered held every command for 5 s.
//
// Until the answer, or bgWait, nothing is drawn and the replies of the
// screens wait: screens render some of what arrives once (headers, text),
// and all of it is to be in the colours decided. An answer later than
// bgWait is not taken, so that the colours stay of a piece.

// bgWait is how long the first frame waits for the answer: a terminal
// answers within a few milliseconds (one round trip over ssh), or never.
const bgWait = 200 * time.Millisecond

// bgState is where the question of the background stands.
type bgState int

const (
	bgKnown  bgState = iota // not asked, answered, or given up on
	bgAsking                // asked: nothing drawn, replies held
)

// bgWaitMsg says bgWait has passed.
type bgWaitMsg struct{}

// needsBackground tells whether the explorer asks the terminal: the theme
// was not named (--theme, $PLATYPUS_THEME, the config file name one for
// the background the user has) and its colours depend on the background.
func needsBackground(o Options, env func(string) string, t themes.Theme) bool {
	named := o.Theme != "" || env("PLATYPUS_THEME") != "" || o.ConfigTheme != ""
	return !named && t.Adaptive()
}

// envDark is what the environment says of the background without asking:
// COLORFGBG ("15;0" is white on black), which rxvt and Konsole set, else
// dark, as termenv assumed when it could not ask.
func envDark(colorfgbg string) bool {
	i := strings.LastIndexByte(colorfgbg, ';')
	if i < 0 {
		return true
	}
	n, err := strconv.Atoi(colorfgbg[i+1:])
	if err != nil || n < 0 || n > 15 {
		return true
	}
	return n <= 6 || n == 8
}

// askBackground asks the terminal its background, when the theme needs
// it; the first frame waits for the answer, at most bgWait.
func (a *explorer) askBackground() tea.Cmd {
	if !a.c.askBackground {
		return nil
	}
	a.c.askBackground = false // once
	a.bg = bgAsking
	return tea.Batch(tea.RequestBackgroundColor, tea.Tick(bgWait, func(time.Time) tea.Msg { return bgWaitMsg{} }))
}

// background takes the terminal's answer, if it came in time.
func (a *explorer) background(dark bool) tea.Cmd {
	if a.bg != bgAsking {
		return nil
	}
	if dark != a.c.dark {
		a.c.restyle(dark)
		a.styleHelp()
	}
	return a.bgDecided()
}

// bgDecided draws from now on, and hands the screens the replies held.
func (a *explorer) bgDecided() tea.Cmd {
	if a.bg != bgAsking {
		return nil
	}
	a.bg = bgKnown
	held := a.bgHeld
	a.bgHeld = nil
	cmds := make([]tea.Cmd, 0, len(held))
	for _, r := range held {
		cmds = append(cmds, a.route(r))
	}
	return tea.Batch(cmds...)
}

// restyle builds the styles for a dark or a light background; screens
// read them from common (tables keep a pointer to them).
func (c *common) restyle(dark bool) {
	c.dark = dark
	c.styles = newStyles(c.theme, dark)
}
