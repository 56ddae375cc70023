package registry

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry/state"
)

// UndoOptions tune Undo.
type UndoOptions struct {
	// To restores this digest (any state the history shows) instead of
	// stepping back one change.
	To string
	// Before restores the state before the change with this id, taking
	// back every change of the tag after it too (the history screen's
	// enter); for a change that created the tag, that deletes it.
	Before string
	// Force writes even when the tag no longer holds what platypus left
	// there, or when the journal is damaged.
	Force bool
}

// UndoResult says what an undo did.
type UndoResult struct {
	Time      time.Time
	Action    string // undo, or restore for a state off the way back
	Reference string
	// Digest is what the tag holds now ("" when the undo deleted it);
	// PreviousDigest what it held before.
	Digest         string
	PreviousDigest string
	// Reverts are the ids of the changes taken back.
	Reverts []string
	// Deleted says how a tag platypus had created was deleted: "tag" (the
	// tag alone) or "digest" (its manifest, which no other tag held).
	Deleted string
	// A deletion by digest that was forced says what it could not rule
	// out or left behind: the other tags of the repository not checked
	// (past the 2,000 platypus checks), and the referrers (signatures,
	// attestations) that now point at nothing.
	UncheckedTags     int
	OrphanedReferrers []string
}

// UndoPreview is what an undo would do, checked against the registry
// without changing anything, so the user is told before being asked.
type UndoPreview struct {
	Reference string
	Action    string // undo, or restore
	// From is what the tag holds now; To what it would hold ("": deleted).
	From, To string
	// Delete is how the tag would be deleted (DeleteTag or DeleteDigest).
	Delete  string
	Reverts []string
}

// Undo takes back platypus's newest change of reference ("" for the newest
// change of any tag) that has not been taken back yet, so a second undo
// goes one step further back. Only completed changes count. It refuses when
// the tag no longer holds what that change left (someone else pushed since)
// and when the journal is damaged before its last record, unless forced.
func (c *Client) Undo(ctx context.Context, j *state.Journal, reference string, o UndoOptions) (UndoResult, error) {
	if j == nil {
		return UndoResult{}, fmt.Errorf("undo: %w", state.ErrNoState)
	}
	unlock, err := j.Lock(ctx)
	if err != nil {
		return UndoResult{}, err // says which lock and why
	}
	locked := true
	defer func() {
		if locked {
			unlock()
		}
	}()
	reference = c.journalKey(reference)
	h, err := j.Read(reference)
	if err != nil {
		return UndoResult{}, err // names the journal
	}
	if h.Suspect() && !o.Force {
		return UndoResult{}, fmt.Errorf("%w (%s, %s): earlier records may be missing, so undo will not trust it; --force undoes anyway",
			ErrJournalDamaged, j.Path(), h.Damage[0])
	}
	plan, err := planUndo(h, reference, o)
	if err != nil {
		return UndoResult{}, err
	}
	r, err := c.FromJournal(plan.reference)
	if err != nil {
		return UndoResult{}, err
	}
	now, err := c.tagDigest(ctx, r)
	if err != nil {
		return UndoResult{}, err
	}
	if now == plan.to {
		return UndoResult{}, c.alreadyThere(r, plan.to)
	}
	expect := &plan.from
	if o.Force {
		expect = nil
	}
	var old *model.Manifest
	if plan.to != "" {
		if old, err = c.Manifest(ctx, r.RepoOnly().WithDigest(plan.to)); err != nil {
			return UndoResult{}, fmt.Errorf("%s cannot go back to %s: %w", r, model.ShortDigest(plan.to), err)
		}
	}
	// writeTag and removeTag take the lock themselves.
	unlock()
	locked = false
	w := tagWrite{action: plan.action, target: r, expect: expect, reverts: plan.reverts, force: o.Force}
	var prev, how string
	var use digestUse
	if old != nil {
		w.raw, w.mediaType = old.Raw, old.MediaType
		prev, _, err = c.writeTag(ctx, j, w)
	} else {
		prev, how, use, err = c.removeTag(ctx, j, w)
	}
	if errors.Is(err, ErrMoved) && !o.Force {
		return UndoResult{}, fmt.Errorf("%w; --force overwrites it", err)
	}
	if err != nil {
		return UndoResult{}, err
	}
	reverts := plan.reverts
	if reverts == nil {
		reverts = []string{}
	}
	res := UndoResult{Time: time.Now().UTC(), Reference: r.String(), Digest: plan.to, PreviousDigest: prev, Reverts: reverts, Action: plan.action, Deleted: how}
	if how == DeleteDigest {
		res.UncheckedTags, res.OrphanedReferrers = use.tags-use.checked, use.orphaned()
	}
	return res, nil
}

// alreadyThere says an undo has nothing to write: the tag already is as it
// would leave it.
func (c *Client) alreadyThere(r model.Reference, to string) error {
	why := ""
	if c.IsDemo(r) {
		// The journal knows the demo by name across runs; its pushes
		// live in memory for one run only.
		why = " (the demo registry is rebuilt from its seed in every run: what an earlier run pushed is gone)"
	}
	if to == "" {
		return fmt.Errorf("%w: %s does not exist, as before the change undo would take back%s", ErrNothingToUndo, r, why)
	}
	return fmt.Errorf("%w: %s already holds %s, what undo would restore%s", ErrNothingToUndo, r, model.ShortDigest(to), why)
}

