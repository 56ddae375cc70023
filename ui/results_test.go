package ui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
)

// wrongValue is a value no job makes.
type wrongValue struct{}

func TestEveryJobDeclaresItsReplyType(t *testing.T) {
	for j := range jobCount {
		if results[j] == nil {
			t.Errorf("job %d declares no reply type in results", j)
		}
	}
}

// A reply of another type than its job's comes out of the check as the
// job's own type, last, carrying errWrongReply; one of the right type
// passes unchanged.
func TestCheckedTurnsAWrongTypeIntoTheJobsError(t *testing.T) {
	for j := range jobCount {
		q := request{screen: 1, job: j, key: "k", seq: 3}
		a := checked(reply[wrongValue]{req: q, next: func() tea.Msg { return nil }})
		if a == nil || a.request() != q || !a.last() {
			t.Fatalf("job %d: checked gave %#v", j, a)
		}
		if err := a.failure(); !errors.Is(err, errWrongReply) {
			t.Errorf("job %d: error %v", j, err)
		}
		// The right type passes as it is: the error stays the first one's.
		if again := checked(a); again.failure() != a.failure() { //nolint:errorlint // the very same error value, not one wrapping it
			t.Errorf("job %d: a reply of the right type was changed: %v", j, again.failure())
		}
	}
	if checked(reply[wrongValue]{req: request{job: jobCount}}) != nil {
		t.Error("a reply of an unknown job was not dropped")
	}
}

// A manifest's tree that arrives as something else fails the screen with
// the internal error: before typed replies, the loader dereferenced the
// result of an unchecked assertion and the explorer crashed.
func TestWrongTypedTreeFailsTheLoader(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/centos:7"), "linux/amd64")
	h.holdJob(jobTree)
	h.keys("r")
	if len(h.d.Held()) != 1 {
		t.Fatalf("held %d", len(h.d.Held()))
	}
	q := h.d.held[0].(answer).request()
	h.d.held[0] = reply[wrongValue]{req: q}
	h.d.Hold(nil)
	h.deliver(0)
	m, ok := h.top().(*manifestScreen)
	if !ok || m.state != failed || !errors.Is(m.err, errWrongReply) {
		t.Fatalf("top %T, view:\n%s", h.top(), h.view())
	}
	wantIn(t, h.view(), "internal error")
	if len(h.d.Held()) != 0 || h.top().core().reqs.busy(jobTree) {
		t.Error("the request stayed current after its error")
	}
}

// Every screen takes, for every job, a reply of the wrong type and an
// empty one (no value, no error) without a panic, and still draws.
func TestScreensSurviveMalformedReplies(t *testing.T) {
	for _, c := range screens {
		t.Run(c.name, func(t *testing.T) {
			var loc *model.Location
			switch c.loc {
			case "-":
			case "":
				loc = demoLoc(t, demoServer(t).Host)
			default:
				loc = demoLoc(t, c.loc)
			}
			h := newHarness(t, "mono", loc, c.target)
			h.c.State = openState(t, t.TempDir())
			h.keys(c.keys...)
			for j := range jobCount {
				for _, key := range []string{"", "0", "b", "check"} {
					for _, wrong := range []bool{true, false} {
						// Every screen of the stack, the ones below too.
						for i := range h.app.stack {
							if i >= len(h.app.stack) {
								break
							}
							b := h.app.stack[i].core()
							_, q := b.start(j, key)
							var a answer = reply[wrongValue]{req: q}
							if !wrong {
								a = results[j].empty(q)
							}
							h.send(a)
							if len(h.app.stack) == 0 || strings.TrimSpace(h.view()) == "" {
								t.Fatalf("job %d key %q: nothing drawn", j, key)
							}
						}
					}
				}
			}
		})
	}
}
