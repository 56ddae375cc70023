package registry_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/state"
)

// Pushing what the tag already holds writes nothing and journals nothing.
func TestPushOfTheSameIndexIsANoOp(t *testing.T) {
	srv := startDemo(t)
	ctx := context.Background()
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	j := state.OpenJournal(filepath.Join(t.TempDir(), "journal.jsonl"))
	target := ref(t, srv.Host+"/library/centos:7")
	d, cur, err := c.StartDraft(ctx, target, true)
	if err != nil {
		t.Fatal(err)
	}
	d.Annotations = map[string]string{"org.opencontainers.image.version": "7"}
	first, err := c.Push(ctx, d, registry.PushOptions{Journal: j})
	if err != nil || first.Unchanged || first.PreviousDigest == nil || *first.PreviousDigest != cur.Digest {
		t.Fatalf("first push: %+v, %v", first, err)
	}
	again, err := c.Push(ctx, d, registry.PushOptions{Journal: j})
	if err != nil || !again.Unchanged || again.Digest != first.Digest {
		t.Fatalf("second push: %+v, %v", again, err)
	}
	if h, _ := j.Read(""); len(h.Changes) != 1 || !h.Changes[0].Done() {
		t.Errorf("journal has %+v, want one completed change", h.Changes)
	}
}
