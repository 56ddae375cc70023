package output

import (
	"encoding/json"

	"github.com/platypus-tui/platypus/model"
)

// Compose is `compose -o json`, pushed or a dry run.
type Compose struct {
	Reference      string         `json:"reference"`
	Digest         string         `json:"digest"`
	PreviousDigest *string        `json:"previousDigest"`
	Copied         []Copied       `json:"copied"`
	Referrers      int            `json:"referrers"`
	Entries        []ComposeEntry `json:"entries"`
	DryRun         bool           `json:"dryRun"`
	Unchanged      bool           `json:"unchanged"`
	Issues         []Issue        `json:"issues"`
	Diff           DraftDiff      `json:"diff"`
	// Manifest is the index a dry run would push.
	Manifest json.RawMessage `json:"manifest,omitempty"`
	// MediaType is the index's; MediaTypeReason says why it was chosen.
	MediaType       string `json:"mediaType"`
	MediaTypeReason string `json:"mediaTypeReason"`
}

// ComposeEntry is an entry of the composed index, written with the
// fields inspect gives an entry, and so with a "match" (always "") and
// "targets" (always null) that mean nothing here.
type ComposeEntry struct {
	Digest       string            `json:"digest"`
	MediaType    string            `json:"mediaType"`
	Size         int64             `json:"size"`
	Kind         string            `json:"kind"`
	ArtifactType string            `json:"artifactType,omitempty"`
	Platform     *Platform         `json:"platform"`
	Annotations  map[string]string `json:"annotations"`
	Match        string            `json:"match"`
	Reasons      []string          `json:"reasons"`
	Targets      Null              `json:"targets"`
}

// Null is a field that is always null.
type Null struct{}

// MarshalJSON writes null.
func (Null) MarshalJSON() ([]byte, error) { return []byte("null"), nil }

// Copied is a child brought into the target repository.
type Copied struct {
	Digest string `json:"digest"`
	From   string `json:"from"`
}

// Issue is one finding of the draft's validation; Entry is -1 for the
// index itself.
type Issue struct {
	Severity string `json:"severity"`
	Entry    int    `json:"entry"`
	Message  string `json:"message"`
}

// DraftDiff is what a push changes in the tag.
type DraftDiff struct {
	Added   []string `json:"added"`
	Removed []string `json:"removed"`
	Changed []string `json:"changed"`
}

// ComposeEntries are a draft's entries.
func ComposeEntries(es []model.DraftEntry) []ComposeEntry {
	out := make([]ComposeEntry, 0, len(es))
	for _, e := range es {
		out = append(out, ComposeEntry{Digest: e.Digest, MediaType: e.MediaType, Size: e.Size, Kind: string(e.Kind), ArtifactType: e.ArtifactType,
			Platform: PlatformOf(e.Platform), Annotations: emptyMap(e.Annotations), Reasons: []string{}})
	}
	return out
}

// Issues are a draft's validation findings.
func Issues(is []model.DraftIssue) []Issue {
	out := make([]Issue, len(is))
	for i, x := range is {
		out[i] = Issue{Severity: string(x.Severity), Entry: x.Entry, Message: x.Message}
	}
	return out
}

// DraftDiffOf is d as the document gives it.
func DraftDiffOf(d model.DraftDiff) DraftDiff {
	return DraftDiff{Added: d.Added, Removed: d.Removed, Changed: d.Changed}
}
