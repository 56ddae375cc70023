package ui

import (
	"context"
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry"
)

// imageSide is one image of a diff: where it is and what was loaded.
type imageSide struct {
	ref    model.Reference // with the image manifest's digest
	label  string
	image  model.Image
	digest string
}

func imageSideOf(side diffSide, t *model.Tree, digest string) imageSide {
	img := t.Image(digest)
	label := side.label
	if img.Config != nil && !strings.Contains(label, img.Config.Platform.Display()) {
		label += " " + img.Config.Platform.Display()
	}
	return imageSide{ref: side.ref.RepoOnly().WithDigest(digest), label: label, image: img, digest: digest}
}

func (i imageSide) registryImage() *registry.Image {
	return &registry.Image{Ref: i.ref, Manifest: i.image.Manifest, Config: i.image.Config}
}

// layerDiffRow is a layer of either image: shared, or only in one.
type layerDiffRow struct {
	mark   string // "=" shared, "-" only in A, "+" only in B
	ia, ib int    // its place in A and B, -1 when absent
	layer  model.Descriptor
	by     string
}

// imageDiffScreen compares two images: config fields, layers shared and
// not, and (read from the registry on the Files pane) their files.
type imageDiffScreen struct {
	base
	sides  [2]imageSide
	config []model.ConfigDiff
	layers []layerDiffRow
	counts model.LayersDiff
	pane   int
	table  table
	keys   KeyMap
	spin   spinner.Model
	header string
	// files compares the images' files, once both images' layers are read.
	files *filesPane
	delta *fstree.Delta
}

// The panes of an image diff.
const (
	diffPaneConfig = iota
	diffPaneLayers
	diffPaneFiles
	diffPaneCount
)

func newImageDiffScreen(b base, sides [2]imageSide) *imageDiffScreen {
	s := &imageDiffScreen{base: b, sides: sides, keys: b.c.Keys, spin: newSpinner()}
	s.files = newFilesPane(&s.base, layersTask{key: sideKeys[0], what: sideNames[0] + "'s layers"},
		layersTask{key: sideKeys[1], what: sideNames[1] + "'s layers"})
	ma, mb := sides[0].image.Manifest, sides[1].image.Manifest
	s.config = model.CompareConfigs(ma, sides[0].image.Config, mb, sides[1].image.Config)
	s.counts = model.CompareLayers(ma, mb)
	s.layers = layerDiffRows(sides[0].image, sides[1].image)
	s.table = newTable(&b.c.styles, b.c.Keys.tableKeys(), withCells(s.cell))
	s.setPane(diffPaneConfig)
	return s
}

// layerDiffRows lists A's layers (shared or only in A), then B's own.
func layerDiffRows(a, b model.Image) []layerDiffRow {
	history := func(img model.Image) map[int]string {
		out := map[int]string{}
		for _, r := range img.Rows() {
			if r.Layer != nil && r.History != nil {
				out[r.Index] = r.History.CreatedBy
			}
		}
		return out
	}
	ha, hb := history(a), history(b)
	at := func(m *model.Manifest, d string) int {
		for i, l := range m.Layers {
			if l.Digest == d {
				return i
			}
		}
		return -1
	}
	var rows []layerDiffRow
	for i, l := range a.Manifest.Layers {
		j := at(b.Manifest, l.Digest)
		mark := "-"
		if j >= 0 {
			mark = "="
		}
		rows = append(rows, layerDiffRow{mark: mark, ia: i, ib: j, layer: l, by: ha[i]})
	}
	for j, l := range b.Manifest.Layers {
		if at(a.Manifest, l.Digest) < 0 {
			rows = append(rows, layerDiffRow{mark: "+", ia: -1, ib: j, layer: l, by: hb[j]})
		}
	}
	return rows
}

// Init reads the files when the diff opens on the Files pane.
func (s *imageDiffScreen) Init() tea.Cmd {
	if s.pane != diffPaneFiles {
		return nil
	}
	return tea.Batch(s.readFiles(), s.spin.Tick)
}

func (s *imageDiffScreen) Crumb() string {
	if s.sides[0].image.Config != nil {
		return "diff " + s.sides[0].image.Config.Platform.Display()
	}
	return "diff"
}

func (s *imageDiffScreen) Capturing() bool { return s.pane == diffPaneFiles && s.files.Capturing() }

func (s *imageDiffScreen) CopyText() (string, bool) {
	if s.pane == diffPaneFiles {
		return s.files.CopyText()
	}
	return "", false
}

func (s *imageDiffScreen) HandleBack() (bool, tea.Cmd) {
	ok, cmd := s.files.back(&s.base, s.pane == diffPaneFiles)
	if ok {
		s.layout()
	}
	return ok, cmd
}

