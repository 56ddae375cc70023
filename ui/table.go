package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
)

// column is one column of a table: a fixed Width, or a share (Flex) of what
// the fixed columns leave. A flex column with a Max (its longest content,
// set with FitTo) never grows past it; what it leaves goes to the others.
// On a terminal too narrow for every column, those with a Drop rank are
// hidden, Drop 1 first, then 2…, until the rest fit. A column with neither
// Width nor Flex is not shown.
type column struct {
	Title string
	Width int
	Flex  int
	Max   int
	Drop  int
	// Min is the least a flex column is given before others are dropped
	// (minFlex when 0).
	Min   int
	Right bool
	// Middle cuts a long cell in its middle, not at its end: names that
	// differ at the end (nanoserver-1809, nanoserver-ltsc2022) stay told
	// apart.
	Middle bool
}

// minFlex is the least a flex column is given before others are dropped.
const minFlex = 10

// cellFunc returns the text of a cell and its style. Text is plain: the
// table truncates and pads it before styling.
type cellFunc func(row, col int) (string, lipgloss.Style)

// table is a virtualised list of rows in the bubbles shape: built with
// options, Update returns the table, View renders only the rows on screen,
// so a frame costs the same for 100 or 100,000 rows.
type table struct {
	cols   []column
	len    int
	Cursor int
	Offset int
	// noPad leaves out the blank lines below the last row, for a screen
	// that shows something right under the table.
	noPad  bool
	width  int
	height int // rows, header excluded
	widths []int
	keys   tableKeys
	st     *styles // common's: restyled when the background is known
	cell   cellFunc
	focus  bool
}

type tableOption func(*table)

func withColumns(cols ...column) tableOption { return func(t *table) { t.cols = cols } }
func withCells(f cellFunc) tableOption       { return func(t *table) { t.cell = f } }
func withNoPad() tableOption                 { return func(t *table) { t.noPad = true } }

// newTable returns a focused table answering the moves of km.
func newTable(st *styles, km tableKeys, opts ...tableOption) table {
	t := table{st: st, keys: km, focus: true}
	for _, o := range opts {
		o(&t)
	}
	t.layout()
	return t
}

// SetColumns replaces the columns.
func (t *table) SetColumns(cols ...column) {
	t.cols = cols
	t.layout()
	t.clamp()
}

// Focus and Blur switch the table's keys on and off.
func (t *table) Focus()       { t.focus = true }
func (t *table) Blur()        { t.focus = false }
func (t table) Focused() bool { return t.focus }
func (t table) Len() int      { return t.len }
func (t table) Height() int   { return t.height }
func (t table) Columns() int  { return len(t.cols) }

// KeyMap is the table's navigation, which doubles as its help.
func (t table) KeyMap() []key.Binding { return t.keys.all() }

// SetSize sets the table's outer size, header line included.
func (t *table) SetSize(w, h int) {
	t.width, t.height = w, max(h-1, 1)
	t.layout()
	t.clamp()
}

func (t *table) layout() {
	t.widths = make([]int, len(t.cols))
	hidden := t.hidden()
	free, flex := t.width-2, 0
	for i, c := range t.cols {
		if hidden[i] {
			t.widths[i] = -1
			continue
		}
		if c.Flex > 0 {
			flex += c.Flex
			continue
		}
		t.widths[i] = c.Width
		free -= c.Width + 1
	}
	// Cap the columns whose content is narrower than their share, then
	// share again what they leave, until no share exceeds a cap.
	capped := slices.Clone(hidden)
	for changed := true; changed; {
		changed = false
		for i, c := range t.cols {
			if c.Flex > 0 && !capped[i] && c.Max > 0 && c.Max+1 < free*c.Flex/max(flex, 1) {
				capped[i], changed = true, true
				t.widths[i] = max(c.Max, ansi.StringWidth(c.Title))
				free -= t.widths[i] + 1
				flex -= c.Flex
			}
		}
	}
	for i, c := range t.cols {
		if c.Flex > 0 && !capped[i] {
			t.widths[i] = max(free*c.Flex/max(flex, 1)-1, 4)
		}
	}
}

