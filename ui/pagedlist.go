package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
)

// pagedList is a filterable, sortable list of names that arrive page by
// page (tags, repositories). The next page is asked for when the cursor
// nears the end of what is loaded, or when a filter or the version sort
// needs everything. Rows are indexes into names, which only grows, so an
// owner can keep data of its own per row.
type pagedList struct {
	names   []string
	index   map[string]int // name → row
	order   []int          // every row, sorted; kept between filter keystrokes
	sortedN int            // rows order was sorted for
	sortedV bool           // whether order is the version order
	view    []int          // rows shown, after filter and sort
	// viewQuery is the filter view was made with, so a longer query can
	// narrow view instead of testing every row again.
	viewQuery string
	version   bool // natural version order instead of name order
	next      string
	// complete is set once the registry said there is nothing more.
	complete bool
	paging   bool
	dropped  int
	// streamDropped is what the page arriving dropped so far: the page
	// counts it again when it ends.
	streamDropped int
	streamed      int    // names the page arriving brought so far
	cursorTo      string // a name to put the cursor on once it arrives
	// toEnd keeps the cursor on the last row while the rest of the list
	// arrives: end (G) goes to the end of the list, not of what is loaded.
	toEnd bool
	noun  string
	// room is added to the first column's width (a mark).
	room   int
	filter filter
	table  table
	keys   listKeys
	spin   spinner.Model
	// fetch asks for the page after last, or with all for every name
	// after it in one go.
	fetch func(last string, all bool) tea.Cmd
	// sortJob, if set, sorts a long list off the UI goroutine; sorting is
	// set while it runs (the old order stays on screen meanwhile).
	sortJob func(names []string, version bool) tea.Cmd
	sorting bool
}

// syncSort is the longest list sorted on the UI goroutine: a million
// tags take half a second in version order.
const syncSort = 50_000

type listOption func(*pagedList)

// withSort lets s switch between name and version order.
func withSort() listOption { return func(l *pagedList) { l.keys.Sort.SetEnabled(true) } }

// withSortJob sorts lists longer than syncSort with job, off the UI
// goroutine; the owner hands the result to sorted.
func withSortJob(job func(names []string, version bool) tea.Cmd) listOption {
	return func(l *pagedList) { l.sortJob = job }
}

// withCursorTo puts the cursor on name once it is loaded.
func withCursorTo(name string) listOption { return func(l *pagedList) { l.cursorTo = name } }

// newPagedList returns a list of noun ("tag") drawn in table t; fetch
// asks for the page after a name.
func newPagedList(noun string, t table, km listKeys, fetch func(last string, all bool) tea.Cmd, opts ...listOption) pagedList {
	km.Sort.SetEnabled(false)
	l := pagedList{noun: noun, table: t, keys: km, fetch: fetch, filter: newFilter(km.filter), spin: newSpinner(), index: map[string]int{}}
	for _, o := range opts {
		o(&l)
	}
	return l
}

// reload is restart for a refresh: the cursor goes back to the name it
// was on once that arrives; the filter stays.
func (l *pagedList) reload() tea.Cmd {
	if i, ok := l.current(); ok && l.table.Cursor > 0 {
		l.cursorTo = l.names[i]
	}
	return l.restart()
}

// restart forgets every name; the first page is asked for.
func (l *pagedList) restart() tea.Cmd {
	l.names, l.index, l.order, l.view, l.sortedN, l.sorting = nil, map[string]int{}, nil, nil, 0, false
	l.next, l.complete, l.paging, l.dropped, l.streamDropped, l.streamed, l.toEnd = "", false, true, 0, 0, 0, false
	l.table.SetLen(0)
	return tea.Batch(l.spin.Tick, l.fetch("", false))
}

// Focus and Blur switch the list's keys on and off (a text input above it
// has them, say).
func (l *pagedList) Focus() { l.table.Focus() }
func (l *pagedList) Blur()  { l.table.Blur() }

// Capturing is true while the filter has the keys.
func (l pagedList) Capturing() bool { return l.filter.active }

// Bindings are the list's own keys, as they apply now.
func (l pagedList) Bindings() []key.Binding { return []key.Binding{l.keys.Filter, l.keys.Sort} }

// current is the row under the cursor.
func (l pagedList) current() (int, bool) {
	if l.table.Cursor < 0 || l.table.Cursor >= len(l.view) {
		return 0, false
	}
	return l.view[l.table.Cursor], true
}

// row is the row shown at line i of the table.
func (l pagedList) row(i int) int { return l.view[i] }

// visible are the rows on screen and the next screenful.
func (l pagedList) visible() []int {
	end := min(l.table.Offset+2*l.table.Height(), len(l.view))
	return l.view[min(l.table.Offset, end):end]
}

