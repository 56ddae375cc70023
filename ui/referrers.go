package ui

import (
	"context"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
)

// referrersScreen lists the signatures, SBOMs and attestations attached to
// a manifest (OCI referrers API, or the tag-schema fallback).
type referrersScreen struct {
	base
	subject model.Reference
	state   loadState
	err     error
	refs    []model.Descriptor
	table   table
	spin    spinner.Model
	keys    KeyMap
}

// newReferrersScreen returns the referrers of subject (which has a digest).
func newReferrersScreen(subject model.Reference) screenMaker {
	return func(b base) screen {
		s := &referrersScreen{base: b, subject: subject, spin: newSpinner(), keys: b.c.Keys}
		s.table = newTable(&b.c.styles, b.c.Keys.tableKeys(), withCells(s.cell), withColumns(
			column{Title: "ARTIFACT TYPE", Flex: 2}, column{Title: "MANIFEST", Width: 8, Right: true, Drop: 3}, column{Title: "CREATED", Width: 20, Drop: 1},
			column{Title: "DIGEST", Width: 12, Drop: 2}, column{Title: "DESCRIPTION", Flex: 2}))
		return s
	}
}

func (s *referrersScreen) Init() tea.Cmd {
	s.state = loading
	s.reqs.reset()
	ctx, q := s.start(jobReferrers, "")
	client, subject := s.c.Client, s.subject
	return tea.Batch(s.spin.Tick, run(ctx, q, func(ctx context.Context) ([]model.Descriptor, error) {
		return client.Referrers(ctx, subject)
	}))
}

func (s *referrersScreen) Host() string  { return s.subject.Registry }
func (s *referrersScreen) Crumb() string { return "referrers" }

func (s *referrersScreen) Bindings() []key.Binding {
	return []key.Binding{s.keys.Enter, s.keys.Refresh}
}

func (s *referrersScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.table.SetSize(w, h-2)
}

func (s *referrersScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	cmd := s.update(msg)
	enable(s.state == ready && len(s.refs) > 0, &s.keys.Enter)
	return s, cmd
}

func (s *referrersScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case reply[[]model.Descriptor]:
		if msg.err != nil {
			s.state, s.err = failed, msg.err
			return nil
		}
		s.state = ready
		s.refs = msg.val
		s.table.SetLen(len(s.refs))
		var typ, desc int
		for _, d := range s.refs {
			typ = max(typ, ansi.StringWidth(d.ArtifactType))
			desc = max(desc, ansi.StringWidth(d.Annotations[annotationDescription]))
		}
		s.table.FitTo(0, typ)
		s.table.FitTo(4, desc)
	case spinner.TickMsg:
		return tick(&s.spin, s.state == loading, msg)
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, s.keys.Refresh):
			return s.Init()
		case s.state != ready:
		case s.table.handles(msg):
			s.table, _ = s.table.Update(msg)
		case key.Matches(msg, s.keys.Enter) && s.table.Cursor < len(s.refs):
			d := s.refs[s.table.Cursor]
			return push(newPartScreen(s.subject.WithDigest(d.Digest), shortType(d.ArtifactType), nil))
		}
	case tea.MouseMsg:
		s.table, _ = s.table.Update(msg)
	}
	return nil
}

const annotationDescription = "org.opencontainers.image.description"

func shortType(t string) string {
	if t == "" {
		return "artifact"
	}
	return model.ShortMediaType(t)
}

func (s *referrersScreen) View() string {
	st := s.c.styles
	switch s.state {
	case loading:
		return loadingView(st, s.spin, "referrers of "+model.ShortDigest(s.subject.Digest))
	case failed:
		return errorView(st, s.c.Keys, s.err, s.w)
	default: // the list, below
	}
	// The digest is on the header line already: name the subject by tag.
	subject := s.subject.Familiar()
	if s.subject.Tag != "" {
		subject = s.subject.WithDigest("").Familiar() + " (" + model.ShortDigest(s.subject.Digest) + ")"
	}
	head := st.Faint.Render(fitLine(plural(len(s.refs), "referrer")+" of "+subject, s.w))
	if len(s.refs) == 0 {
		return head + "\n\n" + st.Faint.Render("nothing refers to this manifest (no signatures, SBOMs or attestations)")
	}
	return head + "\n" + s.table.View()
}

func (s *referrersScreen) cell(row, col int) (string, lipgloss.Style) {
	st := s.c.styles
	d := s.refs[row]
	switch col {
	case 0:
		return d.ArtifactType, st.Accent
	case 1:
		return model.HumanSize(d.Size), st.Text
	case 2:
		return d.Annotations[model.AnnotationCreated], st.Faint
	case 3:
		return model.ShortDigest(d.Digest), st.Faint
	}
	return d.Annotations[annotationDescription], st.Text
}
