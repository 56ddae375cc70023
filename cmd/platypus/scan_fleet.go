package main

import (
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
)

// scanOutput writes a scan's results.
type scanOutput interface {
	start() error
	add(registry.ScanResult)
	end() error
}

// scanTargetJSON is one target's answer for a tag.
type scanTargetJSON struct {
	Name      string  `json:"name"`
	Selected  *string `json:"selected"`
	Supported bool    `json:"supported"`
}

// scanFleetJSON names a scan's target in its head.
type scanFleetJSON struct {
	Name      string   `json:"name"`
	Platform  string   `json:"platform"`
	OSVersion string   `json:"osVersion"`
	Store     string   `json:"store"`
	Nodes     []string `json:"nodes,omitempty"`
}

// writeScanHead opens the JSON document: the repository, the first
// target's platform, and every target.
func writeScanHead(w io.Writer, repo string, fleet model.Fleet) error {
	head, _ := jsonString(repo)
	plat, _ := jsonString(fleet[0].Target.Platform.Display())
	targets := make([]scanFleetJSON, len(fleet))
	for i, ft := range fleet {
		p := ft.Target.Platform
		targets[i] = scanFleetJSON{Name: ft.Name, Platform: model.Platform{OS: p.OS, Architecture: p.Architecture, Variant: p.Variant}.String(),
			OSVersion: p.OSVersion, Store: string(ft.Store), Nodes: ft.Nodes}
	}
	tb, err := marshalIndented(targets, "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "{\n  \"repository\": %s,\n  \"platform\": %s,\n  \"targets\": %s,\n  \"tags\": [", head, plat, tb)
	return err //nolint:wrapcheck // a write to stdout
}

// scanRow is a result as the JSON and the table show it.
func scanRow(res registry.ScanResult, fleet model.Fleet) scanTagJSON {
	row := scanTagJSON{Tag: res.Tag, Digest: res.Digest, Supported: res.Supported, FitsAll: res.FitsAll && res.Err == nil, Targets: []scanTargetJSON{}}
	if res.Selected != "" {
		sel := res.Selected
		row.Selected = &sel
	}
	if res.Err != nil {
		row.Error = registry.ShortError(res.Err)
	}
	for i, ft := range fleet {
		t := scanTargetJSON{Name: ft.Name}
		if i < len(res.Targets) && res.Err == nil {
			t.Supported = res.Targets[i].Supported
			if d := res.Targets[i].Selected; d != "" {
				t.Selected = &d
			}
		}
		row.Targets = append(row.Targets, t)
	}
	return row
}

// fleetScanWriter holds the rows of a scan for several targets and
// writes them at the end, those that fit every target first: a row is a
// few digests, and the tag list is in memory already.
type fleetScanWriter struct {
	mu    sync.Mutex
	w     io.Writer
	json  bool
	repo  string
	near  string
	fleet model.Fleet
	rows  []scanTagJSON
}

func newFleetScanWriter(w io.Writer, asJSON bool, repo, near string, fleet model.Fleet) *fleetScanWriter {
	return &fleetScanWriter{w: w, json: asJSON, repo: repo, near: near, fleet: fleet}
}

func (s *fleetScanWriter) start() error { return nil }

func (s *fleetScanWriter) add(res registry.ScanResult) {
	row := scanRow(res, s.fleet)
	s.mu.Lock()
	s.rows = append(s.rows, row)
	s.mu.Unlock()
}

// sortScanRows puts the tags that fit every target first, then the
// nearest to near (REPO's tag), or the newest when there is none.
func sortScanRows(rows []scanTagJSON, near string) {
	slices.SortStableFunc(rows, func(a, b scanTagJSON) int {
		if a.FitsAll != b.FitsAll {
			if a.FitsAll {
				return -1
			}
			return 1
		}
		if near != "" {
			return model.CompareNearness(near, a.Tag, b.Tag)
		}
		return model.CompareVersions(b.Tag, a.Tag)
	})
}

func (s *fleetScanWriter) end() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	sortScanRows(s.rows, s.near)
	if s.json {
		if err := writeScanHead(s.w, s.repo, s.fleet); err != nil {
			return fmt.Errorf("writing the scan: %w", err)
		}
		for i, row := range s.rows {
			b, err := marshalIndented(row, "    ")
			if err != nil {
				return err
			}
			sep := ","
			if i == 0 {
				sep = ""
			}
			if _, err := fmt.Fprintf(s.w, "%s\n    %s", sep, b); err != nil {
				return fmt.Errorf("writing the scan: %w", err)
			}
		}
		closing := "\n  ]\n}\n"
		if len(s.rows) == 0 {
			closing = "]\n}\n"
		}
		if _, err := io.WriteString(s.w, closing); err != nil {
			return fmt.Errorf("writing the scan: %w", err)
		}
		return nil
	}
	cols := []string{"TAG", "FITS ALL"}
	for _, ft := range s.fleet {
		cols = append(cols, ft.Name)
	}
	cols = append(cols, "DIGEST")
	t := newTable(s.w, cols...)
	fits := 0
	for _, row := range s.rows {
		cells := []string{row.Tag, "no"}
		if row.FitsAll {
			cells[1] = "yes"
			fits++
		}
		for _, tr := range row.Targets {
			switch {
			case row.Error != "":
				cells = append(cells, "?")
			case tr.Supported:
				cells = append(cells, "✓")
			default:
				cells = append(cells, "✗")
			}
		}
		digest := model.ShortDigest(row.Digest)
		if row.Error != "" {
			cells[1], digest = "error", "error: "+row.Error
		}
		t.row(append(cells, digest)...)
	}
	if err := t.flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(s.w, "%d of %d tags fit all %d targets\n", fits, len(s.rows), len(s.fleet))
	if err != nil {
		return fmt.Errorf("writing the scan: %w", err)
	}
	return nil
}