// Update handles the filter's typing, the filter and sort keys and the
// cursor; moved tells the owner the visible rows may have changed.
func (l pagedList) Update(msg tea.Msg) (pagedList, tea.Cmd, bool) {
	if l.filter.active {
		cmd, act, changed := l.filter.update(msg)
		switch {
		case act == filterMove:
			l.table, _ = l.table.Update(msg)
		case changed:
			// Typing puts the cursor on the first match; clearing keeps
			// it on its name.
			l.rebuild(act == filterTyped)
		}
		return l, tea.Batch(cmd, l.more()), true
	}
	switch msg := msg.(type) {
	case spinner.TickMsg:
		return l, tick(&l.spin, l.paging || l.sorting, msg), false
	case tea.KeyPressMsg:
		if !l.table.Focused() {
			return l, nil, false
		}
		switch {
		case key.Matches(msg, l.keys.Filter):
			return l, tea.Batch(l.filter.start(), l.more()), false
		case key.Matches(msg, l.keys.Sort):
			l.version = !l.version
			order := "name"
			if l.version {
				order = "version"
			}
			if l.sortJob != nil && len(l.names) > syncSort {
				l.sorting = true
				snapshot := l.names[:len(l.names):len(l.names)]
				return l, tea.Batch(l.spin.Tick, l.sortJob(snapshot, l.version), status("sorting by "+order+"…", false)), true
			}
			l.rebuild(false)
			return l, tea.Batch(status("sorted by "+order, false), l.more()), true
		}
	}
	if l.table.handles(msg) {
		k, isKey := msg.(tea.KeyPressMsg)
		l.toEnd = isKey && key.Matches(k, l.table.keys.End) && !l.complete
		l.table, _ = l.table.Update(msg)
		return l, l.more(), true
	}
	return l, nil, false
}

// clearFilter drops a kept filter; it reports whether there was one.
func (l *pagedList) clearFilter() bool {
	if !l.filter.clear() {
		return false
	}
	l.rebuild(false)
	return true
}

// add takes a page: the names after last, and where the next page starts
// ("" when this was the last). Names seen before are skipped: those
// streamed while the page arrived among them.
func (l *pagedList) add(items []string, next, last string, dropped int) tea.Cmd {
	l.paging = false
	l.next = next
	l.complete = next == "" || next == last
	defer func() { l.toEnd = l.toEnd && !l.complete }()
	if len(items) == l.streamed {
		// Every name of the page arrived streamed, in its order (the
		// registry client checks that what it emitted is the page).
		items = nil
	}
	l.take(items, dropped-l.streamDropped)
	l.streamDropped, l.streamed = 0, 0
	return l.more()
}

// stream takes names of a page still arriving: they are sorted, filtered
// and shown like the rest while the page goes on.
func (l *pagedList) stream(items []string, dropped int) {
	l.streamDropped += dropped
	l.streamed += len(items)
	l.take(items, dropped)
}

// take adds names not seen before and shows them.
func (l *pagedList) take(items []string, dropped int) {
	width := 0
	for _, n := range items {
		if _, dup := l.index[n]; dup {
			continue
		}
		l.index[n] = len(l.names)
		l.names = append(l.names, n)
		width = max(width, ansi.StringWidth(n))
	}
	if w := width + l.room; w > l.table.cols[0].Max {
		l.table.FitTo(0, w)
	}
	l.dropped += max(dropped, 0)
	l.rebuild(false)
	if l.toEnd {
		l.table.SetCursor(len(l.view) - 1)
	}
	if l.cursorTo != "" {
		for i, r := range l.view {
			if l.names[r] == l.cursorTo {
				l.table.SetCursor(i)
				l.cursorTo = ""
				break
			}
		}
	}
}

// failed ends paging after an error.
func (l *pagedList) failed() { l.paging, l.streamDropped, l.streamed = false, 0, 0 }

// more asks for the next page when the cursor nears the end of what is
// loaded, or when a filter, the version sort or a cursor target needs
// everything.
func (l *pagedList) more() tea.Cmd {
	if l.complete || l.paging {
		return nil
	}
	everything := l.version || l.filter.query() != "" || l.cursorTo != "" || l.toEnd
	if l.table.Cursor < len(l.view)-2*l.table.Height() && !everything {
		return nil
	}
	l.paging = true
	// What needs every name asks for the rest at once: a million tags
	// are then one response, streamed, not a thousand pages.
	return tea.Batch(l.spin.Tick, l.fetch(l.next, everything))
}

