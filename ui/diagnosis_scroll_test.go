package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// The diagnosis page scrolls in the viewport's steps: pgdn a page less
// the "more below" line, the wheel three lines, never past either end.
func TestDiagnosisPageSteps(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/mysql:5.7"), "linux/arm64/v8")
	h.send(tea.WindowSizeMsg{Width: 60, Height: 14})
	h.keys("d")
	d := h.top().(*diagnosisScreen)
	if !d.scrolls() {
		t.Fatal("the page fits at 60×14")
	}
	lines := countLines(d.page())
	h.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if got := d.vp.YOffset(); got != min(3, lines-d.h) {
		t.Errorf("the wheel scrolled to %d", got)
	}
	h.keys("home", "pgdown")
	if got := d.vp.YOffset(); got != min(d.h-1, lines-d.h) {
		t.Errorf("pgdn scrolled to %d, page of %d lines, %d high", got, lines, d.h)
	}
	for range 10 {
		h.keys("pgdown")
	}
	if got := d.vp.YOffset(); got != lines-d.h {
		t.Errorf("at the end the offset is %d, want %d", got, lines-d.h)
	}
	h.send(tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	h.keys("pgup", "pgup", "pgup", "pgup", "pgup", "pgup")
	if got := d.vp.YOffset(); got != 0 {
		t.Errorf("at the top the offset is %d", got)
	}
	requireFits(t, h.app.View().Content, 60, 14)
}
