package ui

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry"
)

func itoa(n int) string { return strconv.Itoa(n) }

// loadState is the small state machine every loading screen has.
type loadState int

const (
	loading loadState = iota
	ready
	failed
)

func newSpinner() spinner.Model {
	return spinner.New(spinner.WithSpinner(spinner.Dot))
}

// tick advances sp while busy; an idle screen lets its spinner stop.
func tick(sp *spinner.Model, busy bool, msg spinner.TickMsg) tea.Cmd {
	if !busy {
		return nil
	}
	var cmd tea.Cmd
	*sp, cmd = sp.Update(msg)
	return cmd
}

// loadingView is shown where data will appear.
func loadingView(st styles, sp spinner.Model, what string) string {
	return sp.View() + " " + st.Faint.Render("loading "+what+"…")
}

// errorView shows a failure where the data would be, with what to do.
func errorView(st styles, km KeyMap, err error, width int) string {
	var lines []string
	for i, l := range errorLines(model.Clean(err.Error()), max(width-2, 10)) {
		lead := "✗ "
		if i > 0 {
			lead = "  "
		}
		lines = append(lines, st.Error.Render(lead+l))
	}
	retry := "press " + keyHint(km.Refresh) + " to retry"
	hint := retry
	var re *registry.Error
	switch {
	case errors.As(err, &re) && re.Withheld != "":
		hint = "the registry's token service must use HTTPS for your login to be sent"
	case errors.Is(err, registry.ErrUnauthorized):
		hint = "log in with docker login, then " + retry
	case errors.Is(err, registry.ErrNotFound):
		hint = "check the name, or press " + keyHint(km.Back) + " to go back"
	case errors.Is(err, fstree.ErrLimit):
		hint = "raise the limit in the config file and start platypus again"
	case errors.Is(err, registry.ErrTruncated):
		// Asking again meets the same bound.
		hint = "raise the limit named above in the config file and start platypus again"
	case errors.Is(err, registry.ErrTLS):
		hint = "see --insecure-host and --ca-file in platypus --help"
	}
	lines = append(lines, "", st.Faint.Render(hint))
	return strings.Join(lines, "\n")
}

// maxErrorLines bounds a failure's lines on a screen.
const maxErrorLines = 4

// errorLines wraps a failure to width. An error is a chain of "doing X:
// doing Y: cause", the cause last: a long one loses its middle, not its end.
func errorLines(msg string, width int) []string {
	lines := strings.Split(ansi.Wrap(msg, width, " "), "\n")
	if len(lines) > maxErrorLines {
		keep := append([]string{lines[0], "…"}, lines[len(lines)-(maxErrorLines-2):]...)
		lines = keep
	}
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return lines
}

// kv renders "key  value" lines with aligned keys.
func kv(st styles, width int, pairs ...[2]string) string {
	kw := 0
	for _, p := range pairs {
		kw = max(kw, len(p[0]))
	}
	var b strings.Builder
	for i, p := range pairs {
		if p[1] == "" {
			continue
		}
		if i > 0 && b.Len() > 0 {
			b.WriteByte('\n')
		}
		k := p[0] + strings.Repeat(" ", kw-len(p[0])+2)
		b.WriteString(st.Faint.Render(k))
		b.WriteString(st.Text.Render(ansi.Truncate(model.Clean(p[1]), max(width-kw-2, 10), "…")))
	}
	return b.String()
}

// fitLine shows plain text as one line of at most w cells: what a
// registry sent is escaped (model.Clean), then cut with "…".
func fitLine(s string, w int) string { return ansi.Truncate(model.Clean(s), max(w, 10), "…") }

// fitStyled cuts a line that is already styled (and whose registry text
// was escaped when it was built) to w cells.
func fitStyled(s string, w int) string { return ansi.Truncate(s, max(w, 10), "…") }

func countLines(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(s, "\n") + 1
}

func sortStrings(s []string) { slices.Sort(s) }

// cursorBlinks tells whether text inputs blink their cursor; tests make
// it static so no blink timer runs.
var cursorBlinks = true

// newTextInput is a text input drawn as Bubbles v1 drew one: prompt and
// text in the colours of what it sits in, placeholder grey, the cursor in
// reverse video (Bubbles v2 greys a blurred input's text and its prompt).
func newTextInput() textinput.Model {
	ti := textinput.New()
	grey := lipgloss.NewStyle().Foreground(lipgloss.Color("240"))
	plain := textinput.StyleState{Placeholder: grey, Suggestion: grey}
	ti.SetStyles(textinput.Styles{Focused: plain, Blurred: plain, Cursor: textinput.CursorStyle{Blink: cursorBlinks}})
	return ti
}

// inputView draws a text input. Bubbles v2.2.1 cuts the placeholder of an
// input without a width to its first character (charmbracelet/bubbles#950):
// such an input is drawn at its placeholder's width.
func inputView(ti textinput.Model) string {
	if ti.Width() == 0 && ti.Value() == "" {
		ti.SetWidth(ansi.StringWidth(ti.Placeholder))
	}
	return ti.View()
}

// One size everywhere: what a pull downloads besides manifests, the config
// and the layers (an artifact's blobs), compressed as stored; an index's
// is its images' summed. Columns and headers name it.
const (
	sizeTitle = "CFG+LAYERS"
	sizeWords = "config+layers"
)

// plural returns "1 layer", "3 layers".
func plural(n int, word string) string { return model.Count(n, word) }

// nouns is the plural of word: "repositories".
func nouns(word string) string { return strings.TrimPrefix(model.Count(2, word), "2 ") }

// article puts "a" or "an" before word: "an artifact", "an index".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiouAEIOU", rune(word[0])) {
		return "an " + word
	}
	return "a " + word
}

// wrap breaks text into lines of at most w cells.
func wrap(s string, w int) string { return ansi.Wrap(model.Clean(s), max(w, 10), " ") }

// wrapIndent wraps s, indenting continuation lines by indent spaces.
func wrapIndent(s string, w, indent int) string {
	w = max(w, indent+10)
	lines := strings.Split(ansi.Wrap(model.Clean(s), w, " "), "\n")
	if len(lines) == 1 {
		return lines[0]
	}
	// The rest is wrapped again to the room the indent leaves, so nothing
	// is cut.
	rest := strings.Split(ansi.Wrap(strings.Join(lines[1:], " "), w-indent, " "), "\n")
	pad := strings.Repeat(" ", indent)
	for i, l := range rest {
		rest[i] = pad + strings.TrimLeft(l, " ")
	}
	return lines[0] + "\n" + strings.Join(rest, "\n")
}

// atoiKey reads a request key that holds a number.
func atoiKey(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// tabLine is a screen's row of pane names, the current one in brackets,
// then a hint, cut to w. Labels are escaped (they may come from a
// registry).
func tabLine(st styles, labels []string, current int, hint string, w int) string {
	tabs := make([]string, len(labels))
	for i, l := range labels {
		if i == current {
			tabs[i] = st.Crumb.Render("[" + model.Clean(l) + "]")
		} else {
			tabs[i] = st.Faint.Render(" " + model.Clean(l) + " ")
		}
	}
	return fitStyled(strings.Join(tabs, " ")+st.Faint.Render("   "+hint), w)
}
