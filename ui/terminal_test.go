package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// The View asks the terminal for what the explorer needs: the alternate
// screen, clicks and the wheel, focus reports (a regained focus reloads)
// and, where the terminal has the kitty keyboard protocol, each key's
// place on a US keyboard.
func TestViewAsksTheTerminal(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/centos:7"), "linux/amd64")
	v := h.app.View()
	if !v.AltScreen || v.MouseMode != tea.MouseModeCellMotion || !v.ReportFocus || !v.KeyboardEnhancements.ReportAlternateKeys {
		t.Errorf("view: alt screen %v, mouse %v, focus %v, alternate keys %v", v.AltScreen, v.MouseMode, v.ReportFocus, v.KeyboardEnhancements.ReportAlternateKeys)
	}
}

// ctrl+c quits on any layout: a kitty-protocol terminal reports ctrl and
// the key of a Cyrillic layout with the US key it sits on (BaseCode).
func TestCtrlCQuitsOnAnyLayout(t *testing.T) {
	for name, k := range map[string]tea.KeyPressMsg{
		"legacy":   {Code: 'c', Mod: tea.ModCtrl},
		"cyrillic": {Code: 'с', BaseCode: 'c', Mod: tea.ModCtrl},
	} {
		h := newHarness(t, "mono", demoLoc(t, "library/centos:7"), "linux/amd64")
		h.keys("/") // a filter has the keys: ctrl+c quits all the same
		if _, cmd := h.app.Update(k); cmd == nil || cmd() != tea.Quit() {
			t.Errorf("%s ctrl+c did not quit", name)
		}
	}
}

// A config file written for Bubble Tea v1 named the space bar " ".
func TestSpaceBarSpelledEitherWay(t *testing.T) {
	for _, space := range []string{" ", "space"} {
		h, _ := keyedHarness(t, "library/centos", map[string][]string{"mark": {space}})
		h.keys("space")
		if !h.top().(*tagsScreen).row(0).marked {
			t.Errorf("mark bound to %q: space did not mark", space)
		}
	}
}

// A paste is text for what has the keys, never keys: into the go-to
// input, a filter, the copy-to input; elsewhere it does nothing.
func TestPasteGoesToTheInput(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/centos"), "linux/amd64")
	if _, cmd := h.app.Update(tea.PasteMsg{Content: "q"}); cmd != nil && cmd() == tea.Quit() {
		t.Fatal("a pasted q quit")
	}
	h.keys("g")
	h.send(tea.PasteMsg{Content: "library/mysql:8"})
	wantIn(t, h.view(), "go to: library/mysql:8")
	h.keys("esc", "/")
	h.send(tea.PasteMsg{Content: "7.6"})
	wantIn(t, h.view(), "/7.6", "1/4")
	h.keys("enter")
	if s, ok := h.top().(*indexScreen); !ok || s.ref.Tag != "7.6.1810" {
		t.Fatalf("the pasted filter did not open 7.6.1810: %T", h.top())
	}
	h.keys("C")
	h.send(tea.PasteMsg{Content: "other/centos:copy"})
	if v := h.view(); !strings.Contains(v, "copy to: other/centos:copy") {
		t.Errorf("copy-to input lacks the paste:\n%s", v)
	}
}
