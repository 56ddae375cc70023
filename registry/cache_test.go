package registry_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// countingProxy counts manifest GETs whose path ends in suffix.
func countingProxy(t *testing.T, host string) (*regtest.FaultProxy, *atomic.Int64, *string) {
	p := regtest.NewFaultProxy(t, host)
	var n atomic.Int64
	suffix := new(string)
	p.Set(regtest.None, nil, 0, "", 0)
	p.OnRequest = func(r *http.Request) {
		if regtest.ManifestGets(r) && *suffix != "" && strings.HasSuffix(r.URL.Path, *suffix) {
			n.Add(1)
		}
	}
	return p, &n, suffix
}

func TestSameDigestIsFetchedOnce(t *testing.T) {
	srv := startDemo(t)
	p, n, suffix := countingProxy(t, srv.Host)
	c := registry.New(registry.WithPlainHTTP(p.Host))
	idx, err := c.Manifest(context.Background(), ref(t, p.Host+"/library/centos:7"))
	if err != nil {
		t.Fatal(err)
	}
	d := idx.Entries[0].Digest
	*suffix = d
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Manifest(context.Background(), ref(t, p.Host+"/library/centos:7").WithDigest(d)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if _, err := c.Manifest(context.Background(), ref(t, p.Host+"/library/centos").WithDigest(d)); err != nil {
		t.Fatal(err)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("21 fetches of one digest made %d requests, want 1", got)
	}
}

func TestTagsAreNotCached(t *testing.T) {
	srv := startDemo(t)
	p, n, suffix := countingProxy(t, srv.Host)
	*suffix = "/manifests/7"
	c := registry.New(registry.WithPlainHTTP(p.Host))
	for range 2 {
		if _, err := c.Manifest(context.Background(), ref(t, p.Host+"/library/centos:7")); err != nil {
			t.Fatal(err)
		}
	}
	if n.Load() != 2 {
		t.Errorf("a tag is mutable: 2 reads should be 2 requests, got %d", n.Load())
	}
}

func TestDiskCacheServesASecondRun(t *testing.T) {
	srv := startDemo(t)
	p, n, suffix := countingProxy(t, srv.Host)
	dir := t.TempDir()
	first := registry.New(registry.WithPlainHTTP(p.Host), registry.WithDiskCache(dir, 1<<20))
	idx, err := first.Manifest(context.Background(), ref(t, p.Host+"/library/centos:7"))
	if err != nil {
		t.Fatal(err)
	}
	d := idx.Entries[1].Digest
	*suffix = d
	r := ref(t, p.Host+"/library/centos").WithDigest(d)
	if _, err := first.Manifest(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	second := registry.New(registry.WithPlainHTTP(p.Host), registry.WithDiskCache(dir, 1<<20))
	m, err := second.Manifest(context.Background(), r)
	if err != nil || m.Digest != d {
		t.Fatal(err)
	}
	if n.Load() != 1 {
		t.Errorf("second run fetched again: %d requests", n.Load())
	}
}

func TestCatalogPages(t *testing.T) {
	srv := startDemo(t)
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	p1, err := c.Repositories(context.Background(), srv.Host, "", 4)
	if err != nil || len(p1.Items) != 4 || p1.Next != p1.Items[3] {
		t.Fatalf("page 1: %+v %v", p1, err)
	}
	all, err := c.AllRepositories(context.Background(), srv.Host)
	if err != nil || len(all) != 9 || all[0] != "artiomchi/helloworld" {
		t.Fatalf("all: %v %v", all, err)
	}
	tags, err := c.AllTags(context.Background(), ref(t, srv.Host+"/platypus/many-tags"))
	if err != nil || len(tags) != 3000 {
		t.Fatalf("3000 tags over pages: %d %v", len(tags), err)
	}
}
