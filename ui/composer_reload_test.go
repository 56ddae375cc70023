package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// outsidePush writes tag as another tool would, with an index annotation
// of its own over what the tag holds; it returns the new digest.
func outsidePush(t *testing.T, srv *demo.Server, tag, key, value string) string {
	t.Helper()
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	r, _ := model.ParseReference(srv.Host + "/" + tag)
	ctx := context.Background()
	d, _, err := c.StartDraft(ctx, r, true)
	if err != nil {
		t.Fatal(err)
	}
	d.SetAnnotation(-1, key, value)
	res, err := c.Push(ctx, d, registry.PushOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Digest
}

// After the composer's push is undone elsewhere (the old index written
// back), P does not say "nothing to push": it asks the registry, finds the
// tag moved, and says r reloads; r rebases the draft (its edits kept) on
// what the tag holds, and P then offers to push it again.
func TestComposerNoticesAnUndoElsewhere(t *testing.T) {
	h, srv := composeHarness(t, "library/centos:7")
	before := h.manifest(t, srv, "library/centos:7")
	h.keys("c")
	c := h.top().(*composerScreen)
	h.keys("j", "j", "j", "x", "P", "y") // drop linux/386, push
	pushed := h.manifest(t, srv, "library/centos:7").Digest
	if pushed == before.Digest {
		t.Fatal("not pushed")
	}
	// platypus undo in another shell: the old index is back.
	regtest.PushRawManifest(t, srv.Host, "library/centos", "7", before.MediaType, before.Raw)
	h.keys("P")
	if c.mode == modeConfirm || strings.Contains(h.app.status, "nothing to push") {
		t.Fatalf("P trusted the last push:\n%s", h.view())
	}
	wantIn(t, h.app.status, "7 moved: it holds "+model.ShortDigest(before.Digest)+", not "+model.ShortDigest(pushed), "r reloads it")
	wantIn(t, h.view(), "7 moved: it holds "+model.ShortDigest(before.Digest)+" now")
	h.keys("r")
	if c.draft.Base != before.Digest || c.draft.Digest() != pushed || len(c.draft.Entries) != 4 {
		t.Fatalf("after r: base %s, draft %s (%d entries), want base %s and the edit kept", c.draft.Base, c.draft.Digest(), len(c.draft.Entries), before.Digest)
	}
	wantIn(t, h.view(), "replaces "+model.ShortDigest(before.Digest))
	wantIn(t, h.app.status, "it moved "+model.ShortDigest(pushed)+" → "+model.ShortDigest(before.Digest), "kept on top")
	h.keys("P")
	wantIn(t, h.view(), "exists ("+model.ShortDigest(before.Digest)+"): y overwrites it")
	h.keys("y")
	if got := h.manifest(t, srv, "library/centos:7").Digest; got != pushed {
		t.Errorf("pushed again: %s, want %s", got, pushed)
	}
}

// Someone else pushes over the draft's base: P says so instead of naming
// a digest the tag no longer holds, r takes their index with the draft's
// edits on top, says what changed underneath, and the push has both.
func TestComposerReloadsOverSomeoneElsesPush(t *testing.T) {
	h, srv := composeHarness(t, "library/centos:7")
	h.keys("c", "N")
	h.typeText("mine=1")
	h.keys("enter")
	c := h.top().(*composerScreen)
	base := c.draft.Base
	theirs := outsidePush(t, srv, "library/centos:7", "theirs", "1")
	h.keys("P")
	if c.mode == modeConfirm {
		t.Fatalf("P asked to overwrite %s, which the tag no longer holds:\n%s", model.ShortDigest(base), h.view())
	}
	h.keys("r")
	if c.draft.Base != theirs || c.draft.Annotations["mine"] != "1" || c.draft.Annotations["theirs"] != "1" {
		t.Fatalf("after r: base %s, annotations %v", c.draft.Base, c.draft.Annotations)
	}
	wantIn(t, h.view(), "underneath, 7 moved "+model.ShortDigest(base)+" → "+model.ShortDigest(theirs))
	h.keys("P", "y")
	got := h.manifest(t, srv, "library/centos:7")
	if got.Digest != c.draft.Digest() || got.Annotations["mine"] != "1" || got.Annotations["theirs"] != "1" {
		t.Errorf("pushed %s with %v", got.Digest, got.Annotations)
	}
	// r with nothing changed underneath says so, and changes nothing.
	d := c.draft.Digest()
	h.keys("r")
	if c.draft.Digest() != d || !strings.Contains(h.app.status, "unchanged underneath") {
		t.Errorf("r on an unmoved tag: %s, %q", c.draft.Digest(), h.app.status)
	}
}

// A draft saved before someone else's push is restored on top of what the
// tag holds now, not silently based on it.
func TestRestoredDraftIsRebased(t *testing.T) {
	h, srv := composeHarness(t, "library/centos:7")
	h.keys("c", "N")
	h.typeText("mine=1")
	h.keys("enter")
	theirs := outsidePush(t, srv, "library/centos:7", "theirs", "1")
	loc, _ := model.ParseLocation("library/centos:7", srv.Host)
	h2 := newHarnessOn(t, srv, "mono", &loc, "linux/amd64")
	h2.c.State = h.c.State
	h2.keys("c", "enter")
	c := h2.top().(*composerScreen)
	if c.draft.Base != theirs || c.draft.Annotations["mine"] != "1" || c.draft.Annotations["theirs"] != "1" {
		t.Errorf("restored draft: base %s, annotations %v", c.draft.Base, c.draft.Annotations)
	}
}
