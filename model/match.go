package model

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/containerd/platforms"
	specs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Verdict is what `docker pull` makes of one index entry for a target.
type Verdict string

// Verdicts, as `inspect -o json` spells them in "match".
const (
	Selected     Verdict = "selected"
	Compatible   Verdict = "compatible"
	Incompatible Verdict = "incompatible"
)

// Store names the code path in Docker Engine that selects an entry.
type Store string

// Docker's two selection algorithms (see ../shared/platform-rules.md).
const (
	// StoreContainerd is containerd's platforms.Only, used by Docker's
	// containerd image store everywhere and by the classic store on Linux.
	StoreContainerd Store = "containerd"
	// StoreWindows is moby's pull_v2_windows.go, the default on Windows.
	StoreWindows Store = "windows"
)

// EntryMatch is the verdict on one entry, with every reason in plain words.
type EntryMatch struct {
	Digest   string
	Position int
	Verdict  Verdict
	Rank     int // 1 for the selected entry, 2… for the other compatible ones, 0 otherwise
	Reasons  []string
}

// Selection is one store's answer for one index.
type Selection struct {
	Store   Store
	Target  Platform
	Entries []EntryMatch // in index order
	// Selected is the position of the chosen entry, -1 when none.
	Selected int
	// Image is the digest of the image Docker ends up pulling (nested
	// indexes followed), "" when none or when a nested index was not loaded.
	Image string
	// Nested holds the selection made inside a chosen nested index.
	Nested *Selection
	// DockerError is the line Docker prints when nothing matches; Legacy is
	// the form older Docker versions printed.
	DockerError, Legacy string
}

// Found tells whether Docker would pull something.
func (s *Selection) Found() bool { return s != nil && s.Image != "" }

// Analysis is the verdict for a target: the selection of Docker's default
// store for that OS and, for Windows targets, the other store's when it
// disagrees.
type Analysis struct {
	Target  Target
	Primary *Selection
	Other   *Selection
	// Single is set for a single-image manifest: no index to choose from,
	// judged by SingleStore's rules (Windows targets: Docker on Windows's
	// default store). SingleOther is the other store's verdict, set when
	// it differs.
	Single      *EntryMatch
	SingleStore Store
	SingleOther *EntryMatch
}

// Analyze computes what `docker pull` selects from m for target. children
// holds loaded manifests by digest, for nested indexes; it may be nil.
func Analyze(m *Manifest, target Target, children map[string]*Manifest, configs map[string]*Config) Analysis {
	a := Analysis{Target: target}
	if m == nil {
		return a
	}
	if !m.IsIndex() {
		a.Single, a.SingleStore = single(m, target, configs[m.Digest]), StoreContainerd
		if target.Platform.OS == "windows" && m.Kind == KindImage && configs[m.Digest] != nil {
			// The same image inside an index is judged by the Windows store
			// first; alone it must be too, or a tag and its index disagree.
			ws := singleWindows(m, target.Platform, configs[m.Digest].Platform)
			if ws.Verdict != a.Single.Verdict {
				a.SingleOther = a.Single
			}
			a.Single, a.SingleStore = ws, StoreWindows
		}
		return a
	}
	if target.Platform.OS == "windows" {
		a.Primary = selectWindows(m, target.Platform)
		cs := selectContainerd(m, target.Platform, children, 0)
		if cs.Image != a.Primary.Image || cs.Selected != a.Primary.Selected {
			a.Other = cs
		}
		return a
	}
	a.Primary = selectContainerd(m, target.Platform, children, 0)
	if target.Source == SourceHost {
		hostErrorLine(a.Primary, target.Platform)
	}
	return a
}

// hostErrorLine writes the error line the way Docker does without
// --platform: it matches with the CPU's amd64 level, but names
// platforms.DefaultString(), which has no amd64 variant (moby
// daemon/containerd/image_pull.go; formatPlatform on the graphdriver path).
func hostErrorLine(s *Selection, p Platform) {
	if s == nil || s.DockerError == "" || p.Architecture != "amd64" || p.Variant == "" {
		return
	}
	plain := p
	plain.Variant = ""
	s.DockerError = strings.Replace(s.DockerError, platforms.FormatAll(toSpec(p)), platforms.FormatAll(toSpec(plain)), 1)
	s.Legacy = strings.Replace(s.Legacy, legacyFormat(p), legacyFormat(plain), 1)
}

// single judges a single-image manifest from its config's platform.
func single(m *Manifest, target Target, cfg *Config) *EntryMatch {
	return singleWith(m, target, cfg, platforms.Only(toSpec(target.Platform)))
}

