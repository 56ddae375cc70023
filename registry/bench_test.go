package registry_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

var (
	benchOnce sync.Once
	benchSrv  *demo.Server
	benchErr  error
)

// benchHost returns the bench registry, behind latency when delay > 0.
func benchHost(b *testing.B, delay time.Duration) string {
	benchOnce.Do(func() { benchSrv, benchErr = demo.Start(demo.Options{Extra: demo.SeedBench}) })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	if delay == 0 {
		return benchSrv.Host
	}
	return regtest.NewLatencyProxy(b, benchSrv.Host, delay).Host
}

var latencies = []time.Duration{0, 40 * time.Millisecond}

func forLatencies(b *testing.B, f func(b *testing.B, host string)) {
	for _, d := range latencies {
		b.Run(fmt.Sprintf("latency=%dms", d.Milliseconds()), func(b *testing.B) { f(b, benchHost(b, d)) })
	}
}

// fresh is a client with empty caches, as at the start of a run.
func fresh(host string) *registry.Client {
	return registry.New(registry.WithPlainHTTP(host))
}

func BenchmarkListTags5000(b *testing.B) {
	forLatencies(b, func(b *testing.B, host string) {
		r := ref(b, host+"/bench/tags")
		for b.Loop() {
			tags, err := fresh(host).AllTags(context.Background(), r)
			if err != nil || len(tags) != demo.BenchTags {
				b.Fatal(len(tags), err)
			}
		}
	})
}

func BenchmarkCatalog1500(b *testing.B) {
	forLatencies(b, func(b *testing.B, host string) {
		for b.Loop() {
			repos, err := fresh(host).AllRepositories(context.Background(), host)
			if err != nil || len(repos) < demo.BenchRepos {
				b.Fatal(len(repos), err)
			}
		}
	})
}

// BenchmarkExpand48 loads the index, all 48 manifests and all 48 configs.
func BenchmarkExpand48(b *testing.B) {
	forLatencies(b, func(b *testing.B, host string) {
		r := ref(b, host+"/bench/wide:latest")
		for b.Loop() {
			t, err := fresh(host).Expand(context.Background(), r, registry.ExpandOptions{Children: true, Configs: true})
			if err != nil || len(t.Children) != demo.BenchEntries || len(t.Configs) != demo.BenchEntries {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkScan300 judges 300 tags for linux/arm64, from the tag list on.
func BenchmarkScan300(b *testing.B) {
	target := model.FlagTarget(model.Platform{OS: "linux", Architecture: "arm64"}, model.SourceFlag)
	forLatencies(b, func(b *testing.B, host string) {
		r := ref(b, host+"/bench/scan")
		for b.Loop() {
			c := fresh(host)
			tags, err := c.AllTags(context.Background(), r)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			c.Scan(context.Background(), r, tags, target, func(res registry.ScanResult) {
				if res.Err != nil {
					b.Error(res.Err)
				}
				n++
			})
			if n != demo.BenchScanTags {
				b.Fatal(n)
			}
		}
	})
}
