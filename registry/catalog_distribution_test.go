package registry_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// addRepositories makes n repositories appear in d's catalog. distribution
// lists as a repository every directory of its storage that holds
// _layers (registry/storage/catalog.go, 2.8), so the directories are made
// directly: pushing 1,505 images would take the test a minute.
func addRepositories(t *testing.T, d *regtest.Distribution, n int) []string {
	t.Helper()
	var names []string
	for i := range n {
		name := fmt.Sprintf("team%02d/app%04d", i%7, i)
		dir := filepath.Join(d.Root, "docker", "registry", "v2", "repositories", filepath.FromSlash(name), "_layers")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	return names
}

// A 1,505-repository catalog of distribution is two requests: pages of
// 1,000, the most it serves (asked without n it pages by 100: 16).
func TestDistributionCatalogOfPages1000(t *testing.T) {
	d := regtest.StartDistribution(t, regtest.DistributionOptions{})
	want := addRepositories(t, d, 1505)
	p := regtest.NewFaultProxy(t, d.Host)
	var pages []string
	p.OnRequest = func(r *http.Request) {
		if r.URL.Path == "/v2/_catalog" {
			pages = append(pages, r.URL.RawQuery)
		}
	}
	repos, err := registry.New().AllRepositories(context.Background(), p.Host)
	if err != nil || len(repos) != len(want) {
		t.Fatalf("%d repositories, err %v", len(repos), err)
	}
	if len(pages) != 2 || !strings.Contains(pages[0], "n=1000") {
		t.Errorf("catalog requests %q, want 2 pages of n=1000", pages)
	}
}

// A registry that refuses n=1000 (distribution with catalog.maxentries
// below it answers 400) is asked again without n, and paged by its Link.
func TestCatalogRefusingThePageSizeIsAskedWithout(t *testing.T) {
	d := regtest.StartDistribution(t, regtest.DistributionOptions{CatalogMax: 500})
	want := addRepositories(t, d, 250)
	p := regtest.NewFaultProxy(t, d.Host)
	var pages []string
	p.OnRequest = func(r *http.Request) {
		if r.URL.Path == "/v2/_catalog" {
			pages = append(pages, r.URL.RawQuery)
		}
	}
	repos, err := registry.New().AllRepositories(context.Background(), p.Host)
	if err != nil || len(repos) != len(want) {
		t.Fatalf("%d repositories, err %v", len(repos), err)
	}
	// n=1000 refused, then pages of distribution's default 100: 3 of them.
	if len(pages) != 4 || pages[0] != "n=1000" || strings.Contains(pages[1], "n=") {
		t.Errorf("catalog requests %q", pages)
	}
}

// BenchmarkCatalogDistribution1505 lists distribution's 1,505-repository
// catalog, directly and 40 ms away, and reports its requests.
func BenchmarkCatalogDistribution1505(b *testing.B) {
	d := regtest.StartDistribution(b, regtest.DistributionOptions{})
	for i := range 1505 {
		dir := filepath.Join(d.Root, "docker", "registry", "v2", "repositories", fmt.Sprintf("team%02d", i%7), fmt.Sprintf("app%04d", i), "_layers")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
	}
	for _, delay := range []time.Duration{0, 40 * time.Millisecond} {
		b.Run(fmt.Sprintf("latency=%dms", delay.Milliseconds()), func(b *testing.B) {
			p := regtest.NewFaultProxy(b, regtest.NewLatencyProxy(b, d.Host, delay).Host)
			for b.Loop() {
				repos, err := registry.New().AllRepositories(context.Background(), p.Host)
				if err != nil || len(repos) != 1505 {
					b.Fatal(len(repos), err)
				}
			}
			b.ReportMetric(float64(p.Total.Load())/float64(b.N), "requests/op")
		})
	}
}
