package ui

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry"
)

// imageScreen shows one image (or artifact): its config summary, then a
// pane of layers aligned with history, its files, env, labels or
// annotations.
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
	// The Files pane, and which view it shows: the merged filesystem (-1)
	// or one layer's changes.
	files *filesPane
	view  int
	views map[int]layerView
	// filesLine says what the Files pane shows, above the tree.
	filesLine string
	// check is the release check of the image (see checks).
	check checkState
	// verdicts are the fleet's targets' verdicts on the image (nil: one
	// target, s.an's).
	verdicts []model.FleetVerdict
}

// layerView is one layer's changes, built once.
type layerView struct {
	root   *fstree.Tree
	counts map[string]int
}

func newImageScreen(b base, o opened) *imageScreen {
	s := &imageScreen{base: b, opened: o, copying: newCopyTask(b.c.Keys.copyKeys()), spin: newSpinner(), keys: b.c.Keys, view: -1, views: map[int]layerView{}}
	s.files = newFilesPane(&s.base, layersTask{key: "image", what: "layers"})
	s.table = newTable(&b.c.styles, b.c.Keys.tableKeys(), withCells(s.cell))
	s.layerRows = s.image().Rows()
	s.analyze()
	s.setPane(paneLayers)
	s.updateKeys()
	return s
}

func (s *imageScreen) image() model.Image { return s.tree.Image(s.tree.Root.Digest) }

// blobs tells whether the Layers pane lists an artifact's blobs rather
// than an image's layers.
func (s *imageScreen) blobs() bool { return s.tree.Root.Kind != model.KindImage }

// Init opens the pane the screen was asked for (Files reads the layers),
// and after a reload runs again a filter job the loader cancelled.
func (s *imageScreen) Init() tea.Cmd {
	cmd := tea.Batch(s.files.resume(), s.startCheck())
	if s.opened.pane == paneFiles && s.files.root == nil {
		cmd = tea.Batch(cmd, s.showFiles(s.view))
	}
	if s.busy() {
		cmd = tea.Batch(cmd, s.spin.Tick)
	}
	s.updateKeys()
	s.layout()
	return cmd
}

func (s *imageScreen) Capturing() bool {
	return s.copying.Capturing() || (s.pane == paneFiles && s.files.Capturing())
}

func (s *imageScreen) HandleBack() (bool, tea.Cmd) {
	if s.copying.cancel(&s.base) {
		s.layout()
		return true, status("copy cancelled", false)
	}
	ok, cmd := s.files.back(&s.base, s.pane == paneFiles)
	if ok {
		s.layout()
	}
	return ok, cmd
}

func (s *imageScreen) Ref() (model.Reference, bool) { return s.reference() }

// DiffTarget is the image shown.
func (s *imageScreen) DiffTarget() (diffSide, bool) {
	ref := s.ref.WithDigest(s.tree.Root.Digest)
	extra := ""
	if c := s.image().Config; c != nil {
		extra = c.Platform.Display()
	}
	return diffSide{ref: ref, label: sideLabel(s.ref, extra)}, true
}

// CopyText copies the path under the cursor on the Files pane.
func (s *imageScreen) CopyText() (string, bool) {
	if s.pane == paneFiles {
		return s.files.CopyText()
	}
	return "", false
}

func (s *imageScreen) Bindings() []key.Binding {
	k := s.keys
	out := []key.Binding{k.NextPane}
	if s.pane == paneFiles {
		out = append(out, s.files.bindings(k.Show)...)
		out = append(out, k.PrevLayer, k.NextLayer)
	} else {
		out = append(out, k.Files, k.Enter)
	}
	return append(out, k.AddToDraft, k.Raw, k.RawConfig, k.Referrers, k.Platform, k.Refresh, k.Compose, k.CopyTo, k.DiffMark, k.Diff, k.Check)
}

func (s *imageScreen) updateKeys() {
	k := &s.keys
	enable(s.drafting, &k.AddToDraft)
	enable(s.image().Config != nil, &k.RawConfig)
	enable(!s.copying.busy(), &k.CopyTo)
	hasLayers := s.tree.Root.Kind == model.KindImage && len(s.tree.Root.Layers) > 0
	enable(hasLayers, &k.Files)
	enable(hasLayers && s.pane == paneLayers, &k.Enter)
	enable(s.pane == paneFiles && s.files.read(), &k.PrevLayer, &k.NextLayer, &k.Show)
	enable(s.check.running || s.check.done || s.check.err != nil, &k.Check)
}

func (s *imageScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.layout()
}

