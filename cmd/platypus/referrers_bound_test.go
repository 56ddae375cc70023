package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// manyReferrers fronts a demo registry with one that names n referrers
// (of nothing that exists) for every manifest; it counts requests.
func manyReferrers(t *testing.T, n int) (string, *atomic.Int64) {
	t.Helper()
	up := startDemoServer(t)
	var b strings.Builder
	b.WriteString(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%064x","size":500}`, i)
	}
	b.WriteString("]}")
	body := b.String()
	var count atomic.Int64
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: up.Host})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		count.Add(1)
		if strings.Contains(r.URL.Path, "/referrers/") {
			w.Header().Set("Content-Type", "application/vnd.oci.image.index.v1+json")
			_, _ = w.Write([]byte(body))
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://"), &count
}

// copy and diff --referrers against a registry naming 20,000 referrers per
// manifest: exit 1 at the first list, naming the config key, in a few
// requests; a config file raising limits.referrers is what the message
// points to, and it is read.
func TestReferrersBoundInCopyAndDiff(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	host, n := manyReferrers(t, 20000)
	dst := startDemoServer(t)
	src := host + "/platypus/webapp:1.0"
	for _, args := range [][]string{
		{"copy", src, dst.Host + "/mirror/webapp:1.0"},
		{"diff", src, dst.Host + "/platypus/webapp:1.0", "--referrers"},
	} {
		before := n.Load()
		_, stderr, code := cli(t, "", args...)
		if code != exitFailure || !strings.Contains(stderr, "more than 1000 referrers") || !strings.Contains(stderr, "limits.referrers") {
			t.Errorf("%s: exit %d: %s", args[0], code, stderr)
		}
		if got := n.Load() - before; got > 60 {
			t.Errorf("%s: %d requests", args[0], got)
		}
	}
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfg, []byte("limits:\n  referrers: 10\n  referrerDepth: 0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := cli(t, "", "--config", cfg, "diff", src, dst.Host+"/platypus/webapp:1.0", "--referrers")
	if code != exitUsage || !strings.Contains(stderr, "limits.referrerDepth must be between 1 and 16") {
		t.Errorf("a bad referrerDepth: exit %d: %s", code, stderr)
	}
	_ = os.WriteFile(cfg, []byte("limits:\n  referrers: 10\n"), 0o600)
	_, stderr, code = cli(t, "", "--config", cfg, "diff", src, dst.Host+"/platypus/webapp:1.0", "--referrers")
	if code != exitFailure || !strings.Contains(stderr, "more than 10 referrers") {
		t.Errorf("limits.referrers: 10 from the config file: exit %d: %s", code, stderr)
	}
}
