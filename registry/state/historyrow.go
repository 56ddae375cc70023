package state

import (
	"time"

	"github.com/platypus-tui/platypus/model"
)

// HistoryHeader heads a table of changes, as `undo --list` and the
// explorer's history screen show them.
var HistoryHeader = [...]string{"TIME", "ACTION", "BEFORE", "AFTER", "STATE"}

// Row is the change as a line of that table, in local time and escaped for
// a terminal: the state says whether it was undone, or why it failed.
func (c Change) Row() [len(HistoryHeader)]string {
	before, after := "(none)", "(deleted)"
	if c.PreviousDigest != "" {
		before = model.ShortDigest(c.PreviousDigest)
	}
	if c.Digest != "" {
		after = model.ShortDigest(c.Digest)
	}
	st := c.State
	switch {
	case c.RevertedBy != "":
		st += ", undone"
	case c.Error != "":
		st += ": " + c.Error
	}
	if c.CheckOverridden != "" {
		st += ", check overridden: " + c.CheckOverridden
	}
	return [...]string{c.Time.Local().Format(time.DateTime), model.Clean(c.Action),
		model.Clean(before), model.Clean(after), model.Clean(st)}
}
