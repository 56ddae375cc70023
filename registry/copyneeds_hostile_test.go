package registry_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// sayYes answers every HEAD of a manifest by digest 200, naming another
// digest: a registry (or a cache in front of one) that says it has
// everything. regclient takes the digest asked for as the answer's (a
// HEAD by digest is believed), so the copy sends nothing.
func sayYes(h http.Handler) http.Handler {
	other := "sha256:" + strings.Repeat("0", 64)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead && strings.Contains(r.URL.Path, "/manifests/sha256:") {
			w.Header().Set("Content-Type", "application/vnd.oci.image.index.v1+json")
			w.Header().Set("Docker-Content-Digest", other)
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(http.StatusOK)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// Against a target whose HEADs say 200 for any digest, the dry run lists
// what the copy sends (the copy is the oracle: nothing), and the copy
// fails at the tag (the registry refuses an index whose children it
// lacks) with the tag left as it was.
func TestCopyAgainstAHeadThatSaysYes(t *testing.T) {
	a := startDemo(t)
	var atB writes
	atB.got = map[string]string{}
	b, err := demo.Start(demo.Options{Wrap: func(h http.Handler) http.Handler { return sayYes(atB.wrap(h)) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	c := registry.New(registry.WithPlainHTTP(a.Host, b.Host))
	ctx := context.Background()
	arm := model.FlagTarget(model.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}, model.SourceFlag)
	for _, platforms := range [][]model.Target{nil, {arm}} {
		dst := ref(t, b.Host+"/mirror/centos:"+fmt.Sprint(len(platforms)))
		plan, err := c.PlanCopy(ctx, ref(t, a.Host+"/library/centos:7"), dst, platforms)
		if err != nil {
			t.Fatal(err)
		}
		needs, err := c.CopyNeeds(ctx, plan, true)
		if err != nil {
			t.Fatal(err)
		}
		atB.take()
		_, err = c.RunCopy(ctx, plan, true, journal(t), nil)
		sent := atB.take()
		sameSets(t, "a HEAD that says yes", neededSet(needs), sent)
		if err == nil || strings.ContainsAny(err.Error(), "\n\x1b") {
			t.Errorf("%d platforms: the copy of nothing into a registry that lacks it: %v", len(platforms), err)
		}
		if _, err := c.Manifest(ctx, dst); !errors.Is(err, registry.ErrNotFound) {
			t.Errorf("the tag was written: %v", err)
		}
	}
}

// A manifest whose bytes are not its digest, a HEAD that never answers
// and a manifest of 64 MiB each end the dry run in a clear error of its
// kind, and a source that lists thousands of referrers, a cycle of
// referrers, or pages of them without end, ends it as the copy ends.
func TestCopyDryRunAgainstHostileRegistries(t *testing.T) {
	a, b := startDemo(t), startDemo(t)
	ctx := context.Background()
	plan := func(t *testing.T, c *registry.Client, src, dst string) *registry.CopyPlan {
		t.Helper()
		p, err := c.PlanCopy(ctx, ref(t, src+"/platypus/webapp:1.0"), ref(t, dst+"/mirror/webapp:1.0"), nil)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	clean := func(t *testing.T, err error, kind error, want string) {
		t.Helper()
		if !errors.Is(err, kind) || !strings.Contains(err.Error(), want) || strings.ContainsAny(err.Error(), "\n\r\x1b\x07") {
			t.Errorf("err %v; want one clean line of kind %v saying %q", err, kind, want)
		}
	}
	t.Run("wrong digest", func(t *testing.T) {
		p := regtest.NewFaultProxy(t, a.Host)
		c := faultClient(p.Host, registry.WithPlainHTTP(b.Host))
		pl := plan(t, c, p.Host, b.Host)
		p.Set(regtest.WrongDigest, regtest.ManifestGets, -1, "", 0)
		_, err := c.CopyNeeds(ctx, pl, true)
		clean(t, err, registry.ErrInvalid, "digest")
	})
	t.Run("a HEAD that hangs", func(t *testing.T) {
		p := regtest.NewFaultProxy(t, b.Host)
		l := tinyLimits()
		c := registry.New(registry.WithPlainHTTP(a.Host, p.Host), registry.WithLimits(l), registry.WithRetries(0, time.Millisecond, time.Millisecond))
		pl := plan(t, c, a.Host, p.Host)
		p.Set(regtest.Slow, func(r *http.Request) bool { return r.Method == http.MethodHead }, -1, "", time.Hour)
		_, err := c.CopyNeeds(ctx, pl, true)
		if err == nil || !strings.Contains(err.Error(), p.Host) {
			t.Errorf("err %v; want an error naming %s", err, p.Host)
		}
	})
	t.Run("64 MiB manifest", func(t *testing.T) {
		root, err := registry.New(registry.WithPlainHTTP(a.Host)).Manifest(ctx, ref(t, a.Host+"/platypus/webapp:1.0"))
		if err != nil {
			t.Fatal(err)
		}
		child := root.Entries[0].Digest
		host := hostileFront(t, a.Host, func(w http.ResponseWriter, r *http.Request) bool {
			if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/manifests/"+child) {
				return false
			}
			w.Header().Set("Content-Type", "application/vnd.oci.image.manifest.v1+json")
			chunk := []byte(`{"schemaVersion":2,"layers":[` + strings.Repeat(" ", 1<<20))
			for range 64 {
				if _, err := w.Write(chunk); err != nil {
					break
				}
				chunk = []byte(strings.Repeat(" ", 1<<20))
			}
			return true
		})
		c := referrersClient(tinyLimits(), host, b.Host)
		_, err = c.CopyNeeds(ctx, plan(t, c, host, b.Host), false)
		clean(t, err, registry.ErrInvalid, model.ShortDigest(child))
	})
	// Made once: made for each request, under -race, it took longer than
	// the header timeout.
	many := referrersIndex(fakeDigests(20000))
	for name, tt := range map[string]struct {
		answer func(r *http.Request, subject string) (string, string, bool)
		want   string
	}{
		"20,000 referrers": {func(*http.Request, string) (string, string, bool) {
			return many, "", true
		}, "limits.referrers"},
		"pages without end": {func(r *http.Request, _ string) (string, string, bool) {
			page := r.URL.Query().Get("page")
			return referrersIndex([]string{fakeDigests(1)[0][:60] + strings.Repeat("0", 4-len(page)%4) + page[:len(page)%4]}), r.URL.Path + "?page=" + page + "1", true
		}, "limits"},
	} {
		t.Run(name, func(t *testing.T) {
			src, n := referrersProxy(t, a.Host, tt.answer)
			c := referrersClient(tinyLimits(), src, b.Host)
			pl := plan(t, c, src, b.Host)
			before := n.Load()
			_, err := c.CopyNeeds(ctx, pl, true)
			clean(t, err, registry.ErrTruncated, tt.want)
			if got := n.Load() - before; got > 500 {
				t.Errorf("%d requests to the source for a dry run of 7 manifests", got)
			}
		})
	}
	t.Run("a cycle of referrers", func(t *testing.T) {
		direct := registry.New(registry.WithPlainHTTP(a.Host))
		webapp := ref(t, a.Host+"/platypus/webapp:1.0")
		root, err := direct.Manifest(ctx, webapp)
		if err != nil {
			t.Fatal(err)
		}
		sigs, err := direct.Referrers(ctx, webapp.WithDigest(root.Digest))
		if err != nil || len(sigs) != 1 {
			t.Fatalf("the demo's signature: %v %v", sigs, err)
		}
		sig := sigs[0].Digest
		// The index and its signature refer to each other.
		src, n := referrersProxy(t, a.Host, func(_ *http.Request, subject string) (string, string, bool) {
			if subject == sig {
				return referrersIndex([]string{root.Digest, sig}), "", true
			}
			return "", "", false
		})
		c := referrersClient(registry.DefaultLimits(), src, b.Host)
		pl := plan(t, c, src, b.Host)
		before := n.Load()
		needs, err := c.CopyNeeds(ctx, pl, true)
		if err != nil {
			t.Fatal(err)
		}
		refs := 0
		for _, nd := range needs {
			if nd.Referrer && (nd.Kind == "manifest" || nd.Kind == "index") {
				refs++
			}
		}
		if refs != 2 { // the signature and the SBOM, once each
			t.Errorf("%d referrer manifests listed, want 2", refs)
		}
		if got := n.Load() - before; got > 200 {
			t.Errorf("%d requests", got)
		}
	})
}

// hostileFront fronts the registry at host, answering itself where h
// says it did.
func hostileFront(t *testing.T, host string, h func(w http.ResponseWriter, r *http.Request) bool) string {
	t.Helper()
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: host})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !h(w, r) {
			proxy.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}