// hidden picks the columns to leave out so the others fit the width.
func (t table) hidden() []bool {
	hide := make([]bool, len(t.cols))
	need := 2 - 1
	for i, c := range t.cols {
		hide[i] = c.Width <= 0 && c.Flex <= 0
		if !hide[i] {
			need += c.least() + 1
		}
	}
	for need > t.width {
		drop := -1
		for i, c := range t.cols {
			if !hide[i] && c.Drop > 0 && (drop < 0 || c.Drop < t.cols[drop].Drop) {
				drop = i
			}
		}
		if drop < 0 {
			break
		}
		hide[drop] = true
		need -= t.cols[drop].least() + 1
	}
	return hide
}

// least is the fewest cells c is given before other columns are dropped.
func (c column) least() int {
	if c.Flex <= 0 {
		return c.Width
	}
	if c.Min > 0 {
		return max(c.Width, c.Min)
	}
	return max(c.Width, minFlex)
}

// SetFixed makes column col exactly w cells wide, at least its title and at
// most limit; w 0 hides it. For short, key columns sized to their content.
func (t *table) SetFixed(col, w, limit int) {
	if w > 0 {
		w = min(max(w, ansi.StringWidth(t.cols[col].Title)), limit)
	}
	if c := &t.cols[col]; c.Width != w || c.Flex != 0 {
		c.Width, c.Flex = w, 0
		t.layout()
	}
}

// SetFlex makes column col a share of flex, at most n cells wide (the
// width of its longest content); n 0 hides it.
func (t *table) SetFlex(col, flex, n int) {
	if n == 0 {
		flex = 0
	}
	if c := &t.cols[col]; c.Width != 0 || c.Flex != flex || c.Max != n {
		c.Width, c.Flex, c.Max = 0, flex, n
		t.layout()
	}
}

// FitTo caps flex column col at n cells, the width of its longest content.
func (t *table) FitTo(col, n int) {
	if t.cols[col].Max != n {
		t.cols[col].Max = n
		t.layout()
	}
}

// SetLen changes the number of rows, keeping the cursor in range.
func (t *table) SetLen(n int) {
	t.len = n
	t.clamp()
}

func (t *table) clamp() {
	if t.Cursor >= t.len {
		t.Cursor = t.len - 1
	}
	if t.Cursor < 0 {
		t.Cursor = 0
	}
	if t.Cursor < t.Offset {
		t.Offset = t.Cursor
	}
	if t.height > 0 && t.Cursor >= t.Offset+t.height {
		t.Offset = t.Cursor - t.height + 1
	}
	if t.Offset > max(t.len-t.height, 0) {
		t.Offset = max(t.len-t.height, 0)
	}
	if t.Offset < 0 {
		t.Offset = 0
	}
}

// SetCursor moves the cursor to row i.
func (t *table) SetCursor(i int) {
	t.Cursor = i
	t.clamp()
}

// handles tells whether the table moves for msg: a navigation key or the
// mouse wheel.
func (t table) handles(msg tea.Msg) bool {
	if !t.focus {
		return false
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return key.Matches(msg, t.keys.all()...)
	case tea.MouseWheelMsg:
		return wheel(msg) != 0
	}
	return false
}

// Update moves the cursor for navigation keys and the mouse wheel.
func (t table) Update(msg tea.Msg) (table, tea.Cmd) {
	if !t.focus {
		return t, nil
	}
	km := t.keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, km.Up):
			t.SetCursor(t.Cursor - 1)
		case key.Matches(msg, km.Down):
			t.SetCursor(t.Cursor + 1)
		case key.Matches(msg, km.PageUp):
			t.SetCursor(t.Cursor - t.height)
		case key.Matches(msg, km.PageDown):
			t.SetCursor(t.Cursor + t.height)
		case key.Matches(msg, km.Home):
			t.SetCursor(0)
		case key.Matches(msg, km.End):
			t.SetCursor(t.len - 1)
		}
	case tea.MouseWheelMsg: // clicks are Click's
		t.SetCursor(t.Cursor + 3*wheel(msg))
	}
	return t, nil
}

