package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
)

func entryOSVersion(e model.Entry) string {
	if e.Platform == nil {
		return ""
	}
	return e.Platform.OSVersion
}

// indexHeader is the summary above the entries: what the index is and what
// `docker pull` makes of it for the target.
func (s *indexScreen) indexHeader() string {
	st := s.c.styles
	root := s.tree.Root
	lines := []string{st.Header.Render(s.ref.String())}
	if v := s.checkLine(); v != "" {
		if ansi.StringWidth(lines[0])+ansi.StringWidth(v)+2 <= s.w {
			lines[0] = joinEnds(lines[0], v, s.w)
		} else {
			lines = append(lines, fitStyled(v, s.w))
		}
	}
	kind := model.MediaTypeName(root.MediaType)
	info := model.ShortDigest(root.Digest) + " · " + kind + " · " + plural(len(root.Entries), "entry")
	if s.sizes.Total > 0 {
		info += " · " + model.HumanSize(s.sizes.Total) + " " + sizeWords + " in all, " + model.HumanSize(s.sizes.Unique) + " unique"
	}
	lines = append(lines, st.Faint.Render(wrap(info, s.w)))
	if len(root.Annotations) > 0 {
		lines = append(lines, st.Faint.Render(fitLine("annotations: "+joinMap(root.Annotations), s.w)))
	}
	lines = append(lines, s.verdictLine())
	if a := s.an.Other; a != nil && len(s.fleet) == 0 {
		what := "nothing"
		if a.Found() {
			what = model.ShortDigest(a.Image)
		}
		lines = append(lines, st.Warning.Render(fitLine("  Docker's "+string(a.Store)+" store would pull "+what+" instead", s.w)))
	}
	if f := s.filter.view(st, len(s.rows), len(root.Entries), s.w); f != "" {
		lines = append(lines, f)
	}
	return strings.Join(lines, "\n")
}

func (s *indexScreen) verdictLine() string {
	st := s.c.styles
	sel := s.an.Primary
	switch {
	case len(s.fleet) > 0:
		return s.fleetVerdictLines()
	case sel == nil:
		return ""
	}
	if sel.Selected < 0 {
		return st.Error.Render(fitLine("✗ docker pull: "+sel.DockerError, s.w-22)) + st.Faint.Render("  d: why, what instead")
	}
	e := s.tree.Root.Entries[sel.Selected]
	what := e.PlatformString()
	if e.Platform != nil && e.Platform.OSVersion != "" {
		what += " " + e.Platform.OSVersion
	}
	line := "✓ docker pull selects " + what + " (" + model.ShortDigest(e.Digest) + ")"
	if sel.Nested != nil && sel.Nested.Selected >= 0 {
		line += " → " + model.ShortDigest(sel.Image)
	}
	return st.Success.Render(fitLine(line, s.w))
}

// detailLines is how many lines under the index table explain the entry
// under the cursor in full (the table truncates).
const detailLines = 2

func (s *indexScreen) View() string {
	return s.header + "\n" + s.table.View() + "\n" + s.detail()
}

// detail is the full verdict, or error, of the entry under the cursor.
func (s *indexScreen) detail() string {
	st := s.c.styles
	if s.table.Cursor >= len(s.rows) {
		return ""
	}
	i := s.rows[s.table.Cursor]
	e := s.tree.Root.Entries[i]
	text, style := "", st.Faint
	if err := s.tree.Errors[e.Digest]; err != nil {
		text, style = "✗ "+registry.ShortError(err), st.Error
	} else if e.Kind == model.KindAttestation {
		text = "attestation for " + s.subjectPlatform(e.Subject) + " (" + model.ShortDigest(e.Subject) + "), never pulled"
		if child := s.tree.Children[e.Digest]; child != nil {
			if p := child.Predicates(); len(p) > 0 {
				text += ": " + strings.Join(p, ", ") + " · " + keyHint(s.keys.Enter) + " shows them"
			}
		}
	} else if len(s.verdicts) > 0 {
		text = s.fleetDetail(i)
	} else if s.an.Primary != nil && i < len(s.an.Primary.Entries) {
		em := s.an.Primary.Entries[i]
		text = e.PlatformString() + ": " + strings.Join(em.Reasons, "; ")
	}
	lines := strings.Split(wrap(text, s.w-2), "\n")
	if len(lines) > detailLines {
		lines = lines[:detailLines]
		lines[detailLines-1] = fitLine(lines[detailLines-1]+" …", s.w-2)
	}
	for len(lines) < detailLines {
		lines = append(lines, "")
	}
	return style.Render("  " + strings.Join(lines, "\n  "))
}

// indexCol names a column of the index table.
type indexCol int

const (
	colMark indexCol = iota
	colPlatform
	colOSVersion
	colKind
	colSize
	colUnpacked
	colLayers
	colShared
	colDigest
	colVerdict
)

