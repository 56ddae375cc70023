package output

import "time"

// Undo is `undo -o json`: what an undo did.
type Undo struct {
	Time      time.Time `json:"time"`
	Action    string    `json:"action"` // undo, or restore for a state off the way back
	Reference string    `json:"reference"`
	// Digest is what the tag holds now ("" when the undo deleted it);
	// PreviousDigest what it held before.
	Digest         string `json:"digest"`
	PreviousDigest string `json:"previousDigest"`
	// Reverts are the ids of the changes taken back.
	Reverts []string `json:"reverts"`
	// Deleted says how a tag platypus had created was deleted: "tag" (the
	// tag alone) or "digest" (its manifest, which no other tag held).
	Deleted string `json:"deleted,omitempty"`
	// UncheckedTags and OrphanedReferrers come with a deletion by digest
	// that --force let through: the repository's other tags not checked
	// (past the 2,000 platypus checks), and the digests of the referrers
	// (signatures, attestations) that now point at nothing.
	UncheckedTags     int      `json:"uncheckedTags,omitempty"`
	OrphanedReferrers []string `json:"orphanedReferrers,omitempty"`
}

// History is `undo --list -o json`: a tag's changes, oldest first.
type History struct {
	Reference string   `json:"reference"`
	Changes   []Change `json:"changes"`
	Damage    []Damage `json:"damage"`
}

// Change is one tag change with its journal records merged.
type Change struct {
	ID             string    `json:"id"`
	Time           time.Time `json:"time"`
	Action         string    `json:"action"`
	Reference      string    `json:"reference"`
	PreviousDigest string    `json:"previousDigest"`
	Digest         string    `json:"digest"`
	// State is the newest state recorded: intended, completed or failed.
	State   string   `json:"state"`
	Reverts []string `json:"reverts,omitempty"`
	// RevertedBy is the completed undo that took this change back.
	RevertedBy string `json:"revertedBy,omitempty"`
	Error      string `json:"error,omitempty"`
	// CheckOverridden is what the release check found when the push went
	// ahead anyway.
	CheckOverridden string `json:"checkOverridden,omitempty"`
}

// Damage is a part of the journal that is not a record.
type Damage struct {
	Line   int    `json:"line"`
	Offset int64  `json:"offset"`
	What   string `json:"what"`
}
