package registry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

func decodeObject(t *testing.T, b []byte) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// An index written by another tool, with fields platypus does not know,
// a subject, an artifactType, entry annotations, urls and data: an amend
// of one index annotation changes that annotation and nothing else.
func TestAmendChangesOnlyWhatWasAsked(t *testing.T) {
	srv := startDemo(t)
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	ctx := context.Background()
	centos := ref(t, srv.Host+"/library/centos:7")
	idx, err := c.Manifest(ctx, centos)
	if err != nil {
		t.Fatal(err)
	}
	amd, arm := idx.Entries[0], idx.Entries[2]
	fixture := `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",
	  "artifactType":"application/vnd.example.bundle",
	  "x-vendor":{"keep":[1,2,3],"note":"unknown to platypus"},
	  "manifests":[
	    {"mediaType":"` + amd.MediaType + `","digest":"` + amd.Digest + `","size":` + itoa(amd.Size) + `,
	     "platform":{"architecture":"amd64","os":"linux"},"annotations":{"org.example.entry":"kept"},
	     "urls":["https://mirror.example/blob"],"data":"e30=","x-entry":true},
	    {"mediaType":"` + arm.MediaType + `","digest":"` + arm.Digest + `","size":` + itoa(arm.Size) + `,
	     "platform":{"architecture":"arm64","os":"linux","variant":"v8"}}],
	  "subject":{"mediaType":"` + idx.MediaType + `","digest":"` + idx.Digest + `","size":` + itoa(idx.Size) + `},
	  "annotations":{"org.opencontainers.image.version":"1"}}`
	regtest.PushRawManifest(t, srv.Host, "library/centos", "fixture", model.MediaOCIIndex, []byte(fixture))
	tag := ref(t, srv.Host+"/library/centos:fixture")
	before, err := c.Manifest(ctx, tag)
	if err != nil {
		t.Fatal(err)
	}

	// No edit: the draft is the index itself, and pushing does nothing.
	d, _, err := c.StartDraft(ctx, tag, true)
	if err != nil {
		t.Fatal(err)
	}
	if d.Digest() != before.Digest {
		t.Fatalf("an unedited amend has digest %s, the tag %s", d.Digest(), before.Digest)
	}
	j := journal(t)
	res, err := c.Push(ctx, d, registry.PushOptions{Journal: j})
	if err != nil || !res.Unchanged {
		t.Fatalf("no-op push: %+v %v", res, err)
	}
	if h, _ := j.Read(""); len(h.Changes) != 0 {
		t.Errorf("a no-op push was journaled: %+v", h.Changes)
	}

	// One annotation: only it changes.
	d.SetAnnotation(-1, "org.opencontainers.image.version", "2")
	if _, err := c.Push(ctx, d, registry.PushOptions{Journal: j}); err != nil {
		t.Fatal(err)
	}
	after, err := c.Manifest(ctx, tag)
	if err != nil {
		t.Fatal(err)
	}
	was, now := decodeObject(t, before.Raw), decodeObject(t, after.Raw)
	if len(was) != len(now) {
		t.Errorf("fields %d → %d", len(was), len(now))
	}
	for k, v := range was {
		if k == "annotations" || k == "manifests" {
			continue
		}
		if !jsonEqual(v, now[k]) {
			t.Errorf("%s changed: %s → %s", k, v, now[k])
		}
	}
	var wasEntries, nowEntries []json.RawMessage
	_ = json.Unmarshal(was["manifests"], &wasEntries)
	_ = json.Unmarshal(now["manifests"], &nowEntries)
	if len(wasEntries) != len(nowEntries) {
		t.Fatalf("entries %d → %d", len(wasEntries), len(nowEntries))
	}
	for i := range wasEntries {
		if !jsonEqual(wasEntries[i], nowEntries[i]) {
			t.Errorf("entry %d changed:\n%s\n%s", i, wasEntries[i], nowEntries[i])
		}
	}
	if after.Annotations["org.opencontainers.image.version"] != "2" {
		t.Errorf("annotations now %v", after.Annotations)
	}
}

// An index whose strings carry escape sequences: an amend of one
// annotation re-pushes every other string exactly as the registry had it.
func TestAmendKeepsRawStrings(t *testing.T) {
	srv, err := demo.Start(demo.Options{Extra: demo.SeedHostile})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	ctx := context.Background()
	tag := ref(t, srv.Host+"/"+demo.HostileRepository+":1.0")
	before, err := c.Manifest(ctx, tag)
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := c.StartDraft(ctx, tag, true)
	if err != nil {
		t.Fatal(err)
	}
	d.SetAnnotation(-1, "added", "yes")
	if _, err := c.Push(ctx, d, registry.PushOptions{}); err != nil {
		t.Fatal(err)
	}
	after, _ := c.Manifest(ctx, tag)
	for k, v := range before.Annotations {
		if after.Annotations[k] != v {
			t.Errorf("annotation %q: %q → %q", k, v, after.Annotations[k])
		}
	}
	if !jsonEqual(before.Entries[0].Raw, after.Entries[0].Raw) {
		t.Errorf("the entry changed:\n%s\n%s", before.Entries[0].Raw, after.Entries[0].Raw)
	}
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }
