package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
)

func composeHarness(t *testing.T, loc string) (*harness, *demo.Server) {
	t.Helper()
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	l, err := model.ParseLocation(loc, srv.Host)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessOn(t, srv, "mono", &l, "linux/amd64")
	h.c.State = openState(t, t.TempDir())
	return h, srv
}

func (h *harness) manifest(t *testing.T, srv *demo.Server, ref string) *model.Manifest {
	t.Helper()
	r, _ := model.ParseReference(srv.Host + "/" + ref)
	m, err := registry.New(registry.WithPlainHTTP(srv.Host)).Manifest(context.Background(), r)
	if err != nil {
		t.Fatalf("%s: %v", ref, err)
	}
	return m
}

// The seed story in the TUI: mark yorek's linux and windows tags, compose
// latest from them, push.
func TestComposerFromMarkedTags(t *testing.T) {
	h, srv := composeHarness(t, "yorek/multiarch-hello-world")
	h.keys(" ", " ", "c")
	c, ok := h.top().(*composerScreen)
	if !ok || len(c.draft.Entries) != 2 || c.dest.Tag != "latest" {
		t.Fatalf("composer: %T", h.top())
	}
	if !strings.Contains(h.view(), "✓ valid") || !strings.Contains(h.view(), "Docker manifest list") {
		t.Fatalf("composer view:\n%s", h.view())
	}
	h.keys("P")
	// A new tag is created only after a yes; any other key cancels.
	if c.mode != modeConfirm || !strings.Contains(h.view(), "does not exist: y creates it") {
		t.Fatalf("no confirmation before creating latest:\n%s", h.view())
	}
	h.keys("n")
	if _, err := registry.New(registry.WithPlainHTTP(srv.Host)).Head(context.Background(), c.dest); err == nil {
		t.Fatal("created without a yes")
	}
	h.keys("P", "y")
	if !strings.Contains(h.view(), "pushed ") {
		t.Fatalf("no push:\n%s", h.view())
	}
	m := h.manifest(t, srv, "yorek/multiarch-hello-world:latest")
	if !m.IsIndex() || len(m.Entries) != 2 || m.Digest != c.draft.Digest() {
		t.Errorf("latest = %+v", m)
	}
	// Pushed: the tag now holds the draft, so there is nothing to confirm.
	if !strings.Contains(h.view(), "latest holds exactly this index") {
		t.Errorf("after the push:\n%s", h.view())
	}
	h.keys("P")
	if c.mode == modeConfirm || !strings.Contains(h.view(), "nothing to push") {
		t.Errorf("P on an unchanged draft:\n%s", h.view())
	}
}

func TestComposerAmendConfirmUndo(t *testing.T) {
	h, srv := composeHarness(t, "library/centos:7")
	before := h.manifest(t, srv, "library/centos:7").Digest
	h.keys("c")
	c := h.top().(*composerScreen)
	h.keys("j", "j", "j", "x") // drop linux/386
	// An annotation: a harmless edit (an os.version on ppc64le, which its
	// config does not have, is the check's platform-mismatch).
	h.keys("n")
	h.typeText("org.example.note=amended")
	h.keys("enter")
	h.keys("P")
	if c.mode != modeConfirm || !strings.Contains(h.view(), "y overwrites it") {
		t.Fatalf("no confirmation before overwriting:\n%s", h.view())
	}
	h.keys("y")
	after := h.manifest(t, srv, "library/centos:7")
	if after.Digest == before || len(after.Entries) != 4 {
		t.Fatalf("amend not pushed: %d entries", len(after.Entries))
	}
	h.keys("u") // the tag's history
	if _, ok := h.top().(*historyScreen); !ok || !strings.Contains(h.view(), "push") || !strings.Contains(h.view(), "completed") {
		t.Fatalf("u should show the history:\n%s", h.view())
	}
	h.keys("u", "y")
	if got := h.manifest(t, srv, "library/centos:7").Digest; got != before {
		t.Errorf("undo left %s, want %s", got, before)
	}
	h.keys("esc")
	if c.current == nil || c.current.Digest != before || !strings.Contains(h.view(), "replaces "+model.ShortDigest(before)) {
		t.Errorf("the composer did not see the undo:\n%s", h.view())
	}
}

func TestComposerValidationBlocksPush(t *testing.T) {
	h, srv := composeHarness(t, "library/mysql:8")
	h.keys("c", "a")
	h.typeText("library/mysql:8")
	h.keys("enter")
	if !strings.Contains(h.view(), "duplicate platform") {
		t.Fatalf("duplicates not flagged:\n%s", h.view())
	}
	before := h.manifest(t, srv, "library/mysql:8").Digest
	h.keys("P")
	if !strings.Contains(h.view(), "push is blocked") || h.manifest(t, srv, "library/mysql:8").Digest != before {
		t.Errorf("an invalid draft was pushed")
	}
}

