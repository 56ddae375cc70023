package registry_test

import (
	"context"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/check"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
)

// A draft for a new repository, with entries from two others, expands as
// the index it will be: every entry's manifest and config read where the
// entry lives, and Sources saying so, so that the check finds every blob
// before the push copies them (and the same rules as `platypus check`
// run on it).
func TestDraftTree(t *testing.T) {
	srv, _ := checkServer(t, nil)
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	ctx := context.Background()
	good := ref(t, srv.Host+"/"+demo.CheckRepository+":good")
	entries, err := c.DraftEntries(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	other := ref(t, srv.Host+"/"+demo.CheckBaseRepository)
	baseTags, err := c.AllTags(ctx, other)
	if err != nil || len(baseTags) == 0 {
		t.Fatalf("base tags: %v %v", baseTags, err)
	}
	more, err := c.DraftEntries(ctx, other.WithTag(baseTags[0]))
	if err != nil {
		t.Fatal(err)
	}
	target := ref(t, srv.Host+"/mirror/app:1.0")
	d := &model.Draft{Target: target, MediaType: model.MediaOCIIndex, Entries: append(entries, more...)}

	tree, sources, err := c.DraftTree(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if tree.Root.Digest != d.Digest() || len(tree.Root.Entries) != len(d.Entries) {
		t.Fatalf("root %s with %d entries, want the draft %s with %d", tree.Root.Digest, len(tree.Root.Entries), d.Digest(), len(d.Entries))
	}
	for _, e := range d.Entries {
		if tree.Children[e.Digest] == nil {
			t.Errorf("entry %s not loaded: %v", model.ShortDigest(e.Digest), tree.Errors[e.Digest])
		}
		if got := sources[e.Digest]; got.String() != e.Source.RepoOnly().String() {
			t.Errorf("source of %s: %s, want %s", model.ShortDigest(e.Digest), got, e.Source.RepoOnly())
		}
		if e.Kind == model.KindImage && tree.Configs[e.Digest] == nil {
			t.Errorf("config of %s not loaded", model.ShortDigest(e.Digest))
		}
	}
	f, err := c.NewChecker().Facts(ctx, target, registry.CheckOptions{Tree: tree, Sources: sources, Needs: check.Needs{Blobs: true}})
	if err != nil || len(f.Missing) != 0 {
		t.Errorf("blobs are where the entries live: %v %v", err, f.Missing)
	}
}

// An entry whose manifest is gone, or whose descriptor has another size
// than the manifest, is the check's missing-blob, as in a pushed index.
func TestDraftTreeBrokenEntries(t *testing.T) {
	srv, _ := checkServer(t, nil)
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	ctx := context.Background()
	entries, err := c.DraftEntries(ctx, ref(t, srv.Host+"/"+demo.CheckRepository+":good"))
	if err != nil {
		t.Fatal(err)
	}
	var imgs []model.DraftEntry
	for _, e := range entries {
		if e.Kind == model.KindImage {
			imgs = append(imgs, e)
		}
	}
	if len(imgs) < 2 {
		t.Fatalf("want two images in :good, have %d", len(imgs))
	}
	// Raw nil: the entries are written from their fields, as edited.
	imgs[0].Size++
	imgs[0].Raw = nil
	imgs[1].Digest = model.DigestOf([]byte("no such manifest"))
	imgs[1].Raw = nil
	d := &model.Draft{Target: ref(t, srv.Host+"/mirror/app:1.0"), MediaType: model.MediaOCIIndex, Entries: imgs[:2]}
	tree, sources, err := c.DraftTree(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	f, err := c.NewChecker().Facts(ctx, d.Target, registry.CheckOptions{Tree: tree, Sources: sources})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, fd := range check.Evaluate(f, nil).Findings {
		if fd.Rule == check.RuleMissingBlob {
			msgs = append(msgs, fd.Message)
		}
	}
	all := strings.Join(msgs, "\n")
	if len(msgs) != 2 || !strings.Contains(all, "the registry does not have it") || !strings.Contains(all, "the index says") {
		t.Errorf("missing-blob findings:\n%s", all)
	}
}

// Cancelled, DraftTree stops and says so.
func TestDraftTreeCancel(t *testing.T) {
	srv, _ := checkServer(t, nil)
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	entries, err := c.DraftEntries(context.Background(), ref(t, srv.Host+"/"+demo.CheckRepository+":good"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	d := &model.Draft{Target: ref(t, srv.Host+"/mirror/app:1.0"), MediaType: model.MediaOCIIndex, Entries: entries}
	if _, _, err := c.DraftTree(ctx, d); err == nil || !strings.Contains(err.Error(), "cancel") {
		t.Errorf("cancelled: %v", err)
	}
}
