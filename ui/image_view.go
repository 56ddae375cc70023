package ui

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
)

// compactBelow is the screen height under which the image's summary
// shrinks to its platform and size, so the panes keep their rows.
const compactBelow = 24

func (s *imageScreen) imageHeader() string {
	st := s.c.styles
	img := s.image()
	m := img.Manifest
	ref := s.ref.WithDigest(m.Digest)
	lines := []string{st.Header.Render(fitLine(ref.String(), s.w))}
	if mark := s.diffMark(ref); mark != "" {
		// Marked for a diff: said first, so a narrow terminal keeps it.
		lines[0] = st.Accent.Render(mark) + st.Header.Render(fitLine(ref.String(), s.w-len(mark)))
	}
	if v := s.check.verdict(st, s.keys.Check.Help().Key); v != "" {
		// As on the index screen: beside the reference when both fit.
		if ansi.StringWidth(lines[0])+ansi.StringWidth(v)+2 <= s.w {
			lines[0] = joinEnds(lines[0], v, s.w)
		} else {
			lines = append(lines, fitStyled(v, s.w))
		}
	}
	pairs := [][2]string{{"kind", string(m.Kind) + " · " + m.MediaType}}
	if m.ArtifactType != "" {
		pairs = append(pairs, [2]string{"artifact type", m.ArtifactType})
	}
	if m.Subject != nil {
		pairs = append(pairs, [2]string{"subject", m.Subject.Digest})
	}
	if c := img.Config; c != nil && (s.pane == paneFiles || s.h < compactBelow) {
		// The tree (or a short terminal) needs the room: the platform and
		// sizes are enough here; V shows the whole config.
		pairs = [][2]string{{"platform", c.Platform.Display() + s.singleVerdict()}}
		if len(s.verdicts) > 0 {
			// A fleet's verdict on a line of its own: the names fit.
			pairs = [][2]string{{"platform", c.Platform.Display()}, {"targets", s.fleetSummary(false)}}
		}
		pairs = append(pairs, [2]string{"size", s.sizeLine()})
	} else if c != nil {
		pairs = append(pairs, [2]string{"platform", c.Platform.Display() + s.singleVerdict()})
		pairs = append(pairs, s.fleetPairs()...)
		pairs = append(pairs,
			[2]string{"created", model.FormatTime(c.Created)},
			[2]string{"author", c.Author},
			[2]string{"size", s.sizeLine()},
			[2]string{"entrypoint", quoteArgs(c.Entrypoint)},
			[2]string{"cmd", quoteArgs(c.Cmd)},
			[2]string{"working dir", c.WorkingDir},
			[2]string{"user", c.User},
			[2]string{"ports", strings.Join(c.ExposedPorts, " ")},
			[2]string{"volumes", strings.Join(c.Volumes, " ")},
			[2]string{"stop signal", c.StopSignal},
		)
	} else {
		pairs = append(pairs, [2]string{"size", s.sizeSplit(plural(len(m.Layers), "blob"))})
		if err := s.tree.ConfigErrors[m.Digest]; err != nil {
			pairs = append(pairs, [2]string{"config", "✗ " + err.Error()})
		}
	}
	lines = append(lines, kv(st, s.w, pairs...))
	labels := append([]string(nil), paneNames[:]...) // a copy: the counts are this screen's
	for i := range labels {
		if i != paneLayers && i != paneFiles {
			labels[i] += " (" + itoa(len(s.panePairs(i))) + ")"
		}
	}
	lines = append(lines, "", tabLine(st, labels, s.pane, "tab: next pane", s.w))
	return strings.Join(lines, "\n")
}

// singleVerdict says whether the target runs a single image; for a
// fleet, whether every target does.
func (s *imageScreen) singleVerdict() string {
	if len(s.verdicts) > 0 {
		return "  " + s.fleetSummary(true)
	}
	if s.an.Single == nil {
		return ""
	}
	v := "  ✗ not " + s.target.Platform.Display()
	if s.an.Single.Verdict == model.Selected {
		v = "  ✓ runs on " + s.target.Platform.Display()
	}
	if o := s.an.SingleOther; o != nil {
		other := "pulls it"
		if o.Verdict != model.Selected {
			other = "refuses it"
		}
		v += " (" + string(s.an.SingleStore) + " store; Docker's " + string(model.StoreContainerd) + " store " + other + ")"
	}
	return v
}

