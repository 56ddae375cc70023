package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry/demo"
)

func TestDrillDownAndBackRestoresCursor(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, demoServer(t).Host), "linux/amd64")
	h.keys("j") // library/centos
	h.keys("enter")
	tags, ok := h.top().(*tagsScreen)
	if !ok || tags.state != ready || len(tags.list.names) != 4 {
		t.Fatalf("tags screen not ready: %T", h.top())
	}
	h.keys("j", "j", "enter") // 7
	m, ok := h.top().(*indexScreen)
	if !ok || len(m.tree.Root.Entries) != 5 {
		t.Fatalf("index screen: %T", h.top())
	}
	h.keys("j", "j", "enter") // linux/arm64/v8
	img, ok := h.top().(*imageScreen)
	if !ok || img.image().Config.Platform.Architecture != "arm64" {
		t.Fatalf("image screen: %T", h.top())
	}
	if !strings.Contains(h.view(), "library/centos › 7 › linux/arm64/v8") {
		t.Errorf("breadcrumb:\n%s", h.view())
	}
	h.keys("esc")
	if h.top().(*indexScreen).table.Cursor != 2 {
		t.Error("cursor not restored on the index")
	}
	if img.ctx.Err() == nil {
		t.Error("leaving the image screen did not cancel its context")
	}
	h.keys("esc", "esc")
	if r, ok := h.top().(*reposScreen); !ok || r.list.names[r.list.view[r.list.table.Cursor]] != "library/centos" {
		t.Error("repositories cursor not restored")
	}
}

func TestFilterTakesKeysFirst(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/hello-world"), "linux/amd64")
	tags := h.top().(*tagsScreen)
	h.keys("/")
	h.typeText("nanoq")
	if !tags.list.filter.active || tags.list.filter.query() != "nanoq" {
		t.Fatalf("q should type into the filter, query %q", tags.list.filter.query())
	}
	h.keys("backspace", "tab")
	if len(tags.list.view) != 5 {
		t.Errorf("nano filter shows %d tags, want 5", len(tags.list.view))
	}
	h.keys("esc") // clears the kept filter, stays
	if h.top() != tags || len(tags.list.view) != 7 {
		t.Errorf("esc should clear the filter first: %d rows", len(tags.list.view))
	}
}

func TestStaleRepliesAreDropped(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/centos:7"), "linux/amd64")
	m := h.top().(*indexScreen)
	before := m.tree
	h.send(reply[*model.Tree]{req: request{screen: m.id, job: jobTree, seq: 1}, err: errTest})
	h.send(reply[*model.Tree]{req: request{screen: 9999, job: jobTree}, err: errTest})
	if h.top() != m || m.tree != before {
		t.Error("a stale or misaddressed reply changed the screen")
	}
}

func TestPlatformPickerRehighlights(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/mysql:5.7"), "linux/amd64")
	m := h.top().(*indexScreen)
	if !m.an.Primary.Found() {
		t.Fatal("amd64 should pull mysql:5.7")
	}
	h.keys("p")
	h.keys("j", "enter") // the cursor starts on the current target; next is the Apple-silicon Mac
	if h.app.target.Platform.String() != "linux/arm64/v8" || h.app.target.Source != "picker" || !m.target.Platform.Equal(h.app.target.Platform) {
		t.Fatalf("target = %+v, screen's %+v", h.app.target, m.target)
	}
	if m.an.Primary.Found() || !strings.Contains(h.view(), "no matching manifest for linux/arm64/v8") {
		t.Errorf("index not re-analysed:\n%s", h.view())
	}
}

func TestCopyReference(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/centos:7"), "linux/amd64")
	h.keys("y")
	if len(*h.copied) != 1 || !strings.HasSuffix((*h.copied)[0], "/library/centos:7@"+h.top().(*indexScreen).tree.Root.Digest) {
		t.Errorf("copied %v", *h.copied)
	}
	if !strings.Contains(h.view(), "copied ") {
		t.Error("the status line does not say what was copied")
	}
}

