package ui

import tea "charm.land/bubbletea/v2"

// mouseBelow is msg with its line counted from dy lines lower: a screen's
// area starts under the explorer's header.
func mouseBelow(msg tea.MouseMsg, dy int) tea.MouseMsg {
	switch m := msg.(type) {
	case tea.MouseClickMsg:
		m.Y -= dy
		return m
	case tea.MouseReleaseMsg:
		m.Y -= dy
		return m
	case tea.MouseWheelMsg:
		m.Y -= dy
		return m
	case tea.MouseMotionMsg:
		m.Y -= dy
		return m
	}
	return msg
}

// wheel is how the vertical mouse wheel moves for msg: -1 up, 1 down, 0
// for anything else.
func wheel(msg tea.Msg) int {
	w, ok := msg.(tea.MouseWheelMsg)
	switch {
	case !ok:
		return 0
	case w.Button == tea.MouseWheelUp:
		return -1
	case w.Button == tea.MouseWheelDown:
		return 1
	}
	return 0
}
