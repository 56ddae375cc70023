package state

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"
)

// Damage is a part of the journal that is not a record.
type Damage struct {
	Line   int
	Offset int64
	What   string
}

func (d Damage) String() string {
	return fmt.Sprintf("line %d (byte %d): %s", d.Line, d.Offset, d.What)
}

// Change is one tag change with its records merged.
type Change struct {
	ID             string
	Time           time.Time
	Action         string
	Reference      string
	PreviousDigest string
	Digest         string
	// State is the newest state recorded: intended, completed or failed.
	State   string
	Reverts []string
	// RevertedBy is the completed undo that took this change back.
	RevertedBy string
	Error      string
	// CheckOverridden is what the release check found when the user
	// pushed anyway (empty when it passed or did not run).
	CheckOverridden string
}

// Done tells whether the change reached the registry.
func (c Change) Done() bool { return c.State == Completed }

// History is what the journal says of one tag (or of all tags).
type History struct {
	Changes []Change
	Damage  []Damage
	// lastGood is the line of the last record of the whole journal.
	lastGood int
}

// Suspect tells whether damage lies before the journal's last good record:
// then records may be missing from the middle and the history cannot be
// trusted. Damage after it is a torn last write, which never completed.
func (h History) Suspect() bool {
	for _, d := range h.Damage {
		if d.Line < h.lastGood {
			return true
		}
	}
	return false
}

// Read returns the history of reference ("" for every tag), oldest first.
// A journal that is missing is empty; one that is not a regular file is an
// error; lines that are not records are reported in Damage, never skipped
// silently, and never hide the records after them.
func (j *Journal) Read(reference string) (History, error) {
	var h History
	if fi, err := os.Lstat(j.path); err == nil && !fi.Mode().IsRegular() && fi.Mode()&os.ModeSymlink == 0 {
		return h, fmt.Errorf("journal %s is %w: not a regular file", j.path, ErrDamaged)
	}
	f, err := openFile(j.path, os.O_RDONLY, 0)
	if errors.Is(err, os.ErrNotExist) {
		return h, nil
	}
	if err != nil {
		return h, fmt.Errorf("journal: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return h, fmt.Errorf("journal: %w", err)
	} else if !fi.Mode().IsRegular() {
		return h, fmt.Errorf("journal %s is %w: not a regular file", j.path, ErrDamaged)
	}
	byID := map[string]int{}
	err = scanLines(f, func(line int, off int64, b []byte, size int64, torn bool) {
		rec, what := parseRecord(b, line)
		if size > maxRecord {
			what = fmt.Sprintf("a line of %d bytes, longer than any record", size)
			if bytes.Count(b, []byte{0}) == len(b) {
				what += " (NUL bytes, left by a crash)"
			}
		}
		if what != "" {
			if torn {
				what = "truncated last line: " + what
			}
			h.Damage = append(h.Damage, Damage{Line: line, Offset: off, What: what})
			return
		}
		h.lastGood = line
		if reference != "" && rec.Reference != reference {
			return
		}
		i, seen := byID[rec.ID]
		if !seen {
			byID[rec.ID] = len(h.Changes)
			h.Changes = append(h.Changes, Change{
				ID: rec.ID, Time: rec.Time, Action: rec.Action, Reference: rec.Reference,
				PreviousDigest: rec.PreviousDigest, Digest: rec.Digest, Reverts: rec.Reverts,
			})
			i = len(h.Changes) - 1
		}
		c := &h.Changes[i]
		c.State, c.Error = rec.State, rec.Error
		if rec.CheckOverridden != "" {
			c.CheckOverridden = rec.CheckOverridden
		}
	})
	if err != nil {
		return h, fmt.Errorf("journal %s: %w", j.path, err)
	}
	for _, c := range h.Changes {
		if c.Action != "undo" || !c.Done() {
			continue
		}
		for _, id := range c.Reverts {
			if i, ok := byID[id]; ok {
				h.Changes[i].RevertedBy = c.ID
			}
		}
	}
	return h, nil
}

// parseRecord reads one line; what says why it is not a record.
func parseRecord(b []byte, line int) (Record, string) {
	var r Record
	if len(bytes.TrimSpace(b)) == 0 {
		if len(b) == 0 {
			return r, "an empty line"
		}
		return r, describe(b)
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, describe(b)
	}
	// Digest "" is a change that left the tag deleted; it held something.
	if r.Reference == "" || (r.Digest == "" && r.PreviousDigest == "") {
		return r, "a JSON line that is not a record (no reference or digest)"
	}
	if r.State == "" {
		// Written before records had states: a change that completed.
		r.State, r.ID = Completed, "line-"+strconv.Itoa(line)
	}
	if r.ID == "" {
		return r, "a record without an id"
	}
	return r, ""
}

func describe(b []byte) string {
	if bytes.Count(b, []byte{0}) == len(b) {
		return fmt.Sprintf("%d NUL bytes (left by a crash)", len(b))
	}
	return fmt.Sprintf("%d bytes that are not a JSON record", len(b))
}

// scanLines calls fn for every line of r, without a limit on line length:
// fn gets at most maxRecord bytes of a line and its whole size. torn is set
// for a last line with no newline.
func scanLines(r io.Reader, fn func(line int, off int64, b []byte, size int64, torn bool)) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var off int64
	for line := 1; ; line++ {
		var buf []byte
		n := int64(0)
		for {
			chunk, err := br.ReadSlice('\n')
			n += int64(len(chunk))
			if len(buf) < maxRecord {
				buf = append(buf, chunk[:min(len(chunk), maxRecord-len(buf))]...)
			}
			if err == nil {
				break
			}
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if errors.Is(err, io.EOF) {
				if n > 0 {
					fn(line, off, buf, n, true)
				}
				return nil
			}
			return err //nolint:wrapcheck // wrapped by Read with the path
		}
		fn(line, off, bytes.TrimSuffix(buf, []byte{'\n'}), n-1, false)
		off += n
	}
}
