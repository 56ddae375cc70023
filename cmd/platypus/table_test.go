package main

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Columns line up on screen when cells hold wide characters (CJK, emoji)
// or combining marks: each column starts at the same display column on
// every line.
func TestTableAlignsByDisplayWidth(t *testing.T) {
	var b strings.Builder
	tab := newTable(&b, "NAME", "VALUE", "NOTE")
	tab.row("タグ", "値", "x")
	tab.row("🦆🦆🦆", "ok", "y")
	tab.row("e\u0301te\u0301", "", "z") // été, decomposed
	tab.row("ascii", "wide 漢字", "w")
	if err := tab.flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	want := columnStarts(lines[0])
	for _, l := range lines[1:] {
		if got := columnStarts(l); len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("%q: columns at %v, the header's at %v\n%s", l, got, want, b.String())
		}
	}
}

// columnStarts are the display columns where a cell begins after a run
// of two or more spaces.
func columnStarts(l string) []int {
	var cols []int
	w, spaces := 0, 0
	for _, r := range l {
		if r == ' ' {
			spaces++
		} else {
			if spaces >= 2 {
				cols = append(cols, w)
			}
			spaces = 0
		}
		w += ansi.StringWidth(string(r))
	}
	return cols
}
