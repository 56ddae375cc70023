package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// DraftEntry is one entry of an index being composed: the manifest it points
// to, where that manifest lives now, and the platform and annotations the
// new index will declare for it.
type DraftEntry struct {
	Source Reference `json:"source"` // repository@digest it is copied from
	// Descriptor is the entry as the new index will declare it.
	Descriptor
	Kind Kind `json:"kind"`
	// ConfigPlatform is what the image's config says, to warn when the
	// declared platform disagrees.
	ConfigPlatform *Platform `json:"configPlatform,omitempty"`
	// Subject is the image an attestation describes.
	Subject string `json:"subject,omitempty"`
	// Unreachable says why the manifest could not be fetched, if it could not.
	Unreachable string `json:"unreachable,omitempty"`
	// Raw is the descriptor as the index it came from wrote it; an entry
	// whose platform and annotations were not edited is written back so,
	// with every field platypus does not know.
	Raw json.RawMessage `json:"raw,omitempty"`
}

// Draft is an index being composed for Target.
type Draft struct {
	Target      Reference         `json:"target"`
	MediaType   string            `json:"mediaType"`
	Entries     []DraftEntry      `json:"entries"`
	Annotations map[string]string `json:"annotations,omitempty"`
	// Base is the digest the target tag held when the draft started
	// (amending), "" for a new tag.
	Base    string    `json:"base,omitempty"`
	Updated time.Time `json:"updated"`
	// Raw is the index the draft amends, as the registry holds it: with no
	// edit the draft is exactly it (same digest), and an edit changes only
	// what was asked, keeping every other field (subject, artifactType,
	// fields platypus does not know).
	Raw json.RawMessage `json:"raw,omitempty"`
}

// MarshalJSON for Reference keeps drafts readable and reloadable.
func (r Reference) MarshalJSON() ([]byte, error) {
	text := ""
	if r != (Reference{}) {
		text = r.String()
	}
	b, err := json.Marshal(text)
	if err != nil {
		return nil, fmt.Errorf("reference: %w", err)
	}
	return b, nil
}

// UnmarshalJSON parses a reference written by MarshalJSON.
func (r *Reference) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err //nolint:wrapcheck // a JSON error explains itself
	}
	if s == "" {
		*r = Reference{}
		return nil
	}
	p, err := ParseReference(s)
	if err != nil {
		return err
	}
	*r = p
	return nil
}

// EntryFromManifest makes a draft entry for the manifest m found at src,
// declaring platform p (nil: the config's, when cfg is given).
func EntryFromManifest(src Reference, m *Manifest, cfg *Config, p *Platform) DraftEntry {
	e := DraftEntry{
		Source:     src.RepoOnly().WithDigest(m.Digest),
		Descriptor: Descriptor{MediaType: m.MediaType, Digest: m.Digest, Size: m.Size, ArtifactType: m.ArtifactType, Platform: p},
		Kind:       m.Kind,
	}
	if cfg != nil {
		cp := cfg.Platform
		e.ConfigPlatform = &cp
		if e.Platform == nil && !cp.IsZero() {
			q := cp
			e.Platform = &q
		}
	}
	return e
}

// EntryFromIndex makes a draft entry from an entry of the index at src.
func EntryFromIndex(src Reference, e Entry) DraftEntry {
	d := DraftEntry{
		Source:     src.RepoOnly().WithDigest(e.Digest),
		Descriptor: Descriptor{MediaType: e.MediaType, Digest: e.Digest, Size: e.Size, ArtifactType: e.ArtifactType},
		Kind:       e.Kind, Subject: e.Subject,
	}
	if e.Platform != nil {
		p := *e.Platform
		d.Platform = &p
	}
	d.Annotations = maps.Clone(e.Annotations)
	d.Raw = e.Raw
	return d
}

