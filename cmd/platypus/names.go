package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/platypus-tui/platypus/model"
)

// namesWriter writes a list of names as they arrive: a one-column table
// (the header, then each name shown through model.Clean) or
// {"KEY": "VALUE", "LIST": [names…]} exactly as writeJSON would write it,
// name by name, so a list of a million tags is never marshalled whole and
// its first names are out before its last have arrived. Names that need
// escaping in JSON go through encoding/json.
type namesWriter struct {
	bw      *bufio.Writer
	json    bool
	head    string // the table's header, or the JSON up to the list's "["
	started bool
	n       int
}

func newNamesWriter(w io.Writer, json bool, header, key, value, list string) *namesWriter {
	nw := &namesWriter{bw: bufio.NewWriterSize(w, 64<<10), json: json, head: header + "\n"}
	if json {
		var b []byte
		b = append(b, "{\n  \""+key+"\": "...)
		b = appendJSONString(b, value)
		nw.head = string(append(b, ",\n  \""+list+"\": ["...))
	}
	return nw
}

// add writes names and flushes them: they are on their way while the next
// ones arrive.
func (w *namesWriter) add(names []string) {
	w.start()
	for _, n := range names {
		if !w.json {
			_, _ = w.bw.WriteString(model.Clean(n))
			_ = w.bw.WriteByte('\n')
			continue
		}
		if w.n > 0 {
			_ = w.bw.WriteByte(',')
		}
		_, _ = w.bw.WriteString("\n    ")
		w.quote(n)
		w.n++
	}
	_ = w.bw.Flush()
}

func (w *namesWriter) start() {
	if !w.started {
		w.started = true
		_, _ = w.bw.WriteString(w.head)
	}
}

func (w *namesWriter) quote(s string) {
	if plainJSON(s) {
		_ = w.bw.WriteByte('"')
		_, _ = w.bw.WriteString(s)
		_ = w.bw.WriteByte('"')
		return
	}
	_, _ = w.bw.Write(appendJSONString(nil, s))
}

// end closes a complete list.
func (w *namesWriter) end() error {
	w.start()
	if w.json {
		if w.n > 0 {
			_, _ = w.bw.WriteString("\n  ")
		}
		_, _ = w.bw.WriteString("]\n}\n")
	}
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("writing: %w", err)
	}
	return nil
}

// appendJSONString appends s as writeJSON writes a string: as it is,
// quoted, when it is plain (most names are), else through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	if plainJSON(s) {
		return append(append(append(b, '"'), s...), '"')
	}
	q, _ := json.Marshal(s) // a string always encodes
	return append(b, model.EscapeJSON(q)...)
}

// writeNamesJSON writes a whole list of names as JSON.
func writeNamesJSON(w io.Writer, key, value, list string, names []string) error {
	nw := newNamesWriter(w, true, "", key, value, list)
	nw.add(names)
	return nw.end()
}

// printNames writes a whole list of names as a one-column table.
func printNames(w io.Writer, header string, names []string) error {
	nw := newNamesWriter(w, false, header, "", "", "")
	nw.add(names)
	return nw.end()
}