// singleWith judges a single image with matcher only.
func singleWith(m *Manifest, target Target, cfg *Config, only platforms.Matcher) *EntryMatch {
	em := &EntryMatch{Digest: m.Digest, Position: 0}
	switch {
	case m.Kind != KindImage:
		em.Verdict = Incompatible
		em.Reasons = []string{kindReason(m.Kind, m.ArtifactType, "")}
	case cfg == nil:
		em.Verdict, em.Rank = Selected, 1
		em.Reasons = []string{"single-platform image: Docker pulls it whatever its platform (config not loaded to check)"}
	default:
		p := cfg.Platform
		if only.Match(toSpec(fillOS(p, target.Platform))) {
			em.Verdict, em.Rank = Selected, 1
			em.Reasons = []string{"single-platform image for " + configPlatform(p) + ", which the target runs"}
		} else {
			em.Verdict = Incompatible
			em.Reasons = append([]string{"single-platform image for " + configPlatform(p) + ": `docker pull` fetches it with a platform warning, but it cannot run natively"},
				mismatchReasons(p, target.Platform)...)
		}
	}
	return em
}

// configPlatform names a config's platform, which may be empty.
func configPlatform(p Platform) string {
	if p.OS == "" && p.Architecture == "" {
		return "no platform (its config names no os or architecture)"
	}
	return p.Display()
}

// singleWindows judges a single image by Docker on Windows's default
// store: the rules of selectWindows for an index of that one image.
func singleWindows(m *Manifest, target, p Platform) *EntryMatch {
	one := &Manifest{Kind: KindIndex, Entries: []Entry{{Descriptor: Descriptor{Digest: m.Digest, Platform: &p}, Kind: KindImage}}}
	em := selectWindows(one, target).Entries[0]
	if em.Verdict == Compatible {
		em.Verdict = Selected
	}
	em.Reasons = append([]string{"single-platform image for " + configPlatform(p) + ", judged by Docker on Windows's rules"}, em.Reasons...)
	return &em
}

// daemonOS is what an entry without an OS is taken for: containerd fills
// an empty os with the daemon's own.
func daemonOS(target Platform) string {
	if target.OS == "windows" {
		return "windows"
	}
	return "linux"
}

func fillOS(p Platform, target Platform) Platform {
	if p.OS == "" {
		p.OS = daemonOS(target)
	}
	return p
}

// selectContainerd follows containerd's FilterPlatforms + LimitManifests(1):
// entries whose platform matches platforms.Only(target), plus entries with
// no platform at all, sorted stably by the matcher's preference (entries
// without a platform last); the first wins and a chosen index is descended.
func selectContainerd(m *Manifest, target Platform, children map[string]*Manifest, depth int) *Selection {
	return selectWith(m, target, children, depth, dockerContainerd(target))
}

// selectWith is containerd's walk with the matcher and wording of rules.
func selectWith(m *Manifest, target Platform, children map[string]*Manifest, depth int, rules containerdRules) *Selection {
	s := &Selection{Store: StoreContainerd, Target: target, Selected: -1}
	only := rules.matcher
	var kept []int
	for i, e := range m.Entries {
		em := EntryMatch{Digest: e.Digest, Position: i, Verdict: Incompatible}
		switch {
		case e.Platform == nil:
			kept = append(kept, i)
			if e.Kind == KindIndex {
				em.Reasons = []string{"nested index without a platform: Docker looks inside it only if no entry with a platform matches"}
			} else {
				em.Reasons = []string{"declares no platform: Docker keeps it as a last resort and the image config decides"}
			}
		case e.Platform.IsZero():
			em.Reasons = []string{`empty platform object ("platform": {}): never matches`}
		case only.Match(toSpec(fillOS(*e.Platform, target))):
			kept = append(kept, i)
		default:
			em.Reasons = rules.incompatible(e, target)
		}
		s.Entries = append(s.Entries, em)
	}
	sort.SliceStable(kept, func(a, b int) bool {
		pa, pb := m.Entries[kept[a]].Platform, m.Entries[kept[b]].Platform
		if pa == nil {
			return false
		}
		if pb == nil {
			return true
		}
		return only.Less(toSpec(fillOS(*pa, target)), toSpec(fillOS(*pb, target)))
	})
	for rank, i := range kept {
		em := &s.Entries[i]
		em.Rank = rank + 1
		em.Verdict = Compatible
		if p := m.Entries[i].Platform; p != nil {
			em.Reasons = append(em.Reasons, rules.compatible(*p, target, rank))
		}
		if r := keptAnyway(m.Entries[i]); r != "" {
			em.Reasons = append(em.Reasons, r)
		}
	}
	if len(kept) == 0 {
		s.DockerError, s.Legacy = rules.noMatch(target)
		return s
	}
	s.Selected = kept[0]
	s.Entries[kept[0]].Verdict = Selected
	chosen := m.Entries[kept[0]]
	switch chosen.Kind {
	case KindIndex:
		child := children[chosen.Digest]
		if child == nil || !child.IsIndex() || depth >= MaxDepth {
			s.Entries[kept[0]].Reasons = append(s.Entries[kept[0]].Reasons, "nested index not loaded: its own entries decide")
			return s
		}
		s.Nested = selectWith(child, target, children, depth+1, rules)
		s.Image = s.Nested.Image
		if !s.Nested.Found() {
			s.DockerError, s.Legacy = s.Nested.DockerError, s.Nested.Legacy
		}
	default:
		s.Image = chosen.Digest
	}
	return s
}

