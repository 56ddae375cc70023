// Package check is platypus's release gate: rules that say whether an index
// is fit to ship, on every platform. Evaluate is a pure function from an
// expanded index (model.Tree) and facts fetched about it (Facts) to
// findings; fetching lives in registry (Checker), so the CLI, the explorer
// and the composer run the same rules on what they already hold.
package check

import (
	"slices"

	"github.com/platypus-tui/platypus/model"
)

// Rule names, stable (a policy turns one off by name: rules: {NAME: off}).
const (
	// Built-in rules, always on.
	RulePlatformMismatch    = "platform-mismatch"
	RuleDuplicatePlatform   = "duplicate-platform"
	RuleUnreachableEntry    = "unreachable-entry"
	RuleDanglingAttestation = "dangling-attestation"
	RuleOrphan              = "orphan"
	RuleMissingBlob         = "missing-blob"
	RuleMixedMediaTypes     = "mixed-media-types"
	RuleWindowsOSVersion    = "windows-os-version"
	RuleArmVariant          = "arm-variant"

	// Policy rules, on when .platypus-check.yaml asks.
	RuleMissingPlatform     = "missing-platform"     // platforms.require
	RuleUnexpectedPlatform  = "unexpected-platform"  // platforms.only
	RuleMissingAnnotation   = "missing-annotation"   // annotations.require
	RuleAnnotationDisagrees = "annotation-disagrees" // annotations.agree
	RuleMissingProvenance   = "missing-provenance"   // attestations.provenance
	RuleMissingSBOM         = "missing-sbom"         // attestations.sbom
	RuleProvenanceSource    = "provenance-source"    // provenance.sameSource
	RuleMissingSignature    = "missing-signature"    // signatures
	RuleBaseNotCovered      = "base-not-covered"     // base.covered
	RuleBaseMoved           = "base-moved"           // base.fresh
	RuleTooLarge            = "too-large"            // size.maxCompressed
	RuleLowEfficiency       = "low-efficiency"       // efficiency.lowest
	RuleWastedBytes         = "wasted-bytes"         // efficiency.highestWasted
)

// defaults are every rule's severity unless the policy says otherwise.
var defaults = map[string]model.Severity{
	RulePlatformMismatch:    model.SevError,
	RuleDuplicatePlatform:   model.SevError,
	RuleUnreachableEntry:    model.SevWarning,
	RuleDanglingAttestation: model.SevError,
	RuleOrphan:              model.SevWarning,
	RuleMissingBlob:         model.SevError,
	RuleMixedMediaTypes:     model.SevWarning,
	RuleWindowsOSVersion:    model.SevError,
	RuleArmVariant:          model.SevWarning,
	RuleMissingPlatform:     model.SevError,
	RuleUnexpectedPlatform:  model.SevError,
	RuleMissingAnnotation:   model.SevError,
	RuleAnnotationDisagrees: model.SevError,
	RuleMissingProvenance:   model.SevError,
	RuleMissingSBOM:         model.SevError,
	RuleProvenanceSource:    model.SevError,
	RuleMissingSignature:    model.SevError,
	RuleBaseNotCovered:      model.SevError,
	RuleBaseMoved:           model.SevError,
	RuleTooLarge:            model.SevError,
	RuleLowEfficiency:       model.SevError,
	RuleWastedBytes:         model.SevError,
}

// Rules lists every rule name, sorted.
func Rules() []string {
	out := make([]string, 0, len(defaults))
	for r := range defaults {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// BuiltIn tells whether a rule runs without a policy.
func BuiltIn(rule string) bool {
	switch rule {
	case RulePlatformMismatch, RuleDuplicatePlatform, RuleUnreachableEntry, RuleDanglingAttestation, RuleOrphan,
		RuleMissingBlob, RuleMixedMediaTypes, RuleWindowsOSVersion, RuleArmVariant:
		return true
	}
	return false
}

// Finding is one way the index falls short (check -o json writes it as
// output.Finding).
type Finding struct {
	Rule     string
	Severity model.Severity
	// Platform is the platform the finding concerns, when it concerns one.
	Platform string
	// Entry is the digest of the index entry it is about, when there is one.
	Entry   string
	Message string
}

// PlatformSummary is one shipped image: its size and, when the layers were
// read, what it unpacks to and dive's efficiency.
type PlatformSummary struct {
	Platform         string
	Digest           string
	CompressedSize   int64
	UncompressedSize *int64
	Efficiency       *float64
}

// Result is what Evaluate finds.
type Result struct {
	Findings  []Finding
	Platforms []PlatformSummary
}

// Passed tells whether no finding is at or above failOn (error or warning).
func Passed(findings []Finding, failOn model.Severity) bool {
	for _, f := range findings {
		if f.Severity == model.SevError || failOn == model.SevWarning {
			return false
		}
	}
	return true
}

// Count returns how many findings are errors and warnings.
func Count(findings []Finding) (errors, warnings int) {
	for _, f := range findings {
		if f.Severity == model.SevError {
			errors++
		} else {
			warnings++
		}
	}
	return errors, warnings
}
