package state

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Record states: a change is recorded as intended before the tag is
// written and as completed once the registry confirmed it; a change with
// no completed record never happened as far as undo is concerned.
const (
	Intended  = "intended"
	Completed = "completed"
	Failed    = "failed"
)

// Record is one line of the journal: one step of one tag change.
type Record struct {
	// ID ties the intended and completed records of one change.
	ID     string    `json:"id"`
	Time   time.Time `json:"time"`
	State  string    `json:"state"`
	Action string    `json:"action"` // push, copy or undo
	// Reference is the tag that changed.
	Reference string `json:"reference"`
	// PreviousDigest is what the tag held before ("" when it did not exist).
	PreviousDigest string `json:"previousDigest"`
	// Digest is what the tag holds after the change ("" when it deleted it).
	Digest string `json:"digest"`
	// Reverts lists the changes an undo takes back.
	Reverts []string `json:"reverts,omitempty"`
	// Error says why a change failed.
	Error string `json:"error,omitempty"`
	// CheckOverridden says what the release check found that the user
	// pushed past ("" when it passed, or did not run).
	CheckOverridden string `json:"checkOverridden,omitempty"`
}

// NewID returns a fresh change id.
func NewID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return time.Now().UTC().Format("20060102T150405.000") + "-" + hex.EncodeToString(b[:])
}

// Journal is an append-only JSON-lines file of tag changes. Appends are
// single writes synced to disk; changes to a tag run under Lock, so two
// processes never interleave a check and a write of the same tag.
type Journal struct {
	path string
}

// OpenJournal returns the journal at path (tests and tools).
func OpenJournal(path string) *Journal { return &Journal{path: path} }

// Path is the journal's file.
func (j *Journal) Path() string { return j.path }

// maxRecord bounds one record: anything longer is damage, not a record.
const maxRecord = 1 << 20

// Append writes r as one line, synced before it returns.
func (j *Journal) Append(r Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if len(b) >= maxRecord {
		return fmt.Errorf("journal: a record of %d bytes is over the limit", len(b))
	}
	if err := os.MkdirAll(filepath.Dir(j.path), 0o700); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	// Checking the file's end and writing are one step under a short lock:
	// a record that crosses a page boundary is visible half-written to a
	// second writer, which would then start on a fresh line and leave an
	// empty one.
	release, err := j.appendLock()
	if err != nil {
		return err
	}
	defer release()
	f, err := openPrivate(j.path, os.O_APPEND|os.O_WRONLY)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	// A torn line left by a crash must not swallow this record: start on
	// a fresh line when the file does not end with one.
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 && !endsWithNewline(j.path, fi.Size()) {
		b = append([]byte{'\n'}, b...)
	}
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

// appendLock serialises appends, across processes too. It is a file of its
// own: Lock's file is held across a whole tag change, during which the
// same process appends.
func (j *Journal) appendLock() (func(), error) {
	f, err := openPrivate(j.path+".append.lock", os.O_RDWR)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	if err := waitLock(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("journal lock: %w", err)
	}
	return func() { _ = unlock(f); _ = f.Close() }, nil
}

func endsWithNewline(path string, size int64) bool {
	f, err := openFile(path, os.O_RDONLY, 0)
	if err != nil {
		return true
	}
	defer f.Close()
	var b [1]byte
	if _, err := f.ReadAt(b[:], size-1); err != nil {
		return true
	}
	return b[0] == '\n'
}

// lockPoll is how often a busy lock is tried again.
const lockPoll = 25 * time.Millisecond

// ErrLocked is returned when ctx ends while another process holds the lock.
var ErrLocked = errors.New("another platypus is changing tags")

// Lock takes the journal's lock, waiting for another process to release it
// until ctx ends. The returned func releases it.
func (j *Journal) Lock(ctx context.Context) (func(), error) {
	if err := os.MkdirAll(filepath.Dir(j.path), 0o700); err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	f, err := openPrivate(j.path+".lock", os.O_RDWR)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	for {
		ok, err := tryLock(f)
		if err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("journal lock: %w", err)
		}
		if ok {
			return func() { _ = unlock(f); _ = f.Close() }, nil
		}
		select {
		case <-ctx.Done():
			_ = f.Close()
			return nil, fmt.Errorf("%w (%s): %w", ErrLocked, j.path+".lock", ctx.Err())
		case <-time.After(lockPoll):
		}
	}
}
