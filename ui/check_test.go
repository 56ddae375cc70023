package ui

import (
	"context"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/check"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/themes"
)

// The demo's platypus/webapp:1.1-rc1 is what a hurried CI job pushed: the
// release check fails it with 4 errors and 5 warnings (as `platypus
// check` does, README).
const failingIndex = "platypus/webapp:1.1-rc1"

// policyHarness is a harness whose explorer runs the check with the
// policy written in yaml ("" for the built-in rules).
func policyHarness(t *testing.T, loc, yaml string) *harness {
	t.Helper()
	var p *check.Policy
	if yaml != "" {
		var err error
		if p, err = check.ParsePolicy([]byte(yaml)); err != nil {
			t.Fatal(err)
		}
	}
	th, err := themes.Load("mono")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	srv := demoServer(t)
	o := Options{Client: registry.New(registry.WithPlainHTTP(srv.Host)), Demo: srv.Host, Location: demoLoc(t, loc), Policy: p,
		Target: model.FlagTarget(model.Platform{OS: "linux", Architecture: "amd64"}, model.SourceFlag)}
	d, err := NewDriver(ctx, o, th, harnessWidth, harnessHeight)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, d: d, app: d.app, c: d.common, copied: &d.Copied}
}

// The index screen runs the check once it has loaded and shows the
// verdict in its header: beside the reference when both fit, else on a
// line of its own.
func TestCheckVerdictInIndexHeader(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, failingIndex), "linux/amd64")
	s := h.top().(*indexScreen)
	if !s.check.done || len(s.check.result.Findings) != 9 {
		t.Fatalf("check %+v", s.check)
	}
	first := strings.Split(h.view(), "\n")[2]
	if !strings.Contains(first, "/platypus/webapp:1.1-rc1") || !strings.Contains(first, "✗ check failed: 4 errors, 5 warnings · F lists them") {
		t.Errorf("header: %q", first)
	}
	requireView(t, h)
	h.send(tea.WindowSizeMsg{Width: 60, Height: 16})
	lines := strings.Split(h.view(), "\n")
	if !strings.HasSuffix(strings.TrimSpace(lines[2]), "webapp:1.1-rc1") || !strings.HasPrefix(lines[3], "✗ check failed: 4 errors") {
		t.Errorf("narrow header:\n%s", h.view())
	}
	requireFits(t, h.app.View().Content, 60, 16)
}

// An index that passes says so; the key that lists findings still works.
func TestCheckVerdictPassed(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "platypus/webapp:1.0"), "linux/amd64")
	if !strings.Contains(h.view(), "✓ check passed") {
		t.Fatalf("no verdict:\n%s", h.view())
	}
	h.keys("F")
	if _, ok := h.top().(*findingsScreen); !ok || !strings.Contains(h.view(), "no findings") {
		t.Errorf("F on a passing index:\n%s", h.view())
	}
}

// F lists the findings grouped by platform, the index's own first, as the
// CLI prints them; severities are words, so they show without colour.
func TestCheckFindingsScreen(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, failingIndex), "linux/amd64")
	h.keys("F")
	s, ok := h.top().(*findingsScreen)
	if !ok {
		t.Fatalf("F opened %T", h.top())
	}
	var groups []string
	for i := range s.rows {
		if g, _ := s.cell(i, 0); g != "" {
			groups = append(groups, g)
		}
	}
	if got := strings.Join(groups, " "); got != "index linux/arm64 linux/amd64 linux/arm windows/amd64" {
		t.Errorf("groups %q", got)
	}
	requireView(t, h)
	for _, size := range [][2]int{{80, 24}, {60, 16}} {
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		requireFits(t, h.app.View().Content, size[0], size[1])
	}
}

// Registry data in a finding (a platform, a rule's message quoting an
// annotation) is escaped on screen.
func TestCheckFindingsEscaped(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, failingIndex), "linux/amd64")
	hostile := "\x1b]0;pwned\x07\u202e"
	c := checkState{done: true, result: check.Result{Findings: []check.Finding{
		{Rule: check.RuleMissingAnnotation, Severity: model.SevError, Platform: "linux/" + hostile, Message: "value " + hostile + " of an annotation"},
	}}}
	h.send(pushMsg{make: newFindingsScreen("x"+hostile, c, nil)})
	v := h.app.View().Content
	for _, raw := range []string{"\x1b]0;", "\x07", "\u202e"} {
		if strings.Contains(v, raw) {
			t.Errorf("%q reached the terminal:\n%s", raw, v)
		}
	}
	if !strings.Contains(h.view(), `\u202e`) {
		t.Errorf("the bidi override is not shown escaped:\n%s", h.view())
	}
}

