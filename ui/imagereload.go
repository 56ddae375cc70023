package ui

import tea "charm.land/bubbletea/v2"

// imageKept is what an image screen keeps across a reload (r, its tag
// moved, the terminal regained focus) for when the image is the same: the
// pane and its cursor, and on the Files pane the layers read, the layer
// viewed and the tree with its cursor, open directories and filter.
type imageKept struct {
	digest       string
	pane, cursor int
	files        *filesPane
	view         int
	views        map[int]layerView
}

// reloaded is this screen loading again, what it shows kept for the
// screen that takes its place.
func (s *imageScreen) reloaded() (screen, tea.Cmd) {
	o := s.opened
	o.pane = s.pane
	o.kept = &imageKept{digest: s.tree.Root.Digest, pane: s.pane, cursor: s.table.Cursor, files: s.files, view: s.view, views: s.views}
	l := reload(s.base, o)
	l.SetSize(s.w, s.h)
	return l, l.Init()
}

// restore takes back what the screen showed before a reload, if the image
// is still the one it was. The loader cancelled this screen's requests:
// a read under way starts again (Init), a filter job too (resume), and a
// layer's changes being built are built again (showFiles).
func (s *imageScreen) restore(k *imageKept) {
	if k == nil || k.digest != s.tree.Root.Digest {
		return
	}
	p := k.files
	p.adopt(&s.base)
	for i, t := range p.reading {
		if t.fs == nil {
			p.reading[i] = layersTask{key: t.key, what: t.what}
		}
	}
	s.files, s.view, s.views = p, k.view, k.views
	s.setPane(k.pane)
	s.table.SetCursor(k.cursor)
}
