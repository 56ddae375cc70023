package registry_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
)

// referrersIndex is a referrers answer listing digests.
func referrersIndex(digests []string) string {
	var b strings.Builder
	b.WriteString(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[`)
	for i, d := range digests {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":%q,"size":500,"artifactType":"application/vnd.example.sig"}`, d)
	}
	b.WriteString("]}")
	return b.String()
}

// fakeDigests are n digests of nothing in particular.
func fakeDigests(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(fmt.Sprint(i))))
	}
	return out
}

// referrersProxy fronts the demo registry at host, answering the referrers
// API itself where answer says so (a body and a next link), and counting
// every request.
func referrersProxy(t *testing.T, host string, answer func(r *http.Request, subject string) (body, link string, ok bool)) (string, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: host})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if _, subject, found := strings.Cut(r.URL.Path, "/referrers/"); found {
			if body, link, ok := answer(r, subject); ok {
				if link != "" {
					w.Header().Set("Link", "<"+link+`>; rel="next"`)
				}
				w.Header().Set("Content-Type", "application/vnd.oci.image.index.v1+json")
				_, _ = w.Write([]byte(body))
				return
			}
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://"), &n
}

func referrersClient(limits registry.Limits, hosts ...string) *registry.Client {
	return registry.New(registry.WithPlainHTTP(hosts...), registry.WithLimits(limits), registry.WithRetries(0, time.Millisecond, time.Millisecond))
}

// A referrers list is bounded as a tag list is: its descriptors by
// limits.referrers (the rest of a page is not read), its pages by
// limits.pages, and a page that links back or is empty but links on cuts
// it. Every way ends in an error naming what stopped it, in a few
// requests.
func TestReferrersListsAreBounded(t *testing.T) {
	subject := "sha256:" + strings.Repeat("a", 64)
	many := referrersIndex(fakeDigests(20000))
	for name, tt := range map[string]struct {
		answer   func(r *http.Request) (string, string)
		want     string
		requests int64
	}{
		"20,000 in one page": {func(*http.Request) (string, string) { return many, "" }, "more than 1000 referrers (limits.referrers)", 1},
		"a page linking to itself": {func(r *http.Request) (string, string) {
			return referrersIndex(fakeDigests(2)), r.URL.RequestURI()
		}, "links back", 1},
		"an empty page linking on": {func(r *http.Request) (string, string) {
			return referrersIndex(nil), r.URL.Path + "?page=" + fmt.Sprint(len(r.URL.Query().Get("page"))+1)
		}, "empty but links to more", 1},
		"one new referrer a page, forever": {func(r *http.Request) (string, string) {
			page := r.URL.Query().Get("page")
			return referrersIndex([]string{fakeDigests(1)[0][:60] + fmt.Sprintf("%04d", len(page))}), r.URL.Path + "?page=" + page + "x"
		}, "(limits.pages)", 50},
	} {
		t.Run(name, func(t *testing.T) {
			var served atomic.Int64
			host, n := hostile(t, func(w http.ResponseWriter, r *http.Request) {
				body, link := tt.answer(r)
				if served.Add(1) > 500 {
					// Where nothing stops it, the list ends here, and the test fails
					// rather than hangs.
					body, link = referrersIndex(nil), ""
				}
				if !strings.Contains(r.URL.Path, "/referrers/") {
					w.WriteHeader(http.StatusNotFound) // the tag-schema fallback: none
					return
				}
				if link != "" {
					w.Header().Set("Link", "<"+link+`>; rel="next"`)
				}
				w.Header().Set("Content-Type", "application/vnd.oci.image.index.v1+json")
				_, _ = w.Write([]byte(body))
			})
			l := tinyLimits()
			refs, err := referrersClient(l, host).Referrers(context.Background(), ref(t, host+"/x@"+subject))
			if !errors.Is(err, registry.ErrTruncated) || !strings.Contains(err.Error(), tt.want) || refs != nil {
				t.Errorf("%d referrers, err %v; want an error saying %q", len(refs), err, tt.want)
			}
			// The fallback tag may be asked once more.
			if got := n.Load(); got > tt.requests+2 {
				t.Errorf("%d requests, want about %d", got, tt.requests)
			}
		})
	}
}

