package ui

import (
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
)

// With a fleet, a single image's header has a line per target: the glyph
// of the index screen's columns and, for a target that cannot run it,
// what differs; each target's verdict is model.JudgeFleet's.
func TestImageFleetLines(t *testing.T) {
	h := newFleetHarness(t, demoLoc(t, singleImage), testFleet(t), 100, 30)
	s, ok := h.top().(*imageScreen)
	if !ok {
		t.Fatalf("top is %T", h.top())
	}
	v := h.view()
	wantIn(t, v, "✗ 2 of 3 targets cannot run it: graviton, win2019")
	want := model.JudgeFleet(s.tree.Root, testFleet(t), s.tree.Children, s.tree.Configs)
	for _, w := range want {
		em, _ := w.Analysis.Entry(0)
		line := lineWith(v, " "+w.Member.Name+"  ")
		if !strings.Contains(line, wantGlyph(em, false)+" "+w.Member.Name) {
			t.Errorf("%s: line %q, verdict %s", w.Member.Name, line, em.Verdict)
		}
	}
	wantIn(t, lineWith(v, " pc  "), "runs it")
	wantIn(t, lineWith(v, " graviton  "), "arm64")
}

// lineWith is the first line of v holding s.
func lineWith(v, s string) string {
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// On a short terminal (and in the Files pane) the header keeps one line
// for the fleet: which targets cannot run the image, on a line of its own
// so that a 60-column screen does not cut the names.
func TestImageFleetShortTerminal(t *testing.T) {
	h := newFleetHarness(t, demoLoc(t, singleImage), testFleet(t), 60, 20)
	v := h.view()
	requireFits(t, h.app.View().Content, 60, 20)
	wantIn(t, v, "\ntargets   ✗ 2 of 3 cannot run it: graviton, win2019\n")
	wantIn(t, lineWith(v, "platform "), "linux/amd64")
}