// A draft survives the program: the next composer on the target offers it.
func TestComposerDraftIsRestored(t *testing.T) {
	h, srv := composeHarness(t, "yorek/multiarch-hello-world")
	h.keys("c", "a")
	h.typeText("yorek/multiarch-hello-world:windows")
	h.keys("enter", "N")
	h.typeText("org.opencontainers.image.version=1")
	h.keys("enter")
	st := h.c.State

	loc, _ := model.ParseLocation("yorek/multiarch-hello-world", srv.Host)
	h2 := newHarnessOn(t, srv, "mono", &loc, "linux/amd64")
	h2.c.State = st
	h2.keys("c")
	c := h2.top().(*composerScreen)
	if c.mode != modeRestore || !strings.Contains(h2.view(), "A saved draft") {
		t.Fatalf("saved draft not offered:\n%s", h2.view())
	}
	h2.keys("enter")
	// c amended the tag under the cursor (linux), then windows was added.
	if len(c.draft.Entries) != 2 || c.draft.Target.Tag != "linux" || c.draft.Annotations["org.opencontainers.image.version"] != "1" {
		t.Errorf("restored draft: %+v", c.draft)
	}
}

func TestGoldenComposer(t *testing.T) {
	h, _ := composeHarness(t, "platypus/webapp:1.0")
	h.keys("c", "j", "j", "x")
	requireView(t, h)
}

// Browsing from the composer: b opens the registry, + adds what is under
// the cursor (a whole tag, or one entry of an index), esc comes back.
func TestComposerBrowseAndAdd(t *testing.T) {
	h, _ := composeHarness(t, "yorek/multiarch-hello-world")
	h.keys("c") // amend :linux
	c := h.top().(*composerScreen)
	h.keys("b")
	if _, ok := h.top().(*reposScreen); !ok {
		t.Fatalf("b opened %T", h.top())
	}
	// Going anywhere else keeps the composer below; + on an index entry
	// adds that entry with its declared platform.
	h.keys("g")
	h.typeText("library/hello-world:latest")
	h.keys("enter", "j", "j", "j", "+")
	if len(c.draft.Entries) != 2 || c.draft.Entries[1].Platform.String() != "linux/arm64/v8" {
		t.Fatalf("entry from another repository: %+v", c.draft.Entries)
	}
	if !strings.Contains(h.view(), "added 1 entry") {
		t.Errorf("no status after +:\n%s", h.view())
	}
	h2, _ := composeHarness(t, "yorek/multiarch-hello-world")
	h2.keys("c", "b", "enter") // the cursor rests on yorek's repository
	h2.keys("j", "+")          // the windows tag
	h2.keys("esc", "esc")
	c = h2.top().(*composerScreen)
	if len(c.draft.Entries) != 2 || c.draft.Entries[1].Platform.OS != "windows" {
		t.Fatalf("entries after browsing: %+v", c.draft.Entries)
	}
}

// t takes a full reference: the draft goes to another repository, and its
// entries are copied there on push.
func TestComposerTargetsAnotherRepository(t *testing.T) {
	h, srv := composeHarness(t, "yorek/multiarch-hello-world")
	h.keys("c") // amend :linux
	c := h.top().(*composerScreen)
	h.keys("t", "backspace", "backspace", "backspace", "backspace", "backspace")
	h.typeText("mirror/hello:1")
	h.keys("enter")
	if c.dest.Repository != "mirror/hello" || c.dest.Tag != "1" || c.draft.Target.String() != c.dest.String() {
		t.Fatalf("dest %s, draft target %s", c.dest, c.draft.Target)
	}
	if !strings.Contains(h.view(), "will be copied into") {
		t.Errorf("no copy warning:\n%s", h.view())
	}
	h.keys("P", "y")
	if m := h.manifest(t, srv, "mirror/hello:1"); !m.IsIndex() || len(m.Entries) != 1 {
		t.Errorf("mirror/hello:1 = %+v", m)
	}
	if strings.Contains(h.view(), "will be copied") {
		t.Errorf("a stale copy warning after the push:\n%s", h.view())
	}
	h.keys("t")
	h.typeText("x@sha256:" + strings.Repeat("a", 64))
	h.keys("enter")
	if !strings.Contains(h.app.status, "not a digest") && !strings.Contains(h.app.status, "not a tag") {
		t.Errorf("a digest target: %q", h.app.status)
	}
}

// c on a repository that does not exist says so and composes a new tag
// there; the composer's table shows each entry's annotations.
func TestComposeInAMissingRepository(t *testing.T) {
	h, _ := composeHarness(t, "nobody/here")
	// The demo answers NAME_UNKNOWN, as distribution does.
	wantIn(t, h.view(), "not found", "c composes a new tag in")
	h.keys("c")
	c, ok := h.top().(*composerScreen)
	if !ok || c.dest.Repository != "nobody/here" || c.dest.Tag != "latest" {
		t.Fatalf("c on a missing repository: %T\n%s", h.top(), h.view())
	}
	h2, _ := composeHarness(t, "platypus/webapp:1.0")
	h2.keys("c")
	wantIn(t, h2.view(), "ANNOTATIONS", "vnd.docker.reference.")
}
