package ui

import (
	"slices"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
)

// indexScreen shows an index: one row per entry with Docker's verdict for
// the target platform, sizes and shared layers.
type indexScreen struct {
	base
	opened
	an     model.Analysis
	sizes  model.SizeReport
	table  table
	filter filter
	rows   []int // entries shown, after the filter
	cols   []indexCol
	keys   KeyMap
	// header is the summary above the table, kept in step with the state
	// so that View only draws.
	header string
	// copying copies what is shown elsewhere (C).
	copying copyTask
	spin    spinner.Model
	// unpacked are the entries' uncompressed sizes, known once their
	// layers were read (on the image screen's Files pane, or by a diff),
	// as shown ("~" marks an estimate).
	unpacked map[string]string
	// check is the release check's state, run when the screen opens.
	check checkState

	// verdicts are every fleet target's, when there is a fleet.
	verdicts []model.FleetVerdict
}

func newIndexScreen(b base, o opened) *indexScreen {
	s := &indexScreen{base: b, opened: o, copying: newCopyTask(b.c.Keys.copyKeys()), spin: newSpinner(), filter: newFilter(b.c.Keys.filterKeys()), keys: b.c.Keys}
	s.sizes = o.tree.Sizes()
	s.table = newTable(&b.c.styles, b.c.Keys.tableKeys(), withCells(s.cell), withNoPad())
	s.analyze()
	s.noteUnpacked()
	s.setColumns()
	if o.filter != "" {
		s.filter.input.SetValue(o.filter)
		s.rebuildRows()
	}
	for i, e := range s.rows {
		if o.cursorOn != "" && s.tree.Root.Entries[e].PlatformString() == o.cursorOn {
			s.table.SetCursor(i)
			break
		}
	}
	s.updateKeys()
	return s
}

// reloaded is this screen loading again, its cursor and filter kept.
func (s *indexScreen) reloaded() (screen, tea.Cmd) {
	o := s.opened
	o.filter = s.filter.input.Value()
	if s.table.Cursor < len(s.rows) {
		o.cursorOn = s.tree.Root.Entries[s.rows[s.table.Cursor]].PlatformString()
	}
	l := reload(s.base, o)
	l.SetSize(s.w, s.h)
	return l, l.Init()
}

// noteUnpacked learns which entries' uncompressed sizes are now known,
// from the layers the client has read; it reports whether any changed.
func (s *indexScreen) noteUnpacked() bool {
	if s.c.Client == nil {
		return false
	}
	changed := false
	for _, e := range s.tree.Root.Entries {
		child := s.tree.Children[e.Digest]
		if child == nil || child.Kind != model.KindImage {
			continue
		}
		if _, ok := s.unpacked[e.Digest]; ok {
			continue
		}
		if n, estimated, ok := s.c.Client.Unpacked(child.Layers); ok {
			if s.unpacked == nil {
				s.unpacked = map[string]string{}
			}
			s.unpacked[e.Digest] = model.ApproxSize(n, estimated)
			changed = true
		}
	}
	return changed
}

func (s *indexScreen) Init() tea.Cmd { return s.startCheck() }

func (s *indexScreen) Ref() (model.Reference, bool) { return s.reference() }

func (s *indexScreen) Capturing() bool { return s.filter.active || s.copying.Capturing() }

func (s *indexScreen) HandleBack() (bool, tea.Cmd) {
	if s.copying.cancel(&s.base) {
		s.layout()
		return true, status("copy cancelled", false)
	}
	if s.filter.clear() {
		s.keepEntry(s.rebuildRows)
		s.layout()
		return true, nil
	}
	return false, nil
}

func (s *indexScreen) Bindings() []key.Binding {
	k := s.keys
	return []key.Binding{k.AddToDraft, k.Enter, k.Files, k.Diagnose, k.Platform, k.Raw, k.Referrers, k.Filter, k.Refresh, k.Compose, k.CopyTo, k.DiffMark, k.Diff, k.Check}
}

func (s *indexScreen) updateKeys() {
	enable(s.drafting && len(s.rows) > 0, &s.keys.AddToDraft)
	enable(len(s.rows) > 0, &s.keys.Enter)
	enable(s.underCursor(model.KindImage), &s.keys.Files)
	enable(!s.copying.busy(), &s.keys.CopyTo)
	enable(s.check.running || s.check.done || s.check.err != nil, &s.keys.Check)
}

