package output

// Copy is `copy -o json`.
type Copy struct {
	Source         string         `json:"source"`
	Reference      string         `json:"reference"`
	SourceDigest   string         `json:"sourceDigest"`
	Digest         string         `json:"digest"`
	Identical      bool           `json:"identical"`
	PreviousDigest *string        `json:"previousDigest"`
	Copied         []Copied       `json:"copied"`
	Referrers      int            `json:"referrers"`
	DryRun         bool           `json:"dryRun"`
	Unchanged      bool           `json:"unchanged"`
	Platforms      []PlatformPick `json:"platforms,omitempty"`
}

// PlatformPick is the entry one --platform keeps.
type PlatformPick struct {
	Platform string `json:"platform"`
	Digest   string `json:"digest"`
	Entry    string `json:"entry"`
}
