package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/check"
)

// findingsScreen lists a release check's findings grouped by platform, the
// index's own first, as `platypus check` prints them; enter goes to what
// the finding under the cursor is about.
type findingsScreen struct {
	base
	// of is what was checked, for the header.
	of    string
	check checkState
	rows  []check.Finding
	table table
	keys  KeyMap
	// open goes to what a finding is about (the screen that opened this
	// one knows where that is).
	open   func(check.Finding) tea.Cmd
	header string
}

// findingLines is how many lines under the table show the finding under
// the cursor in full (the table cuts messages).
const findingLines = 4

func newFindingsScreen(of string, c checkState, open func(check.Finding) tea.Cmd) screenMaker {
	return func(b base) screen {
		s := &findingsScreen{base: b, of: of, check: c, open: open, keys: b.c.Keys, rows: groupFindings(c.result.Findings, c.owners)}
		s.keys.Enter = relabel(s.keys.Enter, "go to it")
		s.table = newTable(&b.c.styles, b.c.Keys.tableKeys(), withCells(s.cell), withNoPad(), withColumns(
			column{Title: "PLATFORM", Flex: 1}, column{Title: "SEVERITY", Width: 8, Drop: 1},
			column{Title: "RULE", Flex: 1}, column{Title: "FINDING", Flex: 4}))
		platform, rule := 0, 0
		for i := range s.rows {
			text, _ := s.cell(i, 0)
			platform = max(platform, ansi.StringWidth(model.Clean(text)))
			rule = max(rule, ansi.StringWidth(model.Clean(s.rows[i].Rule)))
		}
		s.table.SetFixed(0, max(platform, len("PLATFORM")), 24)
		s.table.SetFixed(2, max(rule, len("RULE")), 24)
		s.table.SetLen(len(s.rows))
		enable(len(s.rows) > 0, &s.keys.Enter)
		return s
	}
}

// findingGroup is where a finding is listed: under a platform, and for
// one inside a nested index under the root entry that holds it.
type findingGroup struct {
	owner    string // the nested entry's digest, "" for the root's
	platform string
}

func groupOf(f check.Finding, owners map[string]nestedOwner) findingGroup {
	return findingGroup{owner: owners[f.Entry].digest, platform: f.Platform}
}

// groupFindings orders findings by platform, the index's own ("") first,
// then each platform where it first appears, a nested index's under its
// entry apart from the root's; within one, as found.
func groupFindings(fs []check.Finding, owners map[string]nestedOwner) []check.Finding {
	groups := []findingGroup{{}}
	for _, f := range fs {
		if g := groupOf(f, owners); !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	out := make([]check.Finding, 0, len(fs))
	for _, g := range groups {
		for _, f := range fs {
			if groupOf(f, owners) == g {
				out = append(out, f)
			}
		}
	}
	return out
}

func (s *findingsScreen) Init() tea.Cmd { return nil }
func (s *findingsScreen) Crumb() string { return "check" }

func (s *findingsScreen) Bindings() []key.Binding { return []key.Binding{s.keys.Enter} }

func (s *findingsScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.layout()
}

func (s *findingsScreen) layout() {
	st := s.c.styles
	lines := []string{st.Header.Render(fitLine("check of "+s.of, s.w))}
	if v := s.check.verdict(st, ""); v != "" {
		lines = append(lines, fitStyled(v, s.w))
	}
	s.header = strings.Join(lines, "\n")
	s.table.SetSize(s.w, max(s.h-countLines(s.header)-findingLines-1, 3))
}

func (s *findingsScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case s.table.handles(msg):
			s.table, _ = s.table.Update(msg)
		case key.Matches(msg, s.keys.Enter):
			return s, s.enter()
		}
	case tea.MouseMsg:
		if s.table.Click(msg, msg.Mouse().Y-countLines(s.header)) {
			return s, s.enter()
		}
		s.table, _ = s.table.Update(msg)
	}
	return s, nil
}

func (s *findingsScreen) enter() tea.Cmd {
	if s.table.Cursor >= len(s.rows) || s.open == nil {
		return nil
	}
	return s.open(s.rows[s.table.Cursor])
}

func (s *findingsScreen) View() string {
	st := s.c.styles
	if len(s.rows) == 0 {
		return s.header + "\n" + st.Faint.Render("  no findings: every rule the policy runs passes")
	}
	return s.header + "\n" + s.table.View() + "\n" + s.detail()
}

// detail is the finding under the cursor in full, wrapped, marked as the
// composer's footer marks it (✗ an error, ! a warning): a narrow table
// drops the SEVERITY column, and colour alone may not show.
func (s *findingsScreen) detail() string {
	if s.table.Cursor >= len(s.rows) {
		return ""
	}
	f := s.rows[s.table.Cursor]
	mark := "! "
	if f.Severity == model.SevError {
		mark = "✗ "
	}
	text := mark + f.Rule + ": " + f.Message
	lines := strings.Split(wrap(text, s.w-2), "\n")
	if len(lines) > findingLines {
		lines = lines[:findingLines]
		lines[findingLines-1] = fitLine(lines[findingLines-1]+" …", s.w-2)
	}
	return severityStyle(s.c.styles, f.Severity).Render("  " + strings.Join(lines, "\n  "))
}

func (s *findingsScreen) cell(row, col int) (string, lipgloss.Style) {
	st := s.c.styles
	f := s.rows[row]
	switch col {
	case 0:
		// A group is named on its first row only.
		owners := s.check.owners
		if row > 0 && groupOf(s.rows[row-1], owners) == groupOf(f, owners) {
			return "", st.Faint
		}
		if o, ok := owners[f.Entry]; ok {
			if f.Platform == "" {
				return o.label(), st.Accent
			}
			return o.label() + " › " + f.Platform, st.Accent
		}
		if f.Platform == "" {
			return "index", st.Accent
		}
		return f.Platform, st.Accent
	case 1:
		return string(f.Severity), severityStyle(st, f.Severity)
	case 2:
		return f.Rule, st.Text
	case 3:
		return f.Message, st.Faint
	}
	return "", st.Text
}

func severityStyle(st styles, sev model.Severity) lipgloss.Style {
	if sev == model.SevError {
		return st.Error
	}
	return st.Warning
}
