package ui

import (
	"context"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"platypus/model"
	"platypus/registry"
)

// tagRow is one tag and, once fetched in the background, its summary.
type tagRow struct {
	name    string
	marked  bool // chosen with space, to compose from
	asked   bool
	done    bool
	summary registry.Summary
	err     error
}

// TagsScreen lists a repository's tags, loading pages as the user scrolls
// and details for the rows on screen.
type TagsScreen struct {
	base
	repo   model.Reference
	state  loadState
	err    error
	rows   []*tagRow
	byName map[string]*tagRow
	view   []int // rows shown, after filter and sort
	order  []int // every row, sorted; kept between filter keystrokes
	// orderVersion is the sort order was computed for.
	orderVersion bool
	table        Table
	filter       filter
	spin         spinner.Model
	seq          int
	next         string // last tag of the loaded pages; "" when complete
	paging       bool
	complete     bool
	version      bool // natural version order instead of name order
	dropped      int
	cursorTo     string // tag to put the cursor on once loaded
	nameWidth    int    // of the longest tag, for the TAG column
}

// NewTagsScreen returns the tags screen for repo.
func NewTagsScreen(repo model.Reference, cursorTo string) screenMaker {
	return func(ctx context.Context, c *Common, id int) Screen {
		s := &TagsScreen{base: newBase(ctx, c, id), repo: repo.RepoOnly(), filter: newFilter(), spin: newSpinner(), byName: map[string]*tagRow{}, cursorTo: cursorTo}
		s.host = repo.Registry
		s.table.Cols = []Column{
			{Title: "TAG", Flex: 2}, {Title: "KIND", Width: 11, Drop: 3}, {Title: "PLATFORMS", Flex: 2},
			{Title: "SIZE", Width: 8, Right: true, Drop: 2}, {Title: "DIGEST", Width: 12, Drop: 1},
		}
		return s
	}
}

func (s *TagsScreen) Init() tea.Cmd {
	s.state, s.err, s.seq = loading, nil, s.seq+1
	s.rows, s.byName, s.next, s.complete, s.paging = nil, map[string]*tagRow{}, "", false, true
	return tea.Batch(s.spin.Tick, loadTags(s.ctx, s.c.Client, s.id, s.seq, s.repo, ""))
}

func (s *TagsScreen) Crumb() string {
	if s.repo.IsOCIDir() {
		return s.repo.String()
	}
	return s.repo.Repository
}

func (s *TagsScreen) Capturing() bool { return s.filter.active }

func (s *TagsScreen) HandleBack() bool {
	if s.filter.clear() {
		s.rebuild()
		return true
	}
	return false
}

func (s *TagsScreen) Bindings() []key.Binding {
	km := s.c.Keys
	b := []key.Binding{km.Enter, km.Filter, km.Sort, keyMark, km.Compose, km.Refresh}
	if s.c.Drafting {
		b = append([]key.Binding{km.AddToDraft}, b...)
	}
	return b
}

func (s *TagsScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.table.SetSize(w, h-2)
}

// Ref is the tag under the cursor, with its digest once known.
func (s *TagsScreen) Ref() (model.Reference, bool) {
	r := s.current()
	if r == nil {
		return model.Reference{}, false
	}
	ref := s.repo.WithTag(r.name)
	if r.done && r.err == nil {
		ref = ref.WithDigest(r.summary.Digest)
	}
	return ref, true
}

func (s *TagsScreen) current() *tagRow {
	if s.table.Cursor < 0 || s.table.Cursor >= len(s.view) {
		return nil
	}
	return s.rows[s.view[s.table.Cursor]]
}

func (s *TagsScreen) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case pageMsg:
		return s, s.onPage(msg)
	case summaryMsg:
		if r := s.byName[msg.tag]; r != nil {
			r.done, r.summary, r.err = true, msg.summary, msg.err
		}
		return s, nil
	case spinner.TickMsg:
		return s, tick(&s.spin, s.state == loading || s.paging, msg)
	case tea.KeyMsg:
		return s, s.key(msg)
	case tea.MouseMsg:
		return s, s.mouse(msg)
	}
	return s, nil
}

