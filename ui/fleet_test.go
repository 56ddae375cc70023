package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/themes"
)

// fleetOf builds a fleet as a --targets file names one.
func fleetOf(t testing.TB, specs ...string) model.Fleet {
	t.Helper()
	var f model.Fleet
	for _, s := range specs {
		name, rest, _ := strings.Cut(s, "=")
		plat, store, _ := strings.Cut(rest, "@")
		p, err := model.ParsePlatformLine(plat)
		if err != nil {
			t.Fatal(err)
		}
		st, err := model.ParseFleetStore(store)
		if err != nil {
			t.Fatal(err)
		}
		f = append(f, model.FleetTarget{Name: name, Target: model.FlagTarget(p, model.SourceTargets), Store: st})
	}
	if err := f.Check(); err != nil {
		t.Fatal(err)
	}
	return f
}

// testFleet is a Graviton node group judged by containerd's rules, a
// Windows Server 2019 host and a PC.
func testFleet(t testing.TB) model.Fleet {
	return fleetOf(t, "graviton=linux/arm64/v8@containerd", "win2019=windows/amd64 10.0.17763", "pc=linux/amd64")
}

// newFleetHarness opens the explorer on loc judging for fleet, at
// width×height, on the demo registry.
func newFleetHarness(t testing.TB, loc *model.Location, fleet model.Fleet, width, height int) *harness {
	t.Helper()
	return newFleetHarnessOn(t, demoServer(t).Host, loc, fleet, width, height)
}

func newFleetHarnessOn(t testing.TB, host string, loc *model.Location, fleet model.Fleet, width, height int) *harness {
	t.Helper()
	th, err := themes.Load("mono")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	o := Options{Client: registry.New(registry.WithPlainHTTP(host)), Demo: host, Location: loc, Fleet: fleet,
		Fleets: []SavedFleet{{Name: "--targets fleet.yaml", Fleet: fleet}},
		Target: model.FlagTarget(model.Platform{OS: "linux", Architecture: "amd64"}, model.SourceFlag)}
	if len(fleet) > 0 {
		o.Target = fleet[0].Target
	}
	d, err := NewDriver(ctx, o, th, width, height)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, d: d, app: d.app, c: d.common, copied: &d.Copied}
}

// wantGlyph is inspect's matrix cell for a verdict, restated.
func wantGlyph(em model.EntryMatch, broken bool) string {
	switch em.Verdict {
	case model.Selected:
		if broken {
			return "!"
		}
		return "✓"
	case model.Compatible:
		return "~" + itoa(em.Rank)
	default:
		return "✗"
	}
}

// The index screen's column of each target holds, on every demo index,
// the verdict model.JudgeFleet gives that target (each exactly its
// single-target verdict), from a tree loaded apart from the screen's; the
// glyphs of a narrow terminal are the same verdicts, rank left out.
func TestFleetColumnsAreJudgeFleets(t *testing.T) {
	fleet := fleetOf(t, "pc=linux/amd64", "graviton=linux/arm64/v8@containerd", "pi=linux/arm/v7", "i386=linux/386",
		"win2016=windows/amd64 10.0.14393", "win2019=windows/amd64 10.0.17763.5122@containerd", "win2022=windows/amd64 10.0.20348")
	srv := demoServer(t)
	ctx := context.Background()
	client := registry.New(registry.WithPlainHTTP(srv.Host))
	seen := map[string]bool{}
	indexes := 0
	for _, repo := range demo.Repositories {
		r := model.Reference{Registry: srv.Host, Repository: repo}
		tags, err := client.AllTags(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		for _, tag := range tags {
			tree, err := client.Expand(ctx, r.WithTag(tag), registry.ExpandOptions{Children: true})
			if err != nil {
				t.Fatal(err)
			}
			if !tree.Root.IsIndex() || seen[tree.Root.Digest] {
				continue
			}
			seen[tree.Root.Digest] = true
			indexes++
			want := model.JudgeFleet(tree.Root, fleet, tree.Children, tree.Configs)
			for _, width := range []int{200, 40} {
				h := newFleetHarness(t, demoLoc(t, repo+"@"+tree.Root.Digest), fleet, width, 40)
				s, ok := h.top().(*indexScreen)
				if !ok {
					t.Fatalf("%s:%s: %T, not the index screen", repo, tag, h.top())
				}
				narrow := indexOfCol(s.cols, colTargets) >= 0
				if narrow != (width < 100) {
					t.Fatalf("%s:%s at %d columns: glyph column %v", repo, tag, width, narrow)
				}
				for row, i := range s.rows {
					e := tree.Root.Entries[i]
					broken := tree.Errors[e.Digest] != nil
					var glyphs strings.Builder
					for ti, v := range want {
						em, _ := v.Analysis.Entry(i)
						g := wantGlyph(em, broken)
						if strings.HasPrefix(g, "~") {
							glyphs.WriteString("~")
						} else {
							glyphs.WriteString(g)
						}
						if narrow {
							continue
						}
						if got, _ := s.cell(row, indexOfCol(s.cols, colTarget+indexCol(ti))); got != g {
							t.Errorf("%s:%s %s, target %s: %q, JudgeFleet says %q", repo, tag, e.PlatformString(), v.Member.Name, got, g)
						}
					}
					if !narrow {
						continue
					}
					if got, _ := s.cell(row, indexOfCol(s.cols, colTargets)); got != glyphs.String() {
						t.Errorf("%s:%s %s: glyphs %q, JudgeFleet says %q", repo, tag, e.PlatformString(), got, glyphs.String())
					}
				}
			}
		}
	}
	if indexes < 8 {
		t.Fatalf("only %d demo indexes judged", indexes)
	}
}

func indexOfCol(cols []indexCol, c indexCol) int {
	for i, x := range cols {
		if x == c {
			return i
		}
	}
	return -1
}
