package ui

import (
	"testing"
)

// esc walks back up the stack and, from its last screen, to the start
// screen, where it stops.
func TestBackLeadsToTheStartScreen(t *testing.T) {
	h := newMemHarness(t, memFixture(), memLoc(t, "library/centos:7"), "linux/amd64")
	h.keys("esc", "esc") // index › tags › repositories
	if _, ok := h.top().(*reposScreen); !ok || len(h.app.stack) != 1 {
		t.Fatalf("top is %T in a stack of %d", h.top(), len(h.app.stack))
	}
	h.keys("esc")
	if _, ok := h.top().(*startScreen); !ok || len(h.app.stack) != 1 {
		t.Fatalf("esc on the last screen: top is %T in a stack of %d", h.top(), len(h.app.stack))
	}
	wantIn(t, h.view(), "Where to?")
	h.keys("esc")
	if _, ok := h.top().(*startScreen); !ok {
		t.Fatalf("esc on the start screen left it for %T", h.top())
	}
}

// esc with help open closes help and nothing else.
func TestBackClosesHelpOnly(t *testing.T) {
	h := newMemHarness(t, memFixture(), memLoc(t, "library/centos:7"), "linux/amd64")
	top := h.top()
	h.keys("?")
	if !h.app.full {
		t.Fatal("? did not open help")
	}
	h.keys("esc")
	if h.app.full || h.top() != top || len(h.app.stack) != 3 {
		t.Errorf("esc with help open: help %v, top %T, stack %d", h.app.full, h.top(), len(h.app.stack))
	}
}
