package ui

import (
	"context"
	"maps"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
)

// fileTree shows a tree of files as a table: directories open and close,
// `/` filters on paths, `s` sorts by name or size. Directories show the
// total size of the files under them; marks (added, modified, removed)
// show as + ~ -.
type fileTree struct {
	st   *styles
	keys treeKeys
	root *fstree.Tree
	open map[string]bool
	// shut are the directories closed under the current filter, which
	// shows every other directory open; a new query opens them again.
	shut   map[string]bool
	bySize bool
	filter filter
	rows   []fstree.TreeRow
	// matched counts the files (not directories) the filter keeps.
	matched int
	table   table
	// layers, when set, shows which layer each entry comes from.
	layers bool
	// filterJob, when set, filters a big tree off the UI goroutine: the
	// owner runs rows in a command and hands them to filtered; filtering
	// is the query it runs for ("" when none).
	filterJob func(query string, rows func() []fstree.TreeRow) tea.Cmd
	filtering string
}

// asyncFilter is the most nodes a tree filters on the UI goroutine: a
// million paths take a quarter of a second to match.
var asyncFilter = 100_000 // a variable for tests

// filterRows are the rows a filter job found for query.
type filterRows struct {
	query string
	rows  []fstree.TreeRow
}

// filterJob is the fileTree's filterJob for the screen that owns it: a
// newer query supersedes it.
func (b *base) filterJob(query string, rows func() []fstree.TreeRow) tea.Cmd {
	ctx, q := b.start(jobFilter, "")
	return run(ctx, q, func(context.Context) (filterRows, error) { return filterRows{query, rows()}, nil })
}

// newFileTree returns an empty tree; it lives behind a pointer, which its
// table's cells read.
func newFileTree(st *styles, km treeKeys) *fileTree {
	t := &fileTree{st: st, keys: km, open: map[string]bool{}, shut: map[string]bool{}, filter: newFilter(km.filter)}
	t.table = newTable(st, km.table, withCells(t.cell))
	t.columns()
	return t
}

func (t *fileTree) columns() {
	cols := []column{
		{Title: " ", Width: 1}, {Title: "SIZE", Width: 8, Right: true}, {Title: "MODE", Width: 10, Drop: 1},
		{Title: "LAYER", Width: 5, Right: true, Drop: 2}, {Title: "PATH", Flex: 1},
	}
	if !t.layers {
		cols[3].Width = 0
	}
	t.table.SetColumns(cols...)
}

// setRoot shows another tree, keeping which directories are open; a tree
// of changes (a layer's, a diff's) opens all its directories, the way dive
// shows a layer.
func (t *fileTree) setRoot(root *fstree.Tree, layers, openAll bool) {
	t.root, t.layers = root, layers
	if root != nil {
		root.Sort(t.bySize)
		switch {
		case openAll && root.Files(fstree.Root) <= openAllFiles:
			for p := range dirsOf(root) {
				t.open[p] = true
			}
		case openAll:
			// Millions of rows say less than the directories that hold
			// them: open down to the first directory of several.
			for n := int32(fstree.Root); ; {
				kids := root.Kids(n)
				if len(kids) != 1 || !root.Dir(kids[0]) {
					break
				}
				n = kids[0]
				t.open[root.Path(n)] = true
			}
		}
	}
	t.columns()
	t.rebuild()
	t.table.SetCursor(0)
}

func (t *fileTree) rebuild() {
	if t.root == nil {
		t.setRows(nil)
	} else {
		t.setRows(t.root.Rows(t.isOpen, t.filter.query()))
	}
}

