package ui

import (
	"context"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"platypus/model"
)

// ReferrersScreen lists the signatures, SBOMs and attestations attached to
// a manifest (OCI referrers API, or the tag-schema fallback).
type ReferrersScreen struct {
	base
	subject model.Reference
	state   loadState
	err     error
	seq     int
	refs    []model.Descriptor
	table   Table
	spin    spinner.Model
}

// NewReferrersScreen returns the referrers of subject (which has a digest).
func NewReferrersScreen(subject model.Reference) screenMaker {
	return func(ctx context.Context, c *Common, id int) Screen {
		s := &ReferrersScreen{base: newBase(ctx, c, id), subject: subject, spin: newSpinner()}
		s.host = subject.Registry
		s.table.Cols = []Column{{Title: "ARTIFACT TYPE", Flex: 2}, {Title: "SIZE", Width: 8, Right: true, Drop: 3}, {Title: "CREATED", Width: 20, Drop: 1}, {Title: "DIGEST", Width: 12, Drop: 2}, {Title: "DESCRIPTION", Flex: 2}}
		return s
	}
}

func (s *ReferrersScreen) Init() tea.Cmd {
	s.state, s.seq = loading, s.seq+1
	return tea.Batch(s.spin.Tick, loadReferrers(s.ctx, s.c.Client, s.id, s.seq, s.subject))
}

func (s *ReferrersScreen) Crumb() string { return "referrers" }

func (s *ReferrersScreen) Bindings() []key.Binding {
	km := s.c.Keys
	return []key.Binding{km.Enter, km.Refresh}
}

func (s *ReferrersScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.table.SetSize(w, h-2)
}

func (s *ReferrersScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case referrersMsg:
		if msg.seq != s.seq {
			return s, nil
		}
		if msg.err != nil {
			s.state, s.err = failed, msg.err
			return s, nil
		}
		s.state, s.refs = ready, msg.refs
		s.table.SetLen(len(s.refs))
		var typ, desc int
		for _, d := range s.refs {
			typ = max(typ, ansi.StringWidth(d.ArtifactType))
			desc = max(desc, ansi.StringWidth(d.Annotations[annotationDescription]))
		}
		s.table.FitTo(0, typ)
		s.table.FitTo(4, desc)
	case spinner.TickMsg:
		return s, tick(&s.spin, s.state == loading, msg)
	case tea.KeyMsg:
		km := s.c.Keys
		switch {
		case key.Matches(msg, km.Refresh):
			return s, s.Init()
		case s.state != ready:
		case s.table.HandleKey(msg, km):
		case key.Matches(msg, km.Enter) && s.table.Cursor < len(s.refs):
			d := s.refs[s.table.Cursor]
			return s, push(NewManifestScreen(s.subject.WithDigest(d.Digest), shortType(d.ArtifactType), nil))
		}
	case tea.MouseMsg:
		s.table.HandleKey(msg, s.c.Keys)
	}
	return s, nil
}

const annotationDescription = "org.opencontainers.image.description"

func shortType(t string) string {
	if t == "" {
		return "artifact"
	}
	return model.ShortMediaType(t)
}

func (s *ReferrersScreen) View() string {
	st := s.c.Styles
	switch s.state {
	case loading:
		return loadingView(st, s.spin, "referrers of "+model.ShortDigest(s.subject.Digest))
	case failed:
		return errorView(st, s.err, s.w)
	}
	// The digest is on the header line already: name the subject by tag.
	subject := s.subject.Familiar()
	if s.subject.Tag != "" {
		subject = s.subject.WithDigest("").Familiar() + " (" + model.ShortDigest(s.subject.Digest) + ")"
	}
	head := st.Faint.Render(fitLine(itoa(len(s.refs))+" referrers of "+subject, s.w))
	if len(s.refs) == 0 {
		return head + "\n\n" + st.Faint.Render("nothing refers to this manifest (no signatures, SBOMs or attestations)")
	}
	return head + "\n" + s.table.View(st, func(row, col int) (string, lipgloss.Style) {
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
	})
}
