package ui

import "testing"

// E under a kept Files filter acts on what the filter shows: it closes
// every matching directory, then opens them all again, the count of
// matches unchanged; the tree's own open directories are left as they
// were for when the filter is cleared.
func TestFileTreeExpandAllUnderFilter(t *testing.T) {
	ft, names := testFileTree(t, false)
	for _, k := range []string{"/", "a", "tab", "down", "down"} {
		ft.Update(keyMsg(k))
	}
	if got := names(); got != "a a/x a/x/small a/big" || ft.filter.active {
		t.Fatalf("kept filter a: rows %q, typing %v", got, ft.filter.active)
	}
	ft.Update(keyMsg("E"))
	if got := names(); got != "a" || ft.matched != 2 {
		t.Fatalf("E under the filter: rows %q, %d matched", got, ft.matched)
	}
	if n, ok := ft.current(); !ok || ft.root.Path(n) != "a" {
		t.Errorf("E left the cursor off the directory that hides its row")
	}
	wantIn(t, ft.View(), "filter: a  2/3", "▸ a/")
	ft.Update(keyMsg("E"))
	if got := names(); got != "a a/x a/x/small a/big" {
		t.Fatalf("E again: %s", got)
	}
	// One closed by hand: E opens every one first.
	ft.Update(keyMsg("down"))
	ft.Update(keyMsg("left"))
	if got := names(); got != "a a/x a/big" {
		t.Fatalf("← on a/x: %s", got)
	}
	ft.Update(keyMsg("E"))
	if got := names(); got != "a a/x a/x/small a/big" {
		t.Fatalf("E with a/x closed: %s", got)
	}
	ft.Update(keyMsg("up"))
	ft.clearFilter() // esc, as the pane takes it: the tree as it was
	if got := names(); got != "a b" || ft.filter.query() != "" {
		t.Errorf("esc: %s (filter %q)", got, ft.filter.query())
	}
}