// JSON returns the exact bytes that pushing the draft writes. A draft that
// amends an index and changes nothing is that index, byte for byte;
// otherwise the index is written with two-space indentation, every field
// of the amended index and of untouched entries kept as it was.
func (d *Draft) JSON() ([]byte, error) {
	if d.Raw != nil && d.unedited() {
		return d.Raw, nil
	}
	top := object{{"schemaVersion", json.RawMessage("2")}, {"mediaType", nil}, {"manifests", nil}}
	if d.Raw != nil {
		o, err := parseObject(d.Raw)
		if err != nil {
			return nil, fmt.Errorf("the amended index: %w", err)
		}
		top = o
	}
	top.set("mediaType", marshalRaw(d.MediaType))
	entries := make([]json.RawMessage, 0, len(d.Entries))
	for _, e := range d.Entries {
		b, err := e.json(d.MediaType)
		if err != nil {
			return nil, err
		}
		entries = append(entries, b)
	}
	top.set("manifests", marshalRaw(entries))
	if len(d.Annotations) > 0 {
		top.set("annotations", marshalRaw(d.Annotations))
	} else {
		top.del("annotations")
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, top.compact(), "", "  "); err != nil {
		return nil, fmt.Errorf("encoding the index: %w", err)
	}
	return buf.Bytes(), nil
}

// json is the entry's descriptor: as it came when its platform and
// annotations are unedited, patched in those two fields when edited, new
// when it came from an image rather than an index.
func (e DraftEntry) json(indexType string) (json.RawMessage, error) {
	if e.Raw != nil {
		if e.unedited() {
			return e.Raw, nil
		}
		o, err := parseObject(e.Raw)
		if err != nil {
			return nil, fmt.Errorf("entry %s: %w", ShortDigest(e.Digest), err)
		}
		if e.Platform != nil {
			o.set("platform", marshalRaw(rawPlatform(*e.Platform)))
		} else {
			o.del("platform")
		}
		if len(e.Annotations) > 0 {
			o.set("annotations", marshalRaw(e.Annotations))
		} else {
			o.del("annotations")
		}
		return o.compact(), nil
	}
	rd := rawDescriptor{MediaType: e.MediaType, Digest: e.Digest, Size: e.Size, Annotations: e.Annotations}
	if e.Platform != nil {
		p := rawPlatform(*e.Platform)
		rd.Platform = &p
	}
	if indexType == MediaOCIIndex {
		rd.ArtifactType = e.ArtifactType
	}
	return marshalRaw(rd), nil
}

// rawDescriptorOf reads what an entry's Raw says of its editable fields.
func rawDescriptorOf(raw json.RawMessage) (rawDescriptor, bool) {
	var rd rawDescriptor
	if json.Unmarshal(raw, &rd) != nil {
		return rd, false
	}
	return rd, true
}

// unedited tells whether the entry still says what its Raw says.
func (e DraftEntry) unedited() bool {
	rd, ok := rawDescriptorOf(e.Raw)
	if !ok || rd.Digest != e.Digest || rd.MediaType != e.MediaType || rd.Size != e.Size || !mapsEqual(nonEmpty(rd.Annotations), nonEmpty(e.Annotations)) {
		return false
	}
	if rd.Platform == nil || e.Platform == nil {
		return rd.Platform == nil && e.Platform == nil
	}
	p := Platform(*rd.Platform)
	return p.Equal(*e.Platform) && slices.Equal(p.OSFeatures, e.Platform.OSFeatures)
}

// unedited tells whether the draft is still exactly the index it amends:
// the same media type, annotations and entries, in the same order.
func (d *Draft) unedited() bool {
	var rm struct {
		MediaType   string            `json:"mediaType"`
		Manifests   []json.RawMessage `json:"manifests"`
		Annotations map[string]string `json:"annotations"`
	}
	if json.Unmarshal(d.Raw, &rm) != nil || rm.MediaType != d.MediaType || len(rm.Manifests) != len(d.Entries) ||
		!mapsEqual(nonEmpty(rm.Annotations), nonEmpty(d.Annotations)) {
		return false
	}
	for i, e := range d.Entries {
		if !bytes.Equal(e.Raw, rm.Manifests[i]) || !e.unedited() {
			return false
		}
	}
	return true
}

