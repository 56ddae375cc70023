package registry

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry/state"
)

// tagWrite is one guarded change of a tag.
type tagWrite struct {
	action    string // push, copy, undo, restore
	target    model.Reference
	expect    *string // what the tag must hold first ("": must not exist); nil: anything
	raw       []byte
	mediaType string
	reverts   []string
	// force deletes by digest what platypus could not fully check or
	// would leave referrers of (digestUse.refusal).
	force bool
	// overridden is what the release check found that the push goes past.
	overridden string
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
			return "", false, err // says which lock and why
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
		Reference: c.JournalName(w.target), PreviousDigest: prev, Digest: digest, Reverts: w.reverts, CheckOverridden: w.overridden}
	if j != nil {
		if err := j.Append(rec); err != nil {
			return prev, false, err // names the journal
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

// removeTag deletes a tag safely, journaled as writeTag journals a write:
// under the lock, the tag must hold what the change was based on; the
// deletion is recorded as intended, done, checked and recorded completed.
// The tag goes by itself where the registry deletes tags; else its
// manifest goes by digest, only when no other tag holds it or lists it;
// children and blobs are never deleted. It returns what the tag held and
// how it went (DeleteTag, DeleteDigest; "" when it was gone already), with
// what a deletion by digest could not check or left behind.
func (c *Client) removeTag(ctx context.Context, j *state.Journal, w tagWrite) (prev, how string, use digestUse, err error) {
	if j != nil {
		unlock, err := j.Lock(ctx)
		if err != nil {
			return "", "", use, err // says which lock and why
		}
		defer unlock()
	}
	prev, err = c.tagDigest(ctx, w.target)
	if err != nil {
		return "", "", use, err
	}
	if w.expect != nil && *w.expect != prev {
		return prev, "", use, c.wrap(w.action, w.target, "", fmt.Errorf("%w: %s now holds %s, not %s as when this change was prepared; nothing was deleted",
			ErrMoved, w.target, describeDigest(prev), describeDigest(*w.expect)))
	}
	if prev == "" {
		return "", "", use, nil
	}
	rec := state.Record{ID: state.NewID(), Time: time.Now().UTC(), State: state.Intended, Action: w.action,
		Reference: c.JournalName(w.target), PreviousDigest: prev, Reverts: w.reverts}
	if j != nil {
		if err := j.Append(rec); err != nil {
			return prev, "", use, err // names the journal
		}
	}
	fail := func(err error) (string, string, digestUse, error) {
		if j != nil {
			rec.Time, rec.State, rec.Error = time.Now().UTC(), state.Failed, ShortError(err)
			_ = j.Append(rec) // best effort, as in writeTag
		}
		return prev, "", use, err
	}
	how, use, err = c.deleteTagOrDigest(ctx, w.target, prev, w.force)
	if err != nil {
		return fail(err)
	}
	now, err := c.tagDigest(ctx, w.target)
	if err != nil {
		return fail(fmt.Errorf("the deletion was sent but could not be confirmed: %w", err))
	}
	if now != "" {
		return fail(c.wrap(w.action, w.target, "", fmt.Errorf("%w: right after deleting it, %s holds %s", ErrMoved, w.target, model.ShortDigest(now))))
	}
	if j != nil {
		rec.Time, rec.State = time.Now().UTC(), state.Completed
		if err := j.Append(rec); err != nil {
			return prev, how, use, fmt.Errorf("%s is deleted, but the journal could not record it: %w", w.target, err)
		}
	}
	return prev, how, use, nil
}

// deleteTagOrDigest deletes the tag r, which holds d: the tag alone when
// the registry can, else d by digest when nothing else would go with it
// (and, unless forced, every other tag was checked and nothing refers to
// d).
func (c *Client) deleteTagOrDigest(ctx context.Context, r model.Reference, d string, force bool) (string, digestUse, error) {
	tagAnswer, err := c.sendDelete(ctx, r.WithTag(r.Tag))
	if err != nil {
		return "", digestUse{}, err
	}
	if tagAnswer == http.StatusAccepted {
		return DeleteTag, digestUse{}, nil
	}
	use, err := c.digestUsers(ctx, r, d, force)
	if err != nil {
		return "", use, err
	}
	if why := use.refusal(d, force); why != "" {
		return "", use, fmt.Errorf("delete %s: %w: the registry deletes no tags (a tag DELETE got %d), and %s; nothing was deleted", r, ErrCannotDelete, tagAnswer, why)
	}
	digestAnswer, err := c.sendDelete(ctx, r.RepoOnly().WithDigest(d))
	if err != nil {
		return "", use, err
	}
	if digestAnswer != http.StatusAccepted {
		return "", use, fmt.Errorf("delete %s: %w: the registry deletes neither tags (a tag DELETE got %d) nor manifests (%d); nothing was deleted", r, ErrCannotDelete, tagAnswer, digestAnswer)
	}
	return DeleteDigest, use, nil
}
