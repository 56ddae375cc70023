package ui

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/themes"
)

// newTestList is a list whose fetches are recorded instead of sent: the
// name asked after, with " all" when every name after it is asked for.
func newTestList(t *testing.T, asked *[]string) pagedList {
	th, _ := themes.Load("mono")
	st, km := newStyles(th, true), DefaultKeyMap()
	tb := newTable(&st, km.tableKeys(), withColumns(column{Title: "TAG", Flex: 1}))
	l := newPagedList("tag", tb, km.listKeys(), func(last string, all bool) tea.Cmd {
		if all {
			last += " all"
		}
		*asked = append(*asked, last)
		return nil
	}, withSort())
	l.SetSize(80, 12)
	return l
}

func names(n, from int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("t%03d", from+i))
	}
	return out
}

func TestPagedListAsksForMoreNearTheEnd(t *testing.T) {
	var asked []string
	l := newTestList(t, &asked)
	l.restart()
	l.add(names(100, 0), "t099", "", 0)
	if len(asked) != 1 {
		t.Fatalf("asked %v before the cursor moved", asked)
	}
	th, _ := themes.Load("mono")
	st := newStyles(th, true)
	if h := l.header(st); h != "100+ tags · more as you scroll" {
		t.Errorf("with more to ask for, the header is %q", h)
	}
	for range 85 {
		l, _, _ = l.Update(KeyMsg("down"))
	}
	if len(asked) != 2 || asked[1] != "t099" {
		t.Fatalf("near the end, asked %v", asked)
	}
	if h := l.header(st); !strings.HasPrefix(h, "100+ tags ") || strings.Contains(h, "scroll") {
		t.Errorf("while a page is on its way, the header is %q", h)
	}
	l, _, _ = l.Update(KeyMsg("down")) // a page is on its way: no second request
	if len(asked) != 2 {
		t.Errorf("asked twice: %v", asked)
	}
	l.add(names(5, 100), "", "t099", 0)
	if !l.complete || len(l.names) != 105 || l.header(st) != "105 tags" {
		t.Errorf("complete %v, %d names, header %q", l.complete, len(l.names), l.header(st))
	}
	l.add(names(5, 100), "", "t099", 0) // the same names again are skipped
	if len(l.names) != 105 {
		t.Errorf("%d names after a repeated page", len(l.names))
	}
}

// Typing a filter asks for everything and puts the cursor on the first
// match; the version sort keeps its order as pages arrive.
func TestPagedListFilterAndSort(t *testing.T) {
	var asked []string
	l := newTestList(t, &asked)
	l.restart()
	l.add([]string{"1.10", "1.9", "latest", "2.0"}, "2.0", "", 0)
	for range 3 {
		l, _, _ = l.Update(KeyMsg("down"))
	}
	l, _, _ = l.Update(KeyMsg("/"))
	l, _, _ = l.Update(KeyMsg("1"))
	if r, _ := l.current(); l.names[r] != "1.10" || len(asked) != 2 {
		t.Errorf("cursor on %q, asked %v", l.names[r], asked)
	}
	l, _, _ = l.Update(KeyMsg("esc"))
	l, _, _ = l.Update(KeyMsg("s"))
	l.add([]string{"1.11"}, "", "2.0", 0)
	var got []string
	for _, r := range l.view {
		got = append(got, l.names[r])
	}
	if fmt.Sprint(got) != "[2.0 1.11 1.10 1.9 latest]" {
		t.Errorf("version order %v", got)
	}
	l.Blur()
	before := l.table.Cursor
	l, _, _ = l.Update(KeyMsg("down"))
	if l.table.Cursor != before {
		t.Error("a blurred list moved")
	}
}

// A filter or the version sort needs every name: the rest is asked for in
// one request (a million tags streamed), not page after page.
func TestPagedListAsksForTheRestAtOnce(t *testing.T) {
	for _, keys := range [][]string{{"/", "5"}, {"s"}} {
		var asked []string
		l := newTestList(t, &asked)
		l.restart()
		l.add(names(100, 0), "t099", "", 0)
		for _, k := range keys {
			l, _, _ = l.Update(KeyMsg(k))
		}
		if fmt.Sprint(asked) != "[ t099 all]" {
			t.Errorf("%v asked %q", keys, asked)
		}
	}
}