func quoteArgs(a []string) string {
	if len(a) == 0 {
		return ""
	}
	q := make([]string, len(a))
	for i, s := range a {
		q[i] = `"` + s + `"`
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// sizeLine is the image's size, unpacked and efficiency once the layers
// were read.
func (s *imageScreen) sizeLine() string {
	img := s.image()
	line := s.sizeSplit(plural(len(img.Manifest.Layers), "layer"))
	if fs := s.reading().fs; fs != nil {
		line += ", " + model.ApproxSize(fs.Uncompressed(), fstree.UncompressedEstimated(fs.Layers)) + " unpacked; efficiency " + percent(fs.View.Waste.Efficiency) +
			" (" + model.HumanSize(fs.View.Waste.Wasted) + " wasted on files later layers replace or remove)"
	}
	return line
}

// sizeSplit is the image's size as every screen counts it, config+layers,
// and what makes it up: "51.6kB = config 2.1kB + 3 layers 49.5kB". blobs
// names the layers ("3 layers", "1 blob").
func (s *imageScreen) sizeSplit(blobs string) string {
	m := s.image().Manifest
	line := model.HumanSize(s.image().CompressedSize()) + " = "
	if m.Config != nil {
		line += "config " + model.HumanSize(m.Config.Size) + " + "
	}
	return line + blobs + " " + model.HumanSize(m.LayersSize())
}

func percent(f float64) string {
	return strconv.FormatFloat(f*100, 'f', 1, 64) + "%"
}

func (s *imageScreen) View() string {
	st := s.c.styles
	switch {
	case s.pane == paneFiles:
		return s.header + "\n" + s.filesView()
	case s.pane != paneLayers && s.table.Len() == 0:
		return s.header + "\n\n" + st.Faint.Render("  none")
	}
	return s.header + "\n" + s.table.View()
}

// filesView is the Files pane: which view, then the tree.
func (s *imageScreen) filesView() string {
	st := s.c.styles
	switch {
	case s.reading().err != nil:
		return errorView(st, s.c.Keys, s.reading().err, s.w)
	case s.reading().fs == nil:
		return ""
	}
	tree := s.files.View()
	if tree == "" {
		tree = loadingView(st, s.spin, "layer "+itoa(s.view))
	}
	return s.filesLine + "\n" + tree
}

// viewLine says what the Files pane shows: every layer, or one layer
// with its counts of changes and the history line that made it.
func (s *imageScreen) viewLine() string {
	st := s.c.styles
	fs := s.reading().fs
	if fs == nil {
		return ""
	}
	var line string
	if s.view < 0 {
		line = st.Accent.Render("all layers") + st.Faint.Render(" · what a container sees: "+plural(fs.Tree.Files(fstree.Root), "file")+", "+
			model.HumanSize(fs.Tree.Size(fstree.Root))) + tocMark(st, fs.Layers) + st.Faint.Render(" · ] steps through the layers")
	} else {
		l := fs.Layers[s.view]
		line = st.Accent.Render("layer "+itoa(s.view)) + st.Faint.Render(" · "+itoa(s.view+1)+" of "+itoa(len(fs.Layers))) + " "
		if v, ok := s.views[s.view]; ok {
			n := func(change string) string { return model.Thousands(v.counts[change]) }
			line += st.Success.Render("+"+n(fstree.Added)) + " " + st.Warning.Render("~"+n(fstree.Modified)) + " " +
				st.Error.Render("-"+n(fstree.Removed))
		}
		line += st.Faint.Render(" · "+model.HumanSize(s.tree.Root.Layers[s.view].Size)+" compressed, "+model.ApproxSize(l.Uncompressed, l.UncompressedEstimated)+" unpacked") +
			tocMark(st, fs.Layers[s.view:s.view+1])
		if by := s.createdBy(s.view); by != "" {
			return fitStyled(line, s.w) + "\n" + st.Faint.Render(fitLine("created by "+by, s.w))
		}
	}
	return fitStyled(line, s.w)
}

// createdBy is the history line that made layer n, if the config says.
func (s *imageScreen) createdBy(n int) string {
	for _, r := range s.layerRows {
		if r.Layer != nil && r.Index == n && r.History != nil {
			return r.History.CreatedBy
		}
	}
	return ""
}

func (s *imageScreen) cell(row, col int) (string, lipgloss.Style) {
	st := s.c.styles
	if s.pane != paneLayers {
		p := s.pairs[row]
		if col == 0 {
			return p[0], st.Accent
		}
		return p[1], st.Text
	}
	r := s.layerRows[row]
	if s.blobs() && r.Layer != nil {
		switch col {
		case 0:
			return itoa(r.Index), st.Faint
		case 1:
			return model.HumanSize(r.Layer.Size), st.Text
		case 2:
			return r.Layer.MediaType, st.Faint
		case 3:
			return model.ShortDigest(r.Layer.Digest), st.Faint
		}
		return r.Layer.Annotations["org.opencontainers.image.title"], st.Text
	}
	if r.Layer == nil {
		switch col {
		case 0, 1:
			return "-", st.Faint
		case 4:
			return "(empty)", st.Faint
		case 5:
			return r.History.CreatedBy, st.Faint
		}
		return "", st.Faint
	}
	switch col {
	case 0:
		return itoa(r.Index), st.Faint
	case 1:
		return model.HumanSize(r.Layer.Size), st.Text
	case 2:
		if fs := s.reading().fs; fs != nil && r.Index < len(fs.Layers) {
			l := fs.Layers[r.Index]
			return model.ApproxSize(l.Uncompressed, l.UncompressedEstimated), st.Faint
		}
		return "", st.Faint
	case 3:
		if s.users[r.Layer.Digest] > 1 {
			return "×" + itoa(s.users[r.Layer.Digest]), st.Accent
		}
		return "", st.Text
	case 4:
		return model.ShortMediaType(r.Layer.MediaType), st.Faint
	case 5:
		if r.History == nil {
			return "(no history line)", st.Faint
		}
		return r.History.CreatedBy, st.Text
	}
	return "", st.Text
}
