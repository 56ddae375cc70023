package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/registry"
)

// filesPane is the Files pane the image and diff screens share: a file
// tree over the layers of one image (or two) read from the registry on
// demand, its filter (off the UI goroutine when the tree is big), and the
// keys that open the file under the cursor. The screen decides what the
// tree shows (a merged filesystem, a layer's changes, a diff) and what
// opening a file does.
type filesPane struct {
	*fileTree
	// reading reads each image's layers, one task per image.
	reading []layersTask
}

// newFilesPane returns an empty pane whose tasks read the images the
// screen gives start, in their order.
func newFilesPane(b *base, tasks ...layersTask) *filesPane {
	p := &filesPane{fileTree: newFileTree(&b.c.styles, b.c.Keys.treeKeys()), reading: tasks}
	p.adopt(b)
	return p
}

// adopt makes the pane b's: its filter jobs are b's requests (a pane kept
// across a reload moves to the new screen).
func (p *filesPane) adopt(b *base) { p.filterJob = b.filterJob }

// resume runs again a filter job that was cancelled (by a reload) before
// it answered.
func (p *filesPane) resume() tea.Cmd {
	if p.filtering == "" {
		return nil
	}
	p.filtering = ""
	return p.refilter("")
}

// read tells whether every image's layers are read.
func (p *filesPane) read() bool {
	for _, t := range p.reading {
		if t.fs == nil {
			return false
		}
	}
	return true
}

func (p *filesPane) busy() bool {
	for _, t := range p.reading {
		if t.busy {
			return true
		}
	}
	return false
}

// start reads the layers of imgs (one per task) not read or being read.
func (p *filesPane) start(b *base, imgs ...*registry.Image) tea.Cmd {
	var cmds []tea.Cmd
	for i := range p.reading {
		p.reading[i].err = nil
		cmds = append(cmds, p.reading[i].start(b, imgs[i]))
	}
	return tea.Batch(cmds...)
}

// back takes esc: it cancels the reads, else clears a kept filter while
// the pane is shown.
func (p *filesPane) back(b *base, shown bool) (bool, tea.Cmd) {
	stopped := false
	for i := range p.reading {
		stopped = p.reading[i].cancel(b) || stopped
	}
	switch {
	case stopped:
		return true, status("reading layers cancelled", false)
	case shown && p.clearFilter():
		return true, nil
	}
	return false, nil
}

// reply takes the pane's replies: a filter's rows, a read's progress and
// end. done is true when the last image's layers have just been read;
// handled is false for a reply that is not the pane's.
func (p *filesPane) reply(a answer) (cmd tea.Cmd, done, handled bool) {
	switch r := a.(type) {
	case reply[filterRows]:
		if r.err == nil {
			p.filtered(r.val)
		}
		return nil, false, true
	case reply[readEvent]:
		for i := range p.reading {
			t := &p.reading[i]
			if r.req.key != t.key {
				continue
			}
			cmd, finished := t.reply(r)
			switch {
			case !finished:
				return cmd, false, true
			case t.err != nil:
				return tea.Batch(cmd, status("reading "+t.what+": "+registry.ShortError(t.err), true)), false, true
			}
			return cmd, p.read(), true
		}
	}
	return nil, false, false
}

// typed takes a message while the filter has the keys: its accept on a
// file opens it with open.
func (p *filesPane) typed(msg tea.Msg, open func() tea.Cmd) tea.Cmd {
	cmd := p.Update(msg)
	if p.filter.opens(msg) && p.read() && !p.onDir() {
		return tea.Batch(cmd, open())
	}
	return cmd
}

// key takes a key on the shown pane: show on a file opens it with open,
// the rest move through the tree.
func (p *filesPane) key(msg tea.KeyPressMsg, show key.Binding, open func() tea.Cmd) tea.Cmd {
	if key.Matches(msg, show) && p.read() && !p.onDir() {
		return open()
	}
	return p.Update(msg)
}

// bindings are the pane's keys for help, show as the screen labels it.
func (p *filesPane) bindings(show key.Binding) []key.Binding {
	return append([]key.Binding{show}, p.Bindings()...)
}

// CopyText is the path under the cursor, once there is a tree.
func (p *filesPane) CopyText() (string, bool) {
	if !p.read() || p.root == nil {
		return "", false
	}
	return p.fileTree.CopyText()
}
