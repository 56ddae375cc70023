package output

import "github.com/platypus-tui/platypus/model/check"

// Check is one reference's result in `check -o json` (an array of them
// when several references, or a repository's tags, are checked).
type Check struct {
	Reference string            `json:"reference"`
	Digest    string            `json:"digest"`
	Passed    bool              `json:"passed"`
	Findings  []Finding         `json:"findings"`
	Platforms []PlatformSummary `json:"platforms"`
	// Error says why the reference could not be checked (exit 1).
	Error string `json:"error,omitempty"`
}

// Finding is one way the index falls short.
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	// Platform is the platform the finding concerns, when it concerns one.
	Platform string `json:"platform,omitempty"`
	// Entry is the digest of the index entry it is about, when there is one.
	Entry   string `json:"entry,omitempty"`
	Message string `json:"message"`
}

// PlatformSummary is one shipped image: its size and, when the layers
// were read, what it unpacks to and dive's efficiency.
type PlatformSummary struct {
	Platform         string   `json:"platform"`
	Digest           string   `json:"digest"`
	CompressedSize   int64    `json:"compressedSize"`
	UncompressedSize *int64   `json:"uncompressedSize,omitempty"`
	Efficiency       *float64 `json:"efficiency,omitempty"`
}

// BuildCheck is the result of checking reference, whose index has digest,
// from what check.Evaluate found; passed is the verdict at --fail-on.
func BuildCheck(reference, digest string, r check.Result, passed bool) Check {
	c := Check{Reference: reference, Digest: digest, Passed: passed, Findings: make([]Finding, len(r.Findings)), Platforms: make([]PlatformSummary, len(r.Platforms))}
	for i, f := range r.Findings {
		c.Findings[i] = Finding{Rule: f.Rule, Severity: string(f.Severity), Platform: f.Platform, Entry: f.Entry, Message: f.Message}
	}
	for i, p := range r.Platforms {
		c.Platforms[i] = PlatformSummary{Platform: p.Platform, Digest: p.Digest, CompressedSize: p.CompressedSize, UncompressedSize: p.UncompressedSize, Efficiency: p.Efficiency}
	}
	return c
}

// CheckError is the result for a reference that could not be checked.
func CheckError(reference, why string) Check {
	return Check{Reference: reference, Findings: []Finding{}, Platforms: []PlatformSummary{}, Error: why}
}
