package registry_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/regtest"
	"github.com/platypus-tui/platypus/registry/state"
)

// amend pushes tag with one index annotation changed, as compose --amend
// --annotation does, journaled in j (nil: an outside writer).
func amend(t *testing.T, c *registry.Client, j *state.Journal, tag model.Reference, version string) (registry.PushResult, error) {
	t.Helper()
	ctx := context.Background()
	d, _, err := c.StartDraft(ctx, tag, true)
	if err != nil {
		t.Fatal(err)
	}
	d.SetAnnotation(-1, "org.opencontainers.image.version", version)
	expect := d.Base
	return c.Push(ctx, d, registry.PushOptions{Journal: j, ExpectPrevious: &expect})
}

func digestOf(t *testing.T, c *registry.Client, r model.Reference) string {
	t.Helper()
	h, err := c.Head(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return h.Digest
}

func journal(t *testing.T) *state.Journal {
	return state.OpenJournal(filepath.Join(t.TempDir(), "journal.jsonl"))
}

// Three pushes, undone one step at a time: each undo goes further back,
// never re-applies, and the fourth has nothing left.
func TestUndoStepsBackThroughHistory(t *testing.T) {
	srv := startDemo(t)
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	j := journal(t)
	tag := ref(t, srv.Host+"/library/centos:7")
	states := []string{digestOf(t, c, tag)}
	for _, v := range []string{"1", "2", "3"} {
		res, err := amend(t, c, j, tag, v)
		if err != nil {
			t.Fatal(err)
		}
		states = append(states, res.Digest)
	}
	ctx := context.Background()
	for i := 2; i >= 0; i-- {
		res, err := c.Undo(ctx, j, tag.String(), registry.UndoOptions{})
		if err != nil {
			t.Fatalf("undo to state %d: %v", i, err)
		}
		if res.Digest != states[i] || digestOf(t, c, tag) != states[i] {
			t.Fatalf("undo %d: tag holds %s, want %s", 3-i, digestOf(t, c, tag), states[i])
		}
	}
	if _, err := c.Undo(ctx, j, tag.String(), registry.UndoOptions{}); !errors.Is(err, registry.ErrNothingToUndo) {
		t.Errorf("a fourth undo: %v", err)
	}
	h, _ := j.Read(tag.String())
	if len(h.Changes) != 6 {
		t.Errorf("history has %d changes, want 3 pushes and 3 undos", len(h.Changes))
	}
}

func TestUndoToAnyEarlierState(t *testing.T) {
	srv := startDemo(t)
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	j := journal(t)
	tag := ref(t, srv.Host+"/library/centos:7")
	first := digestOf(t, c, tag)
	var second string
	for _, v := range []string{"1", "2", "3"} {
		res, err := amend(t, c, j, tag, v)
		if err != nil {
			t.Fatal(err)
		}
		if v == "1" {
			second = res.Digest
		}
	}
	ctx := context.Background()
	res, err := c.Undo(ctx, j, tag.String(), registry.UndoOptions{To: second})
	if err != nil || digestOf(t, c, tag) != second || len(res.Reverts) != 2 {
		t.Fatalf("--to the second state: %+v, %v", res, err)
	}
	// The next undo takes back what is left: the first push.
	if _, err := c.Undo(ctx, j, tag.String(), registry.UndoOptions{}); err != nil || digestOf(t, c, tag) != first {
		t.Fatalf("undo after --to: %v", err)
	}
	if _, err := c.Undo(ctx, j, tag.String(), registry.UndoOptions{To: "sha256:" + strings.Repeat("0", 64)}); !errors.Is(err, registry.ErrNothingToUndo) {
		t.Errorf("--to a digest never held: %v", err)
	}
}

// Someone else pushes after platypus: undo refuses (the tag is not what
// platypus left), and --force overrides.
func TestUndoRefusesAfterAnOutsidePush(t *testing.T) {
	srv := startDemo(t)
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	j := journal(t)
	tag := ref(t, srv.Host+"/library/centos:7")
	before := digestOf(t, c, tag)
	if _, err := amend(t, c, j, tag, "1"); err != nil {
		t.Fatal(err)
	}
	outside, err := amend(t, c, nil, tag, "outside")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, err = c.Undo(ctx, j, tag.String(), registry.UndoOptions{})
	if !errors.Is(err, registry.ErrMoved) || !strings.Contains(err.Error(), "--force") || digestOf(t, c, tag) != outside.Digest {
		t.Fatalf("undo over an outside push: %v (tag %s)", err, digestOf(t, c, tag))
	}
	if _, err := c.Undo(ctx, j, tag.String(), registry.UndoOptions{Force: true}); err != nil || digestOf(t, c, tag) != before {
		t.Errorf("--force: %v", err)
	}
}

// The registry refuses the index PUT: the tag stays, the journal records
// the change as intended and failed, and there is nothing to undo.
func TestFailedIndexPutLeavesNoCompletedRecord(t *testing.T) {
	srv := startDemo(t)
	p := regtest.NewFaultProxy(t, srv.Host)
	c := faultClient(p.Host)
	j := journal(t)
	tag := ref(t, p.Host+"/library/centos:7")
	before := digestOf(t, c, tag)
	p.Set(regtest.Status503, func(r *http.Request) bool {
		return r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/manifests/7")
	}, -1, "", 0)
	if _, err := amend(t, c, j, tag, "1"); err == nil {
		t.Fatal("the push succeeded through a 503")
	}
	p.Clear()
	if got := digestOf(t, c, tag); got != before {
		t.Errorf("the tag moved to %s", got)
	}
	h, _ := j.Read(tag.String())
	if len(h.Changes) != 1 || h.Changes[0].Done() || h.Changes[0].State != state.Failed || h.Changes[0].Error == "" {
		t.Fatalf("journal: %+v", h.Changes)
	}
	if _, err := c.Undo(context.Background(), j, tag.String(), registry.UndoOptions{}); !errors.Is(err, registry.ErrNothingToUndo) {
		t.Errorf("undo of a failed push: %v", err)
	}
}

// Two composes of one tag at once, the first's index PUT held up: exactly
// one succeeds, the other says the tag moved.
func TestConcurrentComposesOneWins(t *testing.T) {
	srv := startDemo(t)
	p := regtest.NewFaultProxy(t, srv.Host)
	j := journal(t)
	tag := ref(t, p.Host+"/library/centos:7")
	p.Set(regtest.Slow, func(r *http.Request) bool {
		return r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/manifests/7")
	}, 1, "", 500*time.Millisecond)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, v := range []string{"a", "b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = amend(t, faultClient(p.Host), j, tag, v)
		}()
		if i == 0 {
			for p.Faulted.Load() == 0 { // A's index PUT is on its way
				time.Sleep(5 * time.Millisecond)
			}
		}
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if !errors.Is(err, registry.ErrMoved) {
			t.Errorf("the loser's error: %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d composes succeeded, want exactly 1: %v", ok, errs)
	}
}

// A journal damaged before its last record cannot be trusted: undo refuses
// and says where; --force undoes anyway.
func TestUndoRefusesADamagedJournal(t *testing.T) {
	srv := startDemo(t)
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	j := state.OpenJournal(path)
	tag := ref(t, srv.Host+"/library/centos:7")
	before := digestOf(t, c, tag)
	if _, err := amend(t, c, j, tag, "1"); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0o600)
	_, _ = f.Write(append(bytes.Repeat([]byte{0}, 2<<20), '\n'))
	_ = f.Close()
	if _, err := amend(t, c, j, tag, "2"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, err := c.Undo(ctx, j, tag.String(), registry.UndoOptions{})
	if !errors.Is(err, registry.ErrJournalDamaged) || !strings.Contains(err.Error(), "line 3") || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("undo over damage: %v", err)
	}
	for range 2 {
		if _, err := c.Undo(ctx, j, tag.String(), registry.UndoOptions{Force: true}); err != nil {
			t.Fatal(err)
		}
	}
	if got := digestOf(t, c, tag); got != before {
		t.Errorf("two forced undos left %s, want %s", got, before)
	}
}
