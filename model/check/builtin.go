package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/platypus-tui/platypus/model"
)

// builtIn runs the rules that need no policy.
func (r *run) builtIn() {
	for _, n := range r.nodes {
		r.platformMismatch(n)
		r.unreachable(n)
		r.windowsOSVersion(n)
		r.armVariant(n)
		r.dangling(n)
		r.missing(n)
	}
	r.duplicates()
	r.orphans()
	r.mixedMediaTypes()
}

// platformMismatch: Docker selects by the descriptor and runs what the
// config says; both are compared as Docker normalises them.
func (r *run) platformMismatch(n *node) {
	d := n.declared()
	if n.parent == nil || n.kind() != model.KindImage || d == nil || d.IsZero() || n.config == nil {
		return
	}
	c := n.config.Platform
	nd, nc := model.Normalize(*d), model.Normalize(c)
	// A Windows entry without os.version is windows-os-version's finding.
	osvDiffers := d.OSVersion != "" && d.OSVersion != c.OSVersion
	var why string
	switch {
	case nd.OS != nc.OS || nd.Architecture != nc.Architecture:
		why = fmt.Sprintf("%s hosts pull it and get %s binaries (exec format error unless emulated)", d.String(), nc.OS+"/"+nc.Architecture)
	case nd.Variant != nc.Variant:
		why = "hosts are matched by the declared variant, not the one it was built for"
	case osvDiffers:
		why = "Windows hosts are matched by the declared build, not the one it was built for"
	default:
		return
	}
	r.add(RulePlatformMismatch, n, "%s is declared %s but its config says %s: %s", r.about(n), d.Display(), configPlatform(c), why)
}

func configPlatform(p model.Platform) string {
	if p.OS == "" && p.Architecture == "" {
		return "no platform"
	}
	return p.Display()
}

// unreachable: an entry whose platform no target's matcher accepts.
// Attestations are never selected by design; entries without a platform
// are Docker's last resort.
func (r *run) unreachable(n *node) {
	k := n.kind()
	p := n.entry.Platform
	if n.parent == nil || k == model.KindAttestation || p == nil {
		return
	}
	if reason := unreachableReason(n.entry, k); reason != "" {
		r.add(RuleUnreachableEntry, n, "no target can select %s: %s", r.about(n), reason)
	}
}

// unreachableReason says why no target selects e, or "" when one does.
func unreachableReason(e model.Entry, k model.Kind) string {
	p := *e.Platform
	switch {
	case p.IsZero():
		return `its platform is an empty object ("platform": {}), which matches nothing`
	case !k.Runnable():
		t := e.ArtifactType
		if t == "" {
			t = e.MediaType
		}
		return "it is an artifact (" + t + "), not an image"
	case p.IsUnknown():
		return "its platform is unknown/unknown, which only attestations use"
	case p.Architecture == "":
		return "its platform names no architecture"
	}
	np := model.Normalize(p)
	if !slices.Contains(knownOS, np.OS) {
		return fmt.Sprintf("no container runtime runs the os %q", p.OS)
	}
	if !slices.Contains(knownArch, np.Architecture) {
		return fmt.Sprintf("no container runtime runs the architecture %q", p.Architecture)
	}
	// The entry's own platform as a target: if even that does not accept
	// it (an unknown arm64 variant, a malformed Windows build), none does.
	e.Kind = model.KindImage
	one := &model.Manifest{Kind: model.KindIndex, Entries: []model.Entry{e}}
	a := model.Analyze(one, model.FlagTarget(p, model.SourceFlag), nil, nil)
	if a.Primary == nil || a.Primary.Entries[0].Verdict != model.Incompatible {
		return ""
	}
	if a.Other != nil && a.Other.Entries[0].Verdict != model.Incompatible {
		return ""
	}
	if np.Architecture == "arm64" {
		return fmt.Sprintf("containerd knows no arm64 variant %q (v8 to v9.7), and matches it to nothing", p.Variant)
	}
	if rs := a.Primary.Entries[0].Reasons; len(rs) > 0 {
		return "even a " + p.Display() + " target does not take it: " + rs[len(rs)-1]
	}
	return "no target matches " + p.Display()
}

// knownOS and knownArch are Go's, which is what every container runtime
// names platforms by.
var (
	knownOS = []string{"aix", "android", "darwin", "dragonfly", "freebsd", "illumos", "ios", "js", "linux", "netbsd",
		"openbsd", "plan9", "solaris", "wasip1", "windows", "zos"}
	knownArch = []string{"386", "amd64", "arm", "arm64", "loong64", "mips", "mipsle", "mips64", "mips64le", "ppc64",
		"ppc64le", "riscv64", "s390x", "sparc64", "wasm"}
)

