package ui

import (
	"context"
	"errors"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
)

// scanBuffer is how many results may wait in the channel between the scan
// goroutine and the UI.
const scanBuffer = 64

// diagnosisScreen explains a "no matching manifest": the line Docker prints,
// why each entry does not match, what would run it, and which other tags of
// the repository the target can pull, scanned in the background.
type diagnosisScreen struct {
	base
	ref    model.Reference
	tree   *model.Tree
	an     model.Analysis
	advice []model.Advice
	table  table
	keys   KeyMap
	// header is everything above the table, kept in step with the state.
	header string
	// vp scrolls the page when the header and the table do not fit: the
	// screen then scrolls as one page.
	vp viewport.Model

	tags     []string
	done     int
	found    []registry.ScanResult
	tagWidth int // of the longest tag found, for the TAG column
	// titleLines are the lines of the other tags' title and progress.
	titleLines int
	failures   int
	scanErr    error

	// verdicts are every fleet target's, when there is a fleet.
	verdicts []model.FleetVerdict
}

// newDiagnosisScreen diagnoses ref, whose tree is already loaded.
func newDiagnosisScreen(ref model.Reference, tree *model.Tree) screenMaker {
	return func(b base) screen {
		s := &diagnosisScreen{base: b, ref: ref, tree: tree, keys: b.c.Keys, vp: viewport.New()}
		s.keys.Back = relabel(s.keys.Back, "stop scan")
		s.table = newTable(&b.c.styles, b.c.Keys.tableKeys(), withCells(s.cell), withColumns(
			column{Title: "TAG", Flex: 2, Middle: true}, column{Title: "SELECTED", Width: 12}, column{Title: "PULL COMMAND", Flex: 3, Middle: true}))
		s.analyze()
		return s
	}
}

func (s *diagnosisScreen) analyze() {
	s.an = model.Analyze(s.tree.Root, s.target, s.tree.Children, s.tree.Configs)
	s.advice = model.Advise(s.tree.Root, s.an, s.ref)
	s.judgeFleet()
}

func (s *diagnosisScreen) Init() tea.Cmd {
	cmd := s.startScan(false)
	s.layout()
	return cmd
}

func (s *diagnosisScreen) Host() string  { return s.ref.Registry }
func (s *diagnosisScreen) Crumb() string { return "diagnosis" }