func compatibleReason(p Platform, target Platform, rank int) string {
	n := Normalize(p)
	t := Normalize(target)
	if n.Architecture == t.Architecture && n.Variant == t.Variant && n.OS == t.OS {
		if rank == 0 {
			return "matches " + target.Display()
		}
		return "matches too, but an entry listed earlier wins (first match wins on a tie)"
	}
	if n.Architecture == t.Architecture {
		return fmt.Sprintf("a %s target also runs %s (an older variant)", target.String(), n.String())
	}
	return fmt.Sprintf("runs as a fallback: a %s target also accepts %s", target.String(), n.String())
}

// Normalize returns the platform as containerd compares it.
func Normalize(p Platform) Platform {
	if p.OS == "" {
		return fromSpec(platforms.Normalize(toSpec(Platform{OS: "linux", Architecture: p.Architecture, Variant: p.Variant, OSVersion: p.OSVersion, OSFeatures: p.OSFeatures})))
	}
	return fromSpec(platforms.Normalize(toSpec(p)))
}

func legacyFormat(p Platform) string {
	s := platforms.Format(toSpec(p))
	if p.OSVersion != "" {
		s += " " + p.OSVersion
	}
	return s
}

func kindReason(k Kind, artifactType, subject string) string {
	switch k {
	case KindAttestation:
		s := "attestation manifest (provenance/SBOM)"
		if subject != "" {
			s += " for " + ShortDigest(subject)
		}
		return s + ": not runnable, never selected"
	case KindArtifact:
		if artifactType != "" {
			return "artifact (" + artifactType + "): not a runnable image"
		}
		return "artifact: not a runnable image"
	default: // runnable: judged by platform
	}
	return ""
}

// keptAnyway warns about an entry that is not a runnable image but is
// chosen by its platform all the same: neither containerd nor Docker looks
// at the kind when selecting, so they pull it and cannot run it.
func keptAnyway(e Entry) string {
	if e.Kind == KindImage || e.Kind == KindIndex {
		return ""
	}
	what := "an artifact"
	switch {
	case e.Kind == KindAttestation:
		what = "an attestation manifest"
	case e.ArtifactType != "":
		what += " (" + e.ArtifactType + ")"
	}
	return "but it is " + what + ", not a runnable image: Docker selects by platform alone, pulls it and cannot run it"
}

func incompatibleReasons(e Entry, target Platform) []string {
	if e.Kind == KindAttestation || e.Kind == KindArtifact {
		return []string{kindReason(e.Kind, e.ArtifactType, e.Subject)}
	}
	return mismatchReasons(fillOS(*e.Platform, target), target)
}

// accepted lists the architecture/variant forms a target runs, best first.
func accepted(target Platform) []Platform {
	var out []Platform
	for _, sp := range platformVectorOf(target) {
		p := fromSpec(platforms.Normalize(sp))
		p.OSVersion, p.OSFeatures = "", nil
		if !slices.ContainsFunc(out, func(q Platform) bool { return q.Equal(p) }) {
			out = append(out, p)
		}
	}
	return out
}

// platformVectorOf reproduces which forms platforms.Only accepts by probing
// it, so the explanation can never drift from the matcher itself.
func platformVectorOf(target Platform) []specs.Platform {
	only := platforms.Only(toSpec(target))
	var out []specs.Platform
	for _, arch := range []string{"amd64", "386", "arm64", "arm", "ppc64le", "s390x", "riscv64", "mips64le", "loong64"} {
		for _, v := range variantsOf(arch) {
			cand := specs.Platform{OS: target.OS, Architecture: arch, Variant: v}
			if only.Match(cand) {
				out = append(out, cand)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return only.Less(out[i], out[j]) })
	return out
}

func variantsOf(arch string) []string {
	switch arch {
	case "amd64":
		return []string{"v4", "v3", "v2", ""}
	case "arm64":
		return []string{"v9.5", "v9.4", "v9.3", "v9.2", "v9.1", "v9", "v8.9", "v8.8", "v8.7", "v8.6", "v8.5", "v8.4", "v8.3", "v8.2", "v8.1", ""}
	case "arm":
		return []string{"v8", "v7", "v6", "v5"}
	}
	return []string{""}
}

func formsString(ps []Platform) string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += ", "
		}
		s += p.Architecture
		if p.Variant != "" {
			s += "/" + p.Variant
		}
	}
	return s
}