// narrowWidth is below where the index table drops its LAYERS, SHARED and
// DIGEST columns so platforms and verdicts stay readable.
const narrowWidth = 90

func (s *indexScreen) SetSize(w, h int) {
	narrow := (s.w < narrowWidth) != (w < narrowWidth) || (len(s.fleet) > 0 && s.w != w)
	s.w, s.h = w, h
	if narrow {
		s.setColumns()
	}
	s.layout()
}

func (s *indexScreen) layout() {
	s.header = s.indexHeader()
	if line := s.copying.View(s.c.styles, s.spin.View(), s.w); line != "" {
		s.header += "\n" + line
	}
	s.table.SetSize(s.w, max(s.h-countLines(s.header)-detailLines-1, 3))
}

func (s *indexScreen) analyze() {
	s.an = model.Analyze(s.tree.Root, s.target, s.tree.Children, s.tree.Configs)
	s.judgeFleet()
}

func (s *indexScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	if s.reloads(msg, s.keys, s.Capturing(), s.copying.busy()) {
		return s.reloaded()
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

func (s *indexScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case retargetMsg:
		s.analyze()
		s.setColumns() // a fleet has a column a target
	case layersReadMsg:
		if s.noteUnpacked() {
			s.setColumns()
		}
	case marksMsg:
		s.rebuildRows() // the platform column makes room for a mark
	case reply[checkedReply]:
		s.checked(msg)
		return nil
	case answer:
		return s.copying.reply(&s.base, msg)
	case spinner.TickMsg:
		return tick(&s.spin, s.copying.busy(), msg)
	case tea.KeyPressMsg:
		if s.copying.Capturing() {
			return s.copying.key(&s.base, msg)
		}
		return s.key(msg)
	case tea.PasteMsg:
		if s.copying.Capturing() {
			return s.copying.paste(msg)
		}
		if s.filter.active {
			return s.filterKey(msg)
		}
	case tea.MouseMsg:
		if s.table.Click(msg, msg.Mouse().Y-countLines(s.header)-1) {
			return s.openEntry()
		}
		s.table, _ = s.table.Update(msg)
	}
	return nil
}

// filterKey handles a key or a paste while the filter is typed.
func (s *indexScreen) filterKey(msg tea.Msg) tea.Cmd {
	cmd, act, changed := s.filter.update(msg)
	switch {
	case act == filterMove:
		s.table, _ = s.table.Update(msg)
	case act == filterOpen:
		return s.openEntry()
	case act == filterCleared && changed:
		s.keepEntry(s.rebuildRows)
	case changed:
		s.rebuildRows()
		s.table.SetCursor(0) // typing a filter puts the cursor on the first match
	}
	return cmd
}

func (s *indexScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	k := s.keys
	if s.filter.active {
		return s.filterKey(msg)
	}
	switch {
	case s.table.handles(msg):
		s.table, _ = s.table.Update(msg)
	case key.Matches(msg, k.Enter):
		return s.openEntry()
	case key.Matches(msg, k.Files):
		return s.openFiles()
	case key.Matches(msg, k.Filter):
		return s.filter.start()
	case key.Matches(msg, k.Check):
		return s.openFindings()
	case key.Matches(msg, k.Diagnose):
		return push(newDiagnosisScreen(s.ref, s.tree))
	case manifestAction(msg, k):
		return s.act(msg, k, &s.copying)
	case key.Matches(msg, k.AddToDraft):
		if s.table.Cursor < len(s.rows) {
			e := s.tree.Root.Entries[s.rows[s.table.Cursor]]
			de := model.EntryFromIndex(s.ref, e)
			if cfg := s.tree.Configs[e.Digest]; cfg != nil {
				p := cfg.Platform
				de.ConfigPlatform = &p
			}
			return addToDraft(s.ref.WithDigest(e.Digest), de)
		}
	}
	return nil
}

// composeFrom opens the composer on what a manifest screen shows: amending
// the tag, or a new latest from the digest.
func composeFrom(o opened) tea.Cmd {
	if o.ref.Tag != "" && o.ref.Digest == "" {
		return push(newComposerScreen(o.ref, true, nil))
	}
	return push(newComposerScreen(o.ref.RepoOnly().WithTag(model.DefaultTag), false, []model.Reference{o.ref.WithDigest(o.tree.Root.Digest)}))
}

// DiffTarget is the entry under the cursor.
func (s *indexScreen) DiffTarget() (diffSide, bool) {
	if s.table.Cursor >= len(s.rows) {
		return diffSide{}, false
	}
	e := s.tree.Root.Entries[s.rows[s.table.Cursor]]
	return diffSide{ref: s.ref.WithDigest(e.Digest), label: sideLabel(s.ref, e.PlatformString())}, true
}

// underCursor tells whether the entry under the cursor is of kind k.
func (s *indexScreen) underCursor(k model.Kind) bool {
	if s.table.Cursor >= len(s.rows) {
		return false
	}
	child := s.tree.Children[s.tree.Root.Entries[s.rows[s.table.Cursor]].Digest]
	return child != nil && child.Kind == k
}

// openFiles opens the entry under the cursor on its Files pane.
func (s *indexScreen) openFiles() tea.Cmd {
	e := s.tree.Root.Entries[s.rows[s.table.Cursor]]
	ref, crumb, users := s.ref.WithDigest(e.Digest), e.PlatformString(), s.sizes.Users
	return push(func(b base) screen {
		return reload(b, opened{ref: ref, crumb: crumb, users: users, pane: paneFiles, part: true})
	})
}

func (s *indexScreen) openEntry() tea.Cmd {
	if s.table.Cursor >= len(s.rows) {
		return nil
	}
	e := s.tree.Root.Entries[s.rows[s.table.Cursor]]
	if child := s.tree.Children[e.Digest]; e.Kind == model.KindAttestation && child != nil {
		return push(newAttestationScreen(s.ref.WithDigest(e.Digest), child, subjectLabel(s.tree.Root, e.Subject)))
	}
	return push(newPartScreen(s.ref.WithDigest(e.Digest), e.PlatformString(), s.sizes.Users))
}

// setColumns picks the columns for the width: os.version only when an
// entry has one, the minor ones only on wide terminals.
func (s *indexScreen) setColumns() {
	s.cols = []indexCol{colMark, colPlatform}
	for _, e := range s.tree.Root.Entries {
		if entryOSVersion(e) != "" {
			s.cols = append(s.cols, colOSVersion)
			break
		}
	}
	s.cols = append(s.cols, colKind, colSize)
	if len(s.unpacked) > 0 {
		s.cols = append(s.cols, colUnpacked)
	}
	if s.w >= narrowWidth {
		s.cols = append(s.cols, colLayers, colShared, colDigest)
	}
	s.cols = append(s.cols, colVerdict)
	if len(s.fleet) > 0 {
		s.cols = s.fleetColumns()
	}
	cols := make([]column, len(s.cols))
	for i, c := range s.cols {
		cols[i] = s.columnOf(c)
	}
	s.table.SetColumns(cols...)
	s.rebuildRows()
}

func (s *indexScreen) rebuildRows() {
	s.rows = s.rows[:0]
	for i, e := range s.tree.Root.Entries {
		if s.filter.match(e.PlatformString() + " " + entryOSVersion(e) + " " + string(e.Kind) + " " + e.Digest) {
			s.rows = append(s.rows, i)
		}
	}
	s.table.SetLen(len(s.rows))
	w := 0
	for _, e := range s.tree.Root.Entries {
		w = max(w, ansi.StringWidth(model.Clean(s.diffMark(s.ref.WithDigest(e.Digest))+s.platformText(e))))
	}
	s.table.SetFixed(slices.Index(s.cols, colPlatform), w, 28)
}

// keepEntry runs f, keeping the cursor on the entry it was on.
func (s *indexScreen) keepEntry(f func()) {
	at := -1
	if s.table.Cursor < len(s.rows) {
		at = s.rows[s.table.Cursor]
	}
	f()
	if i := slices.Index(s.rows, at); i >= 0 {
		s.table.SetCursor(i)
	}
}
