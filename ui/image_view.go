package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"platypus/model"
)

// The panes below an image's summary.
const (
	paneLayers = iota
	paneEnv
	paneLabels
	paneAnnotations
	paneCount
)

var paneNames = [paneCount]string{"Layers", "Env", "Labels", "Annotations"}

func (s *ManifestScreen) image() model.Image {
	return s.tree.Image(s.tree.Root.Digest)
}

func (s *ManifestScreen) imageKey(msg tea.KeyMsg) tea.Cmd {
	km := s.c.Keys
	switch {
	case key.Matches(msg, km.AddToDraft):
		return addToDraft(s.ref.WithDigest(s.tree.Root.Digest))
	case key.Matches(msg, km.NextPane):
		s.pane = (s.pane + 1) % paneCount
		s.setupPane()
	case key.Matches(msg, km.RawConfig):
		cfg := s.image().Config
		if cfg == nil {
			return status("this manifest has no image config", true)
		}
		return push(NewRawScreen(s.ref.RepoOnly().WithDigest(s.tree.Root.Config.Digest), "config", s.tree.Root.Config.MediaType, cfg.Raw))
	}
	return nil
}

func (s *ManifestScreen) setupPane() {
	if s.pane == paneLayers {
		s.table.Cols = []Column{
			{Title: "#", Width: 3, Right: true}, {Title: "SIZE", Width: 8, Right: true}, {Title: "SHARED", Width: 6},
			{Title: "MEDIA TYPE", Width: 12}, {Title: "CREATED BY", Flex: 1},
		}
		s.layerRows = s.image().Rows()
		s.table.SetLen(len(s.layerRows))
	} else {
		s.table.Cols = []Column{{Title: "KEY", Flex: 1}, {Title: "VALUE", Flex: 2}}
		s.table.SetLen(len(s.pairs()))
	}
	s.table.SetCursor(0)
	s.layout()
}

// pairs are the key/value rows of the Env, Labels or Annotations pane.
func (s *ManifestScreen) pairs() [][2]string {
	img := s.image()
	var out [][2]string
	switch s.pane {
	case paneEnv:
		if img.Config != nil {
			for _, e := range img.Config.Env {
				k, v, _ := strings.Cut(e, "=")
				out = append(out, [2]string{k, v})
			}
		}
	case paneLabels:
		if img.Config != nil {
			out = sortedPairs(img.Config.Labels)
		}
	case paneAnnotations:
		out = sortedPairs(s.tree.Root.Annotations)
	}
	return out
}

func sortedPairs(m map[string]string) [][2]string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortStrings(keys)
	out := make([][2]string, len(keys))
	for i, k := range keys {
		out[i] = [2]string{k, m[k]}
	}
	return out
}

func (s *ManifestScreen) imageHeader() string {
	st := s.c.Styles
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
		switch i {
		case paneEnv, paneLabels, paneAnnotations:
			saved := s.pane
			s.pane = i
			count = " (" + itoa(len(s.pairs())) + ")"
			s.pane = saved
		}
		if i == s.pane {
			tabs = append(tabs, st.Crumb.Render("["+n+count+"]"))
		} else {
			tabs = append(tabs, st.Faint.Render(" "+n+count+" "))
		}
	}
	lines = append(lines, "", fitLine(strings.Join(tabs, " ")+st.Faint.Render("   tab: next pane"), s.w))
	return strings.Join(lines, "\n")
}

// singleVerdict says whether the target runs a single image.
func (s *ManifestScreen) singleVerdict() string {
	if s.an.Single == nil {
		return ""
	}
	if s.an.Single.Verdict == model.Selected {
		return "  ✓ runs on " + s.c.Target.Platform.Display()
	}
	return "  ✗ not " + s.c.Target.Platform.Display()
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

func (s *ManifestScreen) imageView() string {
	if s.pane != paneLayers && s.table.Len == 0 {
		return s.imageHeader() + "\n\n" + s.c.Styles.Faint.Render("  none")
	}
	return s.imageHeader() + "\n" + s.table.View(s.c.Styles, s.imageCell)
}

func (s *ManifestScreen) imageCell(row, col int) (string, lipgloss.Style) {
	st := s.c.Styles
	if s.pane != paneLayers {
		p := s.pairs()[row]
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
