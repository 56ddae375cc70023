// Package state keeps what platypus remembers on this machine between runs:
// the journal of tag changes (so a push can be undone), composer drafts and
// recent references. It lives in one private directory, shared by the CLI and
// the explorer. Every read is bounded and every write is atomic; callers in
// the UI run these calls inside commands, never on the UI goroutine.
package state

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// ErrNoState is returned when there is no private state directory: pushes
// refuse rather than journal somewhere shared.
var ErrNoState = errors.New("no private state directory")

// ErrDamaged is returned for a state file that cannot be read as written.
var ErrDamaged = errors.New("damaged")

// Dir is the private state directory.
type Dir struct {
	path string

	mu      sync.Mutex
	written map[string]int64 // draft path → revision last written
	rev     atomic.Int64
}

// Open returns the state directory at path, creating it (0700) if needed.
// A directory that is not a directory, or belongs to another user, is
// refused; one readable by others is made private.
func Open(path string) (*Dir, error) {
	if path == "" || !filepath.IsAbs(path) {
		return nil, fmt.Errorf("%w: set XDG_STATE_HOME or HOME", ErrNoState)
	}
	if err := os.MkdirAll(path, 0o700); err != nil {
		return nil, fmt.Errorf("state directory: %w", err)
	}
	if err := checkPrivate(path); err != nil {
		return nil, err
	}
	d := &Dir{path: path, written: map[string]int64{}}
	if err := d.tighten(); err != nil {
		return nil, err
	}
	return d, nil
}

// tighten makes the journal and its locks private where an older
// platypus, or another tool, left them readable by others. The journal
// holds every reference changed.
func (d *Dir) tighten() error {
	j := d.Journal().Path()
	for _, p := range []string{j, j + ".lock", j + ".append.lock"} {
		f, err := openFile(p, os.O_RDONLY, 0)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("state: %w", err)
		}
		err = makePrivate(f)
		_ = f.Close()
		if err != nil {
			return fmt.Errorf("state: %w", err)
		}
	}
	return nil
}

// Path is where the state lives.
func (d *Dir) Path() string { return d.path }

// Journal is the journal of tag changes in this directory.
func (d *Dir) Journal() *Journal {
	return &Journal{path: filepath.Join(d.path, "journal.jsonl")}
}

// readBounded reads a whole file of at most limit bytes. A missing file
// is (nil, nil); anything that is not a regular file, or is larger, is
// damaged.
func readBounded(path string, limit int64) ([]byte, error) {
	// Stat first: opening a FIFO blocks until someone writes to it. A link
	// is refused by the open.
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() && fi.Mode()&os.ModeSymlink == 0 {
		return nil, fmt.Errorf("%s is %w: not a regular file", path, ErrDamaged)
	}
	f, err := openFile(path, os.O_RDONLY, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is %w: not a regular file", path, ErrDamaged)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is %w: larger than %d bytes", path, ErrDamaged, limit)
	}
	return b, nil
}

// writeAtomic replaces path with b: written to a temporary file, synced,
// then renamed, so a crash leaves the old file or the new one.
func writeAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("state: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	tmp := f.Name()
	_, werr := f.Write(b)
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp, path)
	}
	if werr != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("state: %w", werr)
	}
	return nil
}
