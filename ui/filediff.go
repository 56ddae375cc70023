package ui

import (
	"context"
	"path"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry"
)

// fileSide is one side of a file diff: the image and the file it reads,
// or nothing when the file is only on the other side.
type fileSide struct {
	label string
	img   *registry.Image
	entry *fstree.Entry
	// claimedSum says entry's sum is a table of contents' claim, not taken
	// from the layer's bytes.
	claimedSum bool
	// what was read
	busy        bool
	done, total int64
	content     *registry.Content
	err         error
}

// fileDiffScreen compares one path of two images as diff -u does: both
// files read from their layers (each checked before it is shown), then
// the lines that differ with three of context; binary files by size and
// sum.
type fileDiffScreen struct {
	base
	path   string
	sides  [2]fileSide
	result *fileDiffResult
	text   textPane
	spin   spinner.Model
}

type fileDiffResult struct {
	lines   []string // styled, escaped
	minimal bool
	binary  bool
	same    bool
	bySum   bool // known the same by the sums, nothing read
}

var fileSideKeys = [2]string{"a", "b"}

func newFileDiffScreen(p string, sides [2]fileSide) screenMaker {
	return func(b base) screen {
		s := &fileDiffScreen{base: b, path: p, sides: sides, spin: newSpinner()}
		for i := range s.sides {
			if e := s.sides[i].entry; e != nil && int(e.Layer) < len(s.sides[i].img.Manifest.Layers) {
				s.sides[i].total = s.sides[i].img.Manifest.Layers[e.Layer].Size
			}
		}
		return s
	}
}

func (s *fileDiffScreen) Init() tea.Cmd {
	if sameSum(s.sides) {
		// The sums the listing took from the layers' bytes say the bytes
		// are the same: no layer is read again (sums a table of contents
		// claims are not trusted so).
		s.result = &fileDiffResult{same: true, bySum: true}
		return nil
	}
	cmds := []tea.Cmd{s.spin.Tick}
	for i := range s.sides {
		side := &s.sides[i]
		side.err, side.done = nil, 0
		if side.entry != nil {
			side.busy = true
			cmds = append(cmds, readFile(&s.base, fileSideKeys[i], side.img, *side.entry))
		}
	}
	return tea.Batch(cmds...)
}

func (s *fileDiffScreen) Crumb() string { return "diff " + path.Base(s.path) }

// CopyText copies the path compared.
func (s *fileDiffScreen) CopyText() (string, bool) { return "/" + s.path, true }

func (s *fileDiffScreen) Bindings() []key.Binding {
	return append(s.text.bindings(s.c.Keys.paneKeys()), s.c.Keys.Refresh)
}

func (s *fileDiffScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.text.setSize(w, h-4)
}

func (s *fileDiffScreen) busy() bool { return s.sides[0].busy || s.sides[1].busy }

func (s *fileDiffScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case reply[fileDiffResult]:
		if msg.err == nil {
			r := msg.val
			s.result = &r
			s.text = newTextPane(r.lines)
			s.text.setSize(s.w, s.h-4)
		}
		return s, nil
	case reply[readEvent]:
		i := 0
		if msg.req.key == fileSideKeys[1] {
			i = 1
		}
		side := &s.sides[i]
		switch v := msg.val.(type) {
		case layersProgress:
			side.done, side.total = v.done, v.total
		case fileRead:
			side.busy, side.content, side.err = false, v.content, v.err
		}
		if msg.err != nil {
			side.err = msg.err
		}
		if msg.last() {
			side.busy = false
			return s, s.compare()
		}
		return s, msg.next
	case spinner.TickMsg:
		return s, tick(&s.spin, s.busy(), msg)
	case tea.KeyPressMsg:
		if key.Matches(msg, s.c.Keys.Refresh) && !s.busy() {
			s.result = nil
			return s, s.Init()
		}
	}
	return s, s.text.update(msg, s.c.Keys.paneKeys())
}