// PreviewUndo says what Undo with the same arguments would do, and refuses
// as it would, without writing anything: the tag must still hold what
// platypus left, the state to go back to must still be there, and a tag
// platypus created must be deletable (asked of the registry harmlessly).
func (c *Client) PreviewUndo(ctx context.Context, j *state.Journal, reference string, o UndoOptions) (UndoPreview, error) {
	if j == nil {
		return UndoPreview{}, fmt.Errorf("undo: %w", state.ErrNoState)
	}
	reference = c.journalKey(reference)
	h, err := j.Read(reference)
	if err != nil {
		return UndoPreview{}, err // names the journal
	}
	if h.Suspect() && !o.Force {
		return UndoPreview{}, fmt.Errorf("%w (%s, %s): earlier records may be missing, so undo will not trust it", ErrJournalDamaged, j.Path(), h.Damage[0])
	}
	plan, err := planUndo(h, reference, o)
	if err != nil {
		return UndoPreview{}, err
	}
	r, err := c.FromJournal(plan.reference)
	if err != nil {
		return UndoPreview{}, err
	}
	now, err := c.tagDigest(ctx, r)
	if err != nil {
		return UndoPreview{}, err
	}
	p := UndoPreview{Reference: r.String(), Action: plan.action, From: now, To: plan.to, Reverts: plan.reverts}
	switch {
	case now == plan.to:
		return p, c.alreadyThere(r, plan.to)
	case now != plan.from && !o.Force:
		return p, fmt.Errorf("%w: %s now holds %s, not %s as platypus left it: someone else changed it since",
			ErrMoved, r, describeDigest(now), describeDigest(plan.from))
	case plan.to != "":
		if _, err := c.Head(ctx, r.RepoOnly().WithDigest(plan.to)); err != nil {
			return p, fmt.Errorf("%s cannot go back to %s: %w", r, model.ShortDigest(plan.to), err)
		}
		return p, nil
	}
	p.Delete, err = c.deletePlan(ctx, r, now, o.Force)
	return p, err
}

// deletePlan says how the tag r, holding d, would be deleted, or why it
// cannot be (force as in digestUse.refusal).
func (c *Client) deletePlan(ctx context.Context, r model.Reference, d string, force bool) (string, error) {
	tagAnswer, digestAnswer, err := c.deleteCapability(ctx, r)
	if err != nil {
		return "", err
	}
	if tagAnswer == http.StatusNotFound {
		return DeleteTag, nil
	}
	if digestAnswer != http.StatusNotFound {
		return "", fmt.Errorf("%w: %s deletes neither tags (a tag DELETE gets %d) nor manifests (%d)", ErrCannotDelete, r.Registry, tagAnswer, digestAnswer)
	}
	use, err := c.digestUsers(ctx, r, d, force)
	if err != nil {
		return "", err
	}
	if why := use.refusal(d, force); why != "" {
		return "", fmt.Errorf("%w: %s deletes no tags, and %s", ErrCannotDelete, r.Registry, why)
	}
	return DeleteDigest, nil
}

type undoPlan struct {
	reference string
	action    string
	from, to  string // what the tag must hold, what it will hold
	reverts   []string
}

// planUndo picks what an undo does from a history. Changes that can be
// taken back are the completed pushes, copies and restores not taken back
// yet; undos themselves are steps back, never re-applied. A plan whose to
// is "" deletes the tag: the change it takes back created it.
func planUndo(h state.History, reference string, o UndoOptions) (undoPlan, error) {
	to := o.To
	var open []state.Change // newest first
	for i := len(h.Changes) - 1; i >= 0; i-- {
		c := h.Changes[i]
		if c.Done() && c.Action != "undo" && c.RevertedBy == "" && (reference == "" || c.Reference == reference) {
			if reference == "" {
				reference = c.Reference // the newest change decides the tag
			}
			if c.Reference == reference {
				open = append(open, c)
			}
		}
	}
	what := reference
	if what == "" {
		what = "any tag"
	}
	// What platypus left on the tag: the newest completed change of it.
	from := ""
	for i := len(h.Changes) - 1; i >= 0; i-- {
		if c := h.Changes[i]; c.Done() && c.Reference == reference {
			from = c.Digest
			break
		}
	}
	if o.Before != "" {
		var reverts []string
		for _, c := range open {
			reverts = append(reverts, c.ID)
			if c.ID == o.Before {
				return undoPlan{reference: reference, action: "undo", from: from, to: c.PreviousDigest, reverts: reverts}, nil
			}
		}
		return undoPlan{}, fmt.Errorf("%w: that change of %s was undone already or never completed", ErrNothingToUndo, what)
	}
	if to == "" {
		if len(open) == 0 {
			return undoPlan{}, fmt.Errorf("%w: platypus has no change of %s left to take back", ErrNothingToUndo, what)
		}
		c := open[0]
		return undoPlan{reference: c.Reference, action: "undo", from: from, to: c.PreviousDigest, reverts: []string{c.ID}}, nil
	}
	if reference == "" {
		return undoPlan{}, fmt.Errorf("undo --to needs the tag")
	}
	if to == from {
		return undoPlan{}, fmt.Errorf("%w: %s already holds %s", ErrNothingToUndo, reference, model.ShortDigest(to))
	}
	var reverts []string
	for _, c := range open {
		reverts = append(reverts, c.ID)
		if c.PreviousDigest == to {
			return undoPlan{reference: reference, action: "undo", from: from, to: to, reverts: reverts}, nil
		}
	}
	// Not on the way back: a state the tag had before an undo. Restoring it
	// is a change of its own, which undo can take back in turn.
	for _, c := range h.Changes {
		if c.Reference == reference && c.Done() && (c.Digest == to || c.PreviousDigest == to) {
			return undoPlan{reference: reference, action: "restore", from: from, to: to}, nil
		}
	}
	return undoPlan{}, fmt.Errorf("%w: %s never held %s in platypus's history (see undo %s --list)", ErrNothingToUndo, reference, to, reference)
}
