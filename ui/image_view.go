package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"platypus/model"
)

func (s *imageScreen) imageHeader() string {
	st := s.c.styles
	img := s.image()
	m := img.Manifest
	lines := []string{st.Header.Render(fitLine(s.ref.WithDigest(m.Digest).String(), s.w))}
	pairs := [][2]string{{"kind", string(m.Kind) + " · " + m.MediaType}}
	if m.ArtifactType != "" {
		pairs = append(pairs, [2]string{"artifact type", m.ArtifactType})
	}
	if m.Subject != nil {
		pairs = append(pairs, [2]string{"subject", m.Subject.Digest})
	}
	if c := img.Config; c != nil {
		pairs = append(pairs,
			[2]string{"platform", c.Platform.Display() + s.singleVerdict()},
			[2]string{"created", model.FormatTime(c.Created)},
			[2]string{"author", c.Author},
			[2]string{"size", model.HumanSize(img.CompressedSize()) + " compressed in " + plural(len(m.Layers), "layer")},
			[2]string{"entrypoint", quoteArgs(c.Entrypoint)},
			[2]string{"cmd", quoteArgs(c.Cmd)},
			[2]string{"working dir", c.WorkingDir},
			[2]string{"user", c.User},
			[2]string{"ports", strings.Join(c.ExposedPorts, " ")},
			[2]string{"volumes", strings.Join(c.Volumes, " ")},
			[2]string{"stop signal", c.StopSignal},
		)
	} else {
		pairs = append(pairs, [2]string{"size", model.HumanSize(img.CompressedSize()) + " in " + plural(len(m.Layers), "blob")})
		if err := s.tree.ConfigErrors[m.Digest]; err != nil {
			pairs = append(pairs, [2]string{"config", "✗ " + err.Error()})
		}
	}
	lines = append(lines, kv(st, s.w, pairs...))
	var tabs []string
	for i, n := range paneNames {
		count := ""
		if i != paneLayers {
			count = " (" + itoa(len(s.panePairs(i))) + ")"
		}
		if i == s.pane {
			tabs = append(tabs, st.Crumb.Render("["+n+count+"]"))
		} else {
			tabs = append(tabs, st.Faint.Render(" "+n+count+" "))
		}
	}
	lines = append(lines, "", fitStyled(strings.Join(tabs, " ")+st.Faint.Render("   tab: next pane"), s.w))
	return strings.Join(lines, "\n")
}

// singleVerdict says whether the target runs a single image.
func (s *imageScreen) singleVerdict() string {
	if s.an.Single == nil {
		return ""
	}
	if s.an.Single.Verdict == model.Selected {
		return "  ✓ runs on " + s.target.Platform.Display()
	}
	return "  ✗ not " + s.target.Platform.Display()
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

func (s *imageScreen) View() string {
	if s.pane != paneLayers && s.table.Len() == 0 {
		return s.header + "\n\n" + s.c.styles.Faint.Render("  none")
	}
	return s.header + "\n" + s.table.View()
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
	if r.Layer == nil {
		switch col {
		case 0, 1:
			return "-", st.Faint
		case 3:
			return "(empty)", st.Faint
		case 4:
			return r.History.CreatedBy, st.Faint
		}
		return "", st.Faint
	}
	switch col {
	case 0:
		return itoa(r.Index + 1), st.Faint
	case 1:
		return model.HumanSize(r.Layer.Size), st.Text
	case 2:
		if s.users[r.Layer.Digest] > 1 {
			return "×" + itoa(s.users[r.Layer.Digest]), st.Accent
		}
		return "", st.Text
	case 3:
		return model.ShortMediaType(r.Layer.MediaType), st.Faint
	case 4:
		if r.History == nil {
			return r.Layer.Digest, st.Faint
		}
		return r.History.CreatedBy, st.Text
	}
	return "", st.Text
}
