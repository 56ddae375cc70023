package check

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/containerd/platforms"
	specs "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/platypus-tui/platypus/model"
)

// containerd/platforms is the oracle of duplicate-platform and
// unreachable-entry on Linux (where Docker's selection is its Only): an
// entry is unreachable when no target's matcher accepts it, and a
// duplicate when some target accepts it but none ever selects it (sorted
// by the matcher's Less, first in the list on a tie). The oracle tries
// every target of a pool holding each entry's own platform and the common
// ones; platypus reasons from the entry's own platform alone.
func TestDuplicateAndUnreachableOracle(t *testing.T) {
	archs := map[string][]string{
		"amd64": {"", "v1", "v2", "v3"}, "x86_64": {""}, "386": {""}, "i386": {""},
		"arm64": {"", "v8", "v8.0", "v8.2", "v9", "v7", "v10"}, "aarch64": {""},
		"arm": {"", "v5", "v6", "v7", "v8"}, "armhf": {""}, "armel": {""},
		"ppc64le": {""}, "s390x": {""}, "riscv64": {""},
	}
	var names []string
	for a := range archs {
		names = append(names, a)
	}
	sort.Strings(names)
	pool := []specs.Platform{}
	for _, a := range names {
		for _, v := range archs[a] {
			if sp, err := platforms.Parse("linux/" + a + "/" + v); err == nil && v != "" {
				pool = append(pool, sp)
			} else if sp, err := platforms.Parse("linux/" + a); err == nil && v == "" {
				pool = append(pool, sp)
			}
		}
	}
	rng := rand.New(rand.NewPCG(23, 2026))
	for iter := range 3000 {
		f := newFixture(model.MediaOCIIndex)
		var entries []specs.Platform
		for range 2 + rng.IntN(5) {
			a := names[rng.IntN(len(names))]
			v := archs[a][rng.IntN(len(archs[a]))]
			p := model.Platform{OS: "linux", Architecture: a, Variant: v}
			f.image(&p, p)
			entries = append(entries, specs.Platform{OS: "linux", Architecture: a, Variant: v})
		}
		targets := slices.Clone(pool)
		for _, e := range entries {
			if sp, err := platforms.Parse(platforms.Format(e)); err == nil {
				targets = append(targets, sp)
			}
		}
		reachable := make([]bool, len(entries))
		selected := make([]bool, len(entries))
		for _, tg := range targets {
			only := platforms.Only(tg)
			var kept []int
			for i, e := range entries {
				if only.Match(e) {
					reachable[i] = true
					kept = append(kept, i)
				}
			}
			sort.SliceStable(kept, func(a, b int) bool { return only.Less(entries[kept[a]], entries[kept[b]]) })
			if len(kept) > 0 {
				selected[kept[0]] = true
			}
		}
		got := map[string]map[int]bool{RuleDuplicatePlatform: {}, RuleUnreachableEntry: {}}
		for _, fd := range f.run(nil) {
			i := slices.IndexFunc(f.t.Root.Entries, func(e model.Entry) bool { return e.Digest == fd.Entry })
			if got[fd.Rule] != nil {
				got[fd.Rule][i] = true
			}
		}
		for i, e := range entries {
			wantUnreachable := !reachable[i]
			wantDup := reachable[i] && !selected[i]
			if got[RuleUnreachableEntry][i] != wantUnreachable || got[RuleDuplicatePlatform][i] != wantDup {
				t.Fatalf("iteration %d, index %v: entry %d (%s): unreachable %v duplicate %v; containerd says %v %v",
					iter, entries, i, platforms.Format(e), got[RuleUnreachableEntry][i], got[RuleDuplicatePlatform][i], wantUnreachable, wantDup)
			}
		}
	}
}
