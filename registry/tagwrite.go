package registry

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry/state"
)

// ErrMoved is returned when a tag no longer holds what a change was based
// on: someone else wrote it in between.
var ErrMoved = errors.New("the tag moved")

// tagWrite is one guarded change of a tag.
type tagWrite struct {
	action    string // push, copy, undo, restore
	target    model.Reference
	expect    *string // what the tag must hold first ("": must not exist); nil: anything
	raw       []byte
	mediaType string
	reverts   []string
}

// writeTag changes a tag safely. Under the journal's lock (so two platypus
// processes never interleave), it checks the tag still holds what the change
// was based on, records the change as intended, writes the manifest, checks
// the tag now holds it, and records the change as completed. It returns what
// the tag held before. j nil skips the journal and its lock (library use).
func (c *Client) writeTag(ctx context.Context, j *state.Journal, w tagWrite) (prev string, unchanged bool, err error) {
	digest := model.DigestOf(w.raw)
	if j != nil {
		unlock, err := j.Lock(ctx)
		if err != nil {
			return "", false, err //nolint:wrapcheck // says which lock and why
		}
		defer unlock()
	}
	prev, err = c.tagDigest(ctx, w.target)
	if err != nil {
		return "", false, err
	}
	if w.expect != nil && *w.expect != prev {
		return prev, false, c.wrap(w.action, w.target, "", fmt.Errorf("%w: %s now holds %s, not %s as when this change was prepared; nothing was written",
			ErrMoved, w.target, describeDigest(prev), describeDigest(*w.expect)))
	}
	if prev == digest {
		return prev, true, nil
	}
	rec := state.Record{ID: state.NewID(), Time: time.Now().UTC(), State: state.Intended, Action: w.action,
		Reference: w.target.String(), PreviousDigest: prev, Digest: digest, Reverts: w.reverts}
	if j != nil {
		if err := j.Append(rec); err != nil {
			return prev, false, err //nolint:wrapcheck // names the journal
		}
	}
	fail := func(err error) (string, bool, error) {
		if j != nil {
			rec.Time, rec.State, rec.Error = time.Now().UTC(), state.Failed, ShortError(err)
			_ = j.Append(rec) // best effort: an intended record without completion is not undone either
		}
		return prev, false, err
	}
	if err := c.putManifest(ctx, w.target, w.mediaType, w.raw); err != nil {
		return fail(err)
	}
	now, err := c.tagDigest(ctx, w.target)
	if err != nil {
		return fail(fmt.Errorf("the write was sent but could not be confirmed: %w", err))
	}
	if now != digest {
		return fail(c.wrap(w.action, w.target, "", fmt.Errorf("%w: right after writing %s, %s holds %s: another writer got there too",
			ErrMoved, model.ShortDigest(digest), w.target, describeDigest(now))))
	}
	if j != nil {
		rec.Time, rec.State = time.Now().UTC(), state.Completed
		if err := j.Append(rec); err != nil {
			return prev, false, fmt.Errorf("%s now holds %s, but the journal could not record it (undo will not offer it): %w", w.target, model.ShortDigest(digest), err)
		}
	}
	return prev, false, nil
}

// tagDigest is the digest a tag holds now, "" when it does not exist.
func (c *Client) tagDigest(ctx context.Context, r model.Reference) (string, error) {
	if layoutMissing(r) {
		return "", nil
	}
	h, err := c.Head(ctx, r.WithTag(r.Tag))
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return h.Digest, nil
}

// layoutMissing tells whether r is an OCI layout not written yet: every
// tag of it is new (regclient creates the layout on the first write).
func layoutMissing(r model.Reference) bool {
	if !r.IsOCIDir() {
		return false
	}
	_, err := os.Stat(filepath.Join(r.Path, "index.json"))
	return errors.Is(err, os.ErrNotExist)
}

func describeDigest(d string) string {
	if d == "" {
		return "nothing (no such tag)"
	}
	return model.ShortDigest(d)
}
