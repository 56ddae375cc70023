package ui

import (
	"testing"
)

// f on an index diff's platform row compares that platform's files, as f
// does on an image diff; on a row only one side has, it says why not.
func TestDiffOfIndexesFilesOfAPlatform(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/mysql"), "linux/amd64")
	pick := func(tag string) {
		s := h.top().(*tagsScreen)
		for r := range s.list.view {
			if s.list.names[s.list.row(r)] == tag {
				s.list.table.SetCursor(r)
			}
		}
	}
	pick("8")
	h.keys("M")
	pick("5.7")
	h.keys("=")
	d, ok := h.top().(*diffScreen)
	if !ok {
		t.Fatalf("= did not open a diff:\n%s", h.view())
	}
	wantIn(t, h.view(), "enter open • f files")
	both, one := -1, -1
	for i, r := range d.rows {
		switch {
		case r.A != nil && r.B != nil && both < 0:
			both = i
		case (r.A == nil) != (r.B == nil) && one < 0:
			one = i
		}
	}
	if both < 0 || one < 0 {
		t.Fatalf("mysql:8 and 5.7 should share a platform and not another: %+v", d.rows)
	}
	d.table.SetCursor(one)
	h.keys("f")
	if h.top() != d {
		t.Fatalf("f on a platform only one side has opened %T", h.top())
	}
	wantIn(t, h.view(), "nothing to compare it with")
	d.table.SetCursor(both)
	h.keys("f")
	id, ok := h.top().(*imageDiffScreen)
	if !ok {
		t.Fatalf("f did not compare the platform's images:\n%s", h.view())
	}
	if id.pane != diffPaneFiles || id.delta == nil {
		t.Fatalf("f did not open on the files, compared:\n%s", h.view())
	}
	wantIn(t, h.view(), "[Files]", "files: ")
	// Back on the index diff, enter still opens on the config.
	h.keys("esc")
	h.keys("enter")
	if id, ok := h.top().(*imageDiffScreen); !ok || id.pane != diffPaneConfig {
		t.Fatalf("enter after f:\n%s", h.view())
	}
}