var indexColumns = map[indexCol]column{
	colMark: {Title: "", Width: 1}, colPlatform: {Title: "PLATFORM", Flex: 2}, colOSVersion: {Title: "OS.VERSION", Width: 15},
	colKind: {Title: "KIND", Width: 11, Drop: 1}, colSize: {Title: sizeTitle, Width: 10, Right: true, Drop: 2},
	colUnpacked: {Title: "UNPACKED", Width: 8, Right: true}, colLayers: {Title: "LAYERS", Width: 6, Right: true},
	colShared: {Title: "SHARED", Width: 6, Right: true}, colDigest: {Title: "DIGEST", Width: 12}, colVerdict: {Title: "DOCKER PULL", Flex: 4, Min: 24},
}

func (s *indexScreen) cell(row, c int) (string, lipgloss.Style) {
	col := s.cols[c]
	st := s.c.styles
	i := s.rows[row]
	if col >= colTargets {
		return s.fleetCell(i, col)
	}
	e := s.tree.Root.Entries[i]
	var em model.EntryMatch
	if s.an.Primary != nil && i < len(s.an.Primary.Entries) {
		em = s.an.Primary.Entries[i]
	}
	dim := e.Kind == model.KindAttestation || e.Kind == model.KindArtifact
	base := st.Text
	if dim {
		base = st.Faint
	}
	child := s.tree.Children[e.Digest]
	switch col {
	case colTargets, colTarget: // a fleet's: fleetCell, above
	case colMark:
		return verdictMark(em.Verdict), verdictStyle(st, em.Verdict)
	case colPlatform:
		if m := s.diffMark(s.ref.WithDigest(e.Digest)); m != "" {
			return m + s.platformText(e), st.Accent
		}
		return s.platformText(e), base
	case colOSVersion:
		return entryOSVersion(e), base
	case colKind:
		return string(e.Kind), kindStyle(st, e.Kind)
	case colSize:
		// Not e.Size: that is the manifest's own, another measure.
		if child == nil || child.Kind == model.KindIndex {
			return "-", st.Faint
		}
		return model.HumanSize(model.Image{Manifest: child}.CompressedSize()), base
	case colUnpacked:
		if n, ok := s.unpacked[e.Digest]; ok {
			return n, base
		}
		return "", base
	case colLayers:
		if child != nil && child.Kind != model.KindIndex {
			return itoa(len(child.Layers)), base
		}
		return "", base
	case colShared:
		if n := s.sizes.Shared[e.Digest]; n > 0 {
			return itoa(n), st.Accent
		}
		return "", base
	case colDigest:
		return model.ShortDigest(e.Digest), st.Faint
	case colVerdict:
		if err := s.tree.Errors[e.Digest]; err != nil {
			return "✗ " + registry.ShortError(err), st.Error
		}
		if e.Kind == model.KindAttestation {
			return s.attestationText(e), st.Faint
		}
		return verdictText(em), verdictStyle(st, em.Verdict)
	}
	return "", base
}

// attestationText says what an attestation entry is about and holds.
func (s *indexScreen) attestationText(e model.Entry) string {
	if child := s.tree.Children[e.Digest]; child != nil {
		if p := child.Predicates(); len(p) > 0 {
			return strings.Join(p, ", ") + " (never pulled)"
		}
	}
	return "attestation, never pulled"
}

// platformText is the PLATFORM cell: an attestation shows the platform
// of the image it is about.
func (s *indexScreen) platformText(e model.Entry) string {
	if e.Kind == model.KindAttestation {
		return "→ " + s.subjectPlatform(e.Subject)
	}
	return e.PlatformString()
}

func (s *indexScreen) subjectPlatform(subject string) string {
	for _, e := range s.tree.Root.Entries {
		if e.Digest == subject {
			return e.PlatformString()
		}
	}
	return model.ShortDigest(subject)
}

func verdictMark(v model.Verdict) string {
	switch v {
	case model.Selected:
		return "✓"
	case model.Compatible:
		return "~"
	case model.Incompatible:
		return "✗"
	}
	return " "
}

func verdictStyle(st styles, v model.Verdict) lipgloss.Style {
	switch v {
	case model.Selected:
		return st.Success
	case model.Compatible:
		return st.Warning
	default: // incompatible: no mark
	}
	return st.Faint
}

func verdictText(em model.EntryMatch) string {
	reason := ""
	if len(em.Reasons) > 0 {
		reason = em.Reasons[0]
	}
	switch em.Verdict {
	case model.Selected:
		return "selected: " + reason
	case model.Compatible:
		return "compatible #" + itoa(em.Rank) + ": " + reason
	default: // incompatible: the reason alone
	}
	return reason
}

func joinMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortStrings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return strings.Join(parts, ", ")
}