func (s *TagsScreen) key(msg tea.KeyMsg) tea.Cmd {
	km := s.c.Keys
	if s.filter.active {
		cmd, changed := s.filter.update(msg)
		if changed {
			s.rebuild()
		}
		return tea.Batch(cmd, s.more(), s.fetchVisible())
	}
	switch {
	case key.Matches(msg, km.Refresh):
		return s.Init()
	case s.state != ready:
		return nil
	case s.table.HandleKey(msg, km):
		return tea.Batch(s.more(), s.fetchVisible())
	case key.Matches(msg, km.Filter):
		return tea.Batch(s.filter.start(), s.loadAll())
	case key.Matches(msg, km.Sort):
		s.version = !s.version
		s.rebuild()
		order := "name"
		if s.version {
			order = "version"
		}
		return tea.Batch(status("sorted by "+order, false), s.loadAll(), s.fetchVisible())
	case key.Matches(msg, km.Enter):
		return s.open()
	case key.Matches(msg, km.Compose):
		return s.compose()
	case key.Matches(msg, km.AddToDraft):
		if r := s.current(); r != nil {
			return addToDraft(s.repo.WithTag(r.name))
		}
	case key.Matches(msg, keyMark):
		if r := s.current(); r != nil {
			r.marked = !r.marked
			s.table.SetCursor(s.table.Cursor + 1)
		}
	}
	return nil
}

func (s *TagsScreen) mouse(msg tea.MouseMsg) tea.Cmd {
	if s.state != ready {
		return nil
	}
	if s.table.HandleKey(msg, s.c.Keys) {
		return tea.Batch(s.more(), s.fetchVisible())
	}
	if s.table.Click(msg, msg.Y-1) {
		return s.open()
	}
	return nil
}

// keyMark marks tags to compose an index from.
var keyMark = key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "mark for compose"))

// compose opens the composer: from the marked tags into repo:latest, or
// amending the tag under the cursor.
func (s *TagsScreen) compose() tea.Cmd {
	var from []model.Reference
	for _, r := range s.rows {
		if r.marked {
			from = append(from, s.repo.WithTag(r.name))
		}
	}
	if len(from) > 0 {
		return push(NewComposerScreen(s.repo.WithTag(model.DefaultTag), false, from))
	}
	r := s.current()
	if r == nil {
		return push(NewComposerScreen(s.repo.WithTag(model.DefaultTag), false, nil))
	}
	return push(NewComposerScreen(s.repo.WithTag(r.name), true, nil))
}

func (s *TagsScreen) open() tea.Cmd {
	r := s.current()
	if r == nil {
		return nil
	}
	ref := s.repo.WithTag(r.name)
	return push(NewManifestScreen(ref, r.name, nil))
}

func (s *TagsScreen) onPage(msg pageMsg) tea.Cmd {
	if msg.seq != s.seq {
		return nil
	}
	s.paging = false
	if msg.err != nil {
		if len(s.rows) == 0 {
			s.state, s.err = failed, msg.err
			return nil
		}
		return status(msg.err.Error(), true)
	}
	for _, t := range msg.page.Items {
		if _, dup := s.byName[t]; dup {
			continue
		}
		r := &tagRow{name: t}
		s.rows = append(s.rows, r)
		s.byName[t] = r
		s.nameWidth = max(s.nameWidth, ansi.StringWidth(t))
	}
	s.table.FitTo(0, s.nameWidth+len("* ")) // room for the compose mark
	s.dropped += msg.page.Dropped
	s.next = msg.page.Next
	s.complete = s.next == "" || s.next == msg.last
	s.state = ready
	s.rebuild()
	if s.cursorTo != "" {
		for i, ri := range s.view {
			if s.rows[ri].name == s.cursorTo {
				s.table.SetCursor(i)
				s.cursorTo = ""
				break
			}
		}
	}
	return tea.Batch(s.more(), s.fetchVisible())
}

// more asks for the next page when the cursor nears the end of what is
// loaded, or when a filter or sort needs everything.
func (s *TagsScreen) more() tea.Cmd {
	if s.complete || s.paging || s.state != ready {
		return nil
	}
	if s.table.Cursor < len(s.view)-2*s.table.Height() && !s.version && s.filter.query() == "" {
		return nil
	}
	s.paging = true
	return tea.Batch(s.spin.Tick, loadTags(s.ctx, s.c.Client, s.id, s.seq, s.repo, s.next))
}

func (s *TagsScreen) loadAll() tea.Cmd {
	return s.more()
}