func TestGotoReplacesStack(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/centos:7"), "linux/amd64")
	h.keys("g")
	h.typeText("mysql:8")
	h.keys("enter")
	m, ok := h.top().(*indexScreen)
	if !ok || m.ref.Repository != "library/mysql" || len(h.app.stack) != 3 {
		t.Fatalf("goto: %T, stack %d", h.top(), len(h.app.stack))
	}
}

func TestDiagnosisFindsOtherTags(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/hello-world:nanoserver"), "windows/amd64")
	target := h.app.target
	target.Platform.OSVersion = "10.0.14393.2068"
	h.send(targetMsg{target: target})
	h.keys("d")
	d, ok := h.top().(*diagnosisScreen)
	if !ok {
		t.Fatalf("top is %T", h.top())
	}
	if d.scanning() || len(d.found) == 0 || d.found[0].Tag != "nanoserver-sac2016" {
		t.Fatalf("scan: scanning=%v found=%v", d.scanning(), d.found)
	}
	h.keys("y")
	if len(*h.copied) == 0 || !strings.HasSuffix((*h.copied)[0], "hello-world:nanoserver-sac2016") {
		t.Errorf("copied %v", *h.copied)
	}
}

func TestQuitFromAnywhere(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/centos:7"), "linux/amd64")
	_, cmd := h.app.Update(keyMsg("q"))
	if cmd == nil || cmd() == nil {
		t.Fatal("q did not quit")
	}
}

func TestMouseClickSelectsThenOpens(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/centos"), "linux/amd64")
	tags := h.top().(*tagsScreen)
	// Screen line 2 (header 2, info line 1, column header 1) is the 3rd tag.
	click := tea.MouseClickMsg{X: 5, Y: headerLines + 2 + 2, Button: tea.MouseLeft}
	h.send(click)
	if tags.list.table.Cursor != 2 {
		t.Fatalf("click put the cursor on %d", tags.list.table.Cursor)
	}
	h.send(click)
	if m, ok := h.top().(*indexScreen); !ok || m.ref.Tag != "7" {
		t.Fatalf("a second click should open tag 7, top is %T", h.top())
	}
	h.keys("esc")
	h.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if tags.list.table.Cursor != 3 {
		t.Errorf("wheel moved the cursor to %d", tags.list.table.Cursor)
	}
}

func TestOCILayoutInTheExplorer(t *testing.T) {
	dir := t.TempDir()
	if err := demo.Seed(dir); err != nil {
		t.Fatal(err)
	}
	loc, err := model.ParseLocation("ocidir://"+dir+"/library/centos", "")
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessOn(t, demoServer(t), "mono", &loc, "linux/arm64/v8")
	tags, ok := h.top().(*tagsScreen)
	if !ok || len(tags.list.names) != 4 {
		t.Fatalf("layout tags: %T", h.top())
	}
	h.keys("j", "j", "enter")
	m, ok := h.top().(*indexScreen)
	if !ok || !m.an.Primary.Found() || !strings.Contains(h.view(), "ocidir://") {
		t.Errorf("layout index:\n%s", h.view())
	}
}

// A reference is remembered once it has opened, as it was typed, and
// under --demo in the demo registry's own list; one that fails to open
// is not remembered.
func TestRecentsOnlyWhenOpened(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/centos"), "linux/amd64")
	st := openState(t, t.TempDir())
	h.c.State = st
	h.keys("g")
	h.typeText("library/centos:nope")
	h.keys("enter")
	if got, _ := st.Recent(true); len(got) != 0 {
		t.Errorf("a reference that failed to open was remembered: %v", got)
	}
	h.keys("g")
	h.typeText("library/centos:7")
	h.keys("enter")
	if got, _ := st.Recent(true); strings.Join(got, ",") != "library/centos:7" {
		t.Errorf("demo recents: %v", got)
	}
	if got, _ := st.Recent(false); len(got) != 0 {
		t.Errorf("a demo reference reached the real list: %v", got)
	}
}

