package registry_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/state"
)

// memJournal is a registry.Journal in memory: it keeps the records, and
// says whether the lock was held when each came and when the registry
// was written.
type memJournal struct {
	lock chan struct{}

	mu      sync.Mutex
	held    bool
	records []state.Record
	// outside counts records appended without the lock.
	outside int
	// refuse, when set, fails every Append.
	refuse error
}

func newMemJournal() *memJournal { return &memJournal{lock: make(chan struct{}, 1)} }

func (j *memJournal) Lock(ctx context.Context) (func(), error) {
	select {
	case j.lock <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	j.setHeld(true)
	return func() { j.setHeld(false); <-j.lock }, nil
}

func (j *memJournal) setHeld(v bool) {
	j.mu.Lock()
	j.held = v
	j.mu.Unlock()
}

func (j *memJournal) locked() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.held
}

func (j *memJournal) Append(r state.Record) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.refuse != nil {
		return j.refuse
	}
	if !j.held {
		j.outside++
	}
	j.records = append(j.records, r)
	return nil
}

// putWatcher starts a demo registry that notes, for every manifest PUT,
// whether j's lock was held.
func putWatcher(t *testing.T, j *memJournal) (*demo.Server, func() (puts, unlocked int)) {
	t.Helper()
	var mu sync.Mutex
	puts, unlocked := 0, 0
	srv, err := demo.Start(demo.Options{Wrap: func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/manifests/") {
				mu.Lock()
				puts++
				if !j.locked() {
					unlocked++
				}
				mu.Unlock()
			}
			h.ServeHTTP(w, r)
		})
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv, func() (int, int) {
		mu.Lock()
		defer mu.Unlock()
		return puts, unlocked
	}
}

// A push is journaled through the Journal it is given: the change
// recorded intended, then completed, under one id, and the tag written
// while the journal's lock is held, so that no other writer comes between
// the check of the tag and the write.
func TestPushJournalsThroughItsJournal(t *testing.T) {
	j := newMemJournal()
	srv, puts := putWatcher(t, j)
	ctx := context.Background()
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	target := ref(t, srv.Host+"/library/centos:7")
	d, cur, err := c.StartDraft(ctx, target, true)
	if err != nil {
		t.Fatal(err)
	}
	d.SetAnnotation(-1, "org.opencontainers.image.version", "journaled")
	res, err := c.Push(ctx, d, registry.PushOptions{Journal: j})
	if err != nil {
		t.Fatal(err)
	}
	if len(j.records) != 2 || j.records[0].State != state.Intended || j.records[1].State != state.Completed || j.records[0].ID != j.records[1].ID {
		t.Fatalf("records %+v, want one change intended then completed", j.records)
	}
	for _, r := range j.records {
		if r.Action != "push" || r.Digest != res.Digest || r.PreviousDigest != cur.Digest || r.Reference != target.String() {
			t.Errorf("record %+v, want push %s over %s of %s", r, res.Digest, cur.Digest, target)
		}
	}
	if j.outside != 0 {
		t.Errorf("%d records appended without the lock", j.outside)
	}
	if n, unlocked := puts(); n != 1 || unlocked != 0 {
		t.Errorf("%d manifest PUTs, %d of them without the journal's lock; want 1, 0", n, unlocked)
	}
	if j.locked() {
		t.Error("the lock is still held after the push")
	}
}

// A journal that cannot record the change stops it before the registry
// is written: a change undo would not know of is not made.
func TestJournalThatRefusesStopsThePush(t *testing.T) {
	j := newMemJournal()
	j.refuse = errors.New("disk full")
	srv, puts := putWatcher(t, j)
	ctx := context.Background()
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	target := ref(t, srv.Host+"/library/centos:7")
	d, cur, err := c.StartDraft(ctx, target, true)
	if err != nil {
		t.Fatal(err)
	}
	d.SetAnnotation(-1, "org.opencontainers.image.version", "unrecorded")
	if _, err := c.Push(ctx, d, registry.PushOptions{Journal: j}); !errors.Is(err, j.refuse) {
		t.Fatalf("push: %v, want the journal's error", err)
	}
	if n, _ := puts(); n != 0 {
		t.Errorf("%d manifest PUTs after the journal refused", n)
	}
	if now := digestOf(t, c, target); now != cur.Digest {
		t.Errorf("the tag holds %s, want %s as before", now, cur.Digest)
	}
}
