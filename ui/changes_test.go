package ui

import (
	"testing"
	"time"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
	"github.com/platypus-tui/platypus/registry/state"
)

// After composing latest from two marked tags and pushing it, the tags
// screen shows latest (3 tags, not 2) and the marks are spent.
func TestTagsFollowTheComposersPush(t *testing.T) {
	h, _ := composeHarness(t, "yorek/multiarch-hello-world")
	h.send(journalPoke{}) // the journal as the explorer found it
	tags := h.top().(*tagsScreen)
	h.keys(" ", " ", "c", "P", "y")
	wantIn(t, h.view(), "pushed ")
	h.keys("esc")
	if h.top() != tags {
		t.Fatalf("top is %T", h.top())
	}
	v := h.view()
	wantIn(t, v, "3 tags", "› windows")
	wantLine(t, v, "  latest ", "index")
	wantOut(t, v, "* ")
}

// A tag moved or created by platypus in another shell: the journal says
// so, the row shows the new digest, a new tag joins the list, and the
// cursor and the filter stay. An index opened on the moved tag reloads.
func TestScreensFollowChangesMadeElsewhere(t *testing.T) {
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	loc, _ := model.ParseLocation("library/mysql", srv.Host)
	h := newHarnessOn(t, srv, "mono", &loc, "linux/amd64")
	st := openState(t, t.TempDir())
	h.c.State = st
	h.send(journalPoke{})
	tags := h.top().(*tagsScreen)
	h.keys("/")
	h.typeText("5")
	h.keys("tab", "down") // 5.7
	before := h.manifest(t, srv, "library/mysql:5.7")
	eight := h.manifest(t, srv, "library/mysql:8")
	if tags.Ref(); len(tags.list.view) != 3 {
		t.Fatalf("filter 5 shows %d tags", len(tags.list.view))
	}

	// Elsewhere: 5.7 now holds what 8 holds, and 5.7.45 is new.
	regtest.PushRawManifest(t, srv.Host, "library/mysql", "5.7", eight.MediaType, eight.Raw)
	regtest.PushRawManifest(t, srv.Host, "library/mysql", "5.7.45", eight.MediaType, eight.Raw)
	journal(t, st, srv.Host+"/library/mysql:5.7", before.Digest, eight.Digest)
	journal(t, st, srv.Host+"/library/mysql:5.7.45", "", eight.Digest)
	h.send(journalPoke{})

	v := h.view()
	wantLine(t, v, "5.7 ", model.ShortDigest(eight.Digest))
	wantLine(t, v, "5.7.45", model.ShortDigest(eight.Digest))
	wantLine(t, v, "› 5.7 ", "index")
	wantIn(t, v, "filter: 5  4/8", "now holds")

	// The index of 5.7, opened by tag, follows it; its cursor stays on
	// its platform.
	h.keys("enter")
	if m := h.top().(*indexScreen); m.tree.Root.Digest != eight.Digest {
		t.Fatalf("5.7 opened as %s", m.tree.Root.Digest)
	}
	h.keys("down") // linux/arm64/v8
	regtest.PushRawManifest(t, srv.Host, "library/mysql", "5.7", before.MediaType, before.Raw)
	journal(t, st, srv.Host+"/library/mysql:5.7", eight.Digest, before.Digest)
	h.send(journalPoke{})
	m, ok := h.top().(*indexScreen)
	if !ok || m.tree.Root.Digest != before.Digest {
		t.Fatalf("the index did not follow 5.7 back: %T", h.top())
	}
}

// journal records a completed change as platypus does.
func journal(t *testing.T, st *state.Dir, ref, from, to string) {
	t.Helper()
	r := state.Record{ID: state.NewID(), Time: time.Now(), Action: "push", Reference: ref, PreviousDigest: from, Digest: to}
	for _, s := range []string{state.Intended, state.Completed} {
		r.State = s
		if err := st.Journal().Append(r); err != nil {
			t.Fatal(err)
		}
	}
}

// r loads the tags again and keeps the cursor on its tag, the filter and
// the compose marks; on an index it keeps the cursor's platform and the
// filter.
func TestRefreshKeepsCursorFilterAndMarks(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/mysql"), "linux/amd64")
	tags := h.top().(*tagsScreen)
	h.keys("/")
	h.typeText("5")
	h.keys("tab", "space") // marks 5, the cursor goes to 5.7
	h.keys("r")
	v := h.view()
	wantIn(t, v, "filter: 5  3/7", "› 5.7 ")
	wantLine(t, v, "* 5 ", "index")
	if i, _ := tags.list.current(); tags.list.names[i] != "5.7" {
		t.Errorf("cursor on %s", tags.list.names[i])
	}

	h = newHarness(t, "mono", demoLoc(t, "library/centos:7"), "linux/amd64")
	h.keys("/")
	h.typeText("arm")
	h.keys("tab", "down", "r")
	v = h.view()
	wantIn(t, v, "filter: arm  2/5", "› ✗ linux/arm64/v8")
}

// The demo's tags are journaled by their stable name (demo://…): the
// explorer maps it to this run's address.
func TestDemoChangesAreFollowedByName(t *testing.T) {
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	loc, _ := model.ParseLocation("library/mysql", srv.Host)
	h := newHarnessOn(t, srv, "mono", &loc, "linux/amd64")
	h.c.Client = registry.New(registry.WithPlainHTTP(srv.Host), registry.WithDemo(srv.Host))
	st := openState(t, t.TempDir())
	h.c.State = st
	h.send(journalPoke{})
	eight := h.manifest(t, srv, "library/mysql:8")
	regtest.PushRawManifest(t, srv.Host, "library/mysql", "9", eight.MediaType, eight.Raw)
	journal(t, st, registry.DemoJournalPrefix+"library/mysql:9", "", eight.Digest)
	h.send(journalPoke{})
	wantLine(t, h.view(), "  9 ", model.ShortDigest(eight.Digest))
}

// An undo that deleted the tag it had created is news too, but there is
// no digest to name: the status says the tag was deleted, as the CLI's
// undo does, not "now holds " and nothing.
func TestUndoOfACreatedTagSaysItWasDeleted(t *testing.T) {
	h, _ := composeHarness(t, "yorek/multiarch-hello-world")
	h.send(journalPoke{})
	h.keys(" ", "down", " ", "c", "P", "y", "u", "u", "y")
	h.send(journalPoke{})
	v := h.view()
	wantOut(t, v, "now holds  ")
	wantLine(t, v, "multiarch-hello-world:latest deleted (it did not exist before)", "(2 changes journaled)")
}
