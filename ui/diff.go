package ui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
)

// diffSide is one thing to compare: a tag, a digest or an index entry.
type diffSide struct {
	ref   model.Reference
	label string
}

// diffable is a screen with something to compare under the cursor: a tag,
// an index entry, the image shown.
type diffable interface {
	DiffTarget() (diffSide, bool)
}

// diffScreen compares two references. It loads both; two indexes show
// their platforms side by side (enter compares one platform's images),
// anything else hands its place to the image diff.
type diffScreen struct {
	base
	sides  [2]diffSide
	trees  [2]*model.Tree
	err    error
	rows   []model.PlatformDiff
	table  table
	spin   spinner.Model
	keys   KeyMap
	header string
}

func newDiffScreen(a, b diffSide) screenMaker {
	return func(bs base) screen {
		s := &diffScreen{base: bs, sides: [2]diffSide{a, b}, spin: newSpinner(), keys: bs.c.Keys}
		s.table = newTable(&bs.c.styles, bs.c.Keys.tableKeys(), withCells(s.cell), withColumns(
			column{Title: "", Width: 1}, column{Title: "PLATFORM", Flex: 1}, column{Title: "A", Width: 12},
			column{Title: "B", Width: 12}, column{Title: "STATUS", Width: 24},
		))
		return s
	}
}

var sideKeys = [2]string{"a", "b"}

func (s *diffScreen) Init() tea.Cmd {
	s.trees, s.err = [2]*model.Tree{}, nil
	s.reqs.reset()
	cmds := []tea.Cmd{s.spin.Tick}
	for i, side := range s.sides {
		ctx, q := s.start(jobDiff, sideKeys[i])
		client, ref := s.c.Client, side.ref
		cmds = append(cmds, run(ctx, q, func(ctx context.Context) (*model.Tree, error) {
			return client.Expand(ctx, ref, registry.ExpandOptions{Children: true, Configs: true})
		}))
	}
	return tea.Batch(cmds...)
}

func (s *diffScreen) Crumb() string { return "diff" }
func (s *diffScreen) Loading() bool { return !s.loaded() && s.err == nil }

func (s *diffScreen) Bindings() []key.Binding {
	return []key.Binding{s.keys.Enter, s.keys.Files, s.keys.Refresh}
}

func (s *diffScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.layout()
}

func (s *diffScreen) layout() {
	s.header = s.diffHeader()
	s.table.SetSize(s.w, max(s.h-countLines(s.header)-1, 3))
}

func (s *diffScreen) loaded() bool { return s.trees[0] != nil && s.trees[1] != nil }

func (s *diffScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case reply[*model.Tree]:
		if msg.err == nil && msg.val == nil {
			msg.err = errWrongReply // nil without an error: a bug, not a panic
		}
		if msg.err != nil {
			s.err = msg.err
			s.reqs.reset()
			s.layout()
			return s, nil
		}
		i := 0
		if msg.req.key == sideKeys[1] {
			i = 1
		}
		s.trees[i] = msg.val
		if !s.loaded() {
			return s, nil
		}
		if s.trees[0].Root.IsIndex() && s.trees[1].Root.IsIndex() {
			s.rows = model.ComparePlatforms(s.trees[0].Root, s.trees[1].Root)
			s.table.SetLen(len(s.rows))
			s.layout()
			return s, nil
		}
		return s.toImages()
	case spinner.TickMsg:
		return s, tick(&s.spin, !s.loaded() && s.err == nil, msg)
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, s.keys.Refresh):
			return s, s.Init()
		case s.table.handles(msg):
			s.table, _ = s.table.Update(msg)
		case key.Matches(msg, s.keys.Enter) && s.table.Cursor < len(s.rows):
			return s, s.openPlatform(s.rows[s.table.Cursor], false)
		case key.Matches(msg, s.keys.Files) && s.table.Cursor < len(s.rows):
			return s, s.openPlatform(s.rows[s.table.Cursor], true)
		case key.Matches(msg, s.keys.Files) && s.Loading():
			return s, status("both sides are still loading", false)
		case key.Matches(msg, s.keys.Files):
			return s, status("no platform to compare the files of", true)
		}
	case tea.MouseMsg:
		if s.table.Click(msg, msg.Mouse().Y-countLines(s.header)-1) && s.table.Cursor < len(s.rows) {
			return s, s.openPlatform(s.rows[s.table.Cursor], false)
		}
		s.table, _ = s.table.Update(msg)
	}
	return s, nil
}

