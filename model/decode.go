package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Bounds on what platypus accepts from a registry.
const (
	// MaxManifestSize is the largest manifest or index accepted (4 MiB, the
	// bound the distribution spec recommends and Docker uses).
	MaxManifestSize = 4 << 20
	// MaxConfigSize is the largest image config accepted (8 MiB: configs
	// with thousands of history lines stay well under it).
	MaxConfigSize = 8 << 20
	// MaxEntries bounds the descriptors of one index or the layers of one image.
	MaxEntries = 10000
)

// ErrMalformed is returned for content that cannot be decoded.
var ErrMalformed = errors.New("malformed content")

// DigestOf returns the sha256 digest of b, as registries compute it.
func DigestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// ValidDigest tells whether s is a well-formed digest.
func ValidDigest(s string) bool { return digestRE.MatchString(s) && !strings.ContainsAny(s, "\x00") }

// rawPlatform and rawDescriptor are the descriptor as OCI and Docker write
// it, the one declaration of its JSON: manifests are decoded through it and
// the indexes platypus pushes encoded through it, so the bytes pushed do
// not depend on how model's own types are tagged. rawPlatform converts to
// and from Platform (same fields).
type rawPlatform struct {
	OS           string   `json:"os"`
	Architecture string   `json:"architecture"`
	Variant      string   `json:"variant,omitempty"`
	OSVersion    string   `json:"os.version,omitempty"`
	OSFeatures   []string `json:"os.features,omitempty"`
}

type rawDescriptor struct {
	MediaType    string            `json:"mediaType"`
	Digest       string            `json:"digest"`
	Size         int64             `json:"size"`
	ArtifactType string            `json:"artifactType,omitempty"`
	Platform     *rawPlatform      `json:"platform,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	URLs         []string          `json:"urls,omitempty"`
}

type rawManifest struct {
	SchemaVersion int               `json:"schemaVersion"`
	MediaType     string            `json:"mediaType"`
	ArtifactType  string            `json:"artifactType"`
	Manifests     []json.RawMessage `json:"manifests"`
	Config        *rawDescriptor    `json:"config"`
	Layers        []rawDescriptor   `json:"layers"`
	Blobs         []rawDescriptor   `json:"blobs"` // OCI artifact manifest
	FSLayers      []json.RawMessage `json:"fsLayers"`
	Subject       *rawDescriptor    `json:"subject"`
	Annotations   map[string]string `json:"annotations"`
}

// DecodeManifest decodes a manifest or index. headerType is the
// Content-Type the registry sent; the document's own mediaType wins over it,
// and the shape decides when both are missing or disagree with the content.
// Strings stay as the registry sent them (views show them through Clean);
// descriptors with malformed digests or negative sizes are refused.
func DecodeManifest(raw []byte, headerType string) (*Manifest, error) {
	if len(raw) > MaxManifestSize {
		return nil, fmt.Errorf("%w: manifest of %d bytes is over the %d-byte limit", ErrMalformed, len(raw), MaxManifestSize)
	}
	var rm rawManifest
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&rm); err != nil {
		return nil, fmt.Errorf("%w: manifest is not valid JSON: %s", ErrMalformed, Clean(err.Error()))
	}
	m := &Manifest{Raw: raw, Digest: DigestOf(raw), Size: int64(len(raw))}
	m.MediaType = rm.MediaType
	if m.MediaType == "" {
		m.MediaType = strings.TrimSpace(strings.Split(headerType, ";")[0])
	}
	m.ArtifactType = rm.ArtifactType
	m.Annotations = nonEmpty(rm.Annotations)
	if len(rm.Manifests) > MaxEntries || len(rm.Layers) > MaxEntries || len(rm.Blobs) > MaxEntries {
		return nil, fmt.Errorf("%w: more than %d descriptors", ErrMalformed, MaxEntries)
	}
	var err error
	if rm.Subject != nil {
		if m.Subject, err = decodeDescriptor(*rm.Subject, "subject"); err != nil {
			return nil, err
		}
	}
	switch {
	case IsIndexMedia(m.MediaType) || (rm.Manifests != nil && rm.Config == nil && rm.Layers == nil):
		m.Kind = KindIndex
		if !IsIndexMedia(m.MediaType) {
			m.MediaType = MediaOCIIndex
		}
		m.Entries = make([]Entry, 0, len(rm.Manifests))
		for i, raw := range rm.Manifests {
			var rd rawDescriptor
			if err := json.Unmarshal(raw, &rd); err != nil {
				return nil, fmt.Errorf("%w: entry %d is not a descriptor: %s", ErrMalformed, i+1, Clean(err.Error()))
			}
			d, err := decodeDescriptor(rd, fmt.Sprintf("entry %d", i+1))
			if err != nil {
				return nil, err
			}
			e := classifyEntry(*d)
			e.Raw = raw
			m.Entries = append(m.Entries, e)
		}
	case m.MediaType == MediaDockerV1 || m.MediaType == MediaDockerV1Signed || rm.FSLayers != nil:
		m.Kind = KindImage
	default:
		if err := decodeImage(m, rm); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func decodeImage(m *Manifest, rm rawManifest) error {
	var err error
	if rm.Config != nil {
		if m.Config, err = decodeDescriptor(*rm.Config, "config"); err != nil {
			return err
		}
	}
	layers := rm.Layers
	if layers == nil {
		layers = rm.Blobs
	}
	m.Layers = make([]Descriptor, 0, len(layers))
	for i, rl := range layers {
		d, err := decodeDescriptor(rl, fmt.Sprintf("layer %d", i+1))
		if err != nil {
			return err
		}
		m.Layers = append(m.Layers, *d)
	}
	m.Kind = manifestKind(m)
	if m.ArtifactType == "" && m.Config != nil && m.Kind == KindArtifact && m.Config.MediaType != MediaOCIEmpty {
		m.ArtifactType = m.Config.MediaType
	}
	return nil
}

func decodeDescriptor(rd rawDescriptor, where string) (*Descriptor, error) {
	if !ValidDigest(rd.Digest) {
		return nil, fmt.Errorf("%w: %s has a malformed digest %q", ErrMalformed, where, Clean(truncate(rd.Digest, 80)))
	}
	if rd.Size < 0 {
		return nil, fmt.Errorf("%w: %s has a negative size %d", ErrMalformed, where, rd.Size)
	}
	d := &Descriptor{
		MediaType:    rd.MediaType,
		Digest:       rd.Digest,
		Size:         rd.Size,
		ArtifactType: rd.ArtifactType,
		Annotations:  nonEmpty(rd.Annotations),
		URLs:         rd.URLs,
	}
	if rd.Platform != nil {
		p := Platform(*rd.Platform)
		d.Platform = &p
	}
	return d, nil
}

// classifyEntry decides what an index entry is from its descriptor alone;
// Tree.SettleKinds corrects it once the manifest it points to is loaded.
func classifyEntry(d Descriptor) Entry {
	e := Entry{Descriptor: d, Kind: descriptorKind(d)}
	if e.Kind == KindAttestation {
		e.Subject = d.Annotations[AnnotationReferenceDigest]
	}
	return e
}

// nonEmpty is m, or nil when it has no keys.
func nonEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
