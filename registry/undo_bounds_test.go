package registry_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/regclient/regclient"
	"github.com/regclient/regclient/config"
	"github.com/regclient/regclient/types/manifest"
	rcref "github.com/regclient/regclient/types/ref"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// Past the tags platypus checks before deleting by digest (2,000; 2
// here), undo says it cannot tell that no other tag holds the manifest
// and refuses, before asking and when asked (issue 22: it stopped there
// without a way on). --force checks the first ones and deletes, saying
// how many went unchecked; a tag among the checked (the first by name)
// that holds it still stops even --force.
func TestUndoByDigestSaysWhatItDidNotCheck(t *testing.T) {
	defer registry.SetDeleteCheck(registry.SetDeleteCheck(2))
	c, centos := distributionWithCentos(t, regtest.DistributionOptions{})
	j := journal(t)
	ctx := context.Background()
	for _, tag := range []string{"x1", "x2"} {
		if _, err := c.Copy(ctx, centos, centos.WithTag(tag), registry.CopyOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	big := centos.WithTag("big")
	created := createTag(t, c, j, centos, big, "big")
	// Its other tags: 7, x1, x2.
	want := "the repository has 3 other tags, more than the 2 platypus checks before deleting by digest"
	if _, err := c.PreviewUndo(ctx, j, big.String(), registry.UndoOptions{}); !errors.Is(err, registry.ErrCannotDelete) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "--force") {
		t.Errorf("preview: %v", err)
	}
	if _, err := c.Undo(ctx, j, big.String(), registry.UndoOptions{}); !errors.Is(err, registry.ErrCannotDelete) || !strings.Contains(err.Error(), want) || tagDigest(t, c, big) != created {
		t.Fatalf("undo: %v", err)
	}
	if p, err := c.PreviewUndo(ctx, j, big.String(), registry.UndoOptions{Force: true}); err != nil || p.Delete != registry.DeleteDigest {
		t.Errorf("forced preview: %+v %v", p, err)
	}
	res, err := c.Undo(ctx, j, big.String(), registry.UndoOptions{Force: true})
	if err != nil || res.Deleted != registry.DeleteDigest || res.UncheckedTags != 1 || tagDigest(t, c, big) != "" {
		t.Fatalf("forced undo: %+v %v", res, err)
	}
	for _, tag := range []string{"7", "x1", "x2"} {
		if tagDigest(t, c, centos.WithTag(tag)) == "" {
			t.Errorf("%s went too", tag)
		}
	}

	// "a-holder" sorts first, so it is checked: even --force refuses.
	again := centos.WithTag("again")
	created = createTag(t, c, j, centos, again, "again")
	if _, err := c.Copy(ctx, again, centos.WithTag("a-holder"), registry.CopyOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Undo(ctx, j, again.String(), registry.UndoOptions{Force: true})
	if !errors.Is(err, registry.ErrCannotDelete) || !strings.Contains(err.Error(), "would also remove tag a-holder") || tagDigest(t, c, again) != created {
		t.Errorf("forced undo with a holder checked: %v", err)
	}
}

// Deleting a manifest by digest leaves the signatures and attestations
// whose subject it is pointing at nothing: undo names them and refuses
// before asking and when asked (issue 22: it did not look); --force
// deletes and lists them. The referrers are attached by regclient, which
// writes distribution's referrers tag (it has no referrers API).
func TestUndoByDigestNamesTheReferrersItWouldOrphan(t *testing.T) {
	c, centos := distributionWithCentos(t, regtest.DistributionOptions{})
	j := journal(t)
	ctx := context.Background()
	signed := centos.WithTag("signed")
	created := createTag(t, c, j, centos, signed, "signed")
	m, err := c.Manifest(ctx, signed)
	if err != nil {
		t.Fatal(err)
	}
	empty := regtest.PushBlob(t, centos.Registry, centos.Repository, "application/vnd.oci.empty.v1+json", []byte("{}"))
	var sigs []string
	for i, kind := range []string{"application/vnd.cncf.notary.signature", "application/spdx+json"} {
		body := regtest.PushBlob(t, centos.Registry, centos.Repository, kind, fmt.Appendf(nil, "referrer %d", i))
		raw := fmt.Appendf(nil, `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":%q,`+
			`"config":{"mediaType":%q,"digest":%q,"size":%d},"layers":[{"mediaType":%q,"digest":%q,"size":%d}],`+
			`"subject":{"mediaType":%q,"digest":%q,"size":%d}}`,
			kind, empty.MediaType, empty.Digest, empty.Size, kind, body.Digest, body.Size, m.MediaType, created, len(m.Raw))
		attachWithRegclient(t, centos, raw)
		sigs = append(sigs, model.DigestOf(raw))
	}
	slices.Sort(sigs)
	_, err = c.PreviewUndo(ctx, j, signed.String(), registry.UndoOptions{})
	if !errors.Is(err, registry.ErrCannotDelete) || !strings.Contains(err.Error(), "2 referrers point at "+model.ShortDigest(created)) ||
		!strings.Contains(err.Error(), "application/vnd.cncf.notary.signature") || !strings.Contains(err.Error(), "--force") {
		t.Errorf("preview: %v", err)
	}
	if _, err := c.Undo(ctx, j, signed.String(), registry.UndoOptions{}); !errors.Is(err, registry.ErrCannotDelete) || !strings.Contains(err.Error(), "2 referrers") || tagDigest(t, c, signed) != created {
		t.Fatalf("undo: %v", err)
	}
	res, err := c.Undo(ctx, j, signed.String(), registry.UndoOptions{Force: true})
	if err != nil || res.Deleted != registry.DeleteDigest || tagDigest(t, c, signed) != "" {
		t.Fatalf("forced undo: %+v %v", res, err)
	}
	got := slices.Sorted(slices.Values(res.OrphanedReferrers))
	if !slices.Equal(got, sigs) {
		t.Errorf("orphaned referrers %v, want %v", got, sigs)
	}
}

// attachWithRegclient pushes the artifact manifest raw, whose subject is
// set, as regclient pushes one: by digest, then the referrers tag.
func attachWithRegclient(t *testing.T, repo model.Reference, raw []byte) {
	t.Helper()
	rc := regclient.New(regclient.WithConfigHost(config.Host{Name: repo.Registry, TLS: config.TLSDisabled}))
	m, err := manifest.New(manifest.WithRaw(raw))
	if err != nil {
		t.Fatal(err)
	}
	r, err := rcref.New(repo.Registry + "/" + repo.Repository + "@" + model.DigestOf(raw))
	if err != nil {
		t.Fatal(err)
	}
	if err := rc.ManifestPut(context.Background(), r, m); err != nil {
		t.Fatal(err)
	}
}
