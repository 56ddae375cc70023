package ui

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"platypus/model"
	"platypus/registry"
)

// scanBuffer is how many results may wait in the channel between the scan
// goroutine and the UI.
const scanBuffer = 64

// DiagnosisScreen explains a "no matching manifest": the line Docker prints,
// why each entry does not match, what would run it, and which other tags of
// the repository the target can pull, scanned in the background.
type DiagnosisScreen struct {
	base
	ref    model.Reference
	tree   *model.Tree
	an     model.Analysis
	advice []model.Advice
	table  Table

	scanSeq    int
	scanCancel context.CancelFunc
	scanning   bool
	tags       []string
	done       int
	found      []registry.ScanResult
	tagWidth   int // of the longest tag found, for the TAG column
	failures   int
	scanErr    error
}

// scan messages: the tag list, then one message per result.
type (
	scanTagsMsg struct {
		id, seq int
		tags    []string
		ch      chan registry.ScanResult
		err     error
	}
	scanResultMsg struct {
		id, seq int
		ch      chan registry.ScanResult
		res     registry.ScanResult
		closed  bool
	}
)

func (m scanTagsMsg) screenID() int   { return m.id }
func (m scanResultMsg) screenID() int { return m.id }

// NewDiagnosisScreen diagnoses ref, whose tree is already loaded.
func NewDiagnosisScreen(ref model.Reference, tree *model.Tree) screenMaker {
	return func(ctx context.Context, c *Common, id int) Screen {
		s := &DiagnosisScreen{base: newBase(ctx, c, id), ref: ref, tree: tree}
		s.host = ref.Registry
		s.table.Cols = []Column{{Title: "TAG", Flex: 2}, {Title: "SELECTED", Width: 12}, {Title: "PULL COMMAND", Flex: 3}}
		s.analyze()
		return s
	}
}

func (s *DiagnosisScreen) analyze() {
	s.an = model.Analyze(s.tree.Root, s.c.Target, s.tree.Children, s.tree.Configs)
	s.advice = model.Advise(s.tree.Root, s.an, s.ref)
}

func (s *DiagnosisScreen) Init() tea.Cmd { return s.startScan(false) }

func (s *DiagnosisScreen) Crumb() string { return "diagnosis" }

// CopyText is the ready command `y` copies: pulling the tag under the
// cursor, else the first advice's command.
func (s *DiagnosisScreen) CopyText() (string, bool) {
	if len(s.found) > 0 {
		i := min(s.table.Cursor, len(s.found)-1)
		return "docker pull " + s.ref.WithTag(s.found[i].Tag).Familiar(), true
	}
	for _, a := range s.advice {
		if a.Command != "" {
			return a.Command, true
		}
	}
	return "", false
}

func (s *DiagnosisScreen) Bindings() []key.Binding {
	km := s.c.Keys
	b := []key.Binding{km.Enter, km.Copy, km.Platform}
	if s.scanning {
		return append(b, key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stop scan")))
	}
	return append(b, km.Scan)
}

// HandleBack stops a running scan before leaving the screen.
func (s *DiagnosisScreen) HandleBack() bool {
	if s.scanning {
		s.stopScan()
		return true
	}
	return false
}

func (s *DiagnosisScreen) Close() {
	s.stopScan()
	s.base.Close()
}

func (s *DiagnosisScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.table.SetSize(w, max(h-countLines(s.header())-2, 3))
}

// startScan lists the tags and judges each; unless forced, it first checks
// the scan would not spend too much of the registry's pull quota.
func (s *DiagnosisScreen) startScan(force bool) tea.Cmd {
	s.stopScan()
	s.scanSeq++
	s.scanning, s.done, s.found, s.failures, s.scanErr, s.tags, s.tagWidth = true, 0, nil, 0, nil, nil, 0
	s.table.SetLen(0)
	ctx, cancel := context.WithCancel(s.ctx)
	s.scanCancel = cancel
	id, seq, client, repo, target := s.id, s.scanSeq, s.c.Client, s.ref.RepoOnly(), s.c.Target
	share := s.c.QuotaShare
	if share <= 0 {
		share = 0.5
	}
	return func() tea.Msg {
		tags, err := client.AllTags(ctx, repo)
		if err != nil {
			return scanTagsMsg{id: id, seq: seq, err: err}
		}
		tags = slices.DeleteFunc(tags, func(t string) bool { return strings.HasPrefix(t, "sha256-") })
		if !force {
			if err := client.CheckScanBudget(ctx, repo, tags, share); err != nil {
				return scanTagsMsg{id: id, seq: seq, err: err}
			}
		}
		ch := make(chan registry.ScanResult, scanBuffer)
		go func() {
			client.Scan(ctx, repo, tags, target, func(r registry.ScanResult) {
				select {
				case ch <- r:
				case <-ctx.Done():
				}
			})
			close(ch)
		}()
		return scanTagsMsg{id: id, seq: seq, tags: tags, ch: ch}
	}
}

func (s *DiagnosisScreen) stopScan() {
	if s.scanCancel != nil {
		s.scanCancel()
		s.scanCancel = nil
	}
	s.scanning = false
}

// waitScan reads the next result; the screen asks again after each one.
func waitScan(id, seq int, ch chan registry.ScanResult) tea.Cmd {
	return func() tea.Msg {
		r, ok := <-ch
		return scanResultMsg{id: id, seq: seq, ch: ch, res: r, closed: !ok}
	}
}

func (s *DiagnosisScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case scanTagsMsg:
		if msg.seq != s.scanSeq {
			return s, nil
		}
		if msg.err != nil {
			s.scanning, s.scanErr = false, msg.err
			return s, nil
		}
		s.tags = msg.tags
		return s, waitScan(s.id, msg.seq, msg.ch)
	case scanResultMsg:
		if msg.seq != s.scanSeq {
			return s, nil
		}
		if msg.closed {
			s.scanning = false
			return s, nil
		}
		s.done++
		switch {
		case msg.res.Err != nil:
			s.failures++
		case msg.res.Supported && msg.res.Tag != s.ref.Tag:
			s.insert(msg.res)
		}
		return s, waitScan(s.id, msg.seq, msg.ch)
	case retargetMsg:
		s.analyze()
		s.SetSize(s.w, s.h)
		return s, s.startScan(false)
	case tea.KeyMsg:
		km := s.c.Keys
		switch {
		case s.table.HandleKey(msg, km):
		case key.Matches(msg, km.Scan):
			return s, s.startScan(true)
		case key.Matches(msg, km.Enter) && s.table.Cursor < len(s.found):
			r := s.found[s.table.Cursor]
			return s, push(NewManifestScreen(s.ref.WithTag(r.Tag), r.Tag, nil))
		}
	case tea.MouseMsg:
		s.table.HandleKey(msg, s.c.Keys)
	}
	return s, nil
}