// toImages picks the image of each side (an index gives the entry for the
// other side's platform, or the target's) and hands over to the image diff.
func (s *diffScreen) toImages() (screen, tea.Cmd) {
	var imgs [2]imageSide
	for i := range 2 {
		t, other := s.trees[i], s.trees[1-i]
		target := s.target
		if !other.Root.IsIndex() {
			if cfg := other.Configs[other.Root.Digest]; cfg != nil {
				target = model.FlagTarget(cfg.Platform, model.SourceFlag)
			}
		}
		d, why := t.Pick(target)
		if d == "" {
			s.err = fmt.Errorf("%s: %s", s.sides[i].ref.String(), why)
			s.layout()
			return s, nil
		}
		imgs[i] = imageSideOf(s.sides[i], t, d)
	}
	next := newImageDiffScreen(s.base, imgs)
	next.SetSize(s.w, s.h)
	return next, next.Init()
}

// openPlatform compares one platform's images; with files, on the Files
// pane, as f does on an image diff.
func (s *diffScreen) openPlatform(p model.PlatformDiff, files bool) tea.Cmd {
	if p.A == nil || p.B == nil {
		side := "A"
		if p.A == nil {
			side = "B"
		}
		return status(s.declared(p)+" is only in "+side+": nothing to compare it with", true)
	}
	a := imageSideOf(s.sides[0], s.trees[0], *p.A)
	b := imageSideOf(s.sides[1], s.trees[1], *p.B)
	return push(func(bs base) screen {
		d := newImageDiffScreen(bs, [2]imageSide{a, b})
		if files {
			d.setPane(diffPaneFiles)
		}
		return d
	})
}

func (s *diffScreen) View() string {
	st := s.c.styles
	switch {
	case s.err != nil:
		return s.header + "\n\n" + errorView(st, s.c.Keys, s.err, s.w)
	case !s.loaded():
		return s.header + "\n\n" + loadingView(st, s.spin, "both sides")
	}
	return s.header + "\n" + s.table.View()
}

func (s *diffScreen) diffHeader() string {
	st := s.c.styles
	var lines []string
	for i, side := range s.sides {
		line := st.Accent.Render(sideNames[i]+" ") + st.Text.Render(fitLine(side.ref.String(), s.w-2))
		if t := s.trees[i]; t != nil {
			line += "\n  " + st.Faint.Render(fitLine(t.Root.Digest+" · "+string(t.Root.Kind), s.w-2))
		}
		lines = append(lines, line)
	}
	if s.loaded() {
		if s.trees[0].Root.Digest == s.trees[1].Root.Digest {
			lines = append(lines, st.Success.Render("identical: the same digest"))
		} else {
			counts := map[string]int{}
			for _, r := range s.rows {
				counts[r.Status]++
			}
			lines = append(lines, st.Faint.Render(fitLine(itoa(counts[model.DiffSame])+" same · "+itoa(counts[model.DiffChanged])+" changed · "+
				itoa(counts[model.DiffAdded])+" only in B · "+itoa(counts[model.DiffRemoved])+" only in A · "+keyHint(s.keys.Enter)+" compares a platform's images", s.w)))
		}
	}
	return strings.Join(lines, "\n")
}

var sideNames = [2]string{"A", "B"}