// Click handles a left click at line y of the table's own area (0 is the
// header): it moves the cursor there, and reports activate when the row
// clicked was already the cursor's (click again to open).
func (t *table) Click(msg tea.MouseMsg, y int) (activate bool) {
	if c, ok := msg.(tea.MouseClickMsg); !ok || c.Button != tea.MouseLeft {
		return false
	}
	r, ok := t.RowAt(y)
	if !ok {
		return false
	}
	if r == t.Cursor {
		return true
	}
	t.SetCursor(r)
	return false
}

// RowAt returns the row at line y of the table's own area (0 is the
// header), for mouse clicks.
func (t table) RowAt(y int) (int, bool) {
	r := t.Offset + y - 1
	if y < 1 || r >= t.len || r < 0 {
		return 0, false
	}
	return r, true
}

// View renders the header and the visible rows; the cursor row gets a "›"
// so it shows without colour too.
func (t table) View() string {
	st, cell := t.st, t.cell
	if len(t.widths) != len(t.cols) || cell == nil {
		return ""
	}
	// Cells are one line each: drawn inline, Lip Gloss v2 skips measuring
	// every line for borders and margins the styles do not have (a
	// quarter of a frame; TestCellStylesInline holds the output equal).
	header, sel := st.ColumnHeader.Inline(true), st.Selected.Inline(true)
	var b strings.Builder
	b.WriteString("  ")
	last := t.lastShown()
	for i, c := range t.cols {
		if t.widths[i] < 0 {
			continue
		}
		b.WriteString(header.Render(fit(c.Title, t.widths[i], c.Right)))
		if i < last {
			b.WriteByte(' ')
		}
	}
	end := min(t.Offset+t.height, t.len)
	for r := t.Offset; r < end; r++ {
		b.WriteByte('\n')
		selected := r == t.Cursor
		if selected {
			b.WriteString(sel.Render("›"))
			b.WriteString(sel.Render(" "))
		} else {
			b.WriteString("  ")
		}
		for i, c := range t.cols {
			if t.widths[i] < 0 {
				continue
			}
			text, style := cell(r, i)
			if c.Middle {
				text = cutMiddle(model.Clean(text), t.widths[i])
			}
			s := fit(text, t.widths[i], c.Right)
			if i < last {
				s += " "
			}
			if selected {
				b.WriteString(sel.Render(s))
			} else {
				b.WriteString(style.Inline(true).Render(s))
			}
		}
	}
	for r := end - t.Offset; r < t.height && !t.noPad; r++ {
		b.WriteByte('\n')
	}
	return b.String()
}

func (t table) lastShown() int {
	for i := len(t.cols) - 1; i >= 0; i-- {
		if t.widths[i] >= 0 {
			return i
		}
	}
	return -1
}

// cutMiddle cuts s to w cells with "…" in its middle, keeping more of its
// end, where names of one family differ.
func cutMiddle(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw <= w || w < 5 {
		return s
	}
	head := (w - 1) / 3
	tail := w - 1 - head
	return ansi.Truncate(s, head, "") + "…" + ansi.TruncateLeft(s, sw-tail, "")
}

// colWidth is the cells column i is drawn in (0 when it is hidden).
func (t table) colWidth(i int) int {
	if i >= len(t.widths) {
		return 0
	}
	return max(t.widths[i], 0)
}

// fit escapes what a registry sent in s (model.Clean), truncates it to w
// cells with an ellipsis and pads it.
func fit(s string, w int, right bool) string {
	if w <= 0 {
		return ""
	}
	s = model.Clean(s)
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	pad := w - ansi.StringWidth(s)
	if pad <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", pad) + s
	}
	return s + strings.Repeat(" ", pad)
}
