package ui

import (
	"context"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"platypus/model"
)

// ManifestScreen shows what a tag or digest holds: an index (entries with
// Docker's verdicts) or an image (config, layers and history), loading the
// children and configs in parallel.
type ManifestScreen struct {
	base
	ref    model.Reference
	crumb  string
	users  map[string]int // layer digest → images of the parent index using it
	state  loadState
	err    error
	seq    int
	spin   spinner.Model
	tree   *model.Tree
	an     model.Analysis
	sizes  model.SizeReport
	table  Table
	filter filter
	rows   []int // index entries shown, after the filter
	// indexCols are the index table's columns (os.version only when used).
	indexCols []indexCol
	pane      int // image: which lower pane
	// layerRows caches the image's layers aligned with its history.
	layerRows []model.LayerRow
}

// NewManifestScreen returns the screen for ref. users, when opened from an
// index, counts which layers the index's images share.
func NewManifestScreen(ref model.Reference, crumb string, users map[string]int) screenMaker {
	return func(ctx context.Context, c *Common, id int) Screen {
		s := &ManifestScreen{base: newBase(ctx, c, id), ref: ref, crumb: crumb, users: users, spin: newSpinner(), filter: newFilter()}
		s.host = ref.Registry
		return s
	}
}

func (s *ManifestScreen) Init() tea.Cmd {
	s.state, s.err, s.seq = loading, nil, s.seq+1
	return tea.Batch(s.spin.Tick, loadTree(s.ctx, s.c.Client, s.id, s.seq, s.ref, true))
}

func (s *ManifestScreen) Crumb() string {
	if s.crumb != "" {
		return s.crumb
	}
	if s.ref.Tag != "" {
		return s.ref.Tag
	}
	return model.ShortDigest(s.ref.Digest)
}

func (s *ManifestScreen) Capturing() bool { return s.filter.active }

func (s *ManifestScreen) HandleBack() bool {
	if s.filter.clear() {
		s.rebuildRows()
		return true
	}
	return false
}

func (s *ManifestScreen) Ref() (model.Reference, bool) {
	if s.tree == nil {
		return s.ref, s.ref.Digest != ""
	}
	return s.ref.WithDigest(s.tree.Root.Digest), true
}

func (s *ManifestScreen) isIndex() bool { return s.tree != nil && s.tree.Root.IsIndex() }

func (s *ManifestScreen) Bindings() []key.Binding {
	km := s.c.Keys
	if s.state != ready {
		return []key.Binding{km.Refresh}
	}
	var b []key.Binding
	if s.c.Drafting {
		b = append(b, km.AddToDraft)
	}
	if s.isIndex() {
		return append(b, km.Enter, km.Diagnose, km.Platform, km.Raw, km.Referrers, km.Filter, km.Refresh, km.Compose)
	}
	return append(b, km.NextPane, km.Raw, km.RawConfig, km.Referrers, km.Platform, km.Refresh)
}

func (s *ManifestScreen) SetSize(w, h int) {
	narrow := (s.w < narrowWidth) != (w < narrowWidth)
	s.w, s.h = w, h
	if narrow && s.state == ready && s.isIndex() {
		s.setupTable()
	}
	s.layout()
}

// narrowWidth is below where the index table drops its LAYERS, SHARED and
// DIGEST columns so platforms and verdicts stay readable.
const narrowWidth = 90

func (s *ManifestScreen) layout() {
	head := s.headerHeight()
	if s.isIndex() {
		head += detailLines
	}
	s.table.SetSize(s.w, max(s.h-head-1, 3))
}

func (s *ManifestScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case treeMsg:
		if msg.seq != s.seq {
			return s, nil
		}
		if msg.err != nil {
			s.state, s.err = failed, msg.err
			return s, nil
		}
		s.state, s.tree = ready, msg.tree
		s.sizes = s.tree.Sizes()
		s.analyze()
		s.setupTable()
		return s, nil
	case retargetMsg:
		s.analyze()
		return s, nil
	case spinner.TickMsg:
		return s, tick(&s.spin, s.state == loading, msg)
	case tea.KeyMsg:
		return s, s.key(msg)
	case tea.MouseMsg:
		return s, s.mouse(msg)
	}
	return s, nil
}

func (s *ManifestScreen) analyze() {
	if s.tree == nil {
		return
	}
	s.an = model.Analyze(s.tree.Root, s.c.Target, s.tree.Children, s.tree.Configs)
}

func (s *ManifestScreen) key(msg tea.KeyMsg) tea.Cmd {
	km := s.c.Keys
	if s.filter.active {
		cmd, changed := s.filter.update(msg)
		if changed {
			s.rebuildRows()
		}
		return cmd
	}
	switch {
	case key.Matches(msg, km.Refresh):
		return s.Init()
	case s.state != ready:
		return nil
	case s.table.HandleKey(msg, km):
		return nil
	case key.Matches(msg, km.Raw):
		return push(NewRawScreen(s.ref.WithDigest(s.tree.Root.Digest), "manifest", s.tree.Root.MediaType, s.tree.Root.Raw))
	case key.Matches(msg, km.Referrers):
		return push(NewReferrersScreen(s.ref.WithDigest(s.tree.Root.Digest)))
	case key.Matches(msg, km.Compose):
		if s.ref.Tag != "" && s.ref.Digest == "" {
			return push(NewComposerScreen(s.ref, true, nil))
		}
		return push(NewComposerScreen(s.ref.RepoOnly().WithTag(model.DefaultTag), false, []model.Reference{s.ref.WithDigest(s.tree.Root.Digest)}))
	}
	if s.isIndex() {
		return s.indexKey(msg)
	}
	return s.imageKey(msg)
}

func (s *ManifestScreen) mouse(msg tea.MouseMsg) tea.Cmd {
	if s.state != ready {
		return nil
	}
	if s.table.HandleKey(msg, s.c.Keys) {
		return nil
	}
	if s.table.Click(msg, msg.Y-s.headerHeight()-1) && s.isIndex() {
		return s.openEntry()
	}
	return nil
}

func (s *ManifestScreen) setupTable() {
	if s.isIndex() {
		s.indexCols = []indexCol{colMark, colPlatform}
		for _, e := range s.tree.Root.Entries {
			if entryOSVersion(e) != "" {
				s.indexCols = append(s.indexCols, colOSVersion)
				break
			}
		}
		s.indexCols = append(s.indexCols, colKind, colSize)
		if s.w >= narrowWidth {
			s.indexCols = append(s.indexCols, colLayers, colShared, colDigest)
		}
		s.indexCols = append(s.indexCols, colVerdict)
		s.table.Cols = nil
		s.table.NoPad = true
		for _, c := range s.indexCols {
			s.table.Cols = append(s.table.Cols, indexColumns[c])
		}
		s.rebuildRows()
	} else {
		s.table.NoPad = false
		s.setupPane()
	}
	s.layout()
}

func (s *ManifestScreen) View() string {
	st := s.c.Styles
	switch s.state {
	case loading:
		return loadingView(st, s.spin, s.ref.String())
	case failed:
		return errorView(st, s.err, s.w)
	}
	if s.isIndex() {
		return s.indexView()
	}
	return s.imageView()
}

func (s *ManifestScreen) headerHeight() int {
	if s.state != ready {
		return 0
	}
	if s.isIndex() {
		return countLines(s.indexHeader())
	}
	return countLines(s.imageHeader()) + 1
}