// refilter follows the filter's change from prev: a query that only grew
// narrows the rows shown, instead of reading the whole tree again; a big
// tree is read again off the UI goroutine.
func (t *fileTree) refilter(prev string) tea.Cmd {
	q := t.filter.query()
	if q == prev && t.root != nil {
		return nil // the rows are, or will be, this query's
	}
	// Rows under a closed directory are not in t.rows: narrow only rows
	// that hold every match.
	folded := len(t.shut) > 0
	clear(t.shut)
	switch {
	case t.root == nil:
		t.rebuild()
	case prev != "" && strings.Contains(q, prev) && t.filtering == "" && !folded:
		t.setRows(t.root.Narrow(t.rows, q))
	case q != "" && t.filterJob != nil && t.root.Len() > asyncFilter:
		root, open := t.root.Frozen(), maps.Clone(t.open)
		t.filtering = q
		return t.filterJob(q, func() []fstree.TreeRow {
			return root.Rows(func(n int32) bool { return open[root.Path(n)] }, q)
		})
	default:
		t.filtering = ""
		t.rebuild()
	}
	t.table.SetCursor(0)
	return nil
}

// filtered takes what a filter job found, unless the query moved on.
func (t *fileTree) filtered(r filterRows) {
	if r.query != t.filtering || r.query != t.filter.query() {
		return
	}
	t.filtering = ""
	t.setRows(r.rows)
	t.table.SetCursor(0)
}

// setRows shows rows, less those under a directory closed under the
// filter; the count is of the files matched, shown or not.
func (t *fileTree) setRows(rows []fstree.TreeRow) {
	t.matched = 0
	for _, r := range rows {
		if !t.root.Dir(r.Node) {
			t.matched++
		}
	}
	if len(t.shut) > 0 {
		rows = t.fold(rows)
	}
	t.rows = rows
	t.table.SetLen(len(t.rows))
}

// fold drops the rows under the directories closed under the filter.
func (t *fileTree) fold(rows []fstree.TreeRow) []fstree.TreeRow {
	var out []fstree.TreeRow
	under := int32(-1) // the depth of the closed directory being skipped
	for _, r := range rows {
		if under >= 0 && r.Depth > under {
			continue
		}
		under = -1
		if t.root.Dir(r.Node) && t.shut[t.root.Path(r.Node)] {
			under = r.Depth
		}
		out = append(out, r)
	}
	return out
}

// SetSize gives the tree its lines, the filter line included.
func (t *fileTree) SetSize(w, h int) {
	if t.filter.active || t.filter.query() != "" {
		h--
	}
	t.table.SetSize(w, max(h, 2))
}

// Capturing is true while the filter has focus.
func (t *fileTree) Capturing() bool { return t.filter.active }

// clearFilter drops a kept filter; it reports whether there was one.
func (t *fileTree) clearFilter() bool {
	if !t.filter.clear() {
		return false
	}
	t.unfilter()
	return true
}

// unfilter shows the whole tree again after the filter was cleared, the
// cursor on the entry it was on: its directories open to show it, as the
// filter showed it.
func (t *fileTree) unfilter() {
	t.filtering = ""
	clear(t.shut)
	if n, ok := t.current(); ok {
		p := t.root.Path(n)
		for i := range len(p) {
			if p[i] == '/' {
				t.open[p[:i]] = true
			}
		}
	}
	t.keep(t.rebuild)
}

// Bindings are the tree's own keys.
func (t *fileTree) Bindings() []key.Binding {
	k := t.keys
	return []key.Binding{k.Expand, k.Collapse, k.ExpandAll, k.Filter, k.Sort}
}

