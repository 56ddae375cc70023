package ui

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
)

func TestTableFlexColumnsFitTheirContent(t *testing.T) {
	tb := table{cols: []column{{Title: "TAG", Flex: 2}, {Title: "KIND", Width: 5}, {Title: "PLATFORMS", Flex: 2}}}
	tb.SetSize(100, 10)
	if got := tb.widths; got[0] != got[2] {
		t.Fatalf("uncapped flex columns differ: %v", got)
	}
	tb.FitTo(0, 6)
	// 100 - 2 (cursor) - 6 - 5 - 2 separators = 85 for PLATFORMS, less its separator.
	if want := []int{6, 5, 84}; !slices.Equal(tb.widths, want) {
		t.Errorf("widths = %v, want %v", tb.widths, want)
	}
	tb.FitTo(0, 2) // never narrower than the title
	if tb.widths[0] != 3 {
		t.Errorf("TAG width = %d, want 3", tb.widths[0])
	}
}

func TestTableDropsColumnsByRank(t *testing.T) {
	tb := table{cols: []column{
		{Title: "NAME", Flex: 1}, {Title: "A", Width: 20, Drop: 2}, {Title: "B", Width: 20, Drop: 1}, {Title: "C", Width: 20},
	}}
	shown := func() []int {
		var out []int
		for i, w := range tb.widths {
			if w >= 0 {
				out = append(out, i)
			}
		}
		return out
	}
	for _, c := range []struct {
		width int
		want  []int
	}{
		{80, []int{0, 1, 2, 3}}, // 2 + 10+1 + 3×21 - 1 = 75
		{70, []int{0, 1, 3}},    // B goes first
		{50, []int{0, 3}},
		{20, []int{0, 3}}, // C cannot be dropped: it is cut instead
	} {
		tb.SetSize(c.width, 5)
		if got := shown(); !slices.Equal(got, c.want) {
			t.Errorf("width %d: columns %v, want %v", c.width, got, c.want)
		}
	}
}

// changeStyle reads platform and file changes with one switch: their
// "added" and "removed" must stay spelled alike.
func TestChangeKindsAreSpelledAlike(t *testing.T) {
	if model.DiffAdded != fstree.Added || model.DiffRemoved != fstree.Removed {
		t.Fatal("model's and fstree's change kinds differ: changeStyle needs both")
	}
}

// A failure too long for one line wraps, and a very long one loses its
// middle, never its cause at the end.
func TestErrorLinesKeepTheCause(t *testing.T) {
	short := errorLines("manifest unknown", 40)
	if len(short) != 1 || short[0] != "manifest unknown" {
		t.Errorf("short: %q", short)
	}
	msg := "layer 0: read layer 127.0.0.1:5077/big/files@sha256:469b79f728c1eb4049dcd1dbad59e1c027daf9ad5ec0c23993190e6b54890d9a: layer over a limit: more than 2000000 entries (limits.layerEntries in the config file raises it)"
	for _, w := range []int{30, 60, 200} {
		lines := errorLines(msg, w)
		if len(lines) > maxErrorLines {
			t.Errorf("width %d: %d lines", w, len(lines))
		}
		joined := strings.Join(lines, " ")
		if !strings.Contains(joined, "raises it)") || !strings.HasPrefix(joined, "layer 0:") {
			t.Errorf("width %d: %q", w, lines)
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > w {
				t.Errorf("width %d: line %q is wider", w, l)
			}
		}
	}
}