// At 60×20 the diagnosis does not fit: the page scrolls (j, pgdn, end),
// the other tags come into view, and enter never opens a tag that is not
// on screen.
func TestDiagnosisScrollsOnASmallTerminal(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/mysql:5.7"), "linux/arm64/v8")
	h.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	h.keys("d")
	d := h.top().(*diagnosisScreen)
	if len(d.found) == 0 {
		t.Fatal("the scan found no other tag")
	}
	v := h.view()
	requireFits(t, h.app.View().Content, 60, 20)
	wantIn(t, v, "no matching manifest", "more below")
	wantOut(t, v, "Other tags")
	h.keys("enter")
	if _, ok := h.top().(*diagnosisScreen); !ok {
		t.Fatalf("enter opened a tag that was not on screen:\n%s", v)
	}
	wantIn(t, h.view(), "press enter again")
	h.keys("home", "end")
	v = h.view()
	wantIn(t, v, "Other tags", d.found[0].Tag)
	requireFits(t, h.app.View().Content, 60, 20)
	h.keys("enter")
	if _, ok := h.top().(*diagnosisScreen); ok {
		t.Fatalf("enter on a visible tag did not open it:\n%s", h.view())
	}
	h.keys("esc", "home")
	wantIn(t, h.view(), "no matching manifest")
	// j scrolls the page line by line before it moves through the tags.
	h.keys("j")
	if d.vp.YOffset() != 1 {
		t.Errorf("j scrolled to %d", d.vp.YOffset())
	}
}

// Typing a filter on the index puts the cursor on the first match.
func TestIndexFilterCursorOnFirstMatch(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/centos:7"), "linux/amd64")
	h.keys("down", "down", "down", "/")
	h.typeText("arm")
	s := h.top().(*indexScreen)
	if s.table.Cursor != 0 || len(s.rows) == 0 || !strings.Contains(s.tree.Root.Entries[s.rows[0]].PlatformString(), "arm") {
		t.Errorf("cursor %d on %d rows", s.table.Cursor, len(s.rows))
	}
}

// Raw JSON wider than the terminal is cut with "…" and scrolls sideways.
func TestRawJSONScrollsSideways(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "artiomchi/helloworld:latest"), "linux/amd64")
	h.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	h.keys("v")
	v := h.view()
	requireFits(t, h.app.View().Content, 60, 20)
	wantIn(t, v, "scroll sideways")
	wantLine(t, v, `"digest": "sha256:68df`, "…")
	h.keys("right")
	wantIn(t, h.view(), `…gest": "sha256:68df`)
	h.keys("left")
	wantIn(t, h.view(), `      "digest": "sha256:68df`)
}

// What is marked for a diff stays in the header on a narrow terminal: the
// target goes first, then the breadcrumb is cut.
func TestDiffMarkStaysInANarrowHeader(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/mysql"), "linux/amd64")
	for _, c := range []struct {
		width      int
		keys       []string
		want, lost string
	}{
		{110, []string{"M"}, "diff mysql:5", ""},
		{110, nil, "target linux/amd64", ""},
		{70, []string{"down", "down", "down", "M"}, "diff mysql:5 ⟷ mysql:8", "target"},
		{45, nil, "diff mysql:5 ⟷ mysql:8", "library/mysql"},
	} {
		h.send(tea.WindowSizeMsg{Width: c.width, Height: 24})
		h.keys(c.keys...)
		head, _, _ := strings.Cut(h.view(), "\n")
		if !strings.Contains(head, c.want) || (c.lost != "" && strings.Contains(head, c.lost)) || ansi.StringWidth(head) > c.width {
			t.Errorf("at %d columns the header is %q: want %q in it, not %q", c.width, head, c.want, c.lost)
		}
	}
}
