package ui

import (
	"errors"
	"fmt"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
)

// results declares the one type of value each job's replies carry. The
// App checks a reply against it where it routes it (route), so a screen
// matches reply[T] and reads val without an assertion; a job that makes
// several kinds of value (a stream's progress, then its end) declares a
// sealed interface below.
var results = [jobCount]result{
	jobTree:       of[*model.Tree]{},
	jobPage:       of[pageEvent]{},
	jobSummary:    of[registry.Summary]{},
	jobReferrers:  of[[]model.Descriptor]{},
	jobDraft:      of[draftReply]{},
	jobAdd:        of[[]model.DraftEntry]{},
	jobCurrent:    of[tagNow]{},
	jobPush:       of[pushEvent]{},
	jobUndo:       of[undoEvent]{},
	jobScanTags:   of[[]string]{},
	jobScan:       of[registry.ScanResult]{},
	jobCopyPlan:   of[*registry.CopyPlan]{},
	jobCopy:       of[copyEvent]{},
	jobLayers:     of[readEvent]{},
	jobLayerTree:  of[layerView]{},
	jobDiff:       of[*model.Tree]{},
	jobSort:       of[sortResult]{},
	jobFile:       of[readEvent]{},
	jobFileDiff:   of[fileDiffResult]{},
	jobFilter:     of[filterRows]{},
	jobPrepare:    of[Prepared]{},
	jobCatalog:    of[pageReply]{},
	jobRecent:     of[[]string]{},
	jobHistory:    of[historyReply]{},
	jobSave:       of[struct{}]{},
	jobStatement:  of[statement]{},
	jobFilesDelta: of[filesDelta]{},
	jobCheck:      of[checkedReply]{},
}

// errWrongReply is a reply whose value is not its job's type: a bug in
// platypus, shown as the request's error rather than a panic.
var errWrongReply = errors.New("internal error: a reply of the wrong type")

// result is a job's declared reply type.
type result interface {
	// check returns a if it is of the type, else a last reply of the type
	// that carries errWrongReply.
	check(a answer) answer
	// empty is the reply of the type for q with no value and no error, as
	// a stream ends.
	empty(q request) answer
}

type of[T any] struct{}

func (of[T]) check(a answer) answer {
	if _, ok := a.(reply[T]); ok {
		return a
	}
	return reply[T]{req: a.request(), err: fmt.Errorf("%w: %T, not %T", errWrongReply, a, reply[T]{})}
}

func (of[T]) empty(q request) answer { return reply[T]{req: q} }

// checked is a as its job declares it, or nil for a job with no type.
func checked(a answer) answer {
	j := a.request().job
	if j < 0 || j >= jobCount || results[j] == nil {
		return nil
	}
	return results[j].check(a)
}

// The values of jobs that make more than one kind.
type (
	// pageEvent is a tags page arriving: pageParts, then a pageDone.
	pageEvent interface{ pageEvent() }
	// tagNow is what the composer's tag holds now: asked for the draft's
	// base (currentReply), before a push (checkReply) or on r (reloadReply).
	tagNow interface{ tagNow() }
	// pushEvent is a push going: pushProgress, then pushDone.
	pushEvent interface{ pushEvent() }
	// undoEvent is an undo previewed (undoAsk) or done (undone).
	undoEvent interface{ undoEvent() }
	// copyEvent is a copy going: copyProgress, then copyDone.
	copyEvent interface{ copyEvent() }
	// readEvent is a read of layers: layersProgress, then layersDone (the
	// filesystem) or fileRead (one file).
	readEvent interface{ readEvent() }
)

// undone is an undo's result.
type undone struct{ registry.UndoResult }

func (pagePart) pageEvent()       {}
func (pageDone) pageEvent()       {}
func (currentReply) tagNow()      {}
func (checkReply) tagNow()        {}
func (reloadReply) tagNow()       {}
func (pushProgress) pushEvent()   {}
func (pushDone) pushEvent()       {}
func (undoAsk) undoEvent()        {}
func (undone) undoEvent()         {}
func (copyProgress) copyEvent()   {}
func (copyDone) copyEvent()       {}
func (layersProgress) readEvent() {}
func (layersDone) readEvent()     {}
func (fileRead) readEvent()       {}