func (r *run) windowsOSVersion(n *node) {
	p := n.entry.Platform
	if n.parent == nil || n.kind() != model.KindImage || p == nil || strings.ToLower(p.OS) != "windows" || p.OSVersion != "" {
		return
	}
	hint := ""
	if n.config != nil && n.config.Platform.OSVersion != "" {
		hint = "; its config says " + n.config.Platform.OSVersion
	}
	r.add(RuleWindowsOSVersion, n, "%s has no os.version: Docker on Windows cannot tell which Windows build it needs, so hosts of every build pull it and process isolation fails on all but one%s",
		r.about(n), hint)
}

func (r *run) armVariant(n *node) {
	p := n.entry.Platform
	if n.parent == nil || n.kind() != model.KindImage || p == nil || strings.ToLower(p.Architecture) != "arm" || p.Variant != "" {
		return
	}
	hint := ""
	if n.config != nil && n.config.Platform.Variant != "" {
		hint = "; its config says " + n.config.Platform.Variant
	}
	r.add(RuleArmVariant, n, "%s names no arm variant: Docker takes it for arm/v7, so arm/v6 hosts never pull it%s", r.about(n), hint)
}

func (r *run) dangling(n *node) {
	if n.kind() != model.KindAttestation || n.parent == nil {
		return
	}
	if n.entry.Subject == "" {
		r.add(RuleDanglingAttestation, n, "%s names no subject (%s): no image is tied to it", r.about(n), model.AnnotationReferenceDigest)
		return
	}
	if !r.subjects(n.parent)[n.entry.Subject] {
		r.add(RuleDanglingAttestation, n, "%s is for %s, which is not in the index: remove it, or add the image it describes", r.about(n), model.ShortDigest(n.entry.Subject))
	}
}

// missing: manifests and blobs the registry does not serve as described.
func (r *run) missing(n *node) {
	if why, ok := r.f.Missing[n.entry.Digest]; ok && n.parent != nil {
		r.add(RuleMissingBlob, n, "the manifest of %s: %s", r.about(n), why)
		return
	}
	m := n.child
	if m == nil {
		return
	}
	if c := m.Config; c != nil {
		if why, ok := r.f.Missing[c.Digest]; ok {
			r.add(RuleMissingBlob, n, "the config %s of %s: %s", model.ShortDigest(c.Digest), r.about(n), why)
		} else if n.config != nil && int64(len(n.config.Raw)) != c.Size {
			r.add(RuleMissingBlob, n, "the config %s of %s is %d bytes, its descriptor says %d", model.ShortDigest(c.Digest), r.about(n), len(n.config.Raw), c.Size)
		}
	}
	for i, l := range m.Layers {
		if why, ok := r.f.Missing[l.Digest]; ok {
			r.add(RuleMissingBlob, n, "layer %d (%s, %s) of %s: %s", i, model.ShortDigest(l.Digest), model.HumanSize(l.Size), r.about(n), why)
		}
	}
}

// maxSelections bounds the selections duplicates runs in one group of
// entries: past it (a hostile index of thousands of feature sets) an
// entry is judged by its platform alone.
const maxSelections = 256

// duplicates: an entry whose own platform, as a target, selects an
// earlier entry of equal rank is never pulled. Only entries sharing a
// normalised platform are put to Docker's selection, among themselves: a
// target ranks its own platform above every other.
func (r *run) duplicates() {
	var parents []*model.Manifest
	groups := map[*model.Manifest]map[string][]*node{}
	var keys = map[*model.Manifest][]string{}
	for _, n := range r.nodes {
		p := n.entry.Platform
		if n.parent == nil || n.kind() != model.KindImage || p == nil || unreachableReason(n.entry, model.KindImage) != "" {
			continue
		}
		g := groups[n.parent]
		if g == nil {
			g = map[string][]*node{}
			groups[n.parent] = g
			parents = append(parents, n.parent)
		}
		k := platformKey(*p)
		if g[k] == nil {
			keys[n.parent] = append(keys[n.parent], k)
		}
		g[k] = append(g[k], n)
	}
	for _, idx := range parents {
		for _, k := range keys[idx] {
			if g := groups[idx][k]; len(g) > 1 {
				r.duplicatesIn(idx, g)
			}
		}
	}
}

// duplicatesIn finds the never-pulled entries of g, entries of idx that
// share a platform key.
func (r *run) duplicatesIn(idx *model.Manifest, g []*node) {
	sub := &model.Manifest{Kind: model.KindIndex, MediaType: idx.MediaType}
	for _, n := range g {
		e := n.entry
		e.Kind = model.KindImage
		sub.Entries = append(sub.Entries, e)
	}
	chosen := map[string]int{} // by target: the place in g selected
	for j, n := range g {
		target := model.FlagTarget(buildOnly(*n.entry.Platform), model.SourceFlag)
		tk := target.Platform.Display() + " " + strings.Join(sortedCopy(target.Platform.OSFeatures), "+")
		sel, ok := chosen[tk]
		if !ok {
			if len(chosen) < maxSelections {
				sel = -1
				if a := model.Analyze(sub, target, nil, nil); a.Primary != nil {
					sel = a.Primary.Selected
				}
			} else {
				sel = j
			}
			chosen[tk] = sel
		}
		if sel < 0 || sel >= j {
			continue
		}
		r.add(RuleDuplicatePlatform, n, "%s is never pulled: a %s target ranks it equal with %s, and Docker takes the first",
			r.about(n), target.Platform.Display(), r.about(g[sel]))
	}
}

