package ui

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry/demo"
)

// slowTagList serves n tags in one response: the first list at once, each
// later one in two halves, the second only once release is closed.
func slowTagList(t *testing.T, n int, release <-chan struct{}) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`{"name":"x","tags":[`)
	for i := range n {
		fmt.Fprintf(&b, `"v%05d",`, i)
	}
	b.WriteString(`"bad\u0007"]}`)
	body := b.String()
	var lists atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/tags/list") {
			http.NotFound(w, r) // row details: not the point here
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if lists.Add(1) == 1 {
			_, _ = w.Write([]byte(body))
			return
		}
		_, _ = w.Write([]byte(body[:len(body)/2]))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-time.After(10 * time.Second):
		}
		_, _ = w.Write([]byte(body[len(body)/2:]))
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// A tag list sent in one response is on screen before it has arrived:
// the first names show with "N+ tags", can be filtered and sorted while
// the rest arrive, and once it ends every tag is there once.
func TestTagsShowWhileTheListArrives(t *testing.T) {
	release := make(chan struct{})
	host := slowTagList(t, 3000, release)
	loc, _ := model.ParseLocation(host+"/x", "")
	h := newHarnessOn(t, &demo.Server{Host: host}, "mono", &loc, "linux/amd64")
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
