package ui

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry/regtest"
)

func fleetNamesOf(f model.Fleet) []string {
	out := make([]string, len(f))
	for i, m := range f {
		out[i] = m.Name
	}
	return out
}

// Space selects several platforms in the picker and enter judges them
// together: the index screen gets a column each; unselecting down to one
// is one target again, with Docker's verdict column back.
func TestFleetPickerSelectsSeveral(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/hello-world:latest"), "linux/amd64")
	h.keys("p", "space", "space", "enter")
	if got := fleetNamesOf(h.app.fleet); !slices.Equal(got, []string{"linux/amd64", "linux/arm64/v8"}) {
		t.Fatalf("fleet %q", got)
	}
	s := h.top().(*indexScreen)
	if len(s.fleet) != 2 || indexOfCol(s.cols, colTarget+1) < 0 || indexOfCol(s.cols, colVerdict) >= 0 {
		t.Fatalf("index columns %v for %d targets", s.cols, len(s.fleet))
	}
	if v := h.view(); !strings.Contains(v, "2 targets: linux/amd64, linux/arm64/v8 (picker)") || !strings.Contains(v, "every target pulls an image") {
		t.Fatalf("view:\n%s", v)
	}
	// The picker shows the selection; the cursor is on the first target.
	h.keys("p")
	if v := h.view(); !strings.Contains(v, "[x] Linux amd64") || !strings.Contains(v, "[x] Apple-silicon Mac") {
		t.Fatalf("picker:\n%s", v)
	}
	h.keys("space", "enter")
	if h.app.fleet != nil || h.app.target.Platform.String() != "linux/arm64/v8" {
		t.Fatalf("fleet %q, target %s", fleetNamesOf(h.app.fleet), h.app.target)
	}
	s = h.top().(*indexScreen)
	if indexOfCol(s.cols, colVerdict) < 0 || indexOfCol(s.cols, colTarget) >= 0 || s.verdicts != nil {
		t.Fatalf("one target, columns %v", s.cols)
	}
}

// A platform typed while some are selected joins them.
func TestFleetPickerTypedJoins(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/hello-world:latest"), "linux/amd64")
	h.keys("p", "space", "/")
	h.typeText("windows/amd64 10.0.17763")
	h.keys("enter")
	if got := fleetNamesOf(h.app.fleet); !slices.Equal(got, []string{"linux/amd64", "windows/amd64:10.0.17763"}) {
		t.Fatalf("fleet %q", got)
	}
}

// A saved fleet is applied whole with enter; space does not split it.
func TestFleetPickerSavedFleet(t *testing.T) {
	fleet := testFleet(t)
	h := newFleetHarness(t, demoLoc(t, "library/hello-world:latest"), fleet, 110, 32)
	h.keys("p", "down", "down", "enter") // Linux amd64, alone
	if h.app.fleet != nil || h.app.target.Platform.String() != "linux/amd64" {
		t.Fatalf("fleet %q, target %s", fleetNamesOf(h.app.fleet), h.app.target)
	}
	h.keys("p", "up", "up", "space")
	if !h.app.isErr || !strings.Contains(h.app.status, "saved fleet") {
		t.Fatalf("status %q", h.app.status)
	}
	h.keys("enter")
	if !sameFleet(h.app.fleet, fleet) || !sameFleet(h.top().core().fleet, fleet) {
		t.Fatalf("fleet %q", fleetNamesOf(h.app.fleet))
	}
}

