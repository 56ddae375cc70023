package ui

import (
	"fmt"
	"path"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry"
)

// fileScreen shows one file of an image, read from the layer that holds
// it with progress (esc leaves and cancels): its text, escaped, or, for a
// binary file, a hex dump of its start. Nothing is shown before the
// layer's digest and the file's sum are checked.
type fileScreen struct {
	base
	img   *registry.Image
	entry fstree.Entry
	// asked is the path opened, when links led elsewhere.
	asked       string
	done, total int64
	busy        bool
	err         error
	size        int64
	crlf        bool
	binary      bool
	text        textPane
	spin        spinner.Model
}

type fileRead struct {
	content *registry.Content
	err     error
}

// fileHead is what the screen keeps of a file; hexHead what it dumps of a
// binary one.
const (
	fileHead = 1 << 20
	hexHead  = 64 << 10
)

// newFileScreen shows file e of img, opened as asked.
func newFileScreen(img *registry.Image, e fstree.Entry, asked string) screenMaker {
	return func(b base) screen {
		s := &fileScreen{base: b, img: img, entry: e, spin: newSpinner()}
		if asked != e.Path {
			s.asked = asked
		}
		if int(e.Layer) < len(img.Manifest.Layers) {
			s.total = img.Manifest.Layers[e.Layer].Size
		}
		return s
	}
}

func (s *fileScreen) Init() tea.Cmd {
	s.busy = true
	return tea.Batch(s.spin.Tick, readFile(&s.base, "", s.img, s.entry))
}

// readFile reads the head of file e of img: layersProgress replies, then a
// fileRead; key tells two reads of one screen apart.
func readFile(b *base, key string, img *registry.Image, e fstree.Entry) tea.Cmd {
	ctx, q := b.start(jobFile, key)
	client := b.c.Client
	return func() tea.Msg {
		ch := make(chan readEvent, 4)
		go func() {
			defer close(ch)
			c, err := client.FileContent(ctx, img, e, registry.FileOptions{Head: fileHead, LayerOptions: registry.LayerOptions{Progress: progressTo(ch)}})
			select {
			case ch <- fileRead{c, err}:
			case <-ctx.Done():
				if c != nil {
					_ = c.Close()
				}
			}
		}()
		return streamed(q, ch)()
	}
}

func (s *fileScreen) Crumb() string { return path.Base(s.entry.Path) }

func (s *fileScreen) Ref() (model.Reference, bool) { return s.img.Ref, true }

// CopyText copies the file's path.
func (s *fileScreen) CopyText() (string, bool) { return "/" + s.entry.Path, true }

func (s *fileScreen) Bindings() []key.Binding {
	return append(s.text.bindings(s.c.Keys.paneKeys()), s.c.Keys.Refresh)
}

func (s *fileScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.text.setSize(w, h-2)
}

func (s *fileScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case reply[readEvent]:
		if msg.err != nil {
			s.show(nil, msg.err)
		}
		switch v := msg.val.(type) {
		case layersProgress:
			s.done, s.total = v.done, v.total
		case fileRead:
			s.busy = false
			s.show(v.content, v.err)
		}
		if msg.last() {
			s.busy = false
		}
		return s, msg.next
	case spinner.TickMsg:
		return s, tick(&s.spin, s.busy, msg)
	case tea.KeyPressMsg:
		if key.Matches(msg, s.c.Keys.Refresh) && !s.busy {
			s.err, s.done = nil, 0
			return s, s.Init()
		}
	}
	return s, s.text.update(msg, s.c.Keys.paneKeys())
}

// show takes what was read: the lines of its text, or of its hex dump.
func (s *fileScreen) show(c *registry.Content, err error) {
	if err != nil {
		s.err = err
		return
	}
	defer func() { _ = c.Close() }()
	s.size = c.Entry.Size
	head := c.Head
	if model.IsBinary(head) {
		s.binary = true
		s.text = newTextPane(hexDump(head[:min(len(head), hexHead)]))
	} else {
		var lines []string
		lines, s.crlf = model.SplitLines(head)
		for i, l := range lines {
			lines[i] = shownLine(l)
		}
		s.text = newTextPane(lines)
	}
	s.text.setSize(s.w, s.h-2)
}

// shownLine is a line of a file as the screen shows it: tabs expanded,
// what a terminal would act on escaped.
func shownLine(l string) string { return model.EscapeControls(expandTabs(l)) }

func (s *fileScreen) View() string {
	st := s.c.styles
	e := s.entry
	info := "/" + e.Path
	if s.asked != "" {
		info = s.asked + " → " + info
	}
	info += " · layer " + itoa(int(e.Layer)) + " · " + fstree.ModeString(&e)
	switch {
	case s.busy:
		text := "reading layer " + itoa(int(e.Layer)) + ": " + model.HumanSize(s.done) + " of " + model.HumanSize(s.total) + " · " + keyHint(s.c.Keys.Back) + " cancels"
		return st.Faint.Render(fitLine(info, s.w)) + "\n\n" + s.spin.View() + " " + st.Faint.Render(fitLine(text, s.w-3))
	case s.err != nil:
		return st.Faint.Render(fitLine(info, s.w)) + "\n\n" + errorView(st, s.c.Keys, s.err, s.w)
	}
	info += " · " + model.HumanSize(s.size)
	switch {
	case s.binary && s.size > hexHead:
		info += " · binary, the first " + model.HumanSize(hexHead) + " in hex"
	case s.binary:
		info += " · binary, in hex"
	case s.size > fileHead:
		info += " · the first " + model.HumanSize(fileHead) + " shown"
	}
	if s.crlf {
		info += " · CRLF"
	}
	if s.text.sideways() {
		info = "← → scroll sideways · " + info
	}
	return st.Faint.Render(fitLine(info, s.w)) + "\n\n" + s.text.view()
}

// expandTabs puts spaces for tabs, to the next column of eight: a tab's
// width is the terminal's guess otherwise.
func expandTabs(l string) string {
	if !strings.Contains(l, "\t") {
		return l
	}
	var b strings.Builder
	col := 0
	for _, r := range l {
		if r == '\t' {
			n := 8 - col%8
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteRune(r)
		col++
	}
	return b.String()
}

// hexDump is b as hexdump -C writes it: offset, sixteen bytes in hex, and
// those bytes as ASCII, a dot for the rest.
func hexDump(b []byte) []string {
	var out []string
	for off := 0; off < len(b); off += 16 {
		row := b[off:min(off+16, len(b))]
		var hex, ascii strings.Builder
		for i := range 16 {
			if i == 8 {
				hex.WriteByte(' ')
			}
			if i < len(row) {
				fmt.Fprintf(&hex, "%02x ", row[i])
				c := row[i]
				if c < 0x20 || c > 0x7e {
					c = '.'
				}
				ascii.WriteByte(c)
			} else {
				hex.WriteString("   ")
			}
		}
		out = append(out, fmt.Sprintf("%08x  %s |%s|", off, hex.String(), ascii.String()))
	}
	return out
}
