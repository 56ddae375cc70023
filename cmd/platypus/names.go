package main

import (
	"bufio"
	"fmt"
	"io"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/output"
)

// namesOutput writes a list of names as they arrive: a table, or JSON
// (output.NamesWriter).
type namesOutput interface {
	Add(names []string)
	End() error
}

// newNamesWriter writes a one-column table (the header, then each name
// shown through model.Clean) or {"KEY": "VALUE", "LIST": [names…]}.
func newNamesWriter(w io.Writer, json bool, header, key, value, list string) namesOutput {
	if json {
		return output.NewNamesWriter(w, key, value, list)
	}
	return &namesTable{bw: bufio.NewWriterSize(w, 64<<10), head: header + "\n"}
}

// namesTable is the one-column table of names.
type namesTable struct {
	bw      *bufio.Writer
	head    string
	started bool
}

// Add writes names and flushes them: they are on their way while the next
// ones arrive.
func (w *namesTable) Add(names []string) {
	w.start()
	for _, n := range names {
		_, _ = w.bw.WriteString(model.Clean(n))
		_ = w.bw.WriteByte('\n')
	}
	_ = w.bw.Flush()
}

func (w *namesTable) start() {
	if !w.started {
		w.started = true
		_, _ = w.bw.WriteString(w.head)
	}
}

// End ends a complete list.
func (w *namesTable) End() error {
	w.start()
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("writing: %w", err)
	}
	return nil
}

// printNames writes a whole list of names as a one-column table.
func printNames(w io.Writer, header string, names []string) error {
	nw := newNamesWriter(w, false, header, "", "", "")
	nw.Add(names)
	return nw.End()
}
