package ui

import (
	"testing"
)

// An index screen and an image screen answer the manifest's own keys the
// same way, about the manifest they show: v raw, R referrers, c compose,
// C copy; r loads it again, on its pane.
func TestManifestActionsOnIndexAndImage(t *testing.T) {
	for _, c := range []struct {
		name string
		keys []string
	}{
		{"index", nil},
		{"image", []string{"enter"}},
		{"image files", []string{"enter", "f"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, "mono", demoLoc(t, "platypus/webapp:1.0"), "linux/amd64")
			h.c.State = openState(t, t.TempDir())
			h.keys(c.keys...)
			shown, ok := h.top().Ref()
			if !ok || shown.Digest == "" {
				t.Fatalf("%T shows no manifest", h.top())
			}
			depth := len(h.app.stack)
			back := func() {
				h.keys("esc")
				if len(h.app.stack) != depth {
					t.Fatalf("esc left %d screens, want %d", len(h.app.stack), depth)
				}
			}

			h.keys("v")
			if r, ok := h.top().(*rawScreen); !ok || r.ref.Digest != shown.Digest || r.what != "manifest" {
				t.Fatalf("v opened %T", h.top())
			}
			back()
			h.keys("R")
			if r, ok := h.top().(*referrersScreen); !ok || r.subject.Digest != shown.Digest {
				t.Fatalf("R opened %T", h.top())
			}
			back()
			h.keys("c")
			if _, ok := h.top().(*composerScreen); !ok {
				t.Fatalf("c opened %T", h.top())
			}
			h.top().Close() // a composer stays on esc: take it away
			h.app.stack = h.app.stack[:depth]
			var copying *copyTask
			switch s := h.top().(type) {
			case *indexScreen:
				copying = &s.copying
			case *imageScreen:
				copying = &s.copying
			}
			h.keys("C")
			if copying == nil || copying.stage != copyAsking || copying.src.Digest != shown.Digest {
				t.Fatalf("C on %T did not ask where to copy", h.top())
			}
			h.keys("esc")
			pane := -1
			if s, ok := h.top().(*imageScreen); ok {
				pane = s.pane
			}
			h.keys("r")
			if again, _ := h.top().Ref(); again.Digest != shown.Digest {
				t.Errorf("r shows %s, was %s", again, shown)
			}
			if s, ok := h.top().(*imageScreen); ok && s.pane != pane {
				t.Errorf("r opened pane %d, was %d", s.pane, pane)
			}
		})
	}
}