// compare diffs the two files once both are read, off the UI goroutine.
func (s *fileDiffScreen) compare() tea.Cmd {
	if s.busy() || s.sides[0].err != nil || s.sides[1].err != nil {
		return nil
	}
	var heads [2][]byte
	for i, side := range s.sides {
		if side.content != nil {
			heads[i] = side.content.Head
			_ = side.content.Close()
		}
	}
	st := s.c.styles
	ctx, q := s.start(jobFileDiff, "")
	return run(ctx, q, func(context.Context) (fileDiffResult, error) {
		return diffFiles(st, heads), nil
	})
}

// diffFiles is what the screen shows of two files' heads (nil: absent).
func diffFiles(st styles, heads [2][]byte) fileDiffResult {
	if model.IsBinary(heads[0]) || model.IsBinary(heads[1]) {
		return fileDiffResult{binary: true}
	}
	a, _ := model.SplitLines(heads[0])
	b, _ := model.SplitLines(heads[1])
	ops, minimal := model.CompareLines(a, b)
	r := fileDiffResult{minimal: minimal}
	for _, h := range model.Hunks(ops, 3) {
		r.lines = append(r.lines, st.Accent.Render(h.Header))
		for _, l := range h.Lines {
			line := string(l.Kind) + shownLine(l.Text)
			switch l.Kind {
			case '-':
				line = st.Error.Render(line)
			case '+':
				line = st.Success.Render(line)
			}
			r.lines = append(r.lines, line)
		}
	}
	r.same = len(r.lines) == 0
	return r
}

func (s *fileDiffScreen) View() string {
	st := s.c.styles
	var head []string
	for i, side := range s.sides {
		mark := [2]string{"--- ", "+++ "}[i]
		line := mark + side.label + " "
		if e := side.entry; e == nil {
			line += "(no such file)"
		} else {
			line += "/" + e.Path + " · layer " + itoa(int(e.Layer)) + " · " + fstree.ModeString(e) + " · " + model.HumanSize(e.Size)
		}
		style := [2]func(...string) string{st.Error.Render, st.Success.Render}[i]
		head = append(head, style(fitLine(line, s.w)))
	}
	top := head[0] + "\n" + head[1] + "\n"
	for _, side := range s.sides {
		if side.err != nil {
			return top + "\n" + errorView(st, s.c.Keys, side.err, s.w)
		}
	}
	if s.busy() || s.result == nil {
		var done, total int64
		for _, side := range s.sides {
			done, total = done+side.done, total+side.total
		}
		text := "reading both files' layers: " + model.HumanSize(done) + " of " + model.HumanSize(total) + " · " + keyHint(s.c.Keys.Back) + " cancels"
		return top + "\n" + s.spin.View() + " " + st.Faint.Render(fitLine(text, s.w-3))
	}
	r := s.result
	var note string
	switch {
	case r.bySum && s.sides[0].entry.Mode != s.sides[1].entry.Mode:
		note = "the same bytes (by their sums: nothing read); the mode differs"
	case r.bySum:
		note = "the same bytes (by their sums: nothing read)"
	case r.binary:
		note = "binary files that differ: the sums are " + shortSum(s.sides[0]) + " and " + shortSum(s.sides[1])
	case r.same && s.sides[0].entry != nil && s.sides[1].entry != nil && s.sides[0].entry.Mode != s.sides[1].entry.Mode:
		note = "the same text; the mode differs"
	case r.same:
		note = "the same text"
	case !r.minimal:
		note = "too different to find the fewest changes: the part that differs is shown removed, then added"
	}
	if s.sides[0].entry != nil && s.sides[0].entry.Size > fileHead || s.sides[1].entry != nil && s.sides[1].entry.Size > fileHead {
		note += " (the first " + model.HumanSize(fileHead) + " of each compared)"
	}
	if note != "" {
		return top + st.Faint.Render(fitLine(note, s.w)) + "\n" + s.text.view()
	}
	return top + "\n" + s.text.view()
}

func sameSum(sides [2]fileSide) bool {
	return sides[0].entry != nil && sides[1].entry != nil && !sides[0].entry.Digest.IsZero() && sides[0].entry.Digest == sides[1].entry.Digest &&
		!sides[0].claimedSum && !sides[1].claimedSum
}

func shortSum(side fileSide) string {
	if side.entry == nil {
		return "(none)"
	}
	return model.ShortDigest(side.entry.Digest.String())
}
