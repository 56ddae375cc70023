package registry_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/regtest"
)

func referrerCount(t *testing.T, c *registry.Client, r model.Reference) int {
	t.Helper()
	refs, err := c.Referrers(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return len(refs)
}

// A copy to another registry keeps the digest, every child and the
// referrers of the index and of a child.
func TestCopyKeepsEverything(t *testing.T) {
	a, b := startDemo(t), startDemo(t)
	c := registry.New(registry.WithPlainHTTP(a.Host, b.Host))
	ctx := context.Background()
	src := ref(t, a.Host+"/platypus/webapp:1.0")
	dst := ref(t, b.Host+"/mirror/webapp:1.0")
	plan, err := c.PlanCopy(ctx, src, dst, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !plan.Identical() || plan.Previous != "" || len(plan.Children) != 6 {
		t.Fatalf("plan: identical %v, previous %q, %d children", plan.Identical(), plan.Previous, len(plan.Children))
	}
	j := journal(t)
	out, err := c.RunCopy(ctx, plan, true, j, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := digestOf(t, c, dst); got != plan.Root.Digest {
		t.Fatalf("the copy has digest %s, the source %s", got, plan.Root.Digest)
	}
	amd := plan.Root.Entries[0].Digest
	for _, r := range []model.Reference{src, src.WithDigest(amd)} {
		at := dst.RepoOnly().WithDigest(r.Digest)
		if r.Digest == "" {
			at = dst.WithDigest(plan.Root.Digest)
			r = r.WithDigest(plan.Root.Digest)
		}
		if want, got := referrerCount(t, c, r), referrerCount(t, c, at); want == 0 || got != want {
			t.Errorf("%s: %d referrers at the copy, %d at the source", model.ShortDigest(r.Digest), got, want)
		}
	}
	if out.Referrers != 2 || len(out.Copied) < 7 {
		t.Errorf("outcome: %d referrers, %d manifests", out.Referrers, len(out.Copied))
	}
	if h, _ := j.Read(dst.String()); len(h.Changes) != 1 || !h.Changes[0].Done() || h.Changes[0].Action != "copy" {
		t.Errorf("journal: %+v", h.Changes)
	}
	// Again: nothing to do.
	plan, _ = c.PlanCopy(ctx, src, dst, nil)
	if out, err := c.RunCopy(ctx, plan, true, j, nil); err != nil || !out.Unchanged || out.Referrers != 0 {
		t.Errorf("a second copy: %+v %v", out, err)
	}
}

// --platform keeps the entry the platform pulls, its attestation, and
// every field of the index but the other entries.
func TestCopyPlatformFilter(t *testing.T) {
	a, b := startDemo(t), startDemo(t)
	c := registry.New(registry.WithPlainHTTP(a.Host, b.Host))
	ctx := context.Background()
	src := ref(t, a.Host+"/platypus/webapp:1.0")
	dst := ref(t, b.Host+"/mirror/webapp:arm")
	arm := model.FlagTarget(model.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}, model.SourceFlag)
	plan, err := c.PlanCopy(ctx, src, dst, []model.Target{arm})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Identical() || len(plan.Children) != 2 || len(plan.Platforms) != 1 || plan.Platforms[0].Entry != "linux/arm64" {
		t.Fatalf("plan: %d children, picks %+v", len(plan.Children), plan.Platforms)
	}
	if _, err := c.RunCopy(ctx, plan, true, journal(t), nil); err != nil {
		t.Fatal(err)
	}
	got, err := c.Manifest(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	if got.Digest != plan.Digest() || len(got.Entries) != 2 || got.Entries[1].Kind != model.KindAttestation || got.Entries[1].Subject != got.Entries[0].Digest {
		t.Fatalf("filtered index: %+v", got.Entries)
	}
	var was, now map[string]json.RawMessage
	_ = json.Unmarshal(plan.Root.Raw, &was)
	_ = json.Unmarshal(got.Raw, &now)
	for k := range was {
		if k != "manifests" && !jsonEqual(was[k], now[k]) {
			t.Errorf("%s changed: %s → %s", k, was[k], now[k])
		}
	}
	if _, err := c.PlanCopy(ctx, src, dst, []model.Target{model.FlagTarget(model.Platform{OS: "linux", Architecture: "s390x"}, model.SourceFlag)}); err == nil || !strings.Contains(err.Error(), "no entry for linux/s390x") {
		t.Errorf("a platform the index lacks: %v", err)
	}
}

// A failure at any step of a copy leaves the target tag as it was.
func TestCopyFailuresLeaveTheTagAlone(t *testing.T) {
	a := startDemo(t)
	ctx := context.Background()
	src := ref(t, a.Host+"/platypus/webapp:1.0")
	put := func(part string) func(*http.Request) bool {
		return func(r *http.Request) bool {
			return r.Method != http.MethodGet && r.Method != http.MethodHead && strings.Contains(r.URL.Path, part)
		}
	}
	for name, match := range map[string]func(*http.Request) bool{
		"blob upload":         put("/blobs/"),
		"manifest by digest":  put("/manifests/sha256:"),
		"the tag":             put("/manifests/7"),
		"referrers (2nd put)": nil, // set below: fail after the children
	} {
		t.Run(name, func(t *testing.T) {
			// A fresh target each time: what one run copied, the next would skip.
			p := regtest.NewFaultProxy(t, startDemo(t).Host)
			dst := ref(t, p.Host+"/library/centos:7") // a tag that exists
			c := faultClient(p.Host, registry.WithPlainHTTP(a.Host))
			before := digestOf(t, c, dst)
			plan, err := c.PlanCopy(ctx, src, dst, nil)
			if err != nil {
				t.Fatal(err)
			}
			if match == nil {
				// Let the image manifests through, fail the next writes: those
				// of the referrers.
				seen := 0
				match = func(r *http.Request) bool {
					if r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/manifests/sha256:") {
						seen++
						return seen > 7
					}
					return false
				}
			}
			p.Set(regtest.Status503, match, -1, "", 0)
			defer p.Clear()
			if _, err := c.RunCopy(ctx, plan, true, journal(t), nil); err == nil {
				t.Fatal("the copy succeeded through a 503")
			}
			p.Clear()
			if got := digestOf(t, c, dst); got != before {
				t.Errorf("the tag moved to %s", got)
			}
		})
	}
}

// A registry without the referrers API (Debian's distribution) keeps
// referrers under sha256-HEX tags: such a tag's summary says whose
// referrers it lists and what they are, not "an index of no platforms".
func TestReferrersTagSummary(t *testing.T) {
	d := regtest.StartDistribution(t, regtest.DistributionOptions{})
	srv := startDemo(t)
	c := registry.New(registry.WithPlainHTTP(srv.Host, d.Host))
	src, dst := ref(t, srv.Host+"/platypus/webapp:1.0"), ref(t, d.Host+"/mirror/webapp:1.0")
	if _, err := c.Copy(context.Background(), src, dst, registry.CopyOptions{Referrers: true}); err != nil {
		t.Fatal(err)
	}
	idx, err := c.Manifest(context.Background(), dst)
	if err != nil {
		t.Fatal(err)
	}
	tag := "sha256-" + strings.TrimPrefix(idx.Digest, "sha256:")
	s, err := c.Summarize(context.Background(), dst.WithTag(tag))
	if err != nil {
		t.Fatal(err)
	}
	if s.ReferrersOf != idx.Digest || len(s.ArtifactTypes) != 1 || !strings.Contains(s.ArtifactTypes[0], "notary") {
		t.Errorf("summary of %s: %+v", tag, s)
	}
	if _, ok := model.ReferrersTagSubject("sha256-xyz"); ok {
		t.Error("a tag that only starts like the schema was taken for it")
	}
}