// Update handles a key or the mouse wheel.
func (t *fileTree) Update(msg tea.Msg) tea.Cmd {
	if t.filter.active {
		prev := t.filter.query()
		cmd, act, changed := t.filter.update(msg)
		switch {
		case act == filterMove:
			t.table, _ = t.table.Update(msg)
		case act == filterCleared && changed:
			t.unfilter()
		case act == filterOpen:
			// enter opens the row selected, as in lists: a directory
			// opens or closes as enter does outside the filter (a
			// file is the owner's to open).
			t.toggle()
		case changed:
			cmd = tea.Batch(cmd, t.refilter(prev))
		}
		return cmd
	}
	k := t.keys
	switch msg := msg.(type) {
	case tea.MouseMsg:
		t.table, _ = t.table.Update(msg)
	case tea.KeyPressMsg:
		switch {
		case t.table.handles(msg):
			t.table, _ = t.table.Update(msg)
		case key.Matches(msg, k.Filter):
			return t.filter.start()
		case key.Matches(msg, k.Sort):
			t.bySize = !t.bySize
			if t.root != nil {
				t.root.Sort(t.bySize)
			}
			t.keep(t.rebuild)
		case key.Matches(msg, k.Open):
			t.toggle()
		case key.Matches(msg, k.Expand):
			if n, ok := t.current(); ok && t.root.Dir(n) {
				t.setOpen(n, true)
			}
		case key.Matches(msg, k.Collapse):
			t.collapse()
		case key.Matches(msg, k.ExpandAll):
			t.keep(t.toggleAll)
		}
	}
	return nil
}

// toggle opens the directory under the cursor, or closes it if open.
func (t *fileTree) toggle() {
	if n, ok := t.current(); ok && t.root.Dir(n) {
		t.setOpen(n, !t.opened(n))
	}
}

// opened tells whether directory n shows open: under a filter every
// directory is, unless closed under it.
func (t *fileTree) opened(n int32) bool {
	p := t.root.Path(n)
	if t.filter.query() != "" {
		return !t.shut[p]
	}
	return t.open[p]
}

// setOpen opens or closes directory n and shows the rows it leaves.
func (t *fileTree) setOpen(n int32, open bool) {
	m := t.open
	if t.filter.query() != "" {
		m, open = t.shut, !open
	}
	if open {
		m[t.root.Path(n)] = true
	} else {
		delete(m, t.root.Path(n))
	}
	t.keep(t.rebuild)
}

// keep runs f, keeping the cursor on the same node when it still shows
// (nodes keep their ids as the tree sorts and opens).
func (t *fileTree) keep(f func()) {
	at, ok := t.current()
	f()
	if !ok {
		return
	}
	for i, r := range t.rows {
		if r.Node == at {
			t.table.SetCursor(i)
			return
		}
	}
	// Closed away: the cursor goes to the directory that now hides it.
	p := t.root.Path(at)
	for i, r := range t.rows {
		if t.root.Dir(r.Node) && strings.HasPrefix(p, t.root.Path(r.Node)+"/") {
			t.table.SetCursor(i)
		}
	}
}

// collapse closes the directory under the cursor, or goes to its parent.
func (t *fileTree) collapse() {
	n, ok := t.current()
	if !ok {
		return
	}
	if t.root.Dir(n) && t.opened(n) && t.root.HasKids(n) {
		t.setOpen(n, false)
		return
	}
	depth := t.rows[t.table.Cursor].Depth
	for i := t.table.Cursor - 1; i >= 0; i-- {
		if t.rows[i].Depth < depth {
			t.table.SetCursor(i)
			return
		}
	}
}

// toggleAll opens every directory, or closes them all when all are open.
// Under a filter it acts on what the filter shows: every matching
// directory open, else each closed on its matches (as lazygit's tree
// does), and the filter's own opened state is kept apart from the tree's.
func (t *fileTree) toggleAll() {
	if t.root == nil {
		return
	}
	if t.filter.query() != "" {
		t.toggleAllFiltered()
		return
	}
	all := dirsOf(t.root)
	if t.allOpen(all) {
		t.open = map[string]bool{}
	} else {
		t.open = all
	}
	t.rebuild()
}

// toggleAllFiltered opens every directory the filter shows when one is
// closed, else closes them all: t.rows then holds every match (nothing is
// folded), so its directories are the ones to close.
func (t *fileTree) toggleAllFiltered() {
	if len(t.shut) > 0 {
		clear(t.shut)
	} else {
		for _, r := range t.rows {
			if t.root.Dir(r.Node) && t.root.HasKids(r.Node) {
				t.shut[t.root.Path(r.Node)] = true
			}
		}
	}
	t.rebuild()
}

func (t *fileTree) allOpen(dirs map[string]bool) bool {
	for p := range dirs {
		if !t.open[p] {
			return false
		}
	}
	return true
}

// dirsOf are the paths of the directories of a tree that hold something.
// openAllFiles is the most files a tree shown with every directory open
// may hold; a bigger one opens only down to its first fork.
const openAllFiles = 20_000

func dirsOf(root *fstree.Tree) map[string]bool {
	all := map[string]bool{}
	root.Dirs(func(n int32) { all[root.Path(n)] = true })
	return all
}

func (t *fileTree) isOpen(n int32) bool { return t.open[t.root.Path(n)] }

func (t *fileTree) current() (int32, bool) {
	if t.table.Cursor < 0 || t.table.Cursor >= len(t.rows) {
		return 0, false
	}
	return t.rows[t.table.Cursor].Node, true
}

// onDir tells whether the cursor is on a directory (or on nothing).
func (t *fileTree) onDir() bool {
	n, ok := t.current()
	return !ok || t.root.Dir(n)
}

// CopyText is the path under the cursor, for y.
func (t *fileTree) CopyText() (string, bool) {
	if n, ok := t.current(); ok {
		return "/" + t.root.Path(n), true
	}
	return "", false
}

func (t *fileTree) View() string {
	if t.root == nil {
		return ""
	}
	if !t.root.HasKids(fstree.Root) {
		return t.st.Faint.Render("  no files")
	}
	out := t.table.View()
	if line := t.filter.view(*t.st, t.matched, t.root.Files(fstree.Root), t.table.width); line != "" {
		if t.filtering != "" {
			line += t.st.Faint.Render("  filtering…")
		}
		out = line + "\n" + out
	}
	return out
}

func (t *fileTree) cell(row, col int) (string, lipgloss.Style) {
	st := t.st
	r := t.rows[row]
	tr, n := t.root, r.Node
	style := changeStyle(*st, tr.Mark(n))
	switch col {
	case 0:
		return fstree.Sign(tr.Mark(n)), style
	case 1:
		return model.HumanSize(tr.Size(n)), st.Faint
	case 2:
		e, ok := tr.Entry(n)
		if !ok { // a directory only implied by the paths under it
			return "", st.Faint
		}
		return fstree.ModeString(&e), st.Faint
	case 3:
		e, ok := tr.Entry(n)
		if !ok || tr.Dir(n) {
			return "", st.Faint
		}
		return itoa(int(e.Layer)), st.Faint
	}
	name := model.Clean(tr.Name(n))
	switch {
	case tr.Dir(n) && !tr.HasKids(n):
		name = "  " + name + "/"
	case tr.Dir(n) && t.opened(n):
		name = "▾ " + name + "/"
	case tr.Dir(n):
		name = "▸ " + name + "/"
	default:
		name = "  " + name
	}
	if e, ok := tr.Entry(n); ok && e.LinkTarget != "" {
		arrow := " → "
		if e.Type == fstree.Hardlink {
			arrow = " ⇒ "
		}
		name += arrow + model.Clean(e.LinkTarget)
	}
	if e, ok := tr.Entry(n); ok && e.TarPath != "" {
		name += "  (written as " + model.Clean(e.TarPath) + ")"
	}
	return strings.Repeat("  ", int(r.Depth)) + name, style
}

// changeStyle is how a change shows: a file's (fstree.Added…) or a
// platform's (model.DiffAdded…; added and removed are spelled alike).
func changeStyle(st styles, change string) lipgloss.Style {
	switch change {
	case fstree.Added:
		return st.Success
	case fstree.Removed:
		return st.Error
	case fstree.Modified, model.DiffChanged:
		return st.Warning
	}
	return st.Text
}

// isReplyOrTick tells the messages an owner of a tree handles itself
// while the tree's filter has the keys.
func isReplyOrTick(msg tea.Msg) bool {
	switch msg.(type) {
	case answer, spinner.TickMsg:
		return true
	}
	return false
}
