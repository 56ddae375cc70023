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
// typing (esc) or once kept (tab, then esc).
func TestFilesFilterClearKeepsTheItem(t *testing.T) {
	for _, keys := range [][]string{{"esc"}, {"tab", "esc"}} {
		h := openImage(t)
		h.keys("f", "/")
		h.typeText("html")
		if keys[0] == "tab" { // the filter is kept
			h.keys("tab")
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
	// the filter and closes the directory (enter again opens it).
	h = openImage(t)
	h.keys("f", "/")
	h.typeText("html")
	h.keys("enter")
	if _, ok := h.top().(*imageScreen); !ok {
		t.Fatalf("enter on a directory left the pane for %T", h.top())
	}
	wantLine(t, h.view(), "▸ usr/", "›")
	h.keys("enter")
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

// enter while typing a Files filter opens the row selected, as in lists
// (issue 22 item 17): a directory closes and opens again, the filter kept
// and its count unchanged; ← and → do the same once the filter is kept,
// and a new query shows every match again.
func TestFileTreeFilterEnterOpensTheDirectory(t *testing.T) {
	ft, names := testFileTree(t, false)
	ft.Update(keyMsg("/"))
	ft.Update(keyMsg("a"))
	if got := names(); got != "a a/x a/x/small a/big" {
		t.Fatalf("filter a: %s", got)
	}
	ft.Update(keyMsg("enter")) // on a/
	if got := names(); got != "a" || ft.filter.query() != "a" || ft.matched != 2 {
		t.Fatalf("enter on a/: rows %q, filter %q, %d matched", got, ft.filter.query(), ft.matched)
	}
	wantIn(t, ft.View(), "filter: a  2/3", "▸ a/")
	ft.Update(keyMsg("enter"))
	if got := names(); got != "a a/x a/x/small a/big" {
		t.Fatalf("enter again: %s", got)
	}
	ft.Update(keyMsg("down"))
	ft.Update(keyMsg("left")) // closes a/x
	if got := names(); got != "a a/x a/big" {
		t.Fatalf("← on a/x: %s", got)
	}
	ft.Update(keyMsg("/"))
	ft.Update(keyMsg("l")) // "al" matches a/x/small only
	if got := names(); got != "a a/x a/x/small" {
		t.Errorf("a new query: %s", got)
	}
	ft.Update(keyMsg("esc")) // the whole tree, as it was before the filter
	if got := names(); got != "a b" || ft.filter.query() != "" {
		t.Errorf("esc: %s (filter %q)", got, ft.filter.query())
	}
}