func (s *diffScreen) cell(row, col int) (string, lipgloss.Style) {
	st := s.c.styles
	r := s.rows[row]
	style := changeStyle(st, r.Status)
	short := func(d *string) string {
		if d == nil {
			return "-"
		}
		return model.ShortDigest(*d)
	}
	switch col {
	case 0:
		return map[string]string{model.DiffAdded: "+", model.DiffRemoved: "-", model.DiffChanged: "~"}[r.Status], style
	case 1:
		return s.declared(r), st.Text
	case 2:
		return short(r.A), st.Faint
	case 3:
		return short(r.B), st.Faint
	}
	switch r.Status {
	case model.DiffAdded:
		return "only in B", style
	case model.DiffRemoved:
		return "only in A", style
	}
	return r.Status, style
}

// declared is a row's platform as the indexes spell it, the way the tag
// list and the index show it: rows pair entries by containerd's
// normalised platform (linux/arm64 is linux/arm64/v8), and show A's
// spelling, B's too when it differs.
func (s *diffScreen) declared(r model.PlatformDiff) string {
	spelled := func(i int, d *string) string {
		if d == nil {
			return ""
		}
		for _, e := range s.trees[i].Root.Entries {
			if e.Digest == *d && e.Platform != nil && model.Normalize(*e.Platform).Display() == r.Platform {
				return e.Platform.Display()
			}
		}
		return ""
	}
	a, b := spelled(0, r.A), spelled(1, r.B)
	switch {
	case a == "" && b == "":
		return r.Platform
	case a == "":
		return b
	case b != "" && b != a:
		return a + " (B: " + b + ")"
	}
	return a
}

// sideLabel names a side of a diff briefly: the repository's last part
// with the tag or a short digest, then what else tells it apart.
func sideLabel(r model.Reference, extra string) string {
	name := r.Repository
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	switch {
	case r.Tag != "":
		name += ":" + r.Tag
	case r.Digest != "":
		name += "@" + model.ShortDigest(r.Digest)
	}
	if extra != "" {
		name += " " + extra
	}
	return name
}

// markDiff marks (or unmarks) what is under the cursor of top for a diff;
// a third mark replaces the oldest.
func (a *explorer) markDiff(top screen) tea.Cmd {
	d, ok := top.(diffable)
	if !ok {
		return status("nothing to mark for a diff here: mark tags, index entries or images", true)
	}
	side, ok := d.DiffTarget()
	if !ok {
		return status("nothing under the cursor to mark", true)
	}
	for i, m := range a.marks {
		if m.ref.String() == side.ref.String() {
			a.marks = append(a.marks[:i], a.marks[i+1:]...)
			return tea.Batch(a.noteMarks(), status("unmarked "+side.label, false))
		}
	}
	if len(a.marks) == 2 {
		a.marks = a.marks[1:]
	}
	a.marks = append(a.marks, side)
	if len(a.marks) == 1 {
		return tea.Batch(a.noteMarks(), status("marked "+side.label+" as A: mark B with "+keyHint(a.c.Keys.DiffMark)+" (or go to it) and press "+keyHint(a.c.Keys.Diff), false))
	}
	return tea.Batch(a.noteMarks(), status("marked "+side.label+" as B: press "+keyHint(a.c.Keys.Diff)+" to compare", false))
}

// markRefs are the references marked for a diff, A first.
func (a *explorer) markRefs() []string {
	refs := make([]string, len(a.marks))
	for i, m := range a.marks {
		refs[i] = m.ref.String()
	}
	return refs
}

// noteMarks tells every screen what is marked now, so marked rows show it.
func (a *explorer) noteMarks() tea.Cmd {
	return a.broadcast(marksMsg{refs: a.markRefs()})
}

// diff compares the two marks, or the one mark with what is under the
// cursor.
func (a *explorer) diff(top screen) tea.Cmd {
	pair := a.marks
	if len(pair) < 2 {
		if d, ok := top.(diffable); ok && len(pair) == 1 {
			if side, ok := d.DiffTarget(); ok && side.ref.String() != pair[0].ref.String() {
				pair = append(pair, side)
			}
		}
	}
	if len(pair) < 2 {
		return status("mark two tags, index entries or images with "+keyHint(a.c.Keys.DiffMark)+", then press "+keyHint(a.c.Keys.Diff), true)
	}
	a.marks = nil
	return tea.Batch(a.noteMarks(), push(newDiffScreen(pair[0], pair[1])))
}