// CopyText is the ready command `y` copies: pulling the tag under the
// cursor, else the first advice's command.
func (s *diagnosisScreen) CopyText() (string, bool) {
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

func (s *diagnosisScreen) scanning() bool {
	return s.reqs.busy(jobScanTags) || s.reqs.busy(jobScan)
}

func (s *diagnosisScreen) Bindings() []key.Binding {
	k := s.keys
	return []key.Binding{k.Enter, k.Copy, k.Platform, k.Back, k.Scan}
}

func (s *diagnosisScreen) updateKeys() {
	enable(len(s.found) > 0, &s.keys.Enter)
	enable(s.scanning(), &s.keys.Back)
	enable(!s.scanning(), &s.keys.Scan)
}

// HandleBack stops a running scan before leaving the screen.
func (s *diagnosisScreen) HandleBack() (bool, tea.Cmd) {
	if s.scanning() {
		s.stopScan()
		s.layout()
		s.updateKeys()
		return true, nil
	}
	return false, nil
}

func (s *diagnosisScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.layout()
}

// minTableRows is the least room the other tags get below the header
// before the screen scrolls as a whole.
const minTableRows = 5

func (s *diagnosisScreen) layout() {
	s.header = s.diagnosisHeader()
	room := s.h - countLines(s.header) - 1
	if room >= minTableRows || s.h <= 0 {
		s.table.SetSize(s.w, max(room, 3))
		s.sync()
		s.vp.GotoTop()
		return
	}
	// Too small: the table keeps a screenful under its title and the
	// page scrolls.
	s.table.SetSize(s.w, max(s.h-s.titleLines, 3))
	s.sync()
}

// sync gives the viewport the page as it is now: it keeps the offset
// within it.
func (s *diagnosisScreen) sync() {
	s.vp.SetWidth(s.w)
	s.vp.SetHeight(max(s.h, 1))
	s.vp.SetContent(s.page())
	s.vp.SetYOffset(s.vp.YOffset())
}

// scrolls tells whether the page scrolls (the terminal is too small).
func (s *diagnosisScreen) scrolls() bool {
	return s.h > 0 && s.h-countLines(s.header)-1 < minTableRows
}

// cursorLine is the page line of the table's cursor row.
func (s *diagnosisScreen) cursorLine() int {
	return countLines(s.header) + 1 + (s.table.Cursor - s.table.Offset)
}

// visible is how many page lines show: one fewer while "more below"
// takes the last line.
func (s *diagnosisScreen) visible() int {
	if !s.vp.AtBottom() {
		return s.h - 1
	}
	return s.h
}

// cursorVisible tells whether the cursor row is on screen.
func (s *diagnosisScreen) cursorVisible() bool {
	l := s.cursorLine()
	return !s.scrolls() || (l >= s.vp.YOffset() && l < s.vp.YOffset()+s.visible())
}

// scrollKey moves the page for a key when it scrolls; it reports whether
// the key was used. Down scrolls until the table is in view, then moves
// its cursor; up moves the cursor, then scrolls.
func (s *diagnosisScreen) scrollKey(msg tea.KeyPressMsg) bool {
	if !s.scrolls() {
		return false
	}
	k := s.keys
	tableTop := countLines(s.header)
	s.sync()
	switch {
	case key.Matches(msg, k.Down):
		if (s.vp.YOffset() < tableTop && !s.vp.AtBottom()) || len(s.found) == 0 {
			s.vp.ScrollDown(1)
			return true
		}
		return false
	case key.Matches(msg, k.Up):
		if s.table.Cursor == 0 || len(s.found) == 0 {
			s.vp.ScrollUp(1)
			return true
		}
		return false
	// A page is the height less the "more below" line.
	case key.Matches(msg, k.PageDown):
		s.vp.ScrollDown(s.h - 1)
	case key.Matches(msg, k.PageUp):
		s.vp.ScrollUp(s.h - 1)
	case key.Matches(msg, k.Home):
		s.vp.GotoTop()
	case key.Matches(msg, k.End):
		s.vp.GotoBottom()
	default:
		return false
	}
	return true
}

// follow scrolls the page so the table's cursor row shows.
func (s *diagnosisScreen) follow() {
	if !s.scrolls() {
		return
	}
	s.sync()
	l, top := s.cursorLine(), s.vp.YOffset()
	if l < top {
		top = l
	}
	if l >= top+s.h-1 {
		top = l - s.h + 2
	}
	s.vp.SetYOffset(top)
}

// startScan lists the tags and judges each; unless forced, it first checks
// the scan would not spend too much of the registry's pull quota.
func (s *diagnosisScreen) startScan(force bool) tea.Cmd {
	s.stopScan()
	s.done, s.found, s.failures, s.scanErr, s.tags, s.tagWidth = 0, nil, 0, nil, nil, 0
	s.table.SetLen(0)
	ctx, q := s.start(jobScanTags, "")
	client, repo := s.c.Client, s.ref.RepoOnly()
	share, ask := s.c.QuotaShare, s.c.ScanAsk
	if share <= 0 {
		share = 0.5
	}
	return run(ctx, q, func(ctx context.Context) ([]string, error) {
		tags, err := client.AllTags(ctx, repo)
		if err != nil {
			return nil, err
		}
		tags = slices.DeleteFunc(tags, func(t string) bool { return strings.HasPrefix(t, "sha256-") })
		if !force {
			if err := client.CheckScanBudget(ctx, repo, tags, share, ask); err != nil {
				return nil, err
			}
		}
		return tags, nil
	})
}

// scan judges every tag, one reply per result.
func (s *diagnosisScreen) scan(tags []string) tea.Cmd {
	ctx, q := s.start(jobScan, "")
	client, repo, target, fleet := s.c.Client, s.ref.RepoOnly(), s.target, s.fleet
	return func() tea.Msg {
		ch := make(chan registry.ScanResult, scanBuffer)
		go func() {
			defer close(ch)
			scanTags(ctx, client, repo, tags, target, fleet, func(r registry.ScanResult) {
				select {
				case ch <- r:
				case <-ctx.Done():
				}
			})
		}()
		return streamed(q, ch)()
	}
}

func (s *diagnosisScreen) stopScan() {
	s.reqs.stop(jobScanTags, "")
	s.reqs.stop(jobScan, "")
}

func (s *diagnosisScreen) Close() {
	s.stopScan()
	s.base.Close()
}

func (s *diagnosisScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	cmd := s.update(msg)
	s.updateKeys()
	s.layout()
	return s, cmd
}

func (s *diagnosisScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case reply[[]string]:
		if msg.err != nil {
			s.scanErr = msg.err
			return nil
		}
		s.tags = msg.val
		return s.scan(s.tags)
	case reply[registry.ScanResult]:
		if msg.err != nil {
			s.scanErr = msg.err
		}
		if msg.last() {
			return nil
		}
		r := msg.val
		s.done++
		switch {
		case r.Err != nil:
			s.failures++
		case s.fits(r) && r.Tag != s.ref.Tag:
			s.insert(r)
		}
		return msg.next
	case retargetMsg:
		s.analyze()
		return s.startScan(false)
	case tea.KeyPressMsg:
		switch {
		case s.scrollKey(msg):
		case s.table.handles(msg):
			s.table, _ = s.table.Update(msg)
			s.follow()
		case key.Matches(msg, s.keys.Scan):
			return s.startScan(true)
		case key.Matches(msg, s.keys.Enter) && s.table.Cursor < len(s.found):
			if !s.cursorVisible() {
				// Never act on a row the user has not seen: show it first.
				s.follow()
				return status("press "+keyHint(s.keys.Enter)+" again to open the tag shown", false)
			}
			r := s.found[s.table.Cursor]
			return push(newManifestScreen(s.ref.WithTag(r.Tag), r.Tag, nil))
		}
	case tea.MouseMsg:
		if d := 3 * wheel(msg); s.scrolls() && d != 0 {
			s.sync()
			s.vp.SetYOffset(s.vp.YOffset() + d)
			return nil
		}
		s.table, _ = s.table.Update(msg)
	}
	return nil
}

