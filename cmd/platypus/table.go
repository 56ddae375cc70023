package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
)

// table writes aligned columns, two spaces apart, padded by display width
// (a CJK character or an emoji takes two columns: text/tabwriter counted
// bytes and misaligned them). Every cell is shown through model.Clean,
// which escapes what a registry could use against a terminal.
type table struct {
	w    io.Writer
	rows [][]string
}

func newTable(w io.Writer, header ...string) *table {
	t := &table{w: w}
	if len(header) > 0 {
		t.row(header...)
	}
	return t
}

func (t *table) row(cells ...string) {
	row := make([]string, len(cells))
	for i, c := range cells {
		if c == "" {
			c = "-"
		}
		row[i] = model.Clean(c)
	}
	t.rows = append(t.rows, row)
}

// flush writes the rows; the last cell of a row is not padded.
func (t *table) flush() error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r[:max(len(r)-1, 0)] {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(c)+2))
			}
		}
		b.WriteByte('\n')
	}
	t.rows = nil
	if _, err := io.WriteString(t.w, b.String()); err != nil {
		return fmt.Errorf("writing table: %w", err)
	}
	return nil
}
