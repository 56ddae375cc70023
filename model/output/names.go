package output

import (
	"bufio"
	"fmt"
	"io"
)

// Tags is `tags -o json`.
type Tags struct {
	Repository string   `json:"repository"`
	Tags       []string `json:"tags"`
}

// Repos is `repos -o json`.
type Repos struct {
	Registry     string   `json:"registry"`
	Repositories []string `json:"repositories"`
}

// NamesWriter writes {"KEY": "VALUE", "LIST": [names…]} exactly as Write
// would write Tags or Repos, name by name as they arrive, so a list of a
// million tags is never marshalled whole and its first names are out
// before its last have arrived.
type NamesWriter struct {
	bw      *bufio.Writer
	head    []byte // the document up to the list's "["
	started bool
	n       int
}

// NewNamesWriter writes to w the list named list of the document whose
// one other field is key: value.
func NewNamesWriter(w io.Writer, key, value, list string) *NamesWriter {
	head := append([]byte("{\n  \""+key+"\": "), AppendString(nil, value)...)
	return &NamesWriter{bw: bufio.NewWriterSize(w, 64<<10), head: append(head, ",\n  \""+list+"\": ["...)}
}

// Add writes names and flushes them: they are on their way while the next
// ones arrive.
func (w *NamesWriter) Add(names []string) {
	w.start()
	var b []byte
	for _, n := range names {
		b = b[:0]
		if w.n > 0 {
			b = append(b, ',')
		}
		b = AppendString(append(b, "\n    "...), n)
		_, _ = w.bw.Write(b)
		w.n++
	}
	_ = w.bw.Flush()
}

func (w *NamesWriter) start() {
	if !w.started {
		w.started = true
		_, _ = w.bw.Write(w.head)
	}
}

// End closes a complete list. (After an error, a command leaves the
// document unclosed: what was written is not the whole list.)
func (w *NamesWriter) End() error {
	w.start()
	if w.n > 0 {
		_, _ = w.bw.WriteString("\n  ")
	}
	_, _ = w.bw.WriteString("]\n}\n")
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("writing: %w", err)
	}
	return nil
}

// WriteNames writes a whole list of names as NamesWriter does.
func WriteNames(w io.Writer, key, value, list string, names []string) error {
	nw := NewNamesWriter(w, key, value, list)
	nw.Add(names)
	return nw.End()
}
