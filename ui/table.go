package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Column is one column of a Table: a fixed Width, or a share (Flex) of what
// the fixed columns leave.
type Column struct {
	Title string
	Width int
	Flex  int
	Right bool
}

// CellFunc returns the text of a cell and its style. Text is plain: the
// table truncates and pads it before styling.
type CellFunc func(row, col int) (string, lipgloss.Style)

// Table is a virtualised list of rows: it renders only the rows on screen,
// so a View costs the same for 100 or 100,000 rows.
type Table struct {
	Cols   []Column
	Len    int
	Cursor int
	Offset int
	// NoPad leaves out the blank lines below the last row, for a screen
	// that shows something right under the table.
	NoPad  bool
	width  int
	height int // rows, header excluded
	widths []int
}

// SetSize sets the table's outer size, header line included.
func (t *Table) SetSize(w, h int) {
	t.width, t.height = w, max(h-1, 1)
	t.layout()
	t.clamp()
}

// Height is the number of rows shown.
func (t *Table) Height() int { return t.height }

func (t *Table) layout() {
	t.widths = make([]int, len(t.Cols))
	free, flex := t.width-2, 0
	for i, c := range t.Cols {
		if c.Flex > 0 {
			flex += c.Flex
			continue
		}
		t.widths[i] = c.Width
		free -= c.Width + 1
	}
	for i, c := range t.Cols {
		if c.Flex > 0 {
			t.widths[i] = max(free*c.Flex/max(flex, 1)-1, 4)
		}
	}
}

// SetLen changes the number of rows, keeping the cursor in range.
func (t *Table) SetLen(n int) {
	t.Len = n
	t.clamp()
}

func (t *Table) clamp() {
	if t.Cursor >= t.Len {
		t.Cursor = t.Len - 1
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
	if t.Offset > max(t.Len-t.height, 0) {
		t.Offset = max(t.Len-t.height, 0)
	}
	if t.Offset < 0 {
		t.Offset = 0
	}
}

// SetCursor moves the cursor to row i.
func (t *Table) SetCursor(i int) {
	t.Cursor = i
	t.clamp()
}

// HandleKey moves the cursor for navigation keys and mouse wheel; it
// reports whether the message was used.
func (t *Table) HandleKey(msg tea.Msg, km KeyMap) bool {
	switch msg := msg.(type) {
	case tea.KeyMsg:
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
			t.SetCursor(t.Len - 1)
		default:
			return false
		}
		return true
	case tea.MouseMsg:
		switch msg.Button {
		case tea.MouseButtonWheelUp:
			t.SetCursor(t.Cursor - 3)
			return true
		case tea.MouseButtonWheelDown:
			t.SetCursor(t.Cursor + 3)
			return true
		}
	}
	return false
}

// Click handles a left click at line y of the table's own area (0 is the
// header): it moves the cursor there, and reports activate when the row
// clicked was already the cursor's (click again to open).
func (t *Table) Click(msg tea.MouseMsg, y int) (activate bool) {
	if msg.Action != tea.MouseActionPress || msg.Button != tea.MouseButtonLeft {
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
func (t *Table) RowAt(y int) (int, bool) {
	r := t.Offset + y - 1
	if y < 1 || r >= t.Len || r < 0 {
		return 0, false
	}
	return r, true
}

// View renders the header and the visible rows. dim marks rows drawn
// faint; the cursor row gets a "›" so it shows without colour too.
func (t *Table) View(st Styles, cell CellFunc) string {
	var b strings.Builder
	b.WriteString("  ")
	for i, c := range t.Cols {
		b.WriteString(st.ColumnHeader.Render(fit(c.Title, t.widths[i], c.Right)))
		if i < len(t.Cols)-1 {
			b.WriteByte(' ')
		}
	}
	end := min(t.Offset+t.height, t.Len)
	for r := t.Offset; r < end; r++ {
		b.WriteByte('\n')
		selected := r == t.Cursor
		if selected {
			b.WriteString(st.Selected.Render("›"))
			b.WriteString(st.Selected.Render(" "))
		} else {
			b.WriteString("  ")
		}
		for i, c := range t.Cols {
			text, style := cell(r, i)
			s := fit(text, t.widths[i], c.Right)
			if i < len(t.Cols)-1 {
				s += " "
			}
			if selected {
				b.WriteString(st.Selected.Render(s))
			} else {
				b.WriteString(style.Render(s))
			}
		}
	}
	for r := end - t.Offset; r < t.height && !t.NoPad; r++ {
		b.WriteByte('\n')
	}
	return b.String()
}

// fit truncates s to w cells with an ellipsis and pads it.
func fit(s string, w int, right bool) string {
	if w <= 0 {
		return ""
	}
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
