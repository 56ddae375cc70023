package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
)

// halvedTagList sends n tags and one invalid name as a registry's list
// in one response does: the first list at once, each later one in two
// halves, the second only once release is closed.
func halvedTagList(n int, release <-chan struct{}) func(context.Context, model.Reference, registry.Emit) (registry.Page, error) {
	names := make([]string, n)
	for i := range n {
		names[i] = fmt.Sprintf("v%05d", i)
	}
	var lists atomic.Int64
	return func(ctx context.Context, _ model.Reference, emit registry.Emit) (registry.Page, error) {
		page := registry.Page{Items: slices.Clone(names), Dropped: 1}
		if lists.Add(1) == 1 {
			emit(page.Items, page.Dropped)
			return page, nil
		}
		emit(page.Items[:n/2], 0)
		select {
		case <-release:
		case <-ctx.Done():
			return registry.Page{}, ctx.Err()
		}
		emit(page.Items[n/2:], page.Dropped)
		return page, nil
	}
}

// A tag list sent in one response is on screen before it has arrived:
// the first names show with "N+ tags", can be filtered and sorted while
// the rest arrive, and once it ends every tag is there once.
func TestTagsShowWhileTheListArrives(t *testing.T) {
	release := make(chan struct{})
	m := newMemRegistry()
	m.stream = halvedTagList(3000, release)
	h := newMemHarness(t, m, memLoc(t, "x"), "linux/amd64")
	tags := h.top().(*tagsScreen)
	if len(tags.list.names) != 3000 {
		t.Fatalf("%d tags on the first load", len(tags.list.names))
	}

	h.holdJob(jobPage)
	h.keys("r") // the refresh's list arrives in halves
	if held := h.d.Held(); len(held) != 1 {
		t.Fatalf("held %d replies", len(held))
	} else if r, ok := held[0].(reply[pageEvent]); !ok {
		t.Fatalf("the first reply is %T, not a page's", held[0])
	} else if _, ok := r.val.(pagePart); !ok {
		t.Fatalf("the first reply is %T, not names of a page still arriving", r.val)
	}
	close(release)
	h.deliver(0) // what follows it is held again
	n := len(tags.list.names)
	if n == 0 || n >= 3000 || tags.state != ready {
		t.Fatalf("%d names shown from the first half (state %v)", n, tags.state)
	}
	v := h.view()
	wantIn(t, v, model.Thousands(n)+"+ tags", "v00000", "v00001")
	h.keys("/")
	h.typeText("v0001")
	h.keys("tab")
	for len(h.d.Held()) > 0 {
		h.deliver(0)
	}
	if len(tags.list.names) != 3000 || len(tags.rows) != 3000 || tags.list.dropped != 1 || !tags.list.complete {
		t.Fatalf("after the list ended: %d names, %d rows, %d dropped, complete %v", len(tags.list.names), len(tags.rows), tags.list.dropped, tags.list.complete)
	}
	// The filter kept up with the names that arrived after it was typed.
	if got := len(tags.list.view); got != 10 {
		t.Errorf("v0001 matches %d rows, want 10 (v00010…v00019)", got)
	}
	h.keys("esc") // clears the filter
	if v := h.view(); !strings.Contains(v, "3,000 tags") || strings.Contains(v, "3,000+") || !strings.Contains(v, "1 invalid name hidden") {
		t.Errorf("header after the end:\n%s", v)
	}
}