// The tags screen marks each tag with whether every target pulls an
// image from it, as scan's FITS ALL says; one target shows no such column.
func TestFleetTagsFitsAll(t *testing.T) {
	want := map[string]string{"5": "✗ 1/3", "5.7": "✗ 1/3", "8": "✗ 2/3", "latest": "✗ 2/3"}
	h := newFleetHarness(t, demoLoc(t, "library/mysql"), testFleet(t), 110, 32)
	checkFits(t, h, want)
	h.keys("p", "down", "down", "space", "space", "enter") // Linux amd64, Apple silicon
	checkFits(t, h, map[string]string{"5": "✗ 1/2", "8": "✓ all", "8.0.36": "✓ all"})
	if !strings.Contains(h.view(), "FITS ALL") {
		t.Fatalf("no FITS ALL column:\n%s", h.view())
	}
	h.keys("p", "space", "enter") // Apple silicon alone
	if strings.Contains(h.view(), "FITS ALL") {
		t.Fatalf("FITS ALL for one target:\n%s", h.view())
	}
}

func checkFits(t *testing.T, h *harness, want map[string]string) {
	t.Helper()
	s := h.top().(*tagsScreen)
	for tag, w := range want {
		i, ok := s.list.index[tag]
		if !ok || s.rows[i] == nil || !s.rows[i].done {
			t.Fatalf("tag %s not loaded", tag)
		}
		if got, _ := s.fitsCell(*s.rows[i]); got != w {
			t.Errorf("%s: %q, want %q", tag, got, w)
		}
	}
}

// Marking the tags costs no request: the mark is judged from what each
// row loaded for its own cells.
func TestFleetTagsCostNoRequest(t *testing.T) {
	for _, repo := range []string{"library/mysql", "library/hello-world", "artiomchi/helloworld"} {
		count := func(fleet model.Fleet) int {
			p := regtest.NewCountingProxy(t, demoServer(t).Host, false)
			loc, err := model.ParseLocation(p.Host+"/"+repo, "")
			if err != nil {
				t.Fatal(err)
			}
			h := newFleetHarnessOn(t, p.Host, &loc, fleet, 110, 32)
			s := h.top().(*tagsScreen)
			for i, r := range s.rows {
				if r == nil || !r.done || (fleet != nil && !r.fit.known && r.summary.ReferrersOf == "") {
					t.Fatalf("%s: row %s not judged", repo, s.list.names[i])
				}
			}
			return p.Take().Requests
		}
		one, many := count(nil), count(testFleet(t))
		if one != many || one == 0 {
			t.Errorf("%s: %d requests for one target, %d for three", repo, one, many)
		}
	}
}

// The diagnosis of a fleet names every target that pulls nothing, with
// its puller's error and each entry's reason, and lists the other tags
// that fit every target.
func TestFleetDiagnosis(t *testing.T) {
	h := newFleetHarness(t, demoLoc(t, "library/mysql:5.7"), testFleet(t), 140, 60)
	h.keys("d")
	s := h.top().(*diagnosisScreen)
	v := h.view()
	for _, want := range []string{
		"✓ 1 of 3 targets pull an image: pc",
		"✗ graviton (linux/arm64/v8, containerd) pulls nothing",
		`kubelet: failed to pull and unpack image "127.0.0.1:PORT0/library/mysql:5.7": no match for platform in manifest`,
		"✗ win2019 (windows/amd64 10.0.17763, docker) pulls nothing",
		"docker: no matching manifest for windows(10.0.17763)/amd64",
		"that fit all 3 targets",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("no %q in\n%s", want, v)
		}
	}
	if len(s.found) != 0 || !strings.Contains(v, "no other tag fits all 3 targets") {
		t.Errorf("found %v", s.found)
	}
	// Without Windows, the 8 tags fit every target.
	h.keys("p", "down", "down", "space", "space", "enter") // Linux amd64, Apple silicon
	var tags []string
	for _, r := range s.found {
		tags = append(tags, r.Tag)
	}
	if s = h.top().(*diagnosisScreen); len(s.fleet) != 2 {
		t.Fatalf("fleet %v", fleetNamesOf(s.fleet))
	}
	tags = tags[:0]
	for _, r := range s.found {
		tags = append(tags, r.Tag)
	}
	slices.Sort(tags)
	if !slices.Equal(tags, []string{"8", "8.0", "8.0.36", "latest"}) {
		t.Errorf("tags that fit all: %v\n%s", tags, h.view())
	}
}

