package main

import (
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry"
)

// scanOutput writes a scan's results.
type scanOutput interface {
	start() error
	add(registry.ScanResult)
	end() error
}

// scanRow is a result as the JSON and the table show it.
func scanRow(res registry.ScanResult, fleet model.Fleet) output.ScanTag {
	row := output.ScanTag{Tag: res.Tag, Digest: res.Digest, Supported: res.Supported, FitsAll: res.FitsAll && res.Err == nil, Targets: []output.ScanTarget{}}
	if res.Selected != "" {
		sel := res.Selected
		row.Selected = &sel
	}
	if res.Err != nil {
		row.Error = registry.ShortError(res.Err)
	}
	for i, ft := range fleet {
		t := output.ScanTarget{Name: ft.Name}
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
	rows  []output.ScanTag
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
func sortScanRows(rows []output.ScanTag, near string) {
	slices.SortStableFunc(rows, func(a, b output.ScanTag) int {
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
		jw := output.NewScanWriter(s.w)
		if err := jw.Head(s.repo, s.fleet); err != nil {
			return fmt.Errorf("writing the scan: %w", err)
		}
		for _, row := range s.rows {
			if err := jw.Add(row); err != nil {
				return fmt.Errorf("writing the scan: %w", err)
			}
		}
		if err := jw.End(); err != nil {
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
