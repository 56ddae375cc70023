package ui

import (
	"context"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/themes"
)

// testFleet is a fleet as a --targets file names one: a Graviton node
// group judged by containerd's rules, a Windows Server 2019 host and a
// PC.
func testFleet(t testing.TB) model.Fleet {
	t.Helper()
	mk := func(name, plat string, store model.FleetStore) model.FleetTarget {
		p, err := model.ParsePlatformLine(plat)
		if err != nil {
			t.Fatal(err)
		}
		return model.FleetTarget{Name: name, Target: model.FlagTarget(p, model.SourceTargets), Store: store}
	}
	return model.Fleet{
		mk("graviton", "linux/arm64/v8", model.FleetContainerd),
		mk("win2019", "windows/amd64 10.0.17763", model.FleetDocker),
		mk("pc", "linux/amd64", model.FleetDocker),
	}
}

// newFleetHarness opens the explorer on loc judging for fleet.
func newFleetHarness(t testing.TB, loc *model.Location, fleet model.Fleet, width, height int) *harness {
	t.Helper()
	th, err := themes.Load("mono")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	srv := demoServer(t)
	o := Options{Client: registry.New(registry.WithPlainHTTP(srv.Host)), Demo: srv.Host, Location: loc, Fleet: fleet,
		Fleets: []SavedFleet{{Name: "--targets fleet.yaml", Fleet: fleet}}}
	if len(fleet) > 0 {
		o.Target = fleet[0].Target
	}
	d, err := NewDriver(ctx, o, th, width, height)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, d: d, app: d.app, c: d.common, copied: &d.Copied}
}

func TestFleetPeek(t *testing.T) {
	for _, w := range []int{140, 80, 60} {
		h := newFleetHarness(t, demoLoc(t, "library/hello-world:latest"), testFleet(t), w, 30)
		t.Log("\n" + h.view())
		h.keys("d")
		t.Log("\n" + h.view())
	}
	h := newFleetHarness(t, demoLoc(t, "library/mysql"), testFleet(t), 100, 20)
	t.Log("\n" + h.view())
	h.keys("p")
	t.Log("\n" + h.view())
}
