package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry/state"
)

// ErrNothingToUndo is returned when the journal holds no change to take back.
var ErrNothingToUndo = errors.New("nothing to undo")

// ErrJournalDamaged is returned when undo will not trust a damaged journal.
var ErrJournalDamaged = errors.New("the journal is damaged")

// UndoOptions tune Undo.
type UndoOptions struct {
	// To restores this digest (any state the history shows) instead of
	// stepping back one change.
	To string
	// Force writes even when the tag no longer holds what platypus left
	// there, or when the journal is damaged.
	Force bool
}

// UndoResult says what an undo did.
type UndoResult struct {
	Time      time.Time `json:"time"`
	Action    string    `json:"action"` // undo, or restore for a state off the way back
	Reference string    `json:"reference"`
	// Digest is what the tag holds now; PreviousDigest what it held before.
	Digest         string `json:"digest"`
	PreviousDigest string `json:"previousDigest"`
	// Reverts are the ids of the changes taken back.
	Reverts []string `json:"reverts"`
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
		return UndoResult{}, err //nolint:wrapcheck // says which lock and why
	}
	locked := true
	defer func() {
		if locked {
			unlock()
		}
	}()
	h, err := j.Read(reference)
	if err != nil {
		return UndoResult{}, err //nolint:wrapcheck // names the journal
	}
	if h.Suspect() && !o.Force {
		return UndoResult{}, fmt.Errorf("%w (%s, %s): earlier records may be missing, so undo will not trust it; --force undoes anyway",
			ErrJournalDamaged, j.Path(), h.Damage[0])
	}
	plan, err := planUndo(h, reference, o.To)
	if err != nil {
		return UndoResult{}, err
	}
	r, err := model.ParseReference(plan.reference)
	if err != nil {
		return UndoResult{}, fmt.Errorf("journal: %w", err)
	}
	old, err := c.Manifest(ctx, r.RepoOnly().WithDigest(plan.to))
	if err != nil {
		return UndoResult{}, fmt.Errorf("%s cannot go back to %s: %w", r, model.ShortDigest(plan.to), err)
	}
	expect := &plan.from
	if o.Force {
		expect = nil
	}
	// writeTag takes the lock itself.
	unlock()
	locked = false
	prev, _, err := c.writeTag(ctx, j, tagWrite{action: plan.action, target: r, expect: expect, raw: old.Raw, mediaType: old.MediaType, reverts: plan.reverts})
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
	return UndoResult{Time: time.Now().UTC(), Reference: r.String(), Digest: plan.to, PreviousDigest: prev, Reverts: reverts, Action: plan.action}, nil
}

type undoPlan struct {
	reference string
	action    string
	from, to  string // what the tag must hold, what it will hold
	reverts   []string
}

// planUndo picks what an undo does from a history. Changes that can be
// taken back are the completed pushes, copies and restores not taken back
// yet; undos themselves are steps back, never re-applied.
func planUndo(h state.History, reference, to string) (undoPlan, error) {
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
	if to == "" {
		if len(open) == 0 {
			return undoPlan{}, fmt.Errorf("%w: platypus has no change of %s left to take back", ErrNothingToUndo, what)
		}
		c := open[0]
		if c.PreviousDigest == "" {
			return undoPlan{}, fmt.Errorf("%w: %s did not exist before platypus %s %s; there is no earlier state to restore",
				ErrNothingToUndo, c.Reference, pastTense(c.Action), model.ShortDigest(c.Digest))
		}
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

func pastTense(action string) string {
	switch action {
	case "copy":
		return "copied"
	case "restore":
		return "restored"
	}
	return strings.TrimSuffix(action, "e") + "ed"
}
