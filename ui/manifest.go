package ui

import (
	"context"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
)

// opened is what every screen of one manifest knows: where it is and what
// was loaded.
type opened struct {
	ref   model.Reference
	crumb string
	// users, when opened from an index, counts which layers the index's
	// images share.
	users map[string]int
	tree  *model.Tree
	// pane is the pane an image screen opens on.
	pane int
	// cursorOn and filter are an index screen's cursor (the entry's
	// platform) and filter, kept across a reload.
	cursorOn, filter string
	// kept is what an image screen keeps across a reload.
	kept *imageKept
	// part: opened as an entry of an index or a referrer, which the
	// check of what holds it covers; an image screen checks only a
	// manifest opened by its own name.
	part bool
}

func (o opened) Crumb() string {
	if o.crumb != "" {
		return o.crumb
	}
	if o.ref.Tag != "" {
		return o.ref.Tag
	}
	return model.ShortDigest(o.ref.Digest)
}

func (o opened) Host() string { return o.ref.Registry }

// movedBy tells whether m moved the tag this screen was opened on (one
// opened by digest stays what it is).
func (o opened) movedBy(m tagsChangedMsg) bool {
	if o.ref.Digest != "" {
		return false
	}
	for _, r := range m.refs {
		if sameTag(r, o.ref) {
			return true
		}
	}
	return false
}

// reference is the manifest with its digest once loaded, for `y`.
func (o opened) reference() (model.Reference, bool) {
	if o.tree == nil {
		return o.ref, o.ref.Digest != ""
	}
	return o.ref.WithDigest(o.tree.Root.Digest), true
}

// manifestScreen loads what a tag or digest holds, children and configs in
// parallel, then hands its place to an index or an image screen.
type manifestScreen struct {
	base
	opened
	state loadState
	err   error
	spin  spinner.Model
}

// newManifestScreen returns the screen for ref.
func newManifestScreen(ref model.Reference, crumb string, users map[string]int) screenMaker {
	return func(b base) screen { return reload(b, opened{ref: ref, crumb: crumb, users: users}) }
}

// newPartScreen returns the screen for ref, an entry of an index or a
// referrer of a manifest.
func newPartScreen(ref model.Reference, crumb string, users map[string]int) screenMaker {
	return func(b base) screen { return reload(b, opened{ref: ref, crumb: crumb, users: users, part: true}) }
}

// reload is a loader for what o shows, in the place of the screen of b.
func reload(b base, o opened) *manifestScreen {
	o.tree = nil
	return &manifestScreen{base: b, opened: o, spin: newSpinner()}
}

func (s *manifestScreen) Init() tea.Cmd {
	s.state, s.err = loading, nil
	s.reqs.reset()
	ctx, q := s.start(jobTree, "")
	client, ref := s.c.Client, s.ref
	return tea.Batch(s.spin.Tick, run(ctx, q, func(ctx context.Context) (*model.Tree, error) {
		return client.Expand(ctx, ref, registry.ExpandOptions{Children: true, Configs: true})
	}))
}

func (s *manifestScreen) Ref() (model.Reference, bool) { return s.reference() }
func (s *manifestScreen) Bindings() []key.Binding      { return []key.Binding{s.c.Keys.Refresh} }
func (s *manifestScreen) SetSize(w, h int)             { s.w, s.h = w, h }
func (s *manifestScreen) Loading() bool                { return s.state == loading }

func (s *manifestScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case reply[*model.Tree]:
		if msg.req.job != jobTree {
			return s, nil
		}
		if msg.err == nil && msg.val == nil {
			msg.err = errWrongReply // nil without an error: a bug, not a panic
		}
		if msg.err != nil {
			s.state, s.err = failed, msg.err
			return s, nil
		}
		o := s.opened
		o.tree = msg.val
		kept := o.kept
		o.kept = nil // not held by the screens it opens
		var next screen
		if o.tree.Root.IsIndex() {
			next = newIndexScreen(s.base, o)
		} else {
			img := newImageScreen(s.base, o)
			img.restore(kept)
			next = img
		}
		next.SetSize(s.w, s.h)
		return next, tea.Batch(next.core().loaded(), next.Init())
	case spinner.TickMsg:
		return s, tick(&s.spin, s.state == loading, msg)
	case tea.KeyPressMsg:
		if key.Matches(msg, s.c.Keys.Refresh) {
			return s, s.Init()
		}
	}
	return s, nil
}

func (s *manifestScreen) View() string {
	if s.state == failed {
		return errorView(s.c.styles, s.c.Keys, s.err, s.w)
	}
	return loadingView(s.c.styles, s.spin, s.ref.String())
}