// insert keeps found tags nearest-name first as they stream in.
func (s *DiagnosisScreen) insert(r registry.ScanResult) {
	i, _ := slices.BinarySearchFunc(s.found, r, func(a, b registry.ScanResult) int {
		return model.CompareNearness(s.ref.Tag, a.Tag, b.Tag)
	})
	s.found = slices.Insert(s.found, i, r)
	s.table.SetLen(len(s.found))
	s.tagWidth = max(s.tagWidth, ansi.StringWidth(r.Tag))
	s.table.FitTo(0, s.tagWidth)
}

func (s *DiagnosisScreen) header() string {
	st := s.c.Styles
	sel := s.an.Primary
	var lines []string
	target := s.c.Target.Platform.Display()
	if sel != nil && sel.Selected >= 0 {
		e := s.tree.Root.Entries[sel.Selected]
		lines = append(lines, st.Success.Render("✓ "+target+" can pull this: docker pull selects "+e.PlatformString()+" ("+model.ShortDigest(e.Digest)+")"))
	} else if sel != nil {
		lines = append(lines,
			st.Faint.Render(wrap("$ docker pull "+s.ref.Familiar()+"   # on "+target, s.w)),
			st.Error.Render(wrap(sel.DockerError, s.w)))
		if sel.Legacy != "" {
			lines = append(lines, st.Faint.Render(wrap("  older Docker: "+sel.Legacy, s.w)))
		}
	}
	lines = append(lines, "", st.Title.Render("Why"))
	for i, e := range s.tree.Root.Entries {
		em := sel.Entries[i]
		reason := strings.Join(em.Reasons, "; ")
		lines = append(lines, wrapIndent("  "+verdictMark(em.Verdict)+" "+padRight(e.PlatformString()+" "+entryOSVersion(e), 28)+" "+reason, s.w, 33))
	}
	if len(s.advice) > 0 {
		lines = append(lines, "", st.Title.Render("What would run it"))
		for _, a := range s.advice {
			lines = append(lines, "  • "+st.Text.Render(a.Title), st.Faint.Render(wrapIndent("    "+a.Detail, s.w, 4)))
			if a.Command != "" {
				lines = append(lines, "    "+st.Accent.Render("$ "+a.Command))
			}
		}
	}
	title := "Other tags of " + s.ref.RepoOnly().Familiar() + " for " + target
	progress := s.progress()
	if pw := ansi.StringWidth(progress); pw+30 > s.w {
		// An error or a budget question needs the room: give it a line.
		lines = append(lines, "", st.Title.Render(fitLine(title, s.w)), fitLine(progress, s.w))
	} else {
		lines = append(lines, "", st.Title.Render(fitLine(title, s.w-pw-2))+"  "+progress)
	}
	return strings.Join(lines, "\n")
}

func padRight(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}

// progress is a text progress bar, readable without colour.
func (s *DiagnosisScreen) progress() string {
	st := s.c.Styles
	if s.scanErr != nil {
		if errors.Is(s.scanErr, registry.ErrBudget) {
			return st.Warning.Render("! " + s.scanErr.Error() + ": press S")
		}
		return st.Error.Render("✗ " + registry.ShortError(s.scanErr))
	}
	total := len(s.tags)
	if total == 0 {
		if s.scanning {
			return st.Faint.Render("listing tags…")
		}
		return ""
	}
	const width = 20
	fill := s.done * width / total
	bar := "[" + strings.Repeat("#", fill) + strings.Repeat(".", width-fill) + "]"
	text := bar + " " + itoa(s.done) + "/" + itoa(total) + " tags, " + itoa(len(s.found)) + " supported"
	if s.failures > 0 {
		text += ", " + itoa(s.failures) + " failed"
	}
	switch {
	case s.scanning:
		text += " (esc stops)"
	case s.done < total:
		text += " (stopped; S rescans)"
	}
	return st.Faint.Render(text)
}

func (s *DiagnosisScreen) View() string {
	st := s.c.Styles
	head := s.header()
	s.table.SetSize(s.w, max(s.h-countLines(head)-1, 3))
	if len(s.found) == 0 {
		msg := "none found yet"
		if !s.scanning && len(s.tags) > 0 {
			msg = "no other tag supports " + s.c.Target.Platform.Display()
		}
		return head + "\n" + st.Faint.Render("  "+msg)
	}
	return head + "\n" + s.table.View(st, func(row, col int) (string, lipgloss.Style) {
		r := s.found[row]
		switch col {
		case 0:
			return r.Tag, st.Success
		case 1:
			return model.ShortDigest(r.Selected), st.Faint
		}
		return "docker pull " + s.ref.WithTag(r.Tag).Familiar(), st.Accent
	})
}
