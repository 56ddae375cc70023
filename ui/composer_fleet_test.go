package ui

import (
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
)

// With a fleet, the composer judges the draft for every target after each
// check, in the index screen's words (model.JudgeFleet's verdicts), and
// the preview says what each target would pull.
func TestComposerJudgesTheFleet(t *testing.T) {
	h := newFleetHarness(t, demoLoc(t, "platypus/webapp:1.0"), testFleet(t), 100, 30)
	h.c.State = openState(t, t.TempDir())
	h.keys("c")
	s, ok := h.top().(*composerScreen)
	if !ok || !s.verify.done {
		t.Fatalf("c opened %T", h.top())
	}
	if len(s.verify.verdicts) != 3 {
		t.Fatalf("%d verdicts", len(s.verify.verdicts))
	}
	wantIn(t, h.view(), "✗ 1 target of 3 pulls nothing: win2019", "  win2019: docker: ")
	h.keys("v")
	wantIn(t, h.view(), "//   graviton: pulls ", "//   win2019: docker: ")
	h.keys("esc")
	// Without the arm64 entry, containerd on Graviton falls back to the
	// arm/v7 one (as model.JudgeFleet has it): judged again after the edit.
	for i, e := range s.draft.Entries {
		if e.Platform != nil && e.Platform.Architecture == "arm64" {
			s.table.SetCursor(i)
		}
	}
	h.keys("x", "v")
	wantIn(t, h.view(), "//   graviton: pulls ecc35e757d79", "//   pc: pulls 87418c7bf62e")
}

// On a short terminal (60×20) the composer's footer does not eat the
// draft: the check's verdict and the fleet's stay, its findings are left
// to F (the verdict says so), and the table keeps most of its rows.
func TestComposerShortTerminalKeepsTheDraft(t *testing.T) {
	h := newFleetHarness(t, demoLoc(t, "platypus/webapp:1.1-rc1"), testFleet(t), 60, 20)
	h.c.State = openState(t, t.TempDir())
	h.keys("c")
	s, ok := h.top().(*composerScreen)
	if !ok || !s.verify.done {
		t.Fatalf("c opened %T", h.top())
	}
	v := h.view()
	requireFits(t, h.app.View().Content, 60, 20)
	wantIn(t, v, "✗ check failed", "F lists them", "3 targets")
	shown := 0
	for _, e := range s.draft.Entries {
		if strings.Contains(v, model.ShortDigest(e.Digest)) {
			shown++
		}
	}
	if shown < 6 {
		t.Errorf("%d of %d entries shown:\n%s", shown, len(s.draft.Entries), v)
	}
}
