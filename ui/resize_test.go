package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// A list that arrives before the terminal says its size (a local registry
// answers in a millisecond, the size comes after) still gets the details
// of the rows the size then shows: they were stuck at "…".
func TestRowsShownByAResizeAreLoaded(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/mysql"), "linux/amd64")
	h.send(tea.WindowSizeMsg{Width: 110, Height: 6})
	h.keys("r")
	h.send(tea.WindowSizeMsg{Width: 110, Height: 32})
	v := h.view()
	wantIn(t, v, "latest ")
	wantLine(t, v, "latest ", "index")
	wantOut(t, v, " … ")
}