// rebuild recomputes the rows shown. The sorted order is kept between
// filter keystrokes, so filtering is one pass. first puts the cursor on
// the first match (typing a filter); otherwise it stays on its name.
func (l *pagedList) rebuild(first bool) {
	cur := -1
	if r, ok := l.current(); ok {
		cur = r
	}
	q := l.filter.query()
	narrow := l.sortedN == len(l.names) && l.sortedV == l.version && l.viewQuery != "" && strings.HasPrefix(q, l.viewQuery)
	switch {
	case (l.sortedV != l.version && !l.sorting) || l.sortedN > len(l.names):
		l.order = sortOrder(l.names, l.version)
		l.sortedV = l.version
	case l.sortedN < len(l.names):
		// A page arrived: sort only it and merge it in (in the order's own
		// sort, which an order being sorted elsewhere keeps for now), so a
		// list that arrives in a thousand pages is not sorted a thousand
		// times.
		fresh := make([]int, 0, len(l.names)-l.sortedN)
		for i := l.sortedN; i < len(l.names); i++ {
			fresh = append(fresh, i)
		}
		cmp := compareFor(l.names, l.sortedV)
		slices.SortStableFunc(fresh, cmp)
		l.order = mergeSorted(l.order, fresh, cmp)
	}
	l.sortedN = len(l.names)
	// A query that only grew keeps a subset of the rows shown: a name with
	// every word of the longer query has every word of the shorter one.
	from := l.order
	if narrow {
		from = l.view
	}
	match := l.filter.matcher()
	kept := l.view[:0] // in place when narrowing: it only ever drops rows
	for _, i := range from {
		if match(l.names[i]) {
			kept = append(kept, i)
		}
	}
	l.view, l.viewQuery = kept, q
	l.table.SetLen(len(l.view))
	if first {
		l.table.SetCursor(0)
		return
	}
	for i, r := range l.view {
		if r == cur {
			l.table.SetCursor(i)
			break
		}
	}
}

// sorted takes an order sortJob computed for version over the first
// len(order) names; one for a sort since undone is ignored.
func (l *pagedList) sorted(order []int, version bool) {
	if !l.sorting || version != l.version {
		return
	}
	l.sorting = false
	l.order, l.sortedN, l.sortedV = order, len(order), version
	l.viewQuery = ""
	l.rebuild(false) // merges the names that arrived meanwhile
}

// sortOrder sorts the rows of names: by name, or newest version first.
// It reads names only, so it may run off the UI goroutine on a snapshot.
func sortOrder(names []string, version bool) []int {
	order := make([]int, len(names))
	for i := range order {
		order[i] = i
	}
	// A stable sort's order, by an unstable sort that breaks ties by row:
	// pdqsort is twice as fast on a million names.
	cmp := compareFor(names, version)
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp(a, b); c != 0 {
			return c
		}
		return a - b
	})
	return order
}

func compareFor(names []string, version bool) func(a, b int) int {
	if version {
		return func(a, b int) int { return model.CompareVersions(names[b], names[a]) }
	}
	return func(a, b int) int { return strings.Compare(names[a], names[b]) }
}

// mergeSorted merges two sorted lists, a's rows first among equals (what a
// stable sort of a then b gives).
func mergeSorted(a, b []int, cmp func(x, y int) int) []int {
	// Registries send tags sorted: a part arriving usually goes whole
	// after the rows so far (name order) or before them (newest version
	// first), and a million tags arriving in a hundred parts are not
	// merged a hundred times.
	switch {
	case len(a) == 0 || len(b) == 0 || cmp(b[0], a[len(a)-1]) >= 0:
		return append(a, b...)
	case cmp(b[len(b)-1], a[0]) < 0:
		return append(b[:len(b):len(b)], a...)
	}
	out := make([]int, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if cmp(b[j], a[i]) < 0 {
			out = append(out, b[j])
			j++
		} else {
			out = append(out, a[i])
			i++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// header is the line above the table: how many, whether more are coming,
// or the filter.
func (l pagedList) header(st styles) string {
	if f := l.filter.view(st, len(l.view), len(l.names), l.table.width); f != "" {
		return f
	}
	n := model.Thousands(len(l.names))
	info := st.Faint.Render(plural(len(l.names), l.noun))
	if l.sorting {
		info += st.Faint.Render("  sorting… ") + l.spin.View()
	}
	switch {
	case l.complete:
	case l.paging:
		info = st.Faint.Render(n+"+ "+nouns(l.noun)+" ") + l.spin.View()
	default:
		info = st.Faint.Render(n + "+ " + nouns(l.noun) + " · more as you scroll")
	}
	if l.dropped > 0 {
		info += st.Warning.Render("  (" + plural(l.dropped, "invalid name") + " hidden)")
	}
	return info
}

// View is the header and the table.
func (l pagedList) View(st styles) string {
	if len(l.view) == 0 {
		return l.header(st) + "\n\n" + st.Faint.Render("no "+nouns(l.noun))
	}
	return l.header(st) + "\n" + l.table.View()
}

// SetSize gives the list w×h, its header line included.
func (l *pagedList) SetSize(w, h int) { l.table.SetSize(w, h-1) }
