package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"
)

// job names what a request computes. A screen has at most one current
// request per job and key: starting another supersedes it, cancels its
// context, and its reply is dropped when it comes.
type job int

const (
	jobTree       job = iota // a manifest and what it points to
	jobPage                  // a page of tags, streamed
	jobSummary               // one tag's row details (key: the tag)
	jobReferrers             // referrers of a manifest
	jobDraft                 // the composer's first draft
	jobAdd                   // entries resolved for the draft (key: the reference)
	jobCurrent               // what the composer's tag holds now (key: what asks)
	jobPush                  // a push, streamed as progress
	jobUndo                  // an undo from the journal
	jobScanTags              // the tag list a diagnosis scans
	jobScan                  // scan results, streamed
	jobCopyPlan              // what a copy will do
	jobCopy                  // a copy, streamed as progress
	jobLayers                // an image's layers, streamed as progress (key: which image)
	jobLayerTree             // one layer's changes as a tree (key: the layer)
	jobDiff                  // what a diff compares (key: a side or a platform)
	jobSort                  // a long list sorted off the UI goroutine
	jobFile                  // one file of an image, streamed as progress (key: which side)
	jobFileDiff              // two files compared line by line
	jobFilter                // a big file tree filtered off the UI goroutine
	jobPrepare               // what the explorer needs first (the demo registry started)
	jobCatalog               // a page of repositories
	jobRecent                // the recent references, from local state
	jobHistory               // a tag's journal, from local state
	jobSave                  // the composer's draft saved to local state
	jobStatement             // one attestation statement (key: the layer)
	jobFilesDelta            // the files two images' layers change
	jobCheck                 // the release check (platypus check's rules) of what a screen shows
	jobCount                 // how many jobs there are (results.go types each)
)

// request identifies one piece of work a screen started: replies carry it
// back, and the App delivers a reply only while its request is current.
type request struct {
	screen int
	job    job
	key    string
	seq    int
}

// reply is the one message every request answers with, carrying the one
// type of value its job declares (results.go). A stream (a push's
// progress, a scan's results) sends several; next waits for the following
// one and is nil on the last.
type reply[T any] struct {
	req  request
	val  T
	err  error
	next tea.Cmd
}

func (r reply[T]) request() request { return r.req }
func (r reply[T]) last() bool       { return r.next == nil }
func (r reply[T]) failure() error   { return r.err }

// answer is any reply, as the App routes it before its type is checked.
type answer interface {
	request() request
	last() bool
	failure() error
}

type slot struct {
	job job
	key string
}

type pending struct {
	seq    int
	cancel context.CancelFunc
}

// requests tracks a screen's current requests.
type requests struct {
	seq     int
	current map[slot]pending
}

// start begins a request under parent, superseding (and cancelling) the
// current one of the same job and key.
func (r *requests) start(parent context.Context, screen int, j job, key string) (context.Context, request) {
	if r.current == nil {
		r.current = map[slot]pending{}
	}
	s := slot{j, key}
	if p, ok := r.current[s]; ok {
		p.cancel()
	}
	r.seq++
	ctx, cancel := context.WithCancel(parent)
	r.current[s] = pending{seq: r.seq, cancel: cancel}
	return ctx, request{screen: screen, job: j, key: key, seq: r.seq}
}

// accepts tells whether q is still current.
func (r *requests) accepts(q request) bool {
	p, ok := r.current[slot{q.job, q.key}]
	return ok && p.seq == q.seq
}

// finish forgets q after its last reply.
func (r *requests) finish(q request) {
	s := slot{q.job, q.key}
	if p, ok := r.current[s]; ok && p.seq == q.seq {
		p.cancel()
		delete(r.current, s)
	}
}

// stop cancels the current request of a job and key, if any.
func (r *requests) stop(j job, key string) {
	s := slot{j, key}
	if p, ok := r.current[s]; ok {
		p.cancel()
		delete(r.current, s)
	}
}

// reset cancels every request: replies still on their way are dropped.
func (r *requests) reset() {
	for s, p := range r.current {
		p.cancel()
		delete(r.current, s)
	}
}

// busy tells whether a request of job j is current.
func (r *requests) busy(j job) bool {
	for s := range r.current {
		if s.job == j {
			return true
		}
	}
	return false
}

// run returns a command doing f for q under ctx, answering with one reply.
func run[T any](ctx context.Context, q request, f func(context.Context) (T, error)) tea.Cmd {
	return func() tea.Msg {
		v, err := f(ctx)
		return reply[T]{req: q, val: v, err: err}
	}
}

// streamed returns the command that waits for the next value of a stream:
// a reply with next set while values come, and a last reply (the zero
// value) once ch is closed.
func streamed[T any](q request, ch <-chan T) tea.Cmd {
	return func() tea.Msg {
		v, ok := <-ch
		if !ok {
			return reply[T]{req: q}
		}
		return reply[T]{req: q, val: v, next: streamed(q, ch)}
	}
}
