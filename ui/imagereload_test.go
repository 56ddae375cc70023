package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// reloadImage presses r and returns the image screen that took the old
// one's place.
func reloadImage(t *testing.T, h *harness) *imageScreen {
	t.Helper()
	old := h.top()
	h.keys("r")
	s, ok := h.top().(*imageScreen)
	if !ok || s == old {
		t.Fatalf("r left %T (the same screen: %v):\n%s", h.top(), s == old, h.view())
	}
	return s
}

// r on the same image keeps the pane and the row the cursor is on.
func TestReloadKeepsTheImagesPaneAndRow(t *testing.T) {
	h := openImage(t)
	h.keys("down", "down") // the RUN layer
	if s := reloadImage(t, h); s.pane != paneLayers || s.table.Cursor != 2 {
		t.Errorf("after r: pane %d, cursor %d; want the Layers pane, row 2", s.pane, s.table.Cursor)
	}
	wantLine(t, h.view(), "apk add nginx", "›")

	h.keys("f", "tab", "tab", "down") // Labels, its second row
	s := reloadImage(t, h)
	if s.pane != paneLabels || s.table.Cursor != 1 {
		t.Errorf("after r: pane %d, cursor %d; want the Labels pane, row 1", s.pane, s.table.Cursor)
	}
	wantIn(t, h.view(), "[Labels (")
}

// r on the Files pane keeps the layers read (they are not read again),
// the filter, and the file under the cursor.
func TestReloadKeepsTheFilesPane(t *testing.T) {
	h := openImage(t)
	h.keys("f", "/")
	h.typeText("nginx")
	h.keys("tab", "down", "down")
	at := treeCursor(h)
	fs := h.top().(*imageScreen).reading().fs
	s := reloadImage(t, h)
	if s.reading().fs != fs {
		t.Error("r read the layers again")
	}
	if got := treeCursor(h); got != at {
		t.Errorf("after r the cursor is on %q, was on %q", got, at)
	}
	v := h.view()
	wantIn(t, v, "[Files]", "all layers", "filter: nginx  2/7")
	wantOut(t, v, "busybox")

	// The filter kept still filters, and esc still clears it.
	h.keys("esc")
	wantIn(t, h.view(), "▸ bin/")
}

// r on a layer's changes stays on that layer, its changes kept.
func TestReloadKeepsTheLayerViewed(t *testing.T) {
	h := openImage(t)
	h.keys("f", "]", "]", "down", "down")
	at := treeCursor(h)
	h.holdJob(jobLayerTree) // a layer built again would wait here
	s := reloadImage(t, h)
	if s.view != 1 || len(h.d.Held()) != 0 {
		t.Errorf("after r: view %d, %d layer trees built again; want layer 1, none", s.view, len(h.d.Held()))
	}
	if got := treeCursor(h); got != at {
		t.Errorf("after r the cursor is on %q, was on %q", got, at)
	}
	wantIn(t, h.view(), "layer 1 · 2 of 3", "+2 ~7 -1")
	h.d.Hold(nil)
	h.keys("[", "]")
	wantIn(t, h.view(), "layer 1 · 2 of 3")
}

// The loader cancels the screen's requests: a read under way when r is
// pressed starts again on the reloaded screen, and its old replies are
// dropped.
func TestReloadWhileReadingReadsAgain(t *testing.T) {
	h := openImage(t)
	h.holdJob(jobLayers)
	h.keys("f")
	wantIn(t, h.view(), "reading layers")
	reloadImage(t, h)
	wantIn(t, h.view(), "reading layers")
	if n := len(h.d.Held()); n != 2 {
		t.Fatalf("%d reads held, want 2 (before r, after it)", n)
	}
	h.d.Hold(nil)
	for range 2 {
		h.deliver(0)
	}
	v := h.view()
	wantIn(t, v, "what a container sees: 7 files")
	wantOut(t, v, "reading layers")
}

// A filter job the loader cancelled runs again: the tree does not stay
// "filtering…".
func TestReloadWhileFilteringFiltersAgain(t *testing.T) {
	old := asyncFilter
	asyncFilter = 1
	t.Cleanup(func() { asyncFilter = old })
	h := openImage(t)
	h.keys("f")
	h.holdJob(jobFilter)
	h.keys("/")
	h.typeText("nginx")
	h.keys("tab")
	wantIn(t, h.view(), "filtering…")
	reloadImage(t, h)
	h.d.Hold(nil)
	for range h.d.Held() {
		h.deliver(0)
	}
	v := h.view()
	wantIn(t, v, "filter: nginx  2/7")
	wantOut(t, v, "filtering…", "busybox")
}

// An image opened by tag follows the tag when it moves elsewhere (here,
// told by the journal when the terminal regains focus): the same image
// keeps its place; another starts afresh.
func TestMovedTagKeepsThePlaceOnlyOnTheSameImage(t *testing.T) {
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	idx := (&harness{}).manifest(t, srv, "platypus/webapp:1.0")
	var amd64, arm64 *model.Manifest
	for _, e := range idx.Entries {
		m := (&harness{}).manifest(t, srv, "platypus/webapp@"+e.Digest)
		switch e.PlatformString() {
		case "linux/amd64":
			amd64 = m
		case "linux/arm64":
			arm64 = m
		}
	}
	if amd64 == nil || arm64 == nil {
		t.Fatalf("webapp:1.0 lacks linux/amd64 or linux/arm64: %v", idx.Entries)
	}
	regtest.PushRawManifest(t, srv.Host, "platypus/webapp", "solo", amd64.MediaType, amd64.Raw)
	loc, _ := model.ParseLocation("platypus/webapp:solo", srv.Host)
	h := newHarnessOn(t, srv, "mono", &loc, "linux/amd64")
	st := openState(t, t.TempDir())
	h.c.State = st
	h.send(journalPoke{})
	ref := srv.Host + "/platypus/webapp:solo"

	h.keys("down", "down")
	old := h.top()
	journal(t, st, ref, amd64.Digest, amd64.Digest) // pushed again, the same
	h.send(tea.FocusMsg{})
	s, ok := h.top().(*imageScreen)
	if !ok || s == old || s.table.Cursor != 2 {
		t.Fatalf("the same image after the journal: %T (reloaded: %v), cursor %d; want row 2", h.top(), s != old, s.table.Cursor)
	}

	regtest.PushRawManifest(t, srv.Host, "platypus/webapp", "solo", arm64.MediaType, arm64.Raw)
	journal(t, st, ref, amd64.Digest, arm64.Digest)
	h.send(tea.FocusMsg{})
	s, ok = h.top().(*imageScreen)
	if !ok || s.tree.Root.Digest != arm64.Digest || s.table.Cursor != 0 {
		t.Errorf("another image: %T on %v, cursor %d; want arm64's, row 0", h.top(), s.tree.Root.Digest, s.table.Cursor)
	}
}