func (s *imageScreen) layout() {
	s.header = s.imageHeader()
	for _, line := range []string{s.copying.View(s.c.styles, s.spin.View(), s.w), s.reading().View(s.c.styles, s.keys.Back, s.spin.View(), s.w)} {
		if line != "" {
			s.header += "\n" + line
		}
	}
	rest := max(s.h-countLines(s.header)-1, 3)
	s.table.SetSize(s.w, rest)
	s.filesLine = s.viewLine()
	s.files.SetSize(s.w, rest-countLines(s.filesLine))
}

func (s *imageScreen) analyze() {
	s.an = model.Analyze(s.tree.Root, s.target, s.tree.Children, s.tree.Configs)
	s.verdicts = s.fleetVerdicts()
}

func (s *imageScreen) busy() bool { return s.copying.busy() || s.files.busy() }

func (s *imageScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	if s.reloads(msg, s.keys, s.Capturing(), s.copying.busy()) {
		return s.reloaded()
	}
	wasBusy := s.busy()
	cmd := s.update(msg)
	if s.busy() && !wasBusy {
		cmd = tea.Batch(cmd, s.spin.Tick)
	}
	s.updateKeys()
	s.layout()
	return s, cmd
}

func (s *imageScreen) update(msg tea.Msg) tea.Cmd {
	k := s.keys
	if k, ok := msg.(tea.KeyPressMsg); ok && s.copying.Capturing() {
		return s.copying.key(&s.base, k)
	}
	if p, ok := msg.(tea.PasteMsg); ok && s.copying.Capturing() {
		return s.copying.paste(p)
	}
	// A filter being typed takes the keys (and its cursor's blinks), not
	// the replies and ticks.
	if s.pane == paneFiles && s.files.Capturing() && !isReplyOrTick(msg) {
		return s.files.typed(msg, s.openFile)
	}
	switch msg := msg.(type) {
	case retargetMsg:
		s.analyze()
	case answer:
		return s.reply(msg)
	case spinner.TickMsg:
		return tick(&s.spin, s.busy(), msg)
	case tea.MouseMsg:
		if s.pane == paneFiles {
			return s.files.Update(msg)
		}
		s.table, _ = s.table.Update(msg)
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.NextPane):
			s.setPane((s.pane + 1) % paneCount)
			if s.pane == paneFiles {
				return s.showFiles(s.view)
			}
		case key.Matches(msg, k.Files):
			return s.showFiles(-1)
		case key.Matches(msg, k.Enter) && s.pane == paneLayers:
			if r := s.layerRows[s.table.Cursor]; r.Layer != nil {
				return s.showFiles(r.Index)
			}
		case key.Matches(msg, k.PrevLayer):
			return s.showView(s.view - 1)
		case key.Matches(msg, k.NextLayer):
			return s.showView(s.view + 1)
		case key.Matches(msg, k.Check):
			return s.openFindings()
		case s.pane == paneFiles && s.files.read() && !key.Matches(msg, k.AddToDraft, k.RawConfig) && !manifestAction(msg, k):
			return s.files.key(msg, k.Show, s.openFile)
		case s.table.handles(msg):
			s.table, _ = s.table.Update(msg)
		case key.Matches(msg, k.AddToDraft):
			return addToDraft(s.ref.WithDigest(s.tree.Root.Digest))
		case key.Matches(msg, k.RawConfig):
			return push(newRawScreen(s.ref.RepoOnly().WithDigest(s.tree.Root.Config.Digest), "config", s.tree.Root.Config.MediaType, s.image().Config.Raw))
		case manifestAction(msg, k):
			return s.act(msg, k, &s.copying)
		}
	}
	return nil
}

func (s *imageScreen) reply(a answer) tea.Cmd {
	if cmd, done, ok := s.files.reply(a); ok {
		if done {
			cmd = tea.Batch(cmd, s.showView(s.view))
		}
		return cmd
	}
	switch r := a.(type) {
	case reply[layerView]:
		if v := r.val; r.err == nil && v.root != nil {
			n, _ := atoiKey(r.req.key)
			s.cacheView(n, v)
			if n == s.view {
				s.files.setRoot(v.root, false, true)
			}
		}
		return nil
	case reply[checkedReply]:
		s.check = checkDone(r)
		return nil
	default:
		return s.copying.reply(&s.base, a)
	}
}

