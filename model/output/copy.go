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
	// WouldCopy is, in a dry run only, what the target lacks and the copy
	// would send: absent from a real copy, [] when it lacks nothing.
	WouldCopy []WouldCopy `json:"wouldCopy,omitzero"`
}

// WouldCopy is a manifest or blob a dry run found missing from the
// target: a Copied (digest, from) with what says what it is and costs,
// since a dry run lists blobs too, where copied lists manifests.
type WouldCopy struct {
	Digest    string `json:"digest"`
	From      string `json:"from"`
	Kind      string `json:"kind"`
	MediaType string `json:"mediaType"`
	Size      int64  `json:"size"`
	Referrer  bool   `json:"referrer"`
}

// PlatformPick is the entry one --platform keeps.
type PlatformPick struct {
	Platform string `json:"platform"`
	Digest   string `json:"digest"`
	Entry    string `json:"entry"`
}
