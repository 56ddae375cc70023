package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model/check"
)

// singleImage is a tag of the demo that is one image, not an index.
const singleImage = "yorek/multiarch-hello-world:linux"

// A single image opened by its tag runs the release check as `platypus
// check` does on it and says the verdict in its header; F lists the
// findings and enter goes to what one is about.
func TestImageCheckVerdict(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, singleImage), "linux/amd64")
	s, ok := h.top().(*imageScreen)
	if !ok {
		t.Fatalf("top is %T", h.top())
	}
	if !s.check.done || len(s.check.result.Findings) != 0 {
		t.Fatalf("check %+v", s.check)
	}
	wantIn(t, h.view(), "✓ check passed")
	h.keys("F")
	if _, ok := h.top().(*findingsScreen); !ok || !strings.Contains(h.view(), "no findings") {
		t.Fatalf("F on a passing image:\n%s", h.view())
	}

	const policy = "annotations: {require: [org.example.release]}\nsignatures: required\nplatforms: {require: [linux/arm64]}\n"
	h = policyHarness(t, singleImage, policy)
	if _, ok := h.top().(*imageScreen); !ok {
		t.Fatalf("top is %T", h.top())
	}
	wantIn(t, h.view(), "✗ check failed: 3 errors · F lists them")
	h.keys("F")
	f, ok := h.top().(*findingsScreen)
	if !ok {
		t.Fatalf("F opened %T", h.top())
	}
	for _, c := range []struct {
		rule string
		want func(screen) bool
		// status, when nothing opens, is what the status line says.
		status string
	}{
		{rule: check.RuleMissingSignature, want: func(s screen) bool { _, ok := s.(*referrersScreen); return ok }},
		{rule: check.RuleMissingAnnotation, want: func(s screen) bool { _, ok := s.(*rawScreen); return ok }},
		{rule: check.RuleMissingPlatform, status: "builds an index with linux/arm64"},
	} {
		at := -1
		for i, r := range f.rows {
			if r.Rule == c.rule {
				at = i
			}
		}
		if at < 0 {
			t.Fatalf("no %s finding", c.rule)
		}
		f.table.SetCursor(at)
		h.keys("enter")
		if c.status != "" {
			if h.top() != screen(f) || !strings.Contains(h.app.status, c.status) {
				t.Errorf("%s: enter: %T, status %q", c.rule, h.top(), h.app.status)
			}
			continue
		}
		if !c.want(h.top()) {
			t.Errorf("%s: enter opened %T:\n%s", c.rule, h.top(), h.view())
		}
		h.keys("esc")
	}
}

// An image opened as an entry of an index runs no check of its own: the
// index's covers it.
func TestImageCheckNotOnAnEntry(t *testing.T) {
	h := openImage(t)
	s := h.top().(*imageScreen)
	if s.check.running || s.check.done || strings.Contains(h.view(), "check") {
		t.Errorf("an entry ran a check:\n%s", h.view())
	}
}

// Leaving the image screen cancels its check, and F says it still runs.
func TestImageCheckCancelledOnLeave(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "yorek/multiarch-hello-world"), "linux/amd64")
	var cc capturedChecks
	cc.hook(h)
	h.holdJob(jobCheck)
	h.keys("/")
	h.typeText("linux")
	h.keys("enter")
	s, ok := h.top().(*imageScreen)
	if !ok || len(cc.ctxs) != 1 || len(h.d.Held()) != 1 {
		t.Fatalf("on %T, %d checks, %d held", h.top(), len(cc.ctxs), len(h.d.Held()))
	}
	wantIn(t, h.view(), "check: running…")
	h.keys("F")
	if h.top() != screen(s) || !strings.Contains(h.app.status, "still running") {
		t.Errorf("F while the check runs: %T, %q", h.top(), h.app.status)
	}
	h.keys("esc")
	if cc.ctxs[0].Err() == nil {
		t.Fatal("leaving the image did not cancel its check")
	}
	h.d.Hold(nil)
	h.deliver(0)
	if s.check.done {
		t.Error("a reply for a screen that was left was delivered")
	}
	// A narrow terminal puts the verdict on a line of its own.
	h.keys("enter")
	h.send(tea.WindowSizeMsg{Width: 60, Height: 16})
	if lines := strings.Split(h.view(), "\n"); len(lines) < 4 || !strings.Contains(h.view(), "\n✓ check passed") {
		t.Errorf("narrow header:\n%s", h.view())
	}
	requireFits(t, h.app.View().Content, 60, 16)
}