// copy with referrers, against a registry that names 20,000 referrers for
// every manifest, stops at the first list: before, it tried to copy each
// of them (40,023 requests, 57 s here; 225 s in the issue).
func TestCopyDoesNotFollowTwentyThousandReferrers(t *testing.T) {
	a, b := startDemo(t), startDemo(t)
	many := referrersIndex(fakeDigests(20000))
	src, n := referrersProxy(t, a.Host, func(*http.Request, string) (string, string, bool) { return many, "", true })
	c := referrersClient(registry.DefaultLimits(), src, b.Host)
	ctx := context.Background()
	plan, err := c.PlanCopy(ctx, ref(t, src+"/platypus/webapp:1.0"), ref(t, b.Host+"/mirror/webapp:1.0"), nil)
	if err != nil {
		t.Fatal(err)
	}
	before := n.Load()
	_, err = c.RunCopy(ctx, plan, true, journal(t), nil)
	if !errors.Is(err, registry.ErrTruncated) || !strings.Contains(err.Error(), "limits.referrers") {
		t.Errorf("err %v; want the referrers bound named", err)
	}
	if got := n.Load() - before; got > 100 {
		t.Errorf("%d requests to the source for a copy of 7 manifests", got)
	}
}

// Referrers of referrers count against their subject's limits.referrers,
// and their levels against limits.referrerDepth: the demo's signature of
// platypus/webapp:1.0 is made to have the SBOM as a referrer of its own.
func TestCopyBoundsReferrersOfReferrers(t *testing.T) {
	a := startDemo(t)
	direct := referrersClient(registry.DefaultLimits(), a.Host)
	ctx := context.Background()
	webapp := ref(t, a.Host+"/platypus/webapp:1.0")
	root, err := direct.Manifest(ctx, webapp)
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := direct.Referrers(ctx, webapp.WithDigest(root.Digest))
	if err != nil || len(sigs) != 1 {
		t.Fatalf("the demo's signature: %v %v", sigs, err)
	}
	boms, err := direct.Referrers(ctx, webapp.WithDigest(root.Entries[0].Digest))
	if err != nil || len(boms) != 1 {
		t.Fatalf("the demo's SBOM: %v %v", boms, err)
	}
	sig, bom := sigs[0].Digest, boms[0].Digest
	src, _ := referrersProxy(t, a.Host, func(_ *http.Request, subject string) (string, string, bool) {
		switch subject {
		case sig: // the chain: index ← signature ← SBOM
			return referrersIndex([]string{bom}), "", true
		case root.Entries[0].Digest: // the SBOM hangs off the signature now
			return referrersIndex(nil), "", true
		}
		return "", "", false
	})
	for _, tt := range []struct {
		referrers, depth int
		want             string
	}{
		{1000, 1, "more than 1 levels deep (limits.referrerDepth)"},
		{1, 4, "more than 1 referrers, with theirs (limits.referrers)"},
		{2, 2, ""},
	} {
		b := startDemo(t)
		l := registry.DefaultLimits()
		l.Referrers, l.ReferrerDepth = tt.referrers, tt.depth
		c := referrersClient(l, src, b.Host)
		plan, err := c.PlanCopy(ctx, ref(t, src+"/platypus/webapp:1.0"), ref(t, b.Host+"/mirror/webapp:1.0"), nil)
		if err != nil {
			t.Fatal(err)
		}
		out, err := c.RunCopy(ctx, plan, true, journal(t), nil)
		switch {
		case tt.want == "" && (err != nil || out.Referrers != 2):
			t.Errorf("referrers %d, depth %d: %d copied, err %v; want both", tt.referrers, tt.depth, out.Referrers, err)
		case tt.want != "" && (!errors.Is(err, registry.ErrTruncated) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), model.ShortDigest(root.Digest))):
			t.Errorf("referrers %d, depth %d: err %v; want %q about %s", tt.referrers, tt.depth, err, tt.want, model.ShortDigest(root.Digest))
		}
	}
}
