package output

import (
	"fmt"
	"io"

	"github.com/platypus-tui/platypus/model"
)

// Scan is `scan -o json`; ScanWriter writes it piece by piece (the head,
// then each ScanTag as it arrives), so results stream.
type Scan struct {
	Repository string            `json:"repository"`
	Platform   string            `json:"platform"`
	Targets    []ScanFleetTarget `json:"targets"`
	Tags       []ScanTag         `json:"tags"`
}

// ScanFleetTarget names a scan's target in its head.
type ScanFleetTarget struct {
	Name      string   `json:"name"`
	Platform  string   `json:"platform"`
	OSVersion string   `json:"osVersion"`
	Store     string   `json:"store"`
	Nodes     []string `json:"nodes,omitempty"`
}

// ScanTag is one tag's answer.
type ScanTag struct {
	Tag       string  `json:"tag"`
	Digest    string  `json:"digest"`
	Supported bool    `json:"supported"`
	Selected  *string `json:"selected"`
	Error     string  `json:"error,omitempty"`
	// Targets is every target's answer; supported and selected are the
	// first's.
	Targets []ScanTarget `json:"targets"`
	FitsAll bool         `json:"fitsAll"`
}

// ScanTarget is one target's answer for a tag.
type ScanTarget struct {
	Name      string  `json:"name"`
	Selected  *string `json:"selected"`
	Supported bool    `json:"supported"`
}

// ScanWriter writes Scan piece by piece: the head, each tag as it
// arrives, the end; byte for byte what Write would write of the whole.
type ScanWriter struct {
	w io.Writer
	n int
}

// NewScanWriter writes a Scan to w.
func NewScanWriter(w io.Writer) *ScanWriter { return &ScanWriter{w: w} }

// Head opens the document: the repository, the first target's platform,
// every target, and the "tags" array.
func (s *ScanWriter) Head(repo string, fleet model.Fleet) error {
	targets := make([]ScanFleetTarget, len(fleet))
	for i, ft := range fleet {
		targets[i] = ScanFleetTarget{Name: ft.Name, Platform: targetPlatform(ft.Target.Platform),
			OSVersion: ft.Target.Platform.OSVersion, Store: string(ft.Store), Nodes: ft.Nodes}
	}
	tb, err := Indent(targets, "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(s.w, "{\n  \"repository\": %s,\n  \"platform\": %s,\n  \"targets\": %s,\n  \"tags\": [", Quote(repo), Quote(fleet[0].Target.Platform.Display()), tb)
	return err //nolint:wrapcheck // a write to stdout
}

// Add writes one tag's answer.
func (s *ScanWriter) Add(tag ScanTag) error {
	b, err := Indent(tag, "    ")
	if err != nil {
		return err
	}
	sep := ","
	if s.n == 0 {
		sep = ""
	}
	s.n++
	_, err = fmt.Fprintf(s.w, "%s\n    %s", sep, b)
	return err //nolint:wrapcheck // a write to stdout
}

// End closes the document.
func (s *ScanWriter) End() error {
	closing := "\n  ]\n}\n"
	if s.n == 0 {
		closing = "]\n}\n"
	}
	_, err := io.WriteString(s.w, closing)
	return err //nolint:wrapcheck // a write to stdout
}
