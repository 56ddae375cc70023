package registry_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/platypus-tui/platypus/registry"
)

// streamTags is a tag list body of n names t00000… with one invalid name
// in it.
func streamTags(n int) (body string, names []string) {
	var b strings.Builder
	b.WriteString(`{"name":"x","tags":[`)
	for i := range n {
		name := fmt.Sprintf("t%05d", i)
		names = append(names, name)
		fmt.Fprintf(&b, "%q,", name)
	}
	b.WriteString(`"bad\u0007name"]}`)
	return b.String(), names
}

// collector keeps what a stream emitted.
type collector struct {
	mu      sync.Mutex
	names   []string
	dropped int
	first   chan struct{}
	once    sync.Once
}

func newCollector() *collector { return &collector{first: make(chan struct{})} }

func (c *collector) emit(names []string, dropped int) {
	c.mu.Lock()
	c.names = append(c.names, names...)
	c.dropped += dropped
	c.mu.Unlock()
	c.once.Do(func() { close(c.first) })
}

// The names of a one-response list are emitted while it still arrives:
// the registry sends the rest only once names have come out (or after
// 5 s, which fails the test), and what was emitted is the page returned.
func TestTagNamesStreamBeforeTheListEnds(t *testing.T) {
	body, names := streamTags(3000)
	half := len(body) / 2
	c := newCollector()
	streamed := make(chan bool, 1)
	host, _ := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body[:half]))
		w.(http.Flusher).Flush()
		select {
		case <-c.first:
			streamed <- true
		case <-time.After(5 * time.Second):
			streamed <- false
		}
		_, _ = w.Write([]byte(body[half:]))
	})
	p, err := limitedClient(host).TagsStream(context.Background(), ref(t, host+"/x"), "", 1000, c.emit)
	if err != nil {
		t.Fatal(err)
	}
	if !<-streamed {
		t.Error("no name was emitted before the list ended")
	}
	if !slices.Equal(c.names, names) || !slices.Equal(p.Items, names) || c.dropped != 1 || p.Dropped != 1 {
		t.Errorf("emitted %d (dropped %d), page %d (dropped %d), want %d and 1", len(c.names), c.dropped, len(p.Items), p.Dropped, len(names))
	}
}

// Pages that link on are emitted one after the other, in order.
func TestTagNamesStreamAcrossPages(t *testing.T) {
	host, _ := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		next := ""
		if page < 2 {
			next = r.URL.Path + "?page=" + strconv.Itoa(page+1)
		}
		tagPage(w, []string{fmt.Sprintf("p%d-a", page), fmt.Sprintf("p%d-b", page)}, next)
	})
	c := newCollector()
	tags, err := limitedClient(host).AllTagsStream(context.Background(), ref(t, host+"/x"), c.emit)
	want := []string{"p0-a", "p0-b", "p1-a", "p1-b", "p2-a", "p2-b"}
	if err != nil || !slices.Equal(tags, want) || !slices.Equal(c.names, want) {
		t.Errorf("tags %v, emitted %v, err %v", tags, c.names, err)
	}
}

// A single response with more names than limits.names is cut there, and
// says so, instead of keeping the first names silently.
func TestOneResponseOverTheNamesLimitIsTruncated(t *testing.T) {
	body, _ := streamTags(20001) // tinyLimits keeps 20000
	host, _ := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	})
	c := newCollector()
	tags, err := limitedClient(host).AllTagsStream(context.Background(), ref(t, host+"/x"), c.emit)
	if !errors.Is(err, registry.ErrTruncated) || len(tags) != 20000 || len(c.names) != 20000 {
		t.Errorf("%d tags, %d emitted, err %v", len(tags), len(c.names), err)
	}
}

// AllNames asks for everything after last without a page size, and the
// page that comes is the last.
func TestAllNamesAsksWithoutAPageSize(t *testing.T) {
	host, _ := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("n") || r.URL.Query().Get("last") != "t0999" {
			http.Error(w, "unexpected query "+r.URL.RawQuery, http.StatusBadRequest)
			return
		}
		tagPage(w, []string{"t1000", "t1001"}, "")
	})
	p, err := limitedClient(host).TagsStream(context.Background(), ref(t, host+"/x"), "t0999", registry.AllNames, nil)
	if err != nil || len(p.Items) != 2 || p.Next != "" {
		t.Errorf("page %+v, err %v", p, err)
	}
}
