package registry

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// JournalRecord is one tag change platypus made: enough to put the tag back.
type JournalRecord struct {
	Time           time.Time `json:"time"`
	Action         string    `json:"action"` // "push" or "undo"
	Reference      string    `json:"reference"`
	PreviousDigest string    `json:"previousDigest"` // "" when the tag did not exist
	Digest         string    `json:"digest"`
}

// Journal is an append-only JSON-lines file of tag changes, written before
// each change so that nothing a push overwrites is lost.
type Journal struct {
	Path string
	mu   sync.Mutex
}

// ErrNoJournal is returned when there is nothing to undo.
var ErrNoJournal = errors.New("nothing to undo")

// Append records r, synced to disk before it returns.
func (j *Journal) Append(r JournalRecord) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(j.Path), 0o700); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	f, err := os.OpenFile(j.Path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	b, _ := json.Marshal(r)
	if _, err := f.Write(append(b, '\n')); err != nil {
		_ = f.Close()
		return fmt.Errorf("journal: %w", err)
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return fmt.Errorf("journal: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return nil
}

// Records returns every record, oldest first; a damaged line is skipped.
func (j *Journal) Records() ([]JournalRecord, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	f, err := os.Open(j.Path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	defer f.Close()
	var out []JournalRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var r JournalRecord
		if json.Unmarshal(sc.Bytes(), &r) == nil && r.Reference != "" {
			out = append(out, r)
		}
	}
	return out, nil
}

// Last returns the newest record for reference, or the newest of all when
// reference is "".
func (j *Journal) Last(reference string) (JournalRecord, error) {
	recs, err := j.Records()
	if err != nil {
		return JournalRecord{}, err
	}
	for i := len(recs) - 1; i >= 0; i-- {
		if reference == "" || recs[i].Reference == reference {
			return recs[i], nil
		}
	}
	if reference == "" {
		return JournalRecord{}, fmt.Errorf("%w: the journal %s is empty", ErrNoJournal, j.Path)
	}
	return JournalRecord{}, fmt.Errorf("%w: platypus has not changed %s", ErrNoJournal, reference)
}
