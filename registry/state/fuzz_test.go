package state

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzJournalRead: any bytes read as a journal give changes and damage,
// never a panic, and every line is either a record or reported damage.
func FuzzJournalRead(f *testing.F) {
	f.Add([]byte(`{"id":"a","state":"completed","action":"push","reference":"r/x:1","digest":"sha256:1"}` + "\n"))
	f.Add([]byte("\x00\x00\x00\n{\"id\":\"b\"}\n\n"))
	f.Add([]byte(`{"time":"2026-01-01T00:00:00Z","reference":"r/x:1","digest":"sha256:2"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "journal.jsonl")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		h, err := OpenJournal(p).Read("")
		if err != nil {
			t.Fatal(err)
		}
		lines := 0
		_ = scanLines(bytes.NewReader(b), func(int, int64, []byte, int64, bool) { lines++ })
		if len(h.Damage) > lines {
			t.Errorf("%d damage reports for %d lines", len(h.Damage), lines)
		}
	})
}