// Digest is the digest the pushed index will have.
func (d *Draft) Digest() string {
	b, err := d.JSON()
	if err != nil {
		return ""
	}
	return DigestOf(b)
}

// Remove drops the entries whose digest starts with, or whose platform is,
// what; it returns how many went.
func (d *Draft) Remove(what string) int {
	before := len(d.Entries)
	d.Entries = slices.DeleteFunc(d.Entries, func(e DraftEntry) bool {
		if len(what) >= 7 && (e.Digest == what || (len(what) < len(e.Digest) && e.Digest[:len(what)] == what) || ShortDigest(e.Digest) == what) {
			return true
		}
		if e.Platform == nil {
			return false
		}
		if p, err := ParsePlatform(what); err == nil {
			return Normalize(*e.Platform).String() == Normalize(p).String() && (p.OSVersion == "" || p.OSVersion == e.Platform.OSVersion)
		}
		return false
	})
	return before - len(d.Entries)
}

// Move moves entry i by delta places, for reordering (first match wins in
// Docker's selection, so order matters).
func (d *Draft) Move(i, delta int) int {
	j := i + delta
	if i < 0 || i >= len(d.Entries) || j < 0 || j >= len(d.Entries) {
		return i
	}
	d.Entries[i], d.Entries[j] = d.Entries[j], d.Entries[i]
	return j
}

// MediaTypeReason says why a new index gets the media type InferMediaType
// picks for entries.
func MediaTypeReason(entries []DraftEntry) string {
	if InferMediaType(entries) == MediaDockerList {
		return "every child is a Docker v2 manifest, as docker manifest create makes"
	}
	if len(entries) == 0 {
		return "the default for a new index"
	}
	return "a child is an OCI manifest or index"
}

// InferMediaType picks a Docker manifest list when every child is a Docker
// v2 manifest, as `docker manifest create` does, and an OCI index otherwise.
func InferMediaType(entries []DraftEntry) string {
	if len(entries) == 0 {
		return MediaOCIIndex
	}
	for _, e := range entries {
		if e.MediaType != MediaDockerManifest && e.MediaType != MediaDockerList {
			return MediaOCIIndex
		}
	}
	return MediaDockerList
}

// Clone returns a deep copy, for work that runs while the draft is edited.
func (d *Draft) Clone() *Draft {
	c := *d
	c.Annotations = maps.Clone(d.Annotations)
	c.Entries = make([]DraftEntry, len(d.Entries))
	for i, e := range d.Entries {
		e.Annotations = maps.Clone(e.Annotations)
		if e.Platform != nil {
			p := *e.Platform
			p.OSFeatures = slices.Clone(p.OSFeatures)
			e.Platform = &p
		}
		if e.ConfigPlatform != nil {
			p := *e.ConfigPlatform
			e.ConfigPlatform = &p
		}
		c.Entries[i] = e
	}
	return &c
}

// ErrAnnotation is returned for an annotation that is not key=value.
var ErrAnnotation = errors.New("annotations are key=value")

// ParseAnnotation reads "key=value"; an empty value means remove the key.
func ParseAnnotation(s string) (key, value string, err error) {
	k, v, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return "", "", fmt.Errorf("%w, got %q", ErrAnnotation, s)
	}
	return k, v, nil
}

// SetAnnotation sets an annotation of the index (entry -1) or of one
// entry; an empty value removes it.
func (d *Draft) SetAnnotation(entry int, key, value string) {
	m := &d.Annotations
	if entry >= 0 {
		m = &d.Entries[entry].Annotations
	}
	if value == "" {
		delete(*m, key)
		if len(*m) == 0 {
			*m = nil
		}
		return
	}
	if *m == nil {
		*m = map[string]string{}
	}
	(*m)[key] = value
}
