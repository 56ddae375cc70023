package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
)

// holdJob holds back the replies of job j until the test delivers them.
func (h *harness) holdJob(j job) {
	h.d.Hold(func(m tea.Msg) bool {
		r, ok := m.(answer)
		return ok && r.request().job == j
	})
}

// alter changes what held reply i carries, so that only the request check
// can keep it out.
func alter[T any](h *harness, i int, f func(T) T) {
	h.t.Helper()
	r, ok := h.d.held[i].(reply[T])
	if !ok {
		h.t.Fatalf("held message %d is %T, not a reply[%T]", i, h.d.held[i], *new(T))
	}
	r.val = f(r.val)
	h.d.held[i] = r
}

func (h *harness) deliver(i int) {
	h.t.Helper()
	if err := h.d.Deliver(i); err != nil {
		h.t.Fatal(err)
	}
}

// The defect that started the async core: change the target tag, remove
// an entry, then let the held-back reload arrive. It must not bring the
// entry back, nor the old target.
func TestComposerLateReloadKeepsEdits(t *testing.T) {
	h, _ := composeHarness(t, "library/centos:7")
	h.keys("c")
	c := h.top().(*composerScreen)
	if len(c.draft.Entries) != 5 {
		t.Fatalf("draft has %d entries", len(c.draft.Entries))
	}
	h.holdJob(jobCurrent)
	h.keys("t", "backspace")
	h.typeText("next")
	h.keys("enter")
	h.keys("x")
	if len(h.d.Held()) != 1 || len(c.draft.Entries) != 4 {
		t.Fatalf("held %d replies, draft has %d entries", len(h.d.Held()), len(c.draft.Entries))
	}
	h.d.Hold(nil)
	h.deliver(0)
	if len(c.draft.Entries) != 4 || c.draft.Target.Tag != "next" || c.dest.Tag != "next" {
		t.Errorf("the late reply undid an edit: %d entries, target %s", len(c.draft.Entries), c.draft.Target)
	}
	if c.current != nil {
		t.Errorf("next does not exist, yet current = %s", c.current.Digest)
	}
}

// Two target changes: the reply for the first arrives last and is dropped;
// only the second tag's state is used.
func TestComposerOutOfOrderReloads(t *testing.T) {
	h, _ := composeHarness(t, "library/centos")
	h.keys("c") // amends the tag under the cursor: 6.6
	c := h.top().(*composerScreen)
	h.holdJob(jobCurrent)
	h.keys("t", "backspace", "backspace", "backspace")
	h.typeText("7")
	h.keys("enter", "t", "backspace")
	h.typeText("nothing-here")
	h.keys("enter")
	if len(h.d.Held()) != 2 {
		t.Fatalf("held %d replies", len(h.d.Held()))
	}
	// The stale reply claims the new tag, so only its request gives it away.
	alter(h, 0, func(v tagNow) tagNow { c := v.(currentReply); c.tag = c.tag.WithTag("nothing-here"); return c })
	h.d.Hold(nil)
	h.deliver(1) // nothing-here: the tag does not exist
	h.deliver(0) // 7, late: stale
	if c.current != nil || c.draft.Base != "" {
		t.Errorf("a stale reload set current to %v, base %q", c.current != nil, c.draft.Base)
	}
}

// An entry resolved for the draft arrives after other edits: it is added
// to the draft as it is now.
func TestComposerLateAddAppends(t *testing.T) {
	h, _ := composeHarness(t, "yorek/multiarch-hello-world")
	h.keys("c") // amend :linux (1 entry)
	c := h.top().(*composerScreen)
	h.holdJob(jobAdd)
	h.keys("a")
	h.typeText("yorek/multiarch-hello-world:windows")
	h.keys("enter", "N")
	h.typeText("org.opencontainers.image.version=2")
	h.keys("enter")
	h.d.Hold(nil)
	h.deliver(0)
	if len(c.draft.Entries) != 2 || c.draft.Annotations["org.opencontainers.image.version"] != "2" {
		t.Errorf("draft after a late add: %d entries, annotations %v", len(c.draft.Entries), c.draft.Annotations)
	}
}