// insert keeps found tags nearest-name first as they stream in.
func (s *diagnosisScreen) insert(r registry.ScanResult) {
	i, _ := slices.BinarySearchFunc(s.found, r, func(a, b registry.ScanResult) int {
		return model.CompareNearness(s.ref.Tag, a.Tag, b.Tag)
	})
	s.found = slices.Insert(s.found, i, r)
	s.table.SetLen(len(s.found))
	s.tagWidth = max(s.tagWidth, ansi.StringWidth(r.Tag))
	s.table.FitTo(0, s.tagWidth)
}

func (s *diagnosisScreen) diagnosisHeader() string {
	st := s.c.styles
	sel := s.an.Primary
	var lines []string
	target := s.target.Platform.Display()
	if len(s.fleet) > 0 {
		return s.scanTitle(s.fleetLines())
	}
	if sel != nil && sel.Selected >= 0 {
		e := s.tree.Root.Entries[sel.Selected]
		lines = append(lines, st.Success.Render(wrap("✓ "+target+" can pull this: docker pull selects "+e.PlatformString()+" ("+model.ShortDigest(e.Digest)+")", s.w)))
	} else if sel != nil {
		lines = append(lines,
			st.Faint.Render(wrap("$ docker pull "+s.ref.Familiar()+"   # on "+target, s.w)),
			st.Error.Render(wrap(sel.DockerError, s.w)))
		if sel.Legacy != "" {
			lines = append(lines, st.Faint.Render(wrap("  older Docker: "+sel.Legacy, s.w)))
		}
	}
	lines = append(lines, "", st.Title.Render("Why"))
	// The platform column is as wide as its longest entry (a Windows
	// platform with its build is), within reason on a narrow terminal.
	col := 0
	for _, e := range s.tree.Root.Entries {
		col = max(col, ansi.StringWidth(model.Clean(e.PlatformString()+" "+entryOSVersion(e))))
	}
	col = min(col, max(s.w/3, 16))
	for i, e := range s.tree.Root.Entries {
		em := sel.Entries[i]
		reason := strings.Join(em.Reasons, "; ")
		lines = append(lines, wrapIndent("  "+verdictMark(em.Verdict)+" "+padRight(e.PlatformString()+" "+entryOSVersion(e), col)+" "+reason, s.w, col+5))
	}
	if len(s.advice) > 0 {
		lines = append(lines, "", st.Title.Render("What would run it"))
		for _, a := range s.advice {
			lines = append(lines, "  • "+st.Text.Render(fitLine(a.Title, s.w-4)), st.Faint.Render(wrapIndent("    "+a.Detail, s.w, 4)))
			if a.Command != "" {
				lines = append(lines, "    "+st.Accent.Render(fitLine("$ "+a.Command, s.w-4)))
			}
		}
	}
	return s.scanTitle(lines)
}

