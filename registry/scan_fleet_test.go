package registry_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
)

// scanFleetUnderTest is five targets of every kind: Docker's rules on
// Linux and Windows, containerd's on nodes of both.
func scanFleetUnderTest() model.Fleet {
	flag := func(os, arch, variant, osv string) model.Target {
		return model.FlagTarget(model.Platform{OS: os, Architecture: arch, Variant: variant, OSVersion: osv}, model.SourceFlag)
	}
	node := func(os, arch, variant, osv string) model.Target {
		return model.Target{Platform: model.Platform{OS: os, Architecture: arch, Variant: variant, OSVersion: osv}, Source: model.SourceNodes}
	}
	return model.Fleet{
		{Name: "laptop", Target: flag("linux", "arm64", "v8", ""), Store: model.FleetDocker},
		{Name: "ci", Target: flag("linux", "amd64", "", ""), Store: model.FleetDocker},
		{Name: "win2019", Target: flag("windows", "amd64", "", "10.0.17763.5122"), Store: model.FleetDocker},
		{Name: "graviton", Target: node("linux", "arm64", "v8", ""), Store: model.FleetContainerd},
		{Name: "win2022", Target: node("windows", "amd64", "", "10.0.20348"), Store: model.FleetContainerd},
	}
}

// countingDemo is the demo registry counting every request it answers.
func countingDemo(t *testing.T) (*demo.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv, err := demo.Start(demo.Options{Extra: demo.SeedManyTags(300), Wrap: func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			h.ServeHTTP(w, r)
		})
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv, &n
}

// scanAll scans the 300 tags of bench/many and every tag of the demo
// repositories (but many-tags, 3,000 tags of the same few images) with a
// new client, and returns the answers by "repo:tag" and the requests they
// took.
func scanAll(t *testing.T, srv *demo.Server, n *atomic.Int64, fleet model.Fleet, manyTags bool) (map[string]registry.ScanResult, int64) {
	t.Helper()
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	out := map[string]registry.ScanResult{}
	var requests int64
	repos := slices.DeleteFunc(slices.Clone(demo.Repositories), func(r string) bool { return strings.HasSuffix(r, "many-tags") })
	if manyTags {
		repos = append(repos, demo.ManyTagsRepository)
	}
	for _, name := range repos {
		repo := ref(t, srv.Host+"/"+name)
		tags, err := c.AllTags(context.Background(), repo)
		if err != nil {
			t.Fatal(err)
		}
		var keep []string
		for _, tag := range tags {
			if !strings.HasPrefix(tag, "sha256-") {
				keep = append(keep, tag)
			}
		}
		before := n.Load()
		c.ScanFleet(context.Background(), repo, keep, fleet, func(r registry.ScanResult) {
			if r.Err != nil {
				t.Errorf("%s:%s: %v", name, r.Tag, r.Err)
			}
			out[name+":"+r.Tag] = r
		})
		requests += n.Load() - before
	}
	return out, requests
}

// A scan for five targets costs no request more than a scan for one
// (counted at the registry, over 300 tags of one image and every other
// demo tag: single images whose config decides, indexes, a nested index,
// Windows images), and each target's answers are its answers alone.
func TestScanFleetCostsWhatOneTargetCosts(t *testing.T) {
	srv, n := countingDemo(t)
	fleet := scanFleetUnderTest()
	all, cost := scanAll(t, srv, n, fleet, true)
	if len(all) < 320 {
		t.Fatalf("%d tags scanned", len(all))
	}
	for i, ft := range fleet {
		// The first target alone scans the same tags (the cost compared);
		// the others skip bench/many, one image 300 times.
		alone, costAlone := scanAll(t, srv, n, model.Fleet{ft}, i == 0)
		if i == 0 && cost > costAlone {
			t.Errorf("%d requests for %d targets, %d for %s alone", cost, len(fleet), costAlone, ft.Name)
		}
		for key, r := range alone {
			got := all[key]
			if got.Targets[i] != r.Targets[0] || got.Digest != r.Digest {
				t.Errorf("%s for %s: %+v in the fleet, %+v alone", key, ft.Name, got.Targets[i], r.Targets[0])
			}
		}
		t.Logf("%s alone: %d requests", ft.Name, costAlone)
	}
	t.Logf("%d targets: %d requests for %d tags", len(fleet), cost, len(all))
	fits := 0
	for _, r := range all {
		want := true
		for _, tr := range r.Targets {
			want = want && tr.Supported
		}
		if r.FitsAll != want {
			t.Errorf("%s: fitsAll %v, targets %+v", r.Tag, r.FitsAll, r.Targets)
		}
		if r.FitsAll {
			fits++
		}
	}
	if fits == 0 {
		t.Error("no tag fits every target: the fleet does not tell tags apart")
	}
}
