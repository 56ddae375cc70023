package registry_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/registry"
)

// The demo's tags are journaled by a stable name, not this run's port,
// and undo maps the name back to this run's address.
func TestDemoIsJournaledByName(t *testing.T) {
	srv := startDemo(t)
	c := registry.New(registry.WithPlainHTTP(srv.Host), registry.WithDemo(srv.Host))
	j := journal(t)
	tag := ref(t, srv.Host+"/library/centos:7")
	before := digestOf(t, c, tag)
	if got := c.JournalName(tag); got != "demo://library/centos:7" {
		t.Fatalf("journal name %q", got)
	}
	if _, err := amend(t, c, j, tag, "1"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(j.Path())
	if !strings.Contains(string(b), `"reference":"demo://library/centos:7"`) || strings.Contains(string(b), srv.Host) {
		t.Fatalf("journal:\n%s", b)
	}
	ctx := context.Background()
	if _, err := c.PreviewUndo(ctx, j, tag.String(), registry.UndoOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := c.Undo(ctx, j, tag.String(), registry.UndoOptions{})
	if err != nil || res.Reference != tag.String() || digestOf(t, c, tag) != before {
		t.Fatalf("undo: %+v %v", res, err)
	}
	// Without the demo on, a demo change is not taken for a Docker Hub one.
	if _, err := registry.New().FromJournal("demo://library/centos:7"); !errors.Is(err, registry.ErrDemoJournal) || !strings.Contains(err.Error(), "--demo") {
		t.Errorf("FromJournal without the demo: %v", err)
	}
	// A real registry's tags keep their address.
	other := ref(t, "registry.example.com/app:1")
	if got := c.JournalName(other); got != other.String() {
		t.Errorf("journal name of %s: %q", other, got)
	}
}
