package ui

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/registry/state"
)

// journalRecords reads the journal's records.
func journalRecords(t *testing.T, h *harness) []state.Record {
	t.Helper()
	b, err := os.ReadFile(h.c.State.Journal().Path())
	if err != nil {
		t.Fatal(err)
	}
	var out []state.Record
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var r state.Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// The check's errors block P: the composer asks, any other key keeps the
// tag as it is, y pushes anyway (after the usual confirmation), and the
// journal says the check was overridden and what it found.
func TestComposerCheckBlocksPush(t *testing.T) {
	h, srv := composeHarness(t, failingIndex)
	before := h.manifest(t, srv, failingIndex).Digest
	h.keys("c", "down", "down", "x") // the duplicate amd64: validation's error too
	c := h.top().(*composerScreen)
	if !strings.Contains(h.view(), "✗ check failed: 3 errors, 4 warnings · F lists them") {
		t.Fatalf("no verdict in the footer:\n%s", h.view())
	}
	h.keys("P")
	if c.mode != modeOverride {
		t.Fatalf("P did not stop at the check's errors (mode %d):\n%s", c.mode, h.view())
	}
	requireView(t, h)
	h.keys("n")
	if c.mode != modeNone || !strings.Contains(h.app.status, "not pushed") || h.manifest(t, srv, failingIndex).Digest != before {
		t.Fatalf("another key should cancel: mode %d, %q", c.mode, h.app.status)
	}
	h.keys("P", "y")
	if c.mode != modeConfirm || !strings.Contains(h.view(), "y pushes 1.1-rc1 past the check's 3 errors") {
		t.Fatalf("y should lead to the push's own confirmation:\n%s", h.view())
	}
	h.keys("y")
	after := h.manifest(t, srv, failingIndex).Digest
	if after == before {
		t.Fatalf("not pushed: %s", h.app.status)
	}
	recs := journalRecords(t, h)
	if len(recs) != 2 {
		t.Fatalf("journal: %+v", recs)
	}
	const want = "3 errors (dangling-attestation, platform-mismatch, windows-os-version)"
	for _, r := range recs {
		if r.CheckOverridden != want || r.Digest != after {
			t.Errorf("journal record %s: checkOverridden %q, want %q", r.State, r.CheckOverridden, want)
		}
	}
}

// An edit after y asks again: what was confirmed is the draft as it was.
func TestComposerCheckOverrideIsPerRevision(t *testing.T) {
	h, _ := composeHarness(t, failingIndex)
	h.keys("c", "down", "down", "x", "P", "y")
	c := h.top().(*composerScreen)
	if c.mode != modeConfirm || c.verify.overridden == "" {
		t.Fatalf("mode %d, overridden %q", c.mode, c.verify.overridden)
	}
	h.keys("esc") // cancels the push's confirmation
	h.keys("N")
	h.typeText("org.example.note=again")
	h.keys("enter")
	if c.verify.overridden != "" {
		t.Errorf("an edit kept the override: %q", c.verify.overridden)
	}
	h.keys("P")
	if c.mode != modeOverride {
		t.Errorf("P after an edit did not ask again (mode %d)", c.mode)
	}
}

// P while the check still runs waits for it, then goes on as it says.
func TestComposerPushWaitsForCheck(t *testing.T) {
	h, _ := composeHarness(t, failingIndex)
	h.keys("c")
	h.holdJob(jobCheck)
	h.keys("down", "down", "x")
	c := h.top().(*composerScreen)
	if len(h.d.Held()) != 1 || !strings.Contains(h.view(), "check: running…") {
		t.Fatalf("%d held:\n%s", len(h.d.Held()), h.view())
	}
	h.keys("P")
	if c.mode != modeNone || !strings.Contains(h.app.status, "checking the draft first") {
		t.Fatalf("P while checking: mode %d, %q", c.mode, h.app.status)
	}
	h.d.Hold(nil)
	h.deliver(0)
	if c.mode != modeOverride {
		t.Errorf("the check's errors did not stop the waiting push (mode %d)", c.mode)
	}
}

// The README's walk-through: fixing 1.1-rc1 in the composer leaves two
// warnings, which are shown and do not block; P asks only the usual
// question, and the journal has no override.
func TestComposerCheckWalkThrough(t *testing.T) {
	h, srv := composeHarness(t, failingIndex)
	h.keys("c", "down", "x", "x") // amd64 binaries declared arm64, the second amd64 build
	h.keys("e")
	h.typeText("/v7")
	h.keys("enter", "down", "e")
	h.typeText(" 10.0.17763.6054")
	h.keys("enter", "G", "x") // the attestation of the image that is gone
	h.keys("t", "backspace", "backspace", "backspace", "backspace", "enter")
	c := h.top().(*composerScreen)
	if c.dest.Tag != "1.1" {
		t.Fatalf("target %s", c.dest)
	}
	if !strings.Contains(h.view(), "✓ check passed, 2 warnings · F lists them") {
		t.Fatalf("the fixed draft should pass with two warnings:\n%s", h.view())
	}
	requireView(t, h)
	h.keys("P")
	if c.mode != modeConfirm || !strings.Contains(h.view(), "does not exist: y creates it") {
		t.Fatalf("a passing check should go straight to the confirmation:\n%s", h.view())
	}
	h.keys("y")
	pushed := h.manifest(t, srv, "platypus/webapp:1.1")
	for _, r := range journalRecords(t, h) {
		if r.CheckOverridden != "" || r.Digest != pushed.Digest {
			t.Errorf("journal record %+v", r)
		}
	}
	// The pushed index, opened, passes with the same two warnings.
	h.keys("g")
	h.typeText("platypus/webapp:1.1")
	h.keys("enter")
	if !strings.Contains(h.view(), "✓ check passed, 2 warnings") {
		t.Errorf("the pushed index:\n%s", h.view())
	}
}

// F in the composer lists the draft's findings; enter opens the entry a
// finding is about where it lives now.
func TestComposerCheckFindings(t *testing.T) {
	h, _ := composeHarness(t, failingIndex)
	h.keys("c", "F")
	f, ok := h.top().(*findingsScreen)
	if !ok || len(f.rows) != 9 || !strings.Contains(h.view(), "check of the draft for") {
		t.Fatalf("F opened %T:\n%s", h.top(), h.view())
	}
	h.keys("down", "enter") // platform-mismatch, entry 2
	r, ok := h.top().Ref()
	if h.top().Crumb() != "linux/arm64" || !ok || !strings.HasPrefix(r.Digest, "sha256:ce5ad2660a60") {
		t.Errorf("enter opened %s %s", h.top().Crumb(), r)
	}
}
