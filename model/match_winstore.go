package model

import (
	"fmt"
	"sort"
	"strings"
)

// selectWindows follows Docker Engine on Windows with its default
// (graphdriver) store, moby daemon/internal/distribution/pull_v2_windows.go:
//
//   - filterManifests: the architecture must equal the daemon's exactly (no
//     aliases, variant ignored) and the os must be the requested one;
//   - checkImageCompatibility: only builds newer than the host's are
//     refused, older ones are kept (they run under Hyper-V isolation only);
//   - manifestsByVersion: entries whose os.version starts with the host's
//     "major.minor.build." move to the front, otherwise list order.
//
// This differs from containerd's platforms.Only, which Docker's containerd
// store uses on Windows too: there, below build 20348 only the same build
// matches. Analyze reports both when they disagree.
func selectWindows(m *Manifest, target Platform) *Selection {
	s := &Selection{Store: StoreWindows, Target: target, Selected: -1}
	hostBuild, haveBuild := windowsBuild(target.OSVersion)
	prefix := windowsPrefix(target.OSVersion)
	var kept []int
	for i, e := range m.Entries {
		em := EntryMatch{Digest: e.Digest, Position: i, Verdict: Incompatible}
		p := Platform{}
		if e.Platform != nil {
			p = *e.Platform
		}
		// Like containerd, moby's filterManifests looks at the platform
		// alone: the kind explains a skip, or warns about a keep.
		before := len(kept)
		switch {
		case e.Platform == nil:
			em.Reasons = []string{"declares no platform: Docker on Windows skips it"}
		case p.Architecture != target.Architecture:
			em.Reasons = []string{fmt.Sprintf("architecture is %q; Docker on Windows needs exactly %q (no aliases)", p.Architecture, target.Architecture)}
		case p.OS != "windows":
			em.Reasons = []string{fmt.Sprintf("OS is %s; Windows containers need windows", p.OS)}
		default:
			if b, ok := windowsBuild(p.OSVersion); ok && haveBuild && b > hostBuild {
				em.Reasons = []string{fmt.Sprintf("Windows build %s is newer than the host's %s: it cannot run there at all", WindowsRelease(p.OSVersion), WindowsRelease(target.OSVersion))}
				break
			}
			kept = append(kept, i)
			em.Reasons = []string{windowsIsolationNote(p.OSVersion, target.OSVersion)}
			if r := keptAnyway(e); r != "" {
				em.Reasons = append(em.Reasons, r)
			}
		}
		if len(kept) == before && !e.Kind.Runnable() {
			em.Reasons = []string{kindReason(e.Kind, e.ArtifactType, e.Subject)}
		}
		s.Entries = append(s.Entries, em)
	}
	sort.SliceStable(kept, func(a, b int) bool {
		return versionMatch(m.Entries[kept[a]].Platform.OSVersion, prefix) && !versionMatch(m.Entries[kept[b]].Platform.OSVersion, prefix)
	})
	for rank, i := range kept {
		s.Entries[i].Verdict, s.Entries[i].Rank = Compatible, rank+1
	}
	if len(kept) == 0 {
		s.DockerError = "no matching manifest for " + currentWindowsFormat(target) + " in the manifest list entries"
		s.Legacy = "no matching manifest for " + legacyFormat(Platform{OS: "windows", Architecture: target.Architecture, OSVersion: prefix}) + " in the manifest list entries"
		return s
	}
	s.Selected = kept[0]
	s.Entries[kept[0]].Verdict = Selected
	if m.Entries[kept[0]].Kind != KindIndex {
		s.Image = m.Entries[kept[0]].Digest
	}
	return s
}

func windowsIsolationNote(entry, host string) string {
	eb, okE := windowsBuild(entry)
	hb, okH := windowsBuild(host)
	switch {
	case !okE || !okH:
		return "Windows image; its build is not compared"
	case eb == hb:
		return "same Windows build as the host: runs with process isolation"
	}
	return fmt.Sprintf("older build %s: runs only with Hyper-V isolation (--isolation=hyperv); process isolation, the default on Windows Server, needs %s", WindowsRelease(entry), WindowsRelease(host))
}

// windowsPrefix is the host's "major.minor.build" that moby compares.
func windowsPrefix(v string) string {
	parts := strings.Split(v, ".")
	if len(parts) > 3 {
		parts = parts[:3]
	}
	return strings.Join(parts, ".")
}

func versionMatch(actual, expected string) bool {
	return expected != "" && strings.HasPrefix(actual, expected+".")
}

func currentWindowsFormat(t Platform) string {
	prefix := windowsPrefix(t.OSVersion)
	if prefix == "" {
		// Docker on Windows always knows its build; without one there are
		// no parentheses to print (platforms.FormatAll leaves them out).
		return "windows/" + t.Architecture
	}
	return "windows(" + prefix + ")/" + t.Architecture
}
