package ui

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/platypus-tui/platypus/model"
)

// maxStatement bounds one in-toto statement: an SBOM of a large image is a
// few MiB.
const maxStatement = 32 << 20

// attestationScreen shows what an attestation manifest attests, the way
// `docker buildx imagetools inspect --format` does: the provenance (who
// built the image from which source and commit) and the SBOM's packages,
// one statement at a time (tab).
type attestationScreen struct {
	base
	ref     model.Reference // the attestation manifest
	m       *model.Manifest
	subject string
	stmts   []statement
	pane    int
	table   table
	keys    KeyMap
	spin    spinner.Model
	header  string
}

// statement is one layer of the manifest: an in-toto statement.
type statement struct {
	name   string
	raw    []byte
	att    model.Attestation
	err    error
	loaded bool
}

func newAttestationScreen(ref model.Reference, m *model.Manifest, subject string) screenMaker {
	return func(b base) screen {
		s := &attestationScreen{base: b, ref: ref, m: m, subject: subject, keys: b.c.Keys, spin: newSpinner()}
		for _, l := range m.Layers {
			name := model.PredicateName(l.Annotations["in-toto.io/predicate-type"])
			if name == "" {
				name = model.ShortMediaType(l.MediaType)
			}
			s.stmts = append(s.stmts, statement{name: name})
		}
		s.table = newTable(&b.c.styles, b.c.Keys.tableKeys(), withCells(s.cell))
		s.setPane(0)
		return s
	}
}

func (s *attestationScreen) Init() tea.Cmd {
	cmds := []tea.Cmd{s.spin.Tick}
	for i, l := range s.m.Layers {
		ctx, q := s.start(jobStatement, itoa(i))
		client, repo := s.c.Client, s.ref.RepoOnly()
		cmds = append(cmds, run(ctx, q, func(ctx context.Context) (statement, error) {
			raw, err := client.Blob(ctx, repo, l, maxStatement)
			if err != nil {
				return statement{}, err
			}
			att, err := model.ParseAttestation(raw)
			return statement{raw: raw, att: att, err: err}, nil
		}))
	}
	return tea.Batch(cmds...)
}

func (s *attestationScreen) Crumb() string                { return "attestation" }
func (s *attestationScreen) Ref() (model.Reference, bool) { return s.ref, true }

func (s *attestationScreen) Bindings() []key.Binding {
	return []key.Binding{s.keys.NextPane, s.keys.Raw}
}

func (s *attestationScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.layout()
}

func (s *attestationScreen) layout() {
	s.header = s.attHeader()
	s.table.SetSize(s.w, max(s.h-countLines(s.header)-1, 3))
}

func (s *attestationScreen) current() *statement {
	if s.pane < len(s.stmts) {
		return &s.stmts[s.pane]
	}
	return nil
}

func (s *attestationScreen) setPane(p int) {
	s.pane = p
	st := s.current()
	switch {
	case st == nil:
		s.table.SetLen(0)
	case len(st.att.Packages) > 0:
		s.table.SetColumns(column{Title: "PACKAGE", Flex: 2}, column{Title: "VERSION", Flex: 1}, column{Title: "TYPE", Width: 17, Drop: 1})
		s.table.SetLen(len(st.att.Packages))
	default:
		s.table.SetColumns(column{Title: "FIELD", Width: 14}, column{Title: "VALUE", Flex: 1})
		s.table.SetLen(len(st.att.Fields))
	}
	s.table.SetCursor(0)
	s.layout()
}

func (s *attestationScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case reply[statement]:
		i, ok := atoiKey(msg.req.key)
		if !ok || i < 0 || i >= len(s.stmts) {
			return s, nil
		}
		st := &s.stmts[i]
		st.loaded = true
		if msg.err != nil {
			st.err = msg.err
		} else {
			st.raw, st.att, st.err = msg.val.raw, msg.val.att, msg.val.err
		}
		if i == s.pane {
			s.setPane(i)
		}
	case spinner.TickMsg:
		return s, tick(&s.spin, s.loading(), msg)
	case tea.MouseMsg:
		s.table, _ = s.table.Update(msg)
	case tea.KeyPressMsg:
		switch {
		case s.table.handles(msg):
			s.table, _ = s.table.Update(msg)
		case key.Matches(msg, s.keys.NextPane) && len(s.stmts) > 0:
			s.setPane((s.pane + 1) % len(s.stmts))
		case key.Matches(msg, s.keys.Raw):
			if st := s.current(); st != nil && st.raw != nil {
				return s, push(newRawScreen(s.ref.RepoOnly().WithDigest(s.m.Layers[s.pane].Digest), "statement", s.m.Layers[s.pane].MediaType, st.raw))
			}
		}
	}
	s.layout()
	return s, nil
}

func (s *attestationScreen) loading() bool {
	for _, st := range s.stmts {
		if !st.loaded {
			return true
		}
	}
	return false
}

func (s *attestationScreen) attHeader() string {
	st := s.c.styles
	lines := []string{
		st.Header.Render(fitLine(s.ref.String(), s.w)),
		st.Faint.Render(fitLine("attestation for "+s.subject, s.w)),
	}
	labels := make([]string, len(s.stmts))
	for i, x := range s.stmts {
		labels[i] = x.name
		if n := len(x.att.Packages); n > 0 {
			labels[i] += " (" + plural(n, "package") + ")"
		}
	}
	lines = append(lines, "", tabLine(st, labels, s.pane, "tab: next · v: the statement's JSON", s.w))
	return strings.Join(lines, "\n")
}

func (s *attestationScreen) View() string {
	st := s.c.styles
	cur := s.current()
	switch {
	case cur == nil:
		return s.header + "\n\n" + st.Faint.Render("  no statements")
	case !cur.loaded:
		return s.header + "\n\n" + loadingView(st, s.spin, cur.name)
	case cur.err != nil && len(cur.att.Fields)+len(cur.att.Packages) == 0:
		return s.header + "\n\n" + errorView(st, s.c.Keys, cur.err, s.w)
	case s.table.Len() == 0:
		return s.header + "\n\n" + st.Faint.Render("  nothing platypus summarises in "+model.Clean(cur.name)+": "+keyHint(s.keys.Raw)+" shows the statement")
	}
	return s.header + "\n" + s.table.View()
}

func (s *attestationScreen) cell(row, col int) (string, lipgloss.Style) {
	st := s.c.styles
	cur := s.current()
	if len(cur.att.Packages) > 0 {
		p := cur.att.Packages[row]
		switch col {
		case 0:
			return p.Name, st.Text
		case 1:
			return p.Version, st.Accent
		}
		return p.Type, st.Faint
	}
	f := cur.att.Fields[row]
	if col == 0 {
		return f[0], st.Faint
	}
	return f[1], st.Text
}
