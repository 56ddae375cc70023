package check

import (
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/platypus-tui/platypus/model"
)

// Image is one image of a tree as a gatherer of facts needs it.
type Image struct {
	Manifest *model.Manifest
	Config   *model.Config
	// Attestations are the loaded buildx attestation manifests whose
	// subject it is.
	Attestations []*model.Manifest
	// BaseName and BaseDigest are the base image it names, if any.
	BaseName, BaseDigest string
}

// Images lists the images of t whose manifests arrived, each once, in
// index order.
func Images(t *model.Tree) []Image {
	if t == nil || t.Root == nil {
		return nil
	}
	r := &run{t: t, f: &Facts{}, p: DefaultPolicy(), byDig: map[string]*node{}}
	r.walk()
	var out []Image
	seen := map[string]bool{}
	for _, n := range r.images() {
		if n.child == nil || seen[n.child.Digest] {
			continue
		}
		seen[n.child.Digest] = true
		img := Image{Manifest: n.child, Config: n.config}
		img.BaseName, img.BaseDigest = baseOf(n)
		for _, o := range r.attestationsFor(n) {
			if o.child != nil {
				img.Attestations = append(img.Attestations, o.child)
			}
		}
		out = append(out, img)
	}
	return out
}

// AttestationManifests are the loaded attestation manifests of t, whose
// blobs a missing-blob check asks about too.
func AttestationManifests(t *model.Tree) []*model.Manifest {
	if t == nil || t.Root == nil {
		return nil
	}
	r := &run{t: t, f: &Facts{}, p: DefaultPolicy(), byDig: map[string]*node{}}
	r.walk()
	var out []*model.Manifest
	seen := map[string]bool{}
	for _, n := range r.nodes {
		if n.kind() == model.KindAttestation && n.child != nil && !seen[n.child.Digest] {
			seen[n.child.Digest] = true
			out = append(out, n.child)
		}
	}
	return out
}

// ProvenanceLayers are the layers of an attestation manifest that hold
// SLSA provenance.
func ProvenanceLayers(m *model.Manifest) []model.Descriptor {
	var out []model.Descriptor
	for _, l := range m.Layers {
		if IsProvenance(l.Annotations[annotationPredicate]) {
			out = append(out, l)
		}
	}
	return out
}

// ParseProvenance reads where a provenance statement says the image was
// built from. It takes an in-toto statement as buildx stores it, or one
// wrapped in a DSSE envelope or a sigstore bundle (cosign attest).
func ParseProvenance(raw []byte) (Provenance, error) {
	stmt, err := unwrapStatement(raw)
	if err != nil {
		return Provenance{}, err
	}
	a, err := model.ParseAttestation(stmt)
	if err != nil {
		return Provenance{}, err // says what is wrong
	}
	if !IsProvenance(a.PredicateType) {
		return Provenance{}, fmt.Errorf("predicate %s is not SLSA provenance", model.PredicateName(a.PredicateType))
	}
	var p Provenance
	field := func(names ...string) string {
		for _, n := range names {
			for _, f := range a.Fields {
				if f[0] == n && f[1] != "" {
					return f[1]
				}
			}
		}
		return ""
	}
	// BuildKit's VCS metadata names the repository plainly; the config
	// source is the build context's URL, with a ref fragment.
	p.Source = field("source", "config source")
	p.Revision = field("revision", "config commit")
	return p, nil
}

// StatementPredicate is the predicate type of an in-toto statement, bare
// or wrapped as ParseProvenance takes it.
func StatementPredicate(raw []byte) (string, error) {
	stmt, err := unwrapStatement(raw)
	if err != nil {
		return "", err
	}
	var st struct {
		PredicateType string `json:"predicateType"`
	}
	if err := json.Unmarshal(stmt, &st); err != nil || st.PredicateType == "" {
		return "", fmt.Errorf("not an in-toto statement")
	}
	return st.PredicateType, nil
}

// unwrapStatement returns the in-toto statement inside a DSSE envelope or
// a sigstore bundle, or raw itself.
func unwrapStatement(raw []byte) ([]byte, error) {
	var probe struct {
		PayloadType  string          `json:"payloadType"`
		Payload      string          `json:"payload"`
		DSSEEnvelope json.RawMessage `json:"dsseEnvelope"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, fmt.Errorf("not an in-toto statement: %w", err)
	}
	if probe.DSSEEnvelope != nil {
		return unwrapStatement(probe.DSSEEnvelope)
	}
	if probe.Payload == "" {
		return raw, nil
	}
	b, err := base64.StdEncoding.DecodeString(probe.Payload)
	if err != nil {
		if b, err = base64.RawURLEncoding.DecodeString(probe.Payload); err != nil {
			return nil, fmt.Errorf("DSSE payload is not base64: %w", err)
		}
	}
	return b, nil
}