// Past syncSort names the version sort runs off the UI goroutine: the old
// order stays on screen with "sorting…", and the result, when it comes,
// is merged with any names that arrived meanwhile.
func TestLongListSortsOffTheUIGoroutine(t *testing.T) {
	s := bigTags(t, syncSort+10)
	_, cmd := s.Update(keyMsg("s"))
	if !s.list.sorting || !strings.Contains(s.View(), "sorting…") {
		t.Fatalf("the sort ran on the UI goroutine (sorting=%v)", s.list.sorting)
	}
	first := s.list.names[s.list.view[0]]
	s.list.add([]string{"v99.0.0-late"}, "", "", 0) // a page arrives meanwhile
	// The key's command also fetches rows' summaries (no registry here):
	// run the sort job alone, as a newer sort would (it supersedes).
	_ = cmd
	r, ok := s.sortJob(s.list.names[:syncSort+10], s.list.version)().(reply[sortResult])
	if !ok {
		t.Fatal("no sort reply")
	}
	s.Update(r)
	if s.list.sorting || s.list.names[s.list.view[0]] != "v99.0.0-late" {
		t.Errorf("after the sort: sorting=%v, first row %s (was %s)", s.list.sorting, s.list.names[s.list.view[0]], first)
	}
	if len(s.list.view) != syncSort+11 {
		t.Errorf("%d rows", len(s.list.view))
	}
}

// sortOrder gives what a stable sort gives, equal names (1.0 and 1.00 in
// version order) in the order they arrived.
func TestSortOrderIsStable(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	parts := []string{"1", "01", "1.0", "1.00", "2", "v", "rc", "-", "."}
	var names []string
	for range 5000 {
		names = append(names, parts[r.IntN(len(parts))]+parts[r.IntN(len(parts))])
	}
	for _, version := range []bool{false, true} {
		want := make([]int, len(names))
		for i := range want {
			want[i] = i
		}
		slices.SortStableFunc(want, compareFor(names, version))
		if got := sortOrder(names, version); !slices.Equal(got, want) {
			t.Errorf("version %v: the order differs from a stable sort's", version)
		}
	}
}

// end (G) goes to the end of the list: the rest is asked for at once, and
// the cursor stays on the last row as it arrives; moving it lets go.
func TestPagedListEndWaitsForTheRest(t *testing.T) {
	var asked []string
	l := newTestList(t, &asked)
	l.restart()
	l.add(names(100, 0), "t099", "", 0)
	l, _, _ = l.Update(KeyMsg("G"))
	if len(asked) != 2 || asked[1] != "t099 all" {
		t.Fatalf("G asked %v, want the rest at once", asked)
	}
	if r, _ := l.current(); l.names[r] != "t099" {
		t.Errorf("G put the cursor on %s before the rest came", l.names[r])
	}
	l.stream(names(50, 100), 0)
	if r, _ := l.current(); l.names[r] != "t149" {
		t.Errorf("while the rest arrives the cursor is on %s, want the last row", l.names[r])
	}
	l.add(names(100, 100), "", "t099", 0)
	if r, _ := l.current(); l.names[r] != "t199" || l.toEnd {
		t.Errorf("once complete the cursor is on %s (still following: %v)", l.names[r], l.toEnd)
	}
	// Moving away while the rest arrives stops following it.
	l.restart()
	asked = nil
	l.add(names(100, 0), "t099", "", 0)
	l, _, _ = l.Update(KeyMsg("G"))
	l, _, _ = l.Update(KeyMsg("up"))
	l.add(names(100, 100), "", "t099", 0)
	if r, _ := l.current(); l.names[r] != "t098" {
		t.Errorf("after up, the cursor is on %s, want t098", l.names[r])
	}
}