// Goldens of the fleet's screens at 140, 80 and 60 columns.
func TestGoldenFleet(t *testing.T) {
	many := fleetOf(t, "pc=linux/amd64", "graviton=linux/arm64/v8@containerd", "pi=linux/arm/v7", "i386=linux/386",
		"win2016=windows/amd64 10.0.14393", "win2019=windows/amd64 10.0.17763.5122@containerd", "win2022=windows/amd64 10.0.20348")
	for _, c := range []struct {
		name, loc string
		fleet     model.Fleet
		w, h      int
		keys      []string
	}{
		{name: "Index140", loc: "library/hello-world:latest", fleet: testFleet(t), w: 140, h: 30},
		{name: "Index80", loc: "library/hello-world:latest", fleet: testFleet(t), w: 80, h: 24},
		{name: "IndexNarrow60", loc: "library/hello-world:latest", fleet: many, w: 60, h: 24},
		{name: "Tags80", loc: "library/hello-world", fleet: testFleet(t), w: 80, h: 24},
		{name: "Tags60", loc: "library/mysql", fleet: testFleet(t), w: 60, h: 16},
		{name: "Diagnosis140", loc: "library/mysql:5.7", fleet: testFleet(t), w: 140, h: 40, keys: []string{"d"}},
		{name: "Diagnosis80", loc: "library/mysql:5.7", fleet: testFleet(t), w: 80, h: 24, keys: []string{"d"}},
		{name: "PickerChoosing", loc: "library/mysql:5.7", fleet: testFleet(t), w: 110, h: 32, keys: []string{"p", "down", "down", "space", "space"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newFleetHarness(t, demoLoc(t, c.loc), c.fleet, c.w, c.h)
			h.keys(c.keys...)
			if p, ok := h.app.overlay.(*picker); ok {
				host := model.Target{Platform: model.Platform{OS: "linux", Architecture: "amd64", Variant: "v3"}, Source: model.SourceHost}
				p.items[1] = pickItem{label: "this host" + noteOf(host), target: host}
			}
			requireFits(t, h.app.View().Content, c.w, c.h)
			golden.RequireEqual(t, []byte(h.view()))
			h.send(tea.WindowSizeMsg{Width: 50, Height: 14})
			requireFits(t, h.app.View().Content, 50, 14)
		})
	}
}

// A fleet wider than the terminal still fits it: its glyphs are cut,
// never wrapped.
func TestFleetWiderThanTheTerminal(t *testing.T) {
	var specs []string
	for i := range 40 {
		specs = append(specs, "node-pool-"+itoa(i)+"=linux/amd64")
	}
	h := newFleetHarness(t, demoLoc(t, "library/hello-world:latest"), fleetOf(t, specs...), 60, 20)
	requireFits(t, h.app.View().Content, 60, 20)
	h.keys("d")
	requireFits(t, h.app.View().Content, 60, 20)
	h.keys("esc", "esc")
	requireFits(t, h.app.View().Content, 60, 20)
}

// A Docker target whose other image store would pull something else is
// warned of on the fleet's index screen, as the single target's header
// and inspect's matrix do.
func TestFleetIndexWarnsOfTheOtherStore(t *testing.T) {
	fleet := fleetOf(t, "pc=linux/amd64", "win2019=windows/amd64 10.0.17763", "win2022=windows/amd64 10.0.20348",
		"win2016=windows/amd64 10.0.14393")
	h := newFleetHarness(t, demoLoc(t, "artiomchi/helloworld:latest"), fleet, 120, 30)
	wantIn(t, h.view(), "win2019: Docker's containerd store would pull nothing instead",
		"win2022: Docker's containerd store would pull nothing instead")
	if strings.Contains(h.view(), "pc: Docker's") {
		t.Errorf("a Linux target warned of:\n%s", h.view())
	}
}