// scanTitle ends the header with the other tags' title and the scan's
// progress.
func (s *diagnosisScreen) scanTitle(lines []string) string {
	st := s.c.styles
	title := "Other tags of " + s.ref.RepoOnly().Familiar() + " " + s.forWhom()
	progress := s.progress()
	before := len(lines)
	if pw := ansi.StringWidth(progress); pw+30 > s.w || ansi.StringWidth(title)+pw+2 > s.w {
		// An error or a budget question needs the room: give it a line.
		lines = append(lines, "", st.Title.Render(wrap(title, s.w)), fitStyled(progress, s.w))
	} else {
		lines = append(lines, "", st.Title.Render(fitLine(title, s.w-pw-2))+"  "+progress)
	}
	out := strings.Join(lines, "\n")
	s.titleLines = countLines(out) - countLines(strings.Join(lines[:before], "\n")) - 1
	return out
}

func padRight(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}

// progress is a text progress bar, readable without colour.
func (s *diagnosisScreen) progress() string {
	st := s.c.styles
	if s.scanErr != nil {
		if errors.Is(s.scanErr, registry.ErrBudget) {
			return st.Warning.Render("! " + s.scanErr.Error() + ": press " + keyHint(s.keys.Scan))
		}
		return st.Error.Render("✗ " + registry.ShortError(s.scanErr))
	}
	total := len(s.tags)
	if total == 0 {
		if s.scanning() {
			return st.Faint.Render("listing tags…")
		}
		return ""
	}
	const width = 20
	fill := s.done * width / total
	bar := "[" + strings.Repeat("#", fill) + strings.Repeat(".", width-fill) + "]"
	text := bar + " " + itoa(s.done) + "/" + plural(total, "tag") + ", " + itoa(len(s.found)) + s.foundWord()
	if s.failures > 0 {
		text += ", " + itoa(s.failures) + " failed"
	}
	switch {
	case s.scanning():
		text += " (" + keyHint(s.keys.Back) + " stops)"
	case s.done < total:
		text += " (stopped; " + keyHint(s.keys.Scan) + " rescans)"
	}
	return st.Faint.Render(text)
}

func (s *diagnosisScreen) View() string {
	page := s.page()
	if !s.scrolls() {
		return page
	}
	lines := strings.Split(page, "\n")
	end := min(s.vp.YOffset()+s.h, len(lines))
	shown := lines[min(s.vp.YOffset(), end):end]
	// Say there is more, on the last line, without covering a row.
	if end < len(lines) && len(shown) > 0 {
		shown[len(shown)-1] = s.c.styles.Faint.Render(fitLine("↓ more below (j, pgdn)", s.w))
	}
	return strings.Join(shown, "\n")
}

// page is the whole screen: the header, then the other tags.
func (s *diagnosisScreen) page() string {
	st := s.c.styles
	if len(s.found) == 0 {
		msg := "none found yet"
		if !s.scanning() && len(s.tags) > 0 {
			msg = s.noOtherTag()
		}
		return s.header + "\n" + st.Faint.Render("  "+msg)
	}
	return s.header + "\n" + s.table.View()
}

func (s *diagnosisScreen) cell(row, col int) (string, lipgloss.Style) {
	st := s.c.styles
	r := s.found[row]
	switch col {
	case 0:
		return r.Tag, st.Success
	case 1:
		return model.ShortDigest(r.Selected), st.Faint
	}
	return "docker pull " + s.ref.WithTag(r.Tag).Familiar(), st.Accent
}