func (s *imageDiffScreen) Bindings() []key.Binding {
	k := s.keys
	out := []key.Binding{k.NextPane}
	if s.pane == diffPaneFiles {
		show := k.Show
		show.SetHelp(show.Help().Key, "diff the file")
		out = append(out, s.files.bindings(show)...)
	} else {
		out = append(out, k.Files)
	}
	return out
}

func (s *imageDiffScreen) busy() bool { return s.files.busy() }

func (s *imageDiffScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.layout()
}

func (s *imageDiffScreen) layout() {
	s.header = s.diffHeader()
	rest := max(s.h-countLines(s.header)-1, 3)
	s.table.SetSize(s.w, rest)
	s.files.SetSize(s.w, rest)
}

func (s *imageDiffScreen) setPane(p int) {
	s.pane = p
	switch p {
	case diffPaneConfig:
		s.table.SetColumns(column{Title: "FIELD", Flex: 1, Max: 30}, column{Title: "A", Flex: 2}, column{Title: "B", Flex: 2})
		field := 0
		for _, c := range s.config {
			field = max(field, ansi.StringWidth(model.Clean(c.Field)))
		}
		s.table.SetFixed(0, field, 30)
		s.table.SetLen(len(s.config))
	case diffPaneLayers:
		s.table.SetColumns(column{Title: "", Width: 1}, column{Title: "A", Width: 3, Right: true}, column{Title: "B", Width: 3, Right: true},
			column{Title: "SIZE", Width: 8, Right: true}, column{Title: "DIGEST", Width: 12, Drop: 1}, column{Title: "CREATED BY", Flex: 1})
		s.table.SetLen(len(s.layers))
	default:
		s.table.SetLen(0)
	}
	s.table.SetCursor(0)
	s.layout()
}

func (s *imageDiffScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	wasBusy := s.busy()
	cmd := s.update(msg)
	if s.busy() && !wasBusy {
		cmd = tea.Batch(cmd, s.spin.Tick)
	}
	s.layout()
	return s, cmd
}

func (s *imageDiffScreen) update(msg tea.Msg) tea.Cmd {
	k := s.keys
	// A filter being typed takes the keys (and its cursor's blinks), not
	// the replies and ticks.
	if s.Capturing() && !isReplyOrTick(msg) {
		return s.files.typed(msg, s.openFileDiff)
	}
	switch msg := msg.(type) {
	case answer:
		return s.reply(msg)
	case spinner.TickMsg:
		return tick(&s.spin, s.busy(), msg)
	case tea.MouseMsg:
		if s.pane == diffPaneFiles {
			return s.files.Update(msg)
		}
		s.table, _ = s.table.Update(msg)
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.NextPane):
			s.setPane((s.pane + 1) % diffPaneCount)
			if s.pane == diffPaneFiles {
				return s.readFiles()
			}
		case key.Matches(msg, k.Files):
			s.setPane(diffPaneFiles)
			return s.readFiles()
		case s.pane == diffPaneFiles:
			return s.files.key(msg, k.Show, s.openFileDiff)
		case s.table.handles(msg):
			s.table, _ = s.table.Update(msg)
		}
	}
	return nil
}

// openFileDiff compares the file under the cursor in both images, each
// through its own links.
func (s *imageDiffScreen) openFileDiff() tea.Cmd {
	n, ok := s.files.current()
	if !ok {
		return nil
	}
	p := s.files.root.Path(n)
	var sides [2]fileSide
	for i := range sides {
		sides[i] = fileSide{label: [2]string{"A", "B"}[i] + " " + s.sides[i].label, img: s.sides[i].registryImage()}
		fs := s.files.reading[i].fs
		e, err := fs.View.Resolve(p)
		switch {
		case err == nil:
			sides[i].entry = &e
			sides[i].claimedSum = fs.Layers[e.Layer].Source == fstree.SourceTOC
		case !errors.Is(err, fstree.ErrNotFound):
			return status("/"+p+" in "+[2]string{"A", "B"}[i]+": "+err.Error(), true)
		}
	}
	if sides[0].entry == nil && sides[1].entry == nil {
		return status("/"+p+": in neither image", true)
	}
	return push(newFileDiffScreen(p, sides))
}

// readFiles reads both images' layers (a layer they share once), then
// compares their filesystems.
func (s *imageDiffScreen) readFiles() tea.Cmd {
	return tea.Batch(s.files.start(&s.base, s.sides[0].registryImage(), s.sides[1].registryImage()), s.compare())
}

