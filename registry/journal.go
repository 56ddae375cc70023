package registry

import (
	"context"

	"github.com/platypus-tui/platypus/registry/state"
)

// Journal records the tag changes platypus makes, so that undo can take
// them back: under Lock, a change is appended as intended before the tag
// is written and as completed (or failed) after. state.Journal is the one
// on disk; nil records nothing and takes no lock (library use).
type Journal interface {
	// Lock keeps other writers off the tags until unlock is called.
	Lock(ctx context.Context) (unlock func(), err error)
	// Append records one step of a change.
	Append(state.Record) error
}

// UndoJournal is a Journal that undo reads back.
type UndoJournal interface {
	Journal
	// Read is the history of reference ("" for every tag).
	Read(reference string) (state.History, error)
	// Path names the journal in messages.
	Path() string
}

var _ UndoJournal = (*state.Journal)(nil)

// orNil is j, or nil when j holds a nil *state.Journal: a caller's nil
// pointer records nothing, as it did when the parameter was the pointer.
func orNil(j Journal) Journal {
	if sj, ok := j.(*state.Journal); ok && sj == nil {
		return nil
	}
	return j
}
