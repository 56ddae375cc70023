package model

import "encoding/json"

// Kind says what an index entry or a manifest is for.
type Kind string

// Kinds of manifests and index entries.
const (
	KindIndex       Kind = "index"       // a nested index or manifest list
	KindImage       Kind = "image"       // a runnable single-platform image
	KindAttestation Kind = "attestation" // buildx provenance / SBOM, never pulled
	KindArtifact    Kind = "artifact"    // anything else: signatures, SBOMs, unknown types
)

// Runnable tells whether a manifest of this kind can be what `docker pull`
// selects.
func (k Kind) Runnable() bool { return k == KindImage || k == KindIndex }

// Descriptor points at content by digest, as manifests and indexes do.
type Descriptor struct {
	MediaType    string            `json:"mediaType"`
	Digest       string            `json:"digest"`
	Size         int64             `json:"size"`
	ArtifactType string            `json:"artifactType,omitempty"`
	Platform     *Platform         `json:"platform,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	URLs         []string          `json:"urls,omitempty"`
}

// Entry is one descriptor of an index with what it is.
type Entry struct {
	Descriptor
	Kind Kind `json:"kind"`
	// Subject is, for an attestation, the digest of the image it describes.
	Subject string `json:"-"`
	// Raw is the descriptor exactly as the index wrote it.
	Raw json.RawMessage `json:"-"`
}

// PlatformString returns the entry's platform for display: "linux/arm64/v8",
// "attestation" for buildx attestations, "-" when the entry has none.
func (e Entry) PlatformString() string {
	if e.Kind == KindAttestation {
		return "attestation"
	}
	if e.Platform == nil {
		return "-"
	}
	if e.Platform.IsZero() {
		return "{}"
	}
	return e.Platform.String()
}

// Manifest is a manifest or index as fetched: what it is, what it points to
// and the exact bytes that were received.
type Manifest struct {
	Ref          Reference         `json:"-"`
	Digest       string            `json:"digest"`
	MediaType    string            `json:"mediaType"`
	Size         int64             `json:"size"`
	Kind         Kind              `json:"kind"`
	ArtifactType string            `json:"artifactType,omitempty"`
	Entries      []Entry           `json:"entries,omitempty"`
	Config       *Descriptor       `json:"config,omitempty"`
	Layers       []Descriptor      `json:"layers,omitempty"`
	Subject      *Descriptor       `json:"subject,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	Raw          []byte            `json:"-"`
}

// IsIndex tells whether the manifest is an index or manifest list.
func (m *Manifest) IsIndex() bool { return m.Kind == KindIndex }

// Descriptor describes the manifest itself.
func (m *Manifest) Descriptor() Descriptor {
	return Descriptor{MediaType: m.MediaType, Digest: m.Digest, Size: m.Size, ArtifactType: m.ArtifactType, Annotations: m.Annotations}
}

// LayersSize is the sum of the compressed layer sizes.
func (m *Manifest) LayersSize() int64 {
	var n int64
	for _, l := range m.Layers {
		n += l.Size
	}
	return n
}

// ShortDigest returns the first 12 hex digits of a digest, as docker prints.
func ShortDigest(d string) string {
	for i := 0; i < len(d); i++ {
		if d[i] == ':' {
			d = d[i+1:]
			break
		}
	}
	if len(d) > 12 {
		return d[:12]
	}
	return d
}