// A refresh supersedes the pages and row details asked before it.
func TestTagsRefreshDropsOldReplies(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/centos"), "linux/amd64")
	tags := h.top().(*tagsScreen)
	h.holdJob(jobPage)
	h.keys("r") // the first page of the refresh is held
	h.keys("r") // and superseded by another
	if len(h.d.Held()) != 2 {
		t.Fatalf("held %d", len(h.d.Held()))
	}
	alter(h, 0, func(v pageEvent) pageEvent { p := v.(pagePart); p.names = append(p.names, "stale"); return p })
	h.d.Hold(nil)
	h.deliver(1)
	h.deliver(0) // stale
	if len(tags.list.names) != 4 || len(tags.rows) != 4 {
		t.Errorf("%d names, %d rows after a stale page", len(tags.list.names), len(tags.rows))
	}
}

func TestReposRefreshDropsOldReplies(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, demoServer(t).Host), "linux/amd64")
	r := h.top().(*reposScreen)
	n := len(r.list.names)
	h.holdJob(jobCatalog)
	h.keys("r", "r")
	alter(h, 0, func(p pageReply) pageReply { p.page.Items = append(p.page.Items, "stale/repo"); return p })
	h.d.Hold(nil)
	h.deliver(1)
	h.deliver(0)
	if len(r.list.names) != n {
		t.Errorf("%d repositories after a stale page, want %d", len(r.list.names), n)
	}
}

// A manifest reloaded twice takes the second answer only; the first,
// arriving late, does not replace the screen again.
func TestManifestReloadDropsOldReplies(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/centos:7"), "linux/amd64")
	h.holdJob(jobTree)
	h.keys("r")
	h.keys("r")
	if len(h.d.Held()) != 2 {
		t.Fatalf("held %d", len(h.d.Held()))
	}
	h.d.Hold(nil)
	h.deliver(0) // the first, superseded while the loader waits
	if _, ok := h.top().(*manifestScreen); !ok {
		t.Fatalf("a superseded tree was shown: top is %T", h.top())
	}
	h.deliver(0) // the current one
	if _, ok := h.top().(*indexScreen); !ok {
		t.Errorf("top is %T", h.top())
	}
}

func TestReferrersReloadDropsOldReplies(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "platypus/charts:0.1.0"), "linux/amd64")
	h.keys("R")
	rs := h.top().(*referrersScreen)
	n := len(rs.refs)
	h.holdJob(jobReferrers)
	h.keys("r", "r")
	alter(h, 0, func([]model.Descriptor) []model.Descriptor { return nil })
	h.d.Hold(nil)
	h.deliver(1)
	h.deliver(0)
	if len(rs.refs) != n || rs.state != ready {
		t.Errorf("%d referrers (want %d), state %v", len(rs.refs), n, rs.state)
	}
	if len(h.d.Held()) != 0 {
		t.Errorf("%d replies still held", len(h.d.Held()))
	}
}

// Scan results of a scan that was stopped or restarted are dropped.
func TestDiagnosisDropsResultsOfAnOldScan(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/mysql:5.7"), "linux/arm64/v8")
	h.holdJob(jobScan)
	h.keys("d")
	d := h.top().(*diagnosisScreen)
	if len(h.d.Held()) != 1 {
		t.Fatalf("held %d", len(h.d.Held()))
	}
	h.keys("esc") // stop the scan: the screen stays
	if h.top() != d || d.scanning() {
		t.Fatalf("esc did not stop the scan (top %T)", h.top())
	}
	h.d.Hold(nil)
	h.deliver(0)
	if d.done != 0 || len(d.found) != 0 {
		t.Errorf("a stopped scan still counted %d results", d.done)
	}
}

// A reply for a screen that was left is dropped with the screen.
func TestReplyForALeftScreenIsDropped(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/centos"), "linux/amd64")
	h.holdJob(jobTree)
	h.keys("enter")
	h.keys("esc")
	tags := h.top().(*tagsScreen)
	h.d.Hold(nil)
	h.deliver(0)
	if h.top() != tags || len(h.app.stack) != 2 {
		t.Errorf("top %T, stack %d", h.top(), len(h.app.stack))
	}
}
