package registry_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/regtest"
	"github.com/platypus-tui/platypus/registry/state"
)

// createTag pushes a new tag dst holding the entries of src with an
// annotation of its own (so its digest is its alone), journaled in j.
func createTag(t *testing.T, c *registry.Client, j *state.Journal, src, dst model.Reference, note string) string {
	t.Helper()
	ctx := context.Background()
	d, cur, err := c.StartDraft(ctx, dst, false)
	if err != nil || cur != nil {
		t.Fatalf("draft for %s: %v (exists: %v)", dst, err, cur != nil)
	}
	entries, err := c.DraftEntries(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	d.Entries = entries
	d.MediaType = model.MediaOCIIndex
	d.SetAnnotation(-1, "note", note)
	expect := ""
	res, err := c.Push(ctx, d, registry.PushOptions{Journal: j, ExpectPrevious: &expect})
	if err != nil || res.PreviousDigest != nil {
		t.Fatalf("creating %s: %v", dst, err)
	}
	return res.Digest
}

func tagDigest(t *testing.T, c *registry.Client, r model.Reference) string {
	t.Helper()
	h, err := c.Head(context.Background(), r)
	if errors.Is(err, registry.ErrNotFound) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return h.Digest
}

// distributionWithCentos starts Debian's distribution and copies the
// demo's centos:7 into it.
func distributionWithCentos(t *testing.T, o regtest.DistributionOptions) (*registry.Client, model.Reference) {
	t.Helper()
	d := regtest.StartDistribution(t, o)
	srv := startDemo(t)
	c := registry.New(registry.WithPlainHTTP(srv.Host, d.Host))
	src := ref(t, srv.Host+"/library/centos:7")
	dst := ref(t, d.Host+"/library/centos:7")
	if _, err := c.Copy(context.Background(), src, dst, registry.CopyOptions{}); err != nil {
		t.Fatal(err)
	}
	return c, dst
}

// Undo of a push that created the tag deletes the tag, journaled like any
// change; the demo registry deletes tags themselves.
func TestUndoDeletesATagItCreated(t *testing.T) {
	srv := startDemo(t)
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	j := journal(t)
	ctx := context.Background()
	src, dst := ref(t, srv.Host+"/library/centos:7"), ref(t, srv.Host+"/library/centos:new")
	before := tagDigest(t, c, src)
	created := createTag(t, c, j, src, dst, "1")
	p, err := c.PreviewUndo(ctx, j, dst.String(), registry.UndoOptions{})
	if err != nil || p.To != "" || p.From != created || p.Delete != registry.DeleteTag {
		t.Fatalf("preview: %+v %v", p, err)
	}
	res, err := c.Undo(ctx, j, dst.String(), registry.UndoOptions{})
	if err != nil || res.Digest != "" || res.PreviousDigest != created || res.Deleted != registry.DeleteTag {
		t.Fatalf("undo: %+v %v", res, err)
	}
	if got := tagDigest(t, c, dst); got != "" {
		t.Fatalf("%s still holds %s", dst, got)
	}
	// Nothing else went: the tag it was made from, and every child.
	if tagDigest(t, c, src) != before {
		t.Errorf("%s changed", src)
	}
	m, _ := c.Manifest(ctx, src)
	for _, e := range m.Entries {
		if tagDigest(t, c, src.RepoOnly().WithDigest(e.Digest)) == "" {
			t.Errorf("child %s is gone", e.Digest)
		}
	}
	h, _ := j.Read(dst.String())
	if len(h.Changes) != 2 || h.Changes[1].Action != "undo" || h.Changes[1].Digest != "" || !h.Changes[1].Done() || h.Changes[0].RevertedBy == "" || len(h.Damage) > 0 {
		t.Errorf("history: %+v %v", h.Changes, h.Damage)
	}
	if _, err := c.Undo(ctx, j, dst.String(), registry.UndoOptions{}); !errors.Is(err, registry.ErrNothingToUndo) {
		t.Errorf("a second undo: %v", err)
	}
	// The history screen's enter on the creating change, after a second
	// push over it: both go, back to no tag.
	created = createTag(t, c, j, src, dst, "2")
	if _, err := amend(t, c, j, dst, "3"); err != nil {
		t.Fatal(err)
	}
	h, _ = j.Read(dst.String())
	first := h.Changes[len(h.Changes)-2]
	if first.Digest != created {
		t.Fatalf("history: %+v", h.Changes)
	}
	res, err = c.Undo(ctx, j, dst.String(), registry.UndoOptions{Before: first.ID})
	if err != nil || len(res.Reverts) != 2 || tagDigest(t, c, dst) != "" {
		t.Errorf("undo to before the creation: %+v %v", res, err)
	}
}

// distribution deletes no tags (a tag DELETE is 400): the manifest goes by
// digest, only when no other tag holds it or lists it; then nothing else.
func TestUndoDeletesByDigestOnlyWhenNothingElseGoes(t *testing.T) {
	c, centos := distributionWithCentos(t, regtest.DistributionOptions{})
	j := journal(t)
	ctx := context.Background()
	before := tagDigest(t, c, centos)

	alone := centos.WithTag("alone")
	created := createTag(t, c, j, centos, alone, "alone")
	p, err := c.PreviewUndo(ctx, j, alone.String(), registry.UndoOptions{})
	if err != nil || p.Delete != registry.DeleteDigest {
		t.Fatalf("preview: %+v %v", p, err)
	}
	res, err := c.Undo(ctx, j, alone.String(), registry.UndoOptions{})
	if err != nil || res.Deleted != registry.DeleteDigest || tagDigest(t, c, alone) != "" || tagDigest(t, c, centos.RepoOnly().WithDigest(created)) != "" {
		t.Fatalf("undo: %+v %v", res, err)
	}
	if tagDigest(t, c, centos) != before {
		t.Errorf("%s changed", centos)
	}

	// Another tag holds the same index: deleting it by digest would take
	// that tag too. Refused before asking, and by undo; both named.
	shared := centos.WithTag("shared")
	created = createTag(t, c, j, centos, shared, "shared")
	other := centos.WithTag("other")
	if _, err := c.Copy(ctx, shared, other, registry.CopyOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err = c.PreviewUndo(ctx, j, shared.String(), registry.UndoOptions{})
	if !errors.Is(err, registry.ErrCannotDelete) || !strings.Contains(err.Error(), "would also remove tag other") {
		t.Errorf("preview with another tag: %v", err)
	}
	_, err = c.Undo(ctx, j, shared.String(), registry.UndoOptions{})
	if !errors.Is(err, registry.ErrCannotDelete) || !strings.Contains(err.Error(), "tag other") || !strings.Contains(err.Error(), "nothing was deleted") {
		t.Errorf("undo with another tag: %v", err)
	}
	if tagDigest(t, c, shared) != created || tagDigest(t, c, other) != created {
		t.Errorf("a refused undo deleted something")
	}
	if h, _ := j.Read(shared.String()); h.Changes[len(h.Changes)-1].State != state.Failed {
		t.Errorf("the refused undo is not journaled as failed: %+v", h.Changes)
	}

	// An index lists it: deleting it would break that index.
	child := centos.WithTag("child")
	created = createTag(t, c, j, centos, child, "child")
	m, _ := c.Manifest(ctx, child)
	parent := `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"` +
		created + `","size":` + strconv.Itoa(len(m.Raw)) + `}]}`
	regtest.PushRawManifest(t, centos.Registry, centos.Repository, "parent", model.MediaOCIIndex, []byte(parent))
	_, err = c.Undo(ctx, j, child.String(), registry.UndoOptions{})
	if !errors.Is(err, registry.ErrCannotDelete) || !strings.Contains(err.Error(), "an entry of the index at tag parent") || tagDigest(t, c, child) != created {
		t.Errorf("undo of a listed index: %v", err)
	}
}

// distribution as it ships deletes nothing (405): undo says so before
// asking, refuses, and leaves the tag exactly as it was (regclient's own
// TagDelete would have pushed a throwaway image over it first).
func TestUndoWhereNothingCanBeDeleted(t *testing.T) {
	c, centos := distributionWithCentos(t, regtest.DistributionOptions{NoDelete: true})
	j := journal(t)
	ctx := context.Background()
	dst := centos.WithTag("new")
	created := createTag(t, c, j, centos, dst, "x")
	want := "deletes neither tags (a tag DELETE gets 405) nor manifests (405)"
	if _, err := c.PreviewUndo(ctx, j, dst.String(), registry.UndoOptions{}); !errors.Is(err, registry.ErrCannotDelete) || !strings.Contains(err.Error(), want) {
		t.Errorf("preview: %v", err)
	}
	_, err := c.Undo(ctx, j, dst.String(), registry.UndoOptions{})
	if !errors.Is(err, registry.ErrCannotDelete) || !strings.Contains(err.Error(), "nor manifests (405)") {
		t.Errorf("undo: %v", err)
	}
	if got := tagDigest(t, c, dst); got != created {
		t.Errorf("%s holds %s after a refused undo, want %s", dst, got, created)
	}
}