// enter on a finding goes to what it is about: the entry (an image, an
// attestation), the referrers for a signature, the index's JSON for its
// annotations; a platform the index lacks is said so.
func TestCheckFindingEnter(t *testing.T) {
	const policy = "platforms: {require: [linux/riscv64]}\nannotations: {require: [org.example.release]}\nsignatures: required\n"
	h := policyHarness(t, failingIndex, policy)
	idx := h.top().(*indexScreen)
	root := idx.tree.Root
	cases := []struct {
		rule string
		want func(screen) bool
		// status, when nothing opens, is what the status line says.
		status string
	}{
		{rule: check.RulePlatformMismatch, want: func(s screen) bool {
			r, ok := s.Ref()
			return s.Crumb() == "linux/arm64" && ok && r.Digest == root.Entries[1].Digest
		}},
		{rule: check.RuleDanglingAttestation, want: func(s screen) bool {
			a, ok := s.(*attestationScreen)
			return ok && a.Crumb() == "attestation"
		}},
		{rule: check.RuleMissingSignature, want: func(s screen) bool {
			r, ok := s.(*referrersScreen)
			return ok && r.subject.Digest == root.Digest
		}},
		{rule: check.RuleMissingAnnotation, want: func(s screen) bool {
			_, ok := s.(*rawScreen)
			return ok
		}},
		{rule: check.RuleMissingPlatform, status: "the index has no linux/riscv64 entry"},
	}
	h.keys("F")
	f := h.top().(*findingsScreen)
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			at := -1
			for i, r := range f.rows {
				if r.Rule == c.rule {
					at = i
					break
				}
			}
			if at < 0 {
				t.Fatalf("no %s finding", c.rule)
			}
			f.table.SetCursor(at)
			h.keys("enter")
			if c.status != "" {
				if h.top() != f || !strings.Contains(h.app.status, c.status) {
					t.Errorf("enter: %T, status %q", h.top(), h.app.status)
				}
				return
			}
			if h.top() == screen(f) || !c.want(h.top()) {
				t.Errorf("enter opened %T (%s):\n%s", h.top(), h.top().Crumb(), h.view())
			}
			h.keys("esc")
			if h.top() != screen(f) {
				t.Fatalf("esc did not come back to the findings: %T", h.top())
			}
		})
	}
}

// The golden of enter on the platform-mismatch finding: the image declared
// linux/arm64 says what its config does.
func TestCheckFindingEnterImage(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, failingIndex), "linux/amd64")
	h.keys("F", "down", "enter")
	if _, ok := h.top().(*imageScreen); !ok {
		t.Fatalf("enter opened %T", h.top())
	}
	requireView(t, h)
}

// capturedChecks records the contexts the explorer's checks run under.
type capturedChecks struct {
	mu   sync.Mutex
	ctxs []context.Context
}

func (c *capturedChecks) hook(h *harness) {
	real := h.c.Client.NewChecker()
	h.c.checkFacts = func(ctx context.Context, r model.Reference, o registry.CheckOptions) (*check.Facts, error) {
		c.mu.Lock()
		c.ctxs = append(c.ctxs, ctx)
		c.mu.Unlock()
		return real.Facts(ctx, r, o)
	}
}

// Leaving the index screen cancels its check: the request's context ends,
// and the reply that comes after is dropped.
func TestCheckCancelledOnLeave(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "platypus/webapp"), "linux/amd64")
	var cc capturedChecks
	cc.hook(h)
	h.holdJob(jobCheck)
	h.keys("/")
	h.typeText("1.1-rc1")
	h.keys("enter")
	s, ok := h.top().(*indexScreen)
	if !ok || len(cc.ctxs) != 1 || len(h.d.Held()) != 1 {
		t.Fatalf("on %T, %d checks, %d held", h.top(), len(cc.ctxs), len(h.d.Held()))
	}
	if !strings.Contains(h.view(), "check: running…") || cc.ctxs[0].Err() != nil {
		t.Fatalf("the check should run: %v\n%s", cc.ctxs[0].Err(), h.view())
	}
	h.keys("F")
	if h.top() != screen(s) || !strings.Contains(h.app.status, "still running") {
		t.Errorf("F while the check runs: %T, %q", h.top(), h.app.status)
	}
	h.keys("esc")
	if cc.ctxs[0].Err() == nil {
		t.Fatal("leaving the index did not cancel its check")
	}
	h.d.Hold(nil)
	h.deliver(0) // dropped: the screen is gone
	if s.check.done {
		t.Error("a reply for a screen that was left was delivered")
	}
}

// A check that cannot run (the registry fails) says why in the header,
// and F says so too; r runs it again.
func TestCheckCouldNotRun(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "platypus/webapp"), "linux/amd64")
	fail := true
	h.c.checkFacts = func(ctx context.Context, r model.Reference, o registry.CheckOptions) (*check.Facts, error) {
		if fail {
			return nil, registry.ErrNotFound
		}
		return h.c.Client.NewChecker().Facts(ctx, r, o)
	}
	h.keys("/")
	h.typeText("1.1-rc1")
	h.keys("enter")
	if !strings.Contains(h.view(), "✗ check could not run") {
		t.Fatalf("no error in the header:\n%s", h.view())
	}
	h.keys("F")
	if _, ok := h.top().(*indexScreen); !ok || !strings.Contains(h.app.status, "could not run") {
		t.Errorf("F: %T %q", h.top(), h.app.status)
	}
	fail = false
	h.keys("r")
	if !strings.Contains(h.view(), "✗ check failed: 4 errors") {
		t.Errorf("r did not check again:\n%s", h.view())
	}
}

// With --demo, a base image named without a registry host is the demo's,
// as `platypus check` resolves it (base.covered, base.fresh).
func TestCheckResolvesBasesAsTheCLI(t *testing.T) {
	c := &common{Demo: "127.0.0.1:5999"}
	for name, want := range map[string]string{
		"check/base:1":               "127.0.0.1:5999/check/base:1",
		"alpine:3.20":                "127.0.0.1:5999/library/alpine:3.20",
		"docker.io/library/alpine:3": "docker.io/library/alpine:3",
	} {
		if r, err := c.resolveBase(name); err != nil || r.String() != want {
			t.Errorf("%s: %s %v, want %s", name, r, err, want)
		}
	}
	if _, err := c.resolveBase("registry.example.com"); err == nil {
		t.Error("a registry host is no base image")
	}
}
