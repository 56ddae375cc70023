package ui

import (
	"testing"
)

// treeCursor is the path under the cursor of the image's Files pane.
func treeCursor(h *harness) string {
	s := h.top().(*imageScreen)
	n, ok := s.files.current()
	if !ok {
		return ""
	}
	return s.files.root.Path(n)
}

// Clearing the Files pane's filter keeps the cursor on the file it was
// on, not on its row number, and opens its directories to show it: while
// typing (esc) or once kept (enter on a directory, then esc).
func TestFilesFilterClearKeepsTheItem(t *testing.T) {
	for _, keys := range [][]string{{"esc"}, {"enter", "esc"}} {
		h := openImage(t)
		h.keys("f", "/")
		h.typeText("html")
		if keys[0] == "enter" { // on usr/, a directory: the filter is kept
			h.keys("enter")
		}
		h.keys("down", "down", "down", "down") // usr/ share/ nginx/ html/ index.html
		if got := treeCursor(h); got != "usr/share/nginx/html/index.html" {
			t.Errorf("%v: ↓ moved to %q", keys, got)
			continue
		}
		h.keys("esc")
		if got := treeCursor(h); got != "usr/share/nginx/html/index.html" {
			t.Errorf("%v: the cursor went to %q", keys, got)
		}
		wantLine(t, h.view(), "index.html", "›")
	}
}

// The same on the tags list and the index: esc while typing clears the
// filter and the cursor stays on its row's name.
func TestListFilterClearKeepsTheItem(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/hello-world"), "linux/amd64")
	tags := h.top().(*tagsScreen)
	h.keys("/")
	h.typeText("sac")
	h.keys("down")
	i, _ := tags.list.current()
	want := tags.list.names[i]
	h.keys("esc")
	if i, _ := tags.list.current(); tags.list.names[i] != want || len(tags.list.view) != 7 {
		t.Errorf("esc moved the cursor from %s to %s", want, tags.list.names[i])
	}

	h = newHarness(t, "mono", demoLoc(t, "library/centos:7"), "linux/amd64")
	idx := h.top().(*indexScreen)
	h.keys("/")
	h.typeText("arm")
	h.keys("down")
	at := idx.rows[idx.table.Cursor]
	h.keys("esc")
	if idx.rows[idx.table.Cursor] != at || len(idx.rows) != len(idx.tree.Root.Entries) {
		t.Errorf("esc moved the index cursor from entry %d to %d", at, idx.rows[idx.table.Cursor])
	}
}

// While typing a filter ↓ moves the selection and enter opens it; the
// filter is kept for when the user comes back.
func TestFilterArrowsSelectAndEnterOpens(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/hello-world"), "linux/amd64")
	tags := h.top().(*tagsScreen)
	h.keys("/")
	h.typeText("nano")
	wantIn(t, h.view(), "↑↓ select · enter opens")
	h.keys("down")
	if !tags.list.filter.active || tags.list.table.Cursor != 1 {
		t.Fatalf("↓ while typing: filter active %v, cursor %d", tags.list.filter.active, tags.list.table.Cursor)
	}
	i, _ := tags.list.current()
	want := tags.list.names[i]
	h.keys("enter")
	if m, ok := h.top().(*indexScreen); !ok || m.ref.Tag != want {
		t.Fatalf("enter did not open %s: top is %T", want, h.top())
	}
	h.keys("esc")
	wantIn(t, h.view(), "filter: nano")

	// The repositories: type, enter.
	h = newHarness(t, "mono", demoLoc(t, demoServer(t).Host), "linux/amd64")
	h.keys("/")
	h.typeText("mysql")
	h.keys("enter")
	if s, ok := h.top().(*tagsScreen); !ok || s.repo.Repository != "library/mysql" {
		t.Fatalf("enter on the filtered repositories: top is %T", h.top())
	}

	// The Files pane: enter on a file shows it; on a directory it keeps
	// the filter.
	h = openImage(t)
	h.keys("f", "/")
	h.typeText("html")
	h.keys("enter")
	if _, ok := h.top().(*imageScreen); !ok {
		t.Fatalf("enter on a directory left the pane for %T", h.top())
	}
	h.keys("/", "down", "down", "down", "down", "enter")
	if s, ok := h.top().(*fileScreen); !ok || s.entry.Path != "usr/share/nginx/html/index.html" {
		t.Fatalf("enter on a filtered file: top is %T", h.top())
	}
}

// Help says what the keys do while a filter is typed.
func TestHelpTellsFilterKeys(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/hello-world"), "linux/amd64")
	h.keys("?")
	wantIn(t, h.view(), "in a filter: pick, open")
}
