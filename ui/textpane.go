package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// textPane shows lines that may be long and many: up and down, page by
// page, and sideways (← →), with "…" where a line goes on past an edge.
// Its lines are shown as given: whoever sets them escapes what a registry
// sent.
type textPane struct {
	lines []string
	vp    viewport.Model
	w     int
	// xoff is how far the view is scrolled sideways; widest is the
	// longest line.
	xoff, widest int
}

// sideStep is how far ← and → scroll.
const sideStep = 8

func newTextPane(lines []string) textPane {
	p := textPane{vp: viewport.New()}
	p.setLines(lines)
	return p
}

func (p *textPane) setLines(lines []string) {
	p.lines, p.widest = lines, 0
	for _, l := range lines {
		p.widest = max(p.widest, ansi.StringWidth(l))
	}
	p.vp.SetContent(strings.Join(lines, "\n"))
}

// setSize gives the pane w×h cells.
func (p *textPane) setSize(w, h int) {
	p.w = w
	p.vp.SetWidth(w)
	p.vp.SetHeight(max(h, 1))
}

// sideways tells whether a line is wider than the pane.
func (p *textPane) sideways() bool { return p.widest > p.w }

// bindings are the pane's keys, as they apply now.
func (p *textPane) bindings(km paneKeys) []key.Binding {
	out := []key.Binding{km.PageUp, km.PageDown}
	if p.sideways() {
		out = append(out, relabel(km.Left, "scroll left"), relabel(km.Right, "scroll right"))
	}
	return out
}

// update scrolls.
func (p *textPane) update(msg tea.Msg, km paneKeys) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, km.Up):
			p.vp.ScrollUp(1)
		case key.Matches(msg, km.Down):
			p.vp.ScrollDown(1)
		case key.Matches(msg, km.PageUp):
			p.vp.PageUp()
		case key.Matches(msg, km.PageDown):
			p.vp.PageDown()
		case key.Matches(msg, km.Home):
			p.vp.GotoTop()
		case key.Matches(msg, km.End):
			p.vp.GotoBottom()
		case key.Matches(msg, km.Left):
			p.xoff = max(p.xoff-sideStep, 0)
		case key.Matches(msg, km.Right):
			p.xoff = min(p.xoff+sideStep, max(p.widest-p.w+1, 0))
		}
	case tea.MouseWheelMsg:
		// Up and down, shift or not: sideways is the keys' (the viewport
		// would take shift+wheel as sideways, which this pane draws itself).
		msg.Mod = 0
		var cmd tea.Cmd
		p.vp, cmd = p.vp.Update(msg)
		return cmd
	}
	return nil
}

// view is the lines on screen, cut to the width at the sideways offset:
// a "…" marks where a line goes on beyond either edge.
func (p *textPane) view() string {
	start := min(p.vp.YOffset(), len(p.lines))
	end := min(start+p.vp.Height(), len(p.lines))
	out := make([]string, 0, p.vp.Height())
	for _, l := range p.lines[start:end] {
		w := ansi.StringWidth(l)
		seg := ansi.Cut(l, p.xoff, p.xoff+p.w)
		if p.xoff > 0 && w > p.xoff {
			seg = "…" + ansi.Cut(l, p.xoff+1, p.xoff+p.w)
		}
		if w > p.xoff+p.w {
			seg = ansi.Cut(seg, 0, p.w-1) + "…"
		}
		out = append(out, seg)
	}
	for len(out) < p.vp.Height() {
		out = append(out, "")
	}
	return strings.Join(out, "\n")
}
