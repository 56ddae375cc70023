package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"platypus/model"
)

// imageScreen shows one image (or artifact): its config summary, then a
// pane of layers aligned with history, env, labels or annotations.
type imageScreen struct {
	base
	opened
	an    model.Analysis
	table table
	pane  int
	keys  KeyMap
	// layerRows are the image's layers aligned with its history.
	layerRows []model.LayerRow
	// pairs are the rows of the Env, Labels or Annotations pane.
	pairs  [][2]string
	header string
	// copying copies what is shown elsewhere (C).
	copying copyTask
	spin    spinner.Model
}

func newImageScreen(b base, o opened) *imageScreen {
	s := &imageScreen{base: b, opened: o, copying: newCopyTask(), spin: newSpinner(), keys: b.c.Keys}
	s.table = newTable(b.c.styles, b.c.Keys, withCells(s.cell))
	s.layerRows = s.image().Rows()
	s.analyze()
	s.setPane(paneLayers)
	s.updateKeys()
	return s
}

func (s *imageScreen) image() model.Image { return s.tree.Image(s.tree.Root.Digest) }

func (s *imageScreen) Init() tea.Cmd { return nil }

func (s *imageScreen) Capturing() bool { return s.copying.Capturing() }

func (s *imageScreen) HandleBack() (bool, tea.Cmd) {
	if s.copying.cancel(&s.base) {
		s.layout()
		return true, status("copy cancelled", false)
	}
	return false, nil
}

func (s *imageScreen) Ref() (model.Reference, bool) { return s.reference() }

func (s *imageScreen) Bindings() []key.Binding {
	k := s.keys
	return []key.Binding{k.AddToDraft, k.NextPane, k.Raw, k.RawConfig, k.Referrers, k.Platform, k.Refresh, k.Compose, k.CopyTo}
}

func (s *imageScreen) updateKeys() {
	enable(s.drafting, &s.keys.AddToDraft)
	enable(s.image().Config != nil, &s.keys.RawConfig)
	enable(!s.copying.busy(), &s.keys.CopyTo)
}

func (s *imageScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.layout()
}

func (s *imageScreen) layout() {
	s.header = s.imageHeader()
	if line := s.copying.View(s.c.styles, s.spin.View(), s.w); line != "" {
		s.header += "\n" + line
	}
	s.table.SetSize(s.w, max(s.h-countLines(s.header)-1, 3))
}

func (s *imageScreen) analyze() {
	s.an = model.Analyze(s.tree.Root, s.target, s.tree.Children, s.tree.Configs)
}

func (s *imageScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && !s.Capturing() && !s.copying.busy() && key.Matches(k, s.keys.Refresh) {
		l := reload(s.base, s.opened)
		l.SetSize(s.w, s.h)
		return l, l.Init()
	}
	wasBusy := s.copying.busy()
	cmd := s.update(msg)
	if s.copying.busy() && !wasBusy {
		cmd = tea.Batch(cmd, s.spin.Tick)
	}
	s.updateKeys()
	s.layout()
	return s, cmd
}

func (s *imageScreen) update(msg tea.Msg) tea.Cmd {
	k := s.keys
	if k, ok := msg.(tea.KeyMsg); ok && s.copying.Capturing() {
		return s.copying.key(&s.base, k)
	}
	switch msg := msg.(type) {
	case retargetMsg:
		s.analyze()
	case reply:
		return s.copying.reply(&s.base, msg)
	case spinner.TickMsg:
		return tick(&s.spin, s.copying.busy(), msg)
	case tea.MouseMsg:
		s.table, _ = s.table.Update(msg)
	case tea.KeyMsg:
		switch {
		case s.table.handles(msg):
			s.table, _ = s.table.Update(msg)
		case key.Matches(msg, k.NextPane):
			s.setPane((s.pane + 1) % paneCount)
		case key.Matches(msg, k.AddToDraft):
			return addToDraft(s.ref.WithDigest(s.tree.Root.Digest))
		case key.Matches(msg, k.Raw):
			return push(newRawScreen(s.ref.WithDigest(s.tree.Root.Digest), "manifest", s.tree.Root.MediaType, s.tree.Root.Raw))
		case key.Matches(msg, k.RawConfig):
			return push(newRawScreen(s.ref.RepoOnly().WithDigest(s.tree.Root.Config.Digest), "config", s.tree.Root.Config.MediaType, s.image().Config.Raw))
		case key.Matches(msg, k.Referrers):
			return push(newReferrersScreen(s.ref.WithDigest(s.tree.Root.Digest)))
		case key.Matches(msg, k.Compose):
			return composeFrom(s.opened)
		case key.Matches(msg, k.CopyTo):
			return s.copying.start(s.ref.WithDigest(s.tree.Root.Digest))
		}
	}
	return nil
}

// The panes below an image's summary.
const (
	paneLayers = iota
	paneEnv
	paneLabels
	paneAnnotations
	paneCount
)

var paneNames = [paneCount]string{"Layers", "Env", "Labels", "Annotations"}

func (s *imageScreen) setPane(p int) {
	s.pane = p
	if p == paneLayers {
		s.table.SetColumns(
			column{Title: "#", Width: 3, Right: true}, column{Title: "SIZE", Width: 8, Right: true}, column{Title: "SHARED", Width: 6},
			column{Title: "MEDIA TYPE", Width: 12}, column{Title: "CREATED BY", Flex: 1},
		)
		s.table.SetLen(len(s.layerRows))
	} else {
		s.pairs = s.panePairs(p)
		s.table.SetColumns(column{Title: "KEY", Flex: 1}, column{Title: "VALUE", Flex: 2})
		s.table.SetLen(len(s.pairs))
	}
	s.table.SetCursor(0)
	s.layout()
}

// panePairs are the key/value rows of the Env, Labels or Annotations pane.
func (s *imageScreen) panePairs(p int) [][2]string {
	img := s.image()
	var out [][2]string
	switch p {
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
