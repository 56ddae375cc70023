package ui

import (
	"charm.land/lipgloss/v2"

	"github.com/platypus-tui/platypus/model"
)

// The tags screen of a fleet: a "fits all" mark on each tag once its row's
// details are in, judged from what the row loaded (registry.Summary's
// Tree): no request more than the row's own.

// fitsCol is the FITS ALL column, shown only for a fleet.
const fitsCol = 5

// fitsWidth is the FITS ALL column's width.
const fitsWidth = len("FITS ALL")

// fleetFit is what a tag row knows of the fleet.
type fleetFit struct {
	known bool
	pulls int // the targets that pull an image
}

// showFits shows the FITS ALL column for a fleet, and judges the rows.
func (s *tagsScreen) showFits() {
	w := 0
	if len(s.fleet) > 0 {
		w = fitsWidth
	}
	s.list.table.SetFixed(fitsCol, w, w)
	for _, r := range s.rows {
		if r != nil && r.done {
			s.judgeRow(r)
		}
	}
}

// judgeRow judges a row's tag for every target, from what it loaded; a
// row loaded in part (a child or config missing), or by a HEAD alone,
// stays unknown.
func (s *tagsScreen) judgeRow(r *tagRow) {
	r.fit = fleetFit{}
	t := r.summary.Tree
	if len(s.fleet) == 0 || r.err != nil || t == nil || r.summary.Partial {
		return
	}
	r.fit.known = true
	for _, v := range model.JudgeFleet(t.Root, s.fleet, t.Children, t.Configs) {
		if v.Analysis.Pulls() != "" {
			r.fit.pulls++
		}
	}
}

// fitsCell is a row's FITS ALL cell: ✓ when every target pulls an image,
// else how many do.
func (s *tagsScreen) fitsCell(r tagRow) (string, lipgloss.Style) {
	st := s.c.styles
	switch {
	case r.summary.ReferrersOf != "":
		return "", st.Faint
	case !r.fit.known:
		return "?", st.Faint
	case r.fit.pulls == len(s.fleet):
		return "✓ all", st.Success
	}
	return "✗ " + itoa(r.fit.pulls) + "/" + itoa(len(s.fleet)), st.Error
}