// buildOnly is p with a Windows os.version cut to major.minor.build: what
// both of Docker's stores compare.
func buildOnly(p model.Platform) model.Platform {
	if parts := strings.SplitN(p.OSVersion, ".", 4); len(parts) == 4 {
		p.OSVersion = strings.Join(parts[:3], ".")
	}
	return p
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// platformKey is a platform as Docker ranks it: normalised, Windows by its
// build.
func platformKey(p model.Platform) string {
	n := model.Normalize(p)
	k := n.OS + "/" + n.Architecture + "/" + n.Variant
	if n.OS == "windows" {
		parts := strings.SplitN(p.OSVersion, ".", 4)
		k += " " + strings.Join(parts[:min(len(parts), 3)], ".")
	}
	return k
}

// orphans: when some images of an index have attestations, those that
// have none were built or added apart from the others.
func (r *run) orphans() {
	type group struct {
		images   []*node
		attested map[string]bool
	}
	groups := map[*model.Manifest]*group{}
	var order []*model.Manifest
	for _, n := range r.nodes {
		if n.parent == nil {
			continue
		}
		g := groups[n.parent]
		if g == nil {
			g = &group{attested: map[string]bool{}}
			groups[n.parent] = g
			order = append(order, n.parent)
		}
		switch n.kind() {
		case model.KindAttestation:
			g.attested[n.entry.Subject] = true
		case model.KindImage:
			g.images = append(g.images, n)
		default: // nested indexes and artifacts are not images
		}
	}
	for _, idx := range order {
		g := groups[idx]
		for _, n := range g.images {
			if r.attestedByReferrer(n.entry.Digest) {
				g.attested[n.entry.Digest] = true
			}
		}
		some := slices.ContainsFunc(g.images, func(n *node) bool { return g.attested[n.entry.Digest] })
		if !some {
			continue
		}
		for _, n := range g.images {
			if !g.attested[n.entry.Digest] {
				r.add(RuleOrphan, n, "%s has no attestation while other images of the index have one: it was likely built or added apart from them", r.about(n))
			}
		}
	}
}

func (r *run) attestedByReferrer(digest string) bool {
	return slices.ContainsFunc(r.f.Referrers[digest], func(ref Referrer) bool {
		return slices.ContainsFunc(ref.Predicates, func(p string) bool { return IsProvenance(p) || IsSBOM(p) }) || sbomArtifact(ref.ArtifactType)
	})
}

// family is "docker" or "oci" for a media type of either, else "".
func family(mt string) string {
	switch {
	case mt == model.MediaDockerForeign:
		// Windows base layers keep Docker's foreign type in OCI images
		// too; every runtime accepts that, so it mixes nothing.
		return ""
	case strings.HasPrefix(mt, "application/vnd.docker."):
		return "docker"
	case strings.HasPrefix(mt, "application/vnd.oci."):
		return "oci"
	}
	return ""
}

var familyName = map[string]string{"docker": "Docker", "oci": "OCI"}

// mixedMediaTypes: Docker and OCI media types in one index and its
// images (attestations, which buildx always writes as OCI, aside).
func (r *run) mixedMediaTypes() {
	root := r.t.Root
	rootFam := ""
	if root.IsIndex() {
		rootFam = family(root.MediaType)
	}
	for _, n := range r.nodes {
		k := n.kind()
		if k != model.KindImage && k != model.KindIndex {
			continue
		}
		mt := n.entry.MediaType
		if n.child != nil {
			mt = n.child.MediaType
		}
		fams := map[string][]string{}
		note := func(what, t string) {
			if f := family(t); f != "" {
				fams[f] = append(fams[f], what)
			}
		}
		note("manifest", mt)
		if m := n.child; m != nil && k == model.KindImage {
			if m.Config != nil {
				note("config", m.Config.MediaType)
			}
			for i, l := range m.Layers {
				note(fmt.Sprintf("layer %d", i), l.MediaType)
			}
		}
		switch {
		case len(fams) > 1:
			r.add(RuleMixedMediaTypes, n, "%s mixes media types: %s %s, %s %s", r.about(n),
				familyName["docker"], strings.Join(fams["docker"], ", "), familyName["oci"], strings.Join(fams["oci"], ", "))
		case rootFam != "" && n.parent != nil && family(mt) != "" && family(mt) != rootFam:
			r.add(RuleMixedMediaTypes, n, "%s is a %s manifest in %s: old Docker clients and some registries reject the mix; rebuild it with the same media types as the rest",
				r.about(n), familyName[family(mt)], article(root.MediaType))
		}
	}
}

// article is "an OCI image index" / "a Docker manifest list" for a message.
func article(mt string) string {
	if family(mt) == "oci" {
		return "an " + model.MediaTypeName(mt)
	}
	return "a " + model.MediaTypeName(mt)
}
