package output

import (
	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
)

// Diff is `diff -o json`.
type Diff struct {
	A         DiffSide        `json:"a"`
	B         DiffSide        `json:"b"`
	Platforms []PlatformDiff  `json:"platforms"`
	Image     *ImageDiff      `json:"image,omitempty"`
	Files     *Delta          `json:"files,omitempty"`
	FileDiffs []FileDiff      `json:"fileDiffs,omitempty"`
	Referrers *ReferrersDrift `json:"referrers,omitempty"`
}

// DiffSide is one of the references compared.
type DiffSide struct {
	Reference string `json:"reference"`
	Digest    string `json:"digest"`
}

// PlatformDiff pairs the entries two indexes hold for one platform.
type PlatformDiff struct {
	Platform string  `json:"platform"`
	A        *string `json:"a"`
	B        *string `json:"b"`
	// Status is same, changed, added (only in B) or removed (only in A).
	Status string `json:"status"`
}

// ImageDiff compares the images A and B hold for their platforms.
type ImageDiff struct {
	A      string       `json:"a"`
	B      string       `json:"b"`
	Config []ConfigDiff `json:"config"`
	Layers LayersDiff   `json:"layers"`
	Sizes  *Sizes       `json:"sizes,omitempty"`
}

// ConfigDiff is one config field that differs.
type ConfigDiff struct {
	Field string `json:"field"`
	A     string `json:"a"`
	B     string `json:"b"`
}

// LayersDiff sorts the layers of two images by digest.
type LayersDiff struct {
	Shared []string `json:"shared"`
	OnlyA  []string `json:"onlyA"`
	OnlyB  []string `json:"onlyB"`
}

// Sizes are the images' uncompressed sizes, when their layers were read.
type Sizes struct {
	A int64 `json:"a"`
	B int64 `json:"b"`
	// AEstimated and BEstimated say a side's size was worked out from
	// tables of contents, not measured.
	AEstimated bool `json:"aEstimated,omitempty"`
	BEstimated bool `json:"bEstimated,omitempty"`
	// Sources is where each side's layers were read from, in order:
	// "stream" or "toc" (as files -o json says).
	Sources *LayerSources `json:"sources,omitempty"`
}

// LayerSources is where each side's layers were read from.
type LayerSources struct {
	A []string `json:"a"`
	B []string `json:"b"`
}

// Delta is how B's files differ from A's.
type Delta struct {
	Added    []DeltaEntry `json:"added"`
	Removed  []DeltaEntry `json:"removed"`
	Modified []DeltaEntry `json:"modified"`
}

// DeltaEntry is one path of a Delta (B's for a modified one).
type DeltaEntry struct {
	Path       string `json:"path"`
	LinkTarget string `json:"linkTarget,omitempty"`
	// TarPath is the path the layer's tar wrote, when a symbolic link the
	// layer made before put the entry elsewhere.
	TarPath string     `json:"tarPath,omitempty"`
	Size    int64      `json:"size"`
	Digest  FileDigest `json:"digest,omitzero"`
	Mode    uint32     `json:"mode"`
	Layer   int32      `json:"layer"`
	Type    string     `json:"type"`
	// Implied marks a directory no layer has an entry for.
	Implied bool `json:"implied,omitempty"`
}

// FileDigest is a file's sha256, written as a digest; it is kept as bytes
// (a delta can hold millions of files) and the zero value is none.
type FileDigest [32]byte

// IsZero tells a file without a known sum.
func (d FileDigest) IsZero() bool { return d == FileDigest{} }

// MarshalText writes the digest, sha256:….
func (d FileDigest) MarshalText() ([]byte, error) { return []byte(fstree.Sum(d).String()), nil }

// UnmarshalText reads a digest; anything else is none.
func (d *FileDigest) UnmarshalText(b []byte) error {
	s, _ := fstree.ParseSum(string(b))
	*d = FileDigest(s)
	return nil
}

// FileDiff is one --file: the file on each side (null when absent), and
// how they differ.
type FileDiff struct {
	Path string    `json:"path"`
	A    *FileSide `json:"a"`
	B    *FileSide `json:"b"`
	// Same is true when the bytes are the same; Binary when either side
	// is not text (then there are no hunks).
	Same   bool `json:"same"`
	Binary bool `json:"binary"`
	// Minimal is false when the texts were too different for the fewest
	// changes: the part that differs is given removed, then added.
	Minimal bool   `json:"minimal"`
	Hunks   []Hunk `json:"hunks"`
	// Truncated is true when only the first bytes of a side were compared.
	Truncated bool `json:"truncated,omitempty"`
}

// FileSide is the file one side has, after its links.
type FileSide struct {
	Path   string `json:"path"`
	Layer  int    `json:"layer"`
	Size   int64  `json:"size"`
	Mode   int64  `json:"mode"`
	Digest string `json:"digest"`
	// Read says how the bytes were read (absent when the sums sufficed).
	Read *FileRead `json:"read,omitempty"`
}

// FileRead says how a file's bytes were read.
type FileRead struct {
	// How is checkpoint, range, toc, stream, cache or empty.
	How string `json:"how"`
	// From is where decompression started in the uncompressed stream.
	From int64 `json:"from"`
	// Requests and Bytes are the requests sent and the blob bytes read.
	Requests int   `json:"requests"`
	Bytes    int64 `json:"bytes"`
}

// Hunk is one hunk of diff -u.
type Hunk struct {
	Header string   `json:"header"`
	Lines  []string `json:"lines"` // each starting with ' ', '-' or '+'
}

// ReferrersDrift lists the referrers one side has and the other not.
type ReferrersDrift struct {
	OnlyA []Referrer `json:"onlyA"`
	OnlyB []Referrer `json:"onlyB"`
}

// Referrer is a signature, SBOM or attestation of Subject.
type Referrer struct {
	Subject      string `json:"subject"`
	Digest       string `json:"digest"`
	ArtifactType string `json:"artifactType"`
}

// PlatformDiffs are model.ComparePlatforms's pairs.
func PlatformDiffs(ps []model.PlatformDiff) []PlatformDiff {
	out := make([]PlatformDiff, len(ps))
	for i, p := range ps {
		out[i] = PlatformDiff{Platform: p.Platform, A: p.A, B: p.B, Status: p.Status}
	}
	return out
}

// BuildImageDiff is the comparison of two images' configs and layers.
func BuildImageDiff(a, b string, config []model.ConfigDiff, layers model.LayersDiff) *ImageDiff {
	d := &ImageDiff{A: a, B: b, Config: make([]ConfigDiff, len(config)),
		Layers: LayersDiff{Shared: layers.Shared, OnlyA: layers.OnlyA, OnlyB: layers.OnlyB}}
	for i, c := range config {
		d.Config[i] = ConfigDiff{Field: c.Field, A: c.A, B: c.B}
	}
	return d
}

// DeltaOf is d as the document lists it.
func DeltaOf(d fstree.Delta) *Delta {
	return &Delta{Added: deltaEntries(d.Added), Removed: deltaEntries(d.Removed), Modified: deltaEntries(d.Modified)}
}

func deltaEntries(es []fstree.Entry) []DeltaEntry {
	if es == nil {
		return nil
	}
	out := make([]DeltaEntry, len(es))
	for i, e := range es {
		out[i] = DeltaEntry{Path: e.Path, LinkTarget: e.LinkTarget, TarPath: e.TarPath, Size: e.Size, Digest: FileDigest(e.Digest),
			Mode: e.Mode, Layer: e.Layer, Type: e.Type.String(), Implied: e.Implied}
	}
	return out
}