// compare diffs the filesystems once both are read, off the UI goroutine.
func (s *imageDiffScreen) compare() tea.Cmd {
	a, b := s.files.reading[0].fs, s.files.reading[1].fs
	if a == nil || b == nil || s.delta != nil || s.reqs.busy(jobFilesDelta) {
		return nil
	}
	ctx, q := s.start(jobFilesDelta, "")
	return run(ctx, q, func(context.Context) (filesDelta, error) {
		d := fstree.DiffViews(a.View, b.View)
		root := fstree.DeltaTree(d)
		releaseAfter(a.View.Len() + b.View.Len())
		return filesDelta{delta: d, root: root}, nil
	})
}

type filesDelta struct {
	delta fstree.Delta
	root  *fstree.Tree
}

func (s *imageDiffScreen) reply(a answer) tea.Cmd {
	if cmd, done, ok := s.files.reply(a); ok {
		if done {
			cmd = tea.Batch(cmd, s.compare())
		}
		return cmd
	}
	r, ok := a.(reply[filesDelta])
	switch {
	case !ok:
		return nil
	case r.err != nil:
		return status("comparing the files: "+r.err.Error(), true)
	}
	s.delta = &r.val.delta
	s.files.setRoot(r.val.root, false, true)
	return nil
}

func (s *imageDiffScreen) diffHeader() string {
	st := s.c.styles
	var lines []string
	for i, side := range s.sides {
		lines = append(lines, st.Accent.Render(sideNames[i]+" ")+st.Text.Render(fitLine(side.ref.String(), s.w-2)))
		lines = append(lines, "  "+st.Faint.Render(fitLine(side.label+" · "+model.HumanSize(side.image.CompressedSize())+" "+sizeWords+s.unpacked(i), s.w-2)))
	}
	if s.sides[0].digest == s.sides[1].digest {
		lines = append(lines, st.Success.Render("identical: the same digest"))
	}
	summary := "config: " + plural(len(s.config), "difference") + " · layers: " + itoa(len(s.counts.Shared)) + " shared, " +
		itoa(len(s.counts.OnlyA)) + " only in A, " + itoa(len(s.counts.OnlyB)) + " only in B"
	if d := s.delta; d != nil {
		summary += " · files: " + model.Thousands(len(d.Added)) + " added, " + model.Thousands(len(d.Removed)) + " removed, " + model.Thousands(len(d.Modified)) + " modified"
	}
	lines = append(lines, st.Faint.Render(fitLine(summary, s.w)))
	lines = append(lines, "", tabLine(st, []string{"Config", "Layers", "Files"}, s.pane, "tab: next pane", s.w))
	for i := range s.files.reading {
		if line := s.files.reading[i].View(st, s.keys.Back, s.spin.View(), s.w-4); line != "" {
			lines = append(lines, st.Faint.Render(sideNames[i]+" ")+line)
		}
	}
	return strings.Join(lines, "\n")
}

// unpacked is side i's uncompressed size, once its layers were read.
func (s *imageDiffScreen) unpacked(i int) string {
	if fs := s.files.reading[i].fs; fs != nil {
		return ", " + model.ApproxSize(fs.Uncompressed(), fstree.UncompressedEstimated(fs.Layers)) + " unpacked"
	}
	return ""
}

func (s *imageDiffScreen) View() string {
	st := s.c.styles
	switch s.pane {
	case diffPaneFiles:
		for i := range s.files.reading {
			if err := s.files.reading[i].err; err != nil {
				return s.header + "\n\n" + errorView(st, s.c.Keys, err, s.w)
			}
		}
		if s.delta == nil {
			return s.header
		}
		if s.delta.Empty() {
			return s.header + "\n\n" + st.Success.Render("  the same files")
		}
		return s.header + "\n" + s.files.View()
	case diffPaneConfig:
		if len(s.config) == 0 {
			return s.header + "\n\n" + st.Success.Render("  the same config")
		}
	}
	return s.header + "\n" + s.table.View()
}

func (s *imageDiffScreen) cell(row, col int) (string, lipgloss.Style) {
	st := s.c.styles
	if s.pane == diffPaneConfig {
		c := s.config[row]
		switch col {
		case 0:
			return c.Field, st.Accent
		case 1:
			return orNone(c.A), st.Error
		}
		return orNone(c.B), st.Success
	}
	r := s.layers[row]
	style := st.Text
	switch r.mark {
	case "-":
		style = st.Error
	case "+":
		style = st.Success
	}
	place := func(i int) string {
		if i < 0 {
			return ""
		}
		return itoa(i)
	}
	switch col {
	case 0:
		return r.mark, style
	case 1:
		return place(r.ia), st.Faint
	case 2:
		return place(r.ib), st.Faint
	case 3:
		return model.HumanSize(r.layer.Size), st.Text
	case 4:
		return model.ShortDigest(r.layer.Digest), st.Faint
	}
	return r.by, style
}

func orNone(v string) string {
	if v == "" {
		return "(none)"
	}
	return v
}