// fetchVisible asks for the summaries of the rows on screen, then of the
// next screenful.
func (s *TagsScreen) fetchVisible() tea.Cmd {
	var cmds []tea.Cmd
	end := min(s.table.Offset+2*s.table.Height(), len(s.view))
	for i := s.table.Offset; i < end; i++ {
		r := s.rows[s.view[i]]
		if r.asked {
			continue
		}
		r.asked = true
		cmds = append(cmds, loadSummary(s.ctx, s.c.Client, s.id, s.repo.WithTag(r.name)))
	}
	return tea.Batch(cmds...)
}

// rebuild recomputes the visible rows after a filter or sort change. The
// sorted order is kept between keystrokes, so filtering is one pass.
func (s *TagsScreen) rebuild() {
	var cur string
	if r := s.current(); r != nil {
		cur = r.name
	}
	if len(s.order) != len(s.rows) || s.orderVersion != s.version {
		s.order = s.order[:0]
		for i := range s.rows {
			s.order = append(s.order, i)
		}
		if s.version {
			slices.SortStableFunc(s.order, func(a, b int) int { return model.CompareVersions(s.rows[b].name, s.rows[a].name) })
		} else {
			slices.SortStableFunc(s.order, func(a, b int) int { return strings.Compare(s.rows[a].name, s.rows[b].name) })
		}
		s.orderVersion = s.version
	}
	s.view = s.view[:0]
	for _, i := range s.order {
		if s.filter.match(s.rows[i].name) {
			s.view = append(s.view, i)
		}
	}
	s.table.SetLen(len(s.view))
	for i, ri := range s.view {
		if s.rows[ri].name == cur {
			s.table.SetCursor(i)
			break
		}
	}
}

func (s *TagsScreen) View() string {
	st := s.c.Styles
	switch s.state {
	case loading:
		return loadingView(st, s.spin, "tags of "+s.repo.String())
	case failed:
		return errorView(st, s.err, s.w)
	}
	info := st.Faint.Render(itoa(len(s.rows)) + " tags")
	if !s.complete {
		info = st.Faint.Render(itoa(len(s.rows))+"+ tags ") + s.spin.View()
	}
	if s.dropped > 0 {
		info += st.Warning.Render("  (" + itoa(s.dropped) + " invalid names hidden)")
	}
	if f := s.filter.view(st, len(s.view), len(s.rows)); f != "" {
		info = f
	}
	if len(s.view) == 0 {
		return info + "\n\n" + st.Faint.Render("no tags")
	}
	return info + "\n" + s.table.View(st, s.cell)
}

func (s *TagsScreen) cell(row, col int) (string, lipgloss.Style) {
	st := s.c.Styles
	r := s.rows[s.view[row]]
	if col == 0 {
		if r.marked {
			return "* " + r.name, st.Accent
		}
		return r.name, st.Text
	}
	switch {
	case !r.done:
		if col == 1 {
			return "…", st.Faint
		}
		return "", st.Faint
	case r.err != nil:
		if col == 1 {
			return "✗ error", st.Error
		}
		if col == 2 {
			return r.err.Error(), st.Error
		}
		return "", st.Faint
	}
	sum := r.summary
	switch col {
	case 1:
		return string(sum.Kind), kindStyle(st, sum.Kind)
	case 2:
		return platformsSummary(sum), st.Text
	case 3:
		if sum.Size == 0 {
			return "-", st.Faint
		}
		return model.HumanSize(sum.Size), st.Text
	case 4:
		return model.ShortDigest(sum.Digest), st.Faint
	}
	return "", st.Text
}

func kindStyle(st Styles, k model.Kind) lipgloss.Style {
	switch k {
	case model.KindAttestation, model.KindArtifact:
		return st.Faint
	case model.KindIndex:
		return st.Accent
	}
	return st.Text
}

func platformsSummary(s registry.Summary) string {
	switch {
	case s.HeadOnly:
		return "(open to see: saving the pull quota)"
	case s.Kind == model.KindIndex:
		names := make([]string, 0, len(s.Platforms))
		for _, p := range s.Platforms {
			names = append(names, p.String())
		}
		return itoa(len(s.Platforms)) + ": " + strings.Join(names, ", ")
	case len(s.Platforms) == 1:
		return s.Platforms[0].Display()
	}
	return "-"
}
