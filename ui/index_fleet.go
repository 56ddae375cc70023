package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
)

// The index screen of a fleet: the entries down and the targets across,
// as `inspect` with several targets prints them. A column a target, titled
// with its name, where they fit; else one column of a glyph a target, the
// names numbered in the header.

const (
	// colTargets is the one column of glyphs, a target each.
	colTargets indexCol = 1000 + iota
	// colTarget+i is target i's own column.
	colTarget
)

// maxTargetCol is the widest a target's own column gets: its name is cut
// in the middle past it (names differ at their ends: win-10.0.17763).
const maxTargetCol = 14

// judgeFleet gives every target its verdict on the index, from what is
// loaded: no request more than one target's.
func (s *indexScreen) judgeFleet() {
	s.verdicts = nil
	if len(s.fleet) > 0 {
		s.verdicts = model.JudgeFleet(s.tree.Root, s.fleet, s.tree.Children, s.tree.Configs)
	}
}

// targetColWidth is target i's column's width.
func (s *indexScreen) targetColWidth(i int) int {
	return min(max(ansi.StringWidth(model.Clean(s.fleet[i].Name)), 3), maxTargetCol)
}

// fleetWide tells whether a column a target fits beside the platform.
func (s *indexScreen) fleetWide() bool {
	need := s.platformCols()
	for i := range s.fleet {
		need += s.targetColWidth(i) + 1
	}
	return need <= s.w
}

// platformCols is the room the table's margin, the platform and the
// os.version take, the columns that always show.
func (s *indexScreen) platformCols() int {
	plat := len("PLATFORM")
	for _, e := range s.tree.Root.Entries {
		plat = max(plat, ansi.StringWidth(model.Clean(s.diffMark(s.ref.WithDigest(e.Digest))+s.platformText(e))))
	}
	need := 2 + min(plat, 28) + 1
	for _, e := range s.tree.Root.Entries {
		if entryOSVersion(e) != "" {
			need += indexColumns[colOSVersion].Width + 1
			break
		}
	}
	return need
}

// fleetColumns are the index's columns for a fleet: the single target's
// mark and DOCKER PULL give way to the targets', and the minor columns
// show only where there is room to spare.
func (s *indexScreen) fleetColumns() []indexCol {
	cols := []indexCol{colPlatform}
	for _, e := range s.tree.Root.Entries {
		if entryOSVersion(e) != "" {
			cols = append(cols, colOSVersion)
			break
		}
	}
	cols = append(cols, colKind, colSize)
	if len(s.unpacked) > 0 {
		cols = append(cols, colUnpacked)
	}
	if !s.fleetWide() {
		return append(cols, colTargets)
	}
	if s.w >= narrowWidth+20 {
		cols = append(cols, colDigest)
	}
	for i := range s.fleet {
		cols = append(cols, colTarget+indexCol(i))
	}
	return cols
}

// columnOf is the table column for c.
func (s *indexScreen) columnOf(c indexCol) column {
	switch {
	case c == colTargets:
		// More targets than the terminal has room for are cut ("…").
		w := max(min(len(s.fleet), s.w-s.platformCols()-1), 1)
		return column{Title: fleetNumbers(w), Width: w}
	case c >= colTarget:
		i := int(c - colTarget)
		w := s.targetColWidth(i)
		return column{Title: cutMiddle(model.Clean(s.fleet[i].Name), w), Width: w}
	}
	return indexColumns[c]
}

// fleetNumbers numbers the glyph column's targets, a digit each (1…9, 0,
// 1… past ten), as the header's names are.
func fleetNumbers(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.WriteByte(byte('0' + i%10))
	}
	return b.String()
}

// fleetCell is entry i's cell in a target's column, or its glyphs.
func (s *indexScreen) fleetCell(i int, col indexCol) (string, lipgloss.Style) {
	st := s.c.styles
	e := s.tree.Root.Entries[i]
	broken := s.tree.Errors[e.Digest] != nil
	if col == colTargets {
		var b strings.Builder
		for _, v := range s.verdicts {
			b.WriteString(fleetMark(entryVerdict(v, i), broken))
		}
		return b.String(), st.Text
	}
	t := int(col - colTarget)
	if t >= len(s.verdicts) {
		return "", st.Faint
	}
	em := entryVerdict(s.verdicts[t], i)
	return fleetGlyph(em, broken), fleetStyle(st, em, broken)
}

// fleetVerdictLines sum up the fleet above the entries: whether every
// target pulls an image, which do not, and, when the targets are glyphs,
// their names by number.
func (s *indexScreen) fleetVerdictLines() string {
	st := s.c.styles
	var lines []string
	fails := failing(s.verdicts)
	if len(fails) == 0 {
		images := map[string]bool{}
		for _, v := range s.verdicts {
			images[v.Analysis.Pulls()] = true
		}
		lines = append(lines, st.Success.Render(fitLine("✓ every target pulls an image: "+plural(len(s.verdicts), "target")+", "+plural(len(images), "image"), s.w)))
	} else {
		what := plural(len(fails), "target") + " of " + itoa(len(s.verdicts)) + " pull nothing: "
		if len(fails) == 1 {
			what = "1 target of " + itoa(len(s.verdicts)) + " pulls nothing: "
		}
		hint := "  d: why, what fits all"
		lines = append(lines, st.Error.Render(fitLine("✗ "+what+fleetNames(fails), s.w-len(hint)))+st.Faint.Render(hint))
	}
	lines = append(lines, s.otherStoreLines()...)
	if len(s.cols) > 0 && s.cols[len(s.cols)-1] == colTargets {
		parts := make([]string, len(s.fleet))
		for i, m := range s.fleet {
			parts[i] = itoa((i+1)%10) + ":" + model.Clean(m.Name)
		}
		names := strings.Split(wrap("targets: "+strings.Join(parts, " · "), s.w), "\n")
		if len(names) > 3 {
			names = append(names[:2], fitLine(names[2]+" …", s.w))
		}
		lines = append(lines, st.Faint.Render(strings.Join(names, "\n")))
	}
	return strings.Join(lines, "\n")
}

// fleetDetail is every target's verdict on entry i, for the lines under
// the table.
func (s *indexScreen) fleetDetail(i int) string {
	e := s.tree.Root.Entries[i]
	broken := s.tree.Errors[e.Digest] != nil
	parts := make([]string, 0, len(s.verdicts))
	for _, v := range s.verdicts {
		em := entryVerdict(v, i)
		reason := ""
		if len(em.Reasons) > 0 {
			reason = " " + em.Reasons[0]
		}
		parts = append(parts, model.Clean(v.Member.Name)+" "+fleetGlyph(em, broken)+reason)
	}
	return e.PlatformString() + ": " + strings.Join(parts, " · ")
}

// otherStoreLines warn, as the single target's header and the CLI's matrix
// do, of each Docker target whose other image store would pull something
// else (Windows builds): two at most, then how many more.
func (s *indexScreen) otherStoreLines() []string {
	st := s.c.styles
	var lines []string
	more := 0
	for _, v := range s.verdicts {
		a := v.Analysis.Other
		if a == nil {
			continue
		}
		if len(lines) == 2 {
			more++
			continue
		}
		what := "nothing"
		if a.Found() {
			what = model.ShortDigest(a.Image)
		}
		lines = append(lines, st.Warning.Render(fitLine("  "+model.Clean(v.Member.Name)+": Docker's "+string(a.Store)+" store would pull "+what+" instead", s.w)))
	}
	if more > 0 {
		lines = append(lines, st.Warning.Render(fitLine("  and "+plural(more, "target")+" more (inspect lists them)", s.w)))
	}
	return lines
}
