package ui

import (
	"context"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/registry"
)

// partEvery is the least time between two parts of a page: rows appear
// as smoothly, and a million names are merged into the list ten times a
// second rather than at every read.
const partEvery = 100 * time.Millisecond

// send hands v to the screen, unless it has gone.
func send(ctx context.Context, ch chan<- pageEvent, v pageEvent) bool {
	select {
	case ch <- v:
		return true
	case <-ctx.Done():
		return false
	}
}

// pagePart is names of a page still arriving: a registry that ignores the
// page size sends a million tags in one response, and they are shown as
// they come.
type pagePart struct {
	names   []string
	dropped int
}

// pageDone ends a streamed page: the whole page, or why it failed.
type pageDone struct {
	reply pageReply
	err   error
}

// streamPage runs f for q, answering with pageParts while the page
// arrives and a pageDone at its end. Names that arrive while the screen
// is still taking the previous part wait and go with the next one, so a
// fast registry makes fewer, larger parts, never a backlog.
func streamPage(ctx context.Context, q request, last string, f func(context.Context, registry.Emit) (registry.Page, error)) tea.Cmd {
	return func() tea.Msg {
		var mu sync.Mutex
		var pending pagePart
		ready := make(chan struct{}, 1)
		emit := func(names []string, dropped int) {
			mu.Lock()
			pending.names = append(pending.names, names...)
			pending.dropped += dropped
			mu.Unlock()
			select {
			case ready <- struct{}{}:
			default:
			}
		}
		done := make(chan pageDone, 1)
		go func() {
			p, err := f(ctx, emit)
			done <- pageDone{reply: pageReply{page: p, last: last}, err: err}
		}()
		ch := make(chan pageEvent)
		go func() {
			defer close(ch)
			var wait <-chan time.Time // the pause between two parts
			for {
				select {
				case <-ready:
					if wait != nil {
						// Not twice within partEvery: the names wait and go
						// together, unless the page ends first.
						select {
						case <-wait:
						case d := <-done:
							send(ctx, ch, d)
							return
						}
					}
					wait = time.After(partEvery)
					mu.Lock()
					part := pending
					pending = pagePart{}
					mu.Unlock()
					if len(part.names) == 0 && part.dropped == 0 {
						continue // taken with the part before
					}
					if !send(ctx, ch, part) {
						return
					}
				case d := <-done:
					send(ctx, ch, d)
					return
				}
			}
		}()
		return streamed(q, ch)()
	}
}