// cacheView keeps layer n's changes for when the user steps back to it,
// unless the trees kept would then pass bigFilesystem entries: stepping
// through the layers of a huge image holds one layer's tree, not all.
func (s *imageScreen) cacheView(n int, v layerView) {
	total := v.root.Files(fstree.Root)
	for _, kept := range s.views {
		total += kept.root.Files(fstree.Root)
	}
	if total >= bigFilesystem {
		clear(s.views)
	}
	s.views[n] = v
}

// showFiles opens the Files pane on view (-1 the merged filesystem, else
// a layer), reading the layers first if need be.
func (s *imageScreen) showFiles(view int) tea.Cmd {
	if !s.keys.Files.Enabled() {
		return status(article(string(s.tree.Root.Kind))+" has no layers to list", true)
	}
	if s.pane != paneFiles {
		s.setPane(paneFiles)
	}
	s.view = view
	if !s.files.read() {
		return s.files.start(&s.base, s.registryImage())
	}
	return s.showView(view)
}

// openFile shows the file under the cursor: in the merged filesystem
// through its links, in a layer's changes as that layer holds it.
func (s *imageScreen) openFile() tea.Cmd {
	root := s.files.root
	n, ok := s.files.current()
	if !ok {
		return nil
	}
	p := root.Path(n)
	e, own := root.Entry(n)
	var err error
	switch {
	case s.view >= 0 && root.Mark(n) == fstree.Removed:
		return status("layer "+itoa(s.view)+" removes /"+model.Clean(p)+": [ shows what was there", true)
	case s.view >= 0 && own && e.Type == fstree.File:
	default:
		e, err = s.reading().fs.View.Resolve(p)
	}
	if err != nil {
		return status("/"+p+": "+err.Error(), true)
	}
	return push(newFileScreen(s.registryImage(), e, p))
}

// reading reads the image's layers, for the Files pane.
func (s *imageScreen) reading() *layersTask { return &s.files.reading[0] }

// registryImage is the image shown, as the registry reads its layers.
func (s *imageScreen) registryImage() *registry.Image {
	return &registry.Image{Ref: s.ref.WithDigest(s.tree.Root.Digest), Manifest: s.tree.Root, Config: s.image().Config}
}

// showView shows the merged filesystem (-1) or layer n's changes, built
// off the UI goroutine the first time.
func (s *imageScreen) showView(n int) tea.Cmd {
	fs := s.reading().fs
	if fs == nil {
		return nil
	}
	n = max(-1, min(n, len(fs.Layers)-1))
	s.view = n
	if n < 0 {
		s.files.setRoot(fs.Tree, true, false)
		return nil
	}
	if v, ok := s.views[n]; ok {
		s.files.setRoot(v.root, false, true)
		return nil
	}
	s.files.setRoot(nil, false, false)
	ctx, q := s.start(jobLayerTree, itoa(n))
	return run(ctx, q, func(context.Context) (layerView, error) {
		root, counts := fs.LayerTree(n)
		releaseAfter(root.Files(fstree.Root))
		return layerView{root: root, counts: counts}, nil
	})
}

// The panes below an image's summary.
const (
	paneLayers = iota
	paneFiles
	paneEnv
	paneLabels
	paneAnnotations
	paneCount
)

var paneNames = [paneCount]string{"Layers", "Files", "Env", "Labels", "Annotations"}

func (s *imageScreen) setPane(p int) {
	s.pane = p
	switch p {
	case paneLayers:
		s.table.SetColumns(
			column{Title: "#", Width: 3, Right: true}, column{Title: "SIZE", Width: 8, Right: true},
			column{Title: "UNPACKED", Width: 8, Right: true, Drop: 2}, column{Title: "SHARED", Width: 6, Drop: 3},
			column{Title: "MEDIA TYPE", Width: 12, Drop: 1}, column{Title: "CREATED BY", Flex: 1},
		)
		if s.blobs() {
			// An artifact's layers are blobs no history made: what they
			// are is their media type, digest and title.
			s.table.SetColumns(
				column{Title: "#", Width: 3, Right: true}, column{Title: "SIZE", Width: 8, Right: true},
				column{Title: "MEDIA TYPE", Flex: 2}, column{Title: "DIGEST", Width: 12, Drop: 1}, column{Title: "TITLE", Flex: 1, Drop: 2},
			)
		}
		s.table.SetLen(len(s.layerRows))
	case paneFiles:
		s.table.SetLen(0)
	default:
		s.pairs = s.panePairs(p)
		s.table.SetColumns(column{Title: "KEY", Flex: 1}, column{Title: "VALUE", Flex: 2})
		s.table.SetLen(len(s.pairs))
	}
	s.table.SetCursor(0)
	s.updateKeys()
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
