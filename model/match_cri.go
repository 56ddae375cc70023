package model

import (
	"fmt"
	"strings"

	"github.com/containerd/platforms"
	specs "github.com/opencontainers/image-spec/specs-go/v1"
)

// containerdRules are what differs between the pullers that run
// containerd's walk (images.Manifest / FilterPlatforms + LimitManifests):
// the matcher, and the words for a verdict.
type containerdRules struct {
	matcher      platforms.MatchComparer
	incompatible func(e Entry, target Platform) []string
	compatible   func(p, target Platform, rank int) string
	noMatch      func(target Platform) (line, legacy string)
}

// dockerContainerd is Docker Engine's containerd store (and its classic
// store on Linux): platforms.Only(target), and Docker's error line around
// containerd's.
func dockerContainerd(target Platform) containerdRules {
	return containerdRules{
		matcher:      platforms.Only(toSpec(target)),
		incompatible: incompatibleReasons,
		compatible:   compatibleReason,
		noMatch: func(target Platform) (string, string) {
			return "no matching manifest for " + platforms.FormatAll(toSpec(target)) + " in the manifest list entries: " + CRINoMatch,
				"no matching manifest for " + legacyFormat(target) + " in the manifest list entries"
		},
	}
}

// CRINoMatch is containerd's error when no entry matches; kubelet reports
// it as `failed to pull and unpack image "REF": no match for platform in
// manifest: not found`.
const CRINoMatch = "no match for platform in manifest: not found"

// nodeRules are containerd's as kubelet's CRI plugin applies them on a
// node: images.Manifest with platforms.Default(), the node's own platform.
// On Linux that is platforms.Only(host), Docker's matcher. On Windows it
// is containerd's Windows comparer (criWindows).
func nodeRules(target Platform) containerdRules {
	r := dockerContainerd(target)
	r.noMatch = func(Platform) (string, string) { return CRINoMatch, "" }
	r.compatible = func(p, target Platform, rank int) string {
		why := compatibleReason(p, target, rank)
		if n, t := Normalize(p), Normalize(target); rank == 0 && (n.Architecture != t.Architecture || n.Variant != t.Variant) {
			why += transferNote
		}
		return why
	}
	if Normalize(target).OS == "windows" {
		r.matcher = criWindows{platforms.NewMatcher(toSpec(target))}
		r.incompatible = func(e Entry, target Platform) []string {
			if e.Kind == KindAttestation || e.Kind == KindArtifact {
				return []string{kindReason(e.Kind, e.ArtifactType, e.Subject)}
			}
			return criWindowsMismatch(fillOS(*e.Platform, target), target)
		}
		r.compatible = criWindowsCompatible
	}
	return r
}

// transferNote qualifies a fallback on a node: containerd 2's CRI plugin
// pulls through its transfer service unless configured otherwise, which
// fetches only the entries platforms.Ordered(DefaultSpec()) matches, the
// node's exact platform (core/transfer/image ImageFilter), then reads the
// fallback images.Manifest chose, which was never fetched.
const transferNote = "; containerd 1.7 runs it, containerd 2's transfer service (its default pull path) fetches only the node's own platform and fails"

// criWindows is platforms.Default() on a Windows host
// (containerd/platforms defaults_windows.go: a windowsMatchComparer around
// NewMatcher(DefaultSpec())). That type is compiled only on Windows, so
// this restates it: Match is NewMatcher's own (os, architecture and
// variant equal after normalisation, the host build's compatibility rule,
// os.features a subset with win32k ignored), which is the same on every
// OS; Less puts the greater os.version first, comparing the strings
// ("10.0.17763.615" before "10.0.17763.2000"). Unlike platforms.Only there
// is no fallback to another architecture (windows/386 on an amd64 node).
type criWindows struct{ platforms.Matcher }

func (c criWindows) Less(a, b specs.Platform) bool {
	ma, mb := c.Match(a), c.Match(b)
	if ma && mb {
		return a.OSVersion > b.OSVersion
	}
	return ma && !mb
}

// AnalyzeContainerd computes what containerd pulls from m on a Kubernetes
// node of target's platform: the entry images.Manifest picks with the
// node's platforms.Default(). A single image is kept whatever its
// platform (containerd checks the platform of index entries only), so its
// verdict says whether it can run there.
func AnalyzeContainerd(m *Manifest, target Target, children map[string]*Manifest, configs map[string]*Config) Analysis {
	a := Analysis{Target: target}
	if m == nil {
		return a
	}
	rules := nodeRules(target.Platform)
	if !m.IsIndex() {
		a.Single, a.SingleStore = singleWith(m, target, configs[m.Digest], rules.matcher), StoreContainerd
		return a
	}
	a.Primary = selectWith(m, target.Platform, children, 0, rules)
	return a
}

// criWindowsCompatible explains a kept entry on a Windows node, where the
// greatest os.version wins rather than the first listed.
func criWindowsCompatible(p, target Platform, rank int) string {
	if rank > 0 {
		return fmt.Sprintf("runs too, but containerd on a Windows node takes the greatest os.version first, compared as text (this one is %q)", p.OSVersion)
	}
	if p.OSVersion == "" {
		return "matches " + target.Display() + " (no os.version: containerd does not compare the build)"
	}
	eb, okE := windowsBuild(p.OSVersion)
	tb, okT := windowsBuild(target.OSVersion)
	if okE && okT && eb != tb {
		return fmt.Sprintf("Windows build %s runs on a %s host (stable ABI: builds from 20348 up to the host's)", WindowsRelease(p.OSVersion), WindowsRelease(target.OSVersion))
	}
	return "matches " + target.Display()
}

// criWindowsMismatch says why NewMatcher refuses p on a Windows node:
// containerd's reasons without platforms.Only's fallback architectures.
func criWindowsMismatch(p, target Platform) []string {
	n, t := Normalize(p), Normalize(target)
	var out []string
	if n.OS != t.OS {
		out = append(out, fmt.Sprintf("OS is %s; the target runs %s", n.OS, t.OS))
	}
	if n.Architecture != t.Architecture {
		out = append(out, fmt.Sprintf("architecture is %s; containerd on a %s node takes %s only", n.Architecture, target.String(), t.Architecture))
	} else if n.Variant != t.Variant {
		out = append(out, fmt.Sprintf("variant %s is not %s's", orNone(n.Variant), target.String()))
	}
	if t.OS == "windows" && n.OS == "windows" {
		if r := windowsBuildReason(p.OSVersion, target.OSVersion); r != "" {
			out = append(out, r)
		}
	}
	if missing := missingFeatures(n.OSFeatures, t.OSFeatures, true); len(missing) > 0 {
		out = append(out, "needs OS features "+strings.Join(missing, ", ")+" that the target does not list")
	}
	if len(out) == 0 {
		out = append(out, "does not match "+target.Display())
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
