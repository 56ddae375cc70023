package check

import (
	"strings"

	"github.com/platypus-tui/platypus/model"
)

// Facts are what was fetched about one index beyond its manifests and
// configs (which Tree holds). A nil map means that fact was not gathered:
// the rules needing it then stay silent, so a caller gathers what
// Policy.Needs says.
type Facts struct {
	Tree *model.Tree
	// Missing are manifests and blobs the registry does not serve as their
	// descriptor says (absent, other size, other digest), by digest: why.
	Missing map[string]string
	// Referrers lists what refers to the index and to each image, by the
	// subject's digest.
	Referrers map[string][]Referrer
	// SignatureTags holds the subjects that have cosign's
	// "sha256-<hex>.sig" tag (cosign's default, before referrers).
	SignatureTags map[string]bool
	// Provenance is where each image was built from, by image digest.
	Provenance map[string]Provenance
	// Bases are the base images the images name, by name as written.
	Bases map[string]Base
	// Layers is what reading an image's layers found, by image digest.
	Layers map[string]Layers
}

// Referrer is a manifest that refers to a subject, with the in-toto
// predicate types it carries (from its annotations, or from its manifest's
// layers when the annotations do not say).
type Referrer struct {
	model.Descriptor
	Predicates []string
}

// Provenance is what an image's provenance says of its source.
type Provenance struct {
	Source, Revision string
	// From is where it was read: "attestation sha256:…" or "referrer sha256:…".
	From string
}

// Base is a base image as found now.
type Base struct {
	// Ref is the name resolved to a reference.
	Ref string
	// Tree is the base expanded (entries' manifests loaded); nil when
	// Missing says why it could not be found.
	Tree    *model.Tree
	Missing string
}

// Layers is what reading an image's layers found (dive's measures).
type Layers struct {
	Uncompressed, Wasted int64
	Efficiency           float64
}

// Annotations and labels the base rules read.
const (
	AnnotationBaseName   = "org.opencontainers.image.base.name"
	AnnotationBaseDigest = "org.opencontainers.image.base.digest"
)

// Referrer artifact types that are signatures.
const (
	ArtifactCosignSig     = "application/vnd.dev.cosign.artifact.sig.v1+json"
	ArtifactSigstore      = "application/vnd.dev.sigstore.bundle.v0.3+json"
	ArtifactNotarySig     = "application/vnd.cncf.notary.signature"
	predicateCosignSign   = "https://sigstore.dev/cosign/sign/v1"
	annotationPredicate   = "in-toto.io/predicate-type"
	annotationBundlePred  = "dev.sigstore.bundle.predicateType"
	artifactDSSE          = "application/vnd.dsse.envelope.v1+json"
	artifactSPDX          = "application/spdx+json"
	artifactCycloneDX     = "application/vnd.cyclonedx+json"
	artifactSyft          = "application/vnd.syft+json"
	artifactSPDXText      = "text/spdx"
	artifactCycloneDXXML  = "application/vnd.cyclonedx+xml"
	artifactSigstoreOlder = "application/vnd.dev.sigstore.bundle+json;version=0.3"
)

// SignatureTag is the tag cosign stores a signature of digest under.
func SignatureTag(digest string) string {
	return strings.Replace(digest, ":", "-", 1) + ".sig"
}

// IsSignature tells whether a referrer is a signature (cosign or notation).
func (r Referrer) IsSignature() bool {
	switch r.ArtifactType {
	case ArtifactCosignSig, ArtifactNotarySig:
		return true
	case ArtifactSigstore, artifactSigstoreOlder:
		p := r.Annotations[annotationBundlePred]
		return p == "" || p == predicateCosignSign
	}
	return false
}

// NeedsPredicates tells whether a referrer's predicate types can only be
// learnt from its manifest: an in-toto or DSSE artifact that does not say.
func (r Referrer) NeedsPredicates() bool {
	if len(r.Predicates) > 0 {
		return false
	}
	switch r.ArtifactType {
	case model.MediaInToto, artifactDSSE:
		return true
	}
	return false
}

// ReferrerPredicates are the predicate types a referrer's descriptor names.
func ReferrerPredicates(d model.Descriptor) []string {
	var out []string
	for _, k := range []string{annotationPredicate, annotationBundlePred} {
		if p := d.Annotations[k]; p != "" && p != predicateCosignSign {
			out = append(out, p)
		}
	}
	return out
}

// LayerPredicates are the predicate types an attestation manifest's layers
// declare (buildx writes in-toto.io/predicate-type on each).
func LayerPredicates(m *model.Manifest) []string {
	if m == nil {
		return nil
	}
	var out []string
	for _, l := range m.Layers {
		if p := l.Annotations[annotationPredicate]; p != "" {
			out = append(out, p)
		}
	}
	return out
}

// IsProvenance tells whether a predicate type is SLSA provenance.
func IsProvenance(predicate string) bool {
	return strings.HasPrefix(predicate, "https://slsa.dev/provenance/")
}

// IsSBOM tells whether a predicate type is an SBOM (SPDX or CycloneDX).
func IsSBOM(predicate string) bool {
	return strings.HasPrefix(predicate, "https://spdx.dev/Document") || strings.HasPrefix(predicate, "https://cyclonedx.org/bom")
}

// sbomArtifact tells whether a referrer is an SBOM by its artifact type
// (syft attach, oras attach).
func sbomArtifact(t string) bool {
	switch t {
	case artifactSPDX, artifactCycloneDX, artifactSyft, artifactSPDXText, artifactCycloneDXXML:
		return true
	}
	return false
}
