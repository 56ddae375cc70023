package ui

import (
	"context"
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
)

// tagRow is what the screen knows of a tag besides its name.
type tagRow struct {
	marked  bool // chosen with space, to compose from
	asked   bool
	done    bool
	summary registry.Summary
	err     error
	fit     fleetFit
}

// tagsScreen lists a repository's tags, loading pages as the user scrolls
// and details for the rows on screen.
type tagsScreen struct {
	base
	repo  model.Reference
	state loadState
	err   error
	rows  []*tagRow // parallel to list.names; nil until a row has data (see row)
	// asking are the rows whose details were asked for and not answered.
	asking map[int]bool
	// listFirst holds row details back while a list request has not begun
	// to answer: they would queue ahead of it (see yield).
	listFirst bool
	// composedTo is the tag the marked tags were composed into: once a
	// change lands there, the marks have served.
	composedTo string
	// remark are the tags marked before a refresh, marked again as they
	// arrive.
	remark map[string]bool
	list   pagedList
	spin   spinner.Model
	keys   KeyMap
}

// newTagsScreen returns the tags screen for repo.
func newTagsScreen(repo model.Reference, cursorTo string) screenMaker {
	return func(b base) screen {
		s := &tagsScreen{base: b, repo: repo.RepoOnly(), spin: newSpinner(), keys: b.c.Keys}
		t := newTable(&b.c.styles, b.c.Keys.tableKeys(), withCells(s.cell), withColumns(
			column{Title: "TAG", Flex: 2, Min: 14}, column{Title: "KIND", Width: 11, Drop: 3}, column{Title: "PLATFORMS", Flex: 2, Min: 14},
			column{Title: sizeTitle, Width: 10, Right: true, Drop: 2}, column{Title: "DIGEST", Width: 12, Drop: 1},
			column{Title: "FITS ALL"}, // shown for a fleet (tags_fleet.go)
		))
		s.list = newPagedList("tag", t, b.c.Keys.listKeys(), s.fetch, withSort(), withCursorTo(cursorTo), withSortJob(s.sortJob))
		s.list.room = len("* [A] ") // the compose and diff marks
		s.showFits()
		return s
	}
}

func (s *tagsScreen) fetch(last string, all bool) tea.Cmd {
	s.yield()
	ctx, q := s.start(jobPage, "")
	client, repo := s.c.Client, s.repo
	n := registry.DefaultPageSize
	if all {
		n = registry.AllNames
	}
	return streamPage(ctx, q, last, func(ctx context.Context, emit registry.Emit) (registry.Page, error) {
		return client.TagsStream(ctx, repo, last, n, emit)
	})
}

func (s *tagsScreen) Init() tea.Cmd {
	s.state, s.err, s.rows, s.asking = loading, nil, nil, nil
	s.reqs.reset()
	return tea.Batch(s.spin.Tick, s.list.restart())
}

// refresh loads the list again, keeping the cursor on its tag, the
// filter and the marks.
func (s *tagsScreen) refresh() tea.Cmd {
	s.remark = map[string]bool{}
	for i, r := range s.rows {
		if r != nil && r.marked {
			s.remark[s.list.names[i]] = true
		}
	}
	s.state, s.err, s.rows, s.asking = loading, nil, nil, nil
	s.reqs.reset()
	return tea.Batch(s.spin.Tick, s.list.reload())
}

func (s *tagsScreen) Host() string  { return s.repo.Registry }
func (s *tagsScreen) Loading() bool { return s.state == loading }

func (s *tagsScreen) Crumb() string {
	if s.repo.IsOCIDir() {
		return s.repo.String()
	}
	return s.repo.Repository
}

func (s *tagsScreen) Capturing() bool             { return s.list.Capturing() }
func (s *tagsScreen) HandleBack() (bool, tea.Cmd) { return s.list.clearFilter(), nil }

func (s *tagsScreen) Bindings() []key.Binding {
	k := s.keys
	return []key.Binding{k.AddToDraft, k.Enter, s.list.keys.Filter, s.list.keys.Sort, k.Mark, k.Compose, k.Refresh}
}

// updateKeys switches on the keys that work now.
func (s *tagsScreen) updateKeys() {
	rows := s.state == ready && s.list.table.Len() > 0
	enable(rows, &s.keys.Enter, &s.keys.Mark)
	enable(rows && s.drafting, &s.keys.AddToDraft)
	enable(s.state == ready, &s.list.keys.Filter, &s.list.keys.Sort)
	enable(s.state == ready || s.missing(), &s.keys.Compose)
}

func (s *tagsScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.list.SetSize(w, h-1)
}

// Resized asks for the details of rows a bigger window shows.
func (s *tagsScreen) Resized() tea.Cmd {
	if s.state != ready {
		return nil
	}
	return s.fetchVisible()
}

// Ref is the tag under the cursor, with its digest once known.
func (s *tagsScreen) Ref() (model.Reference, bool) {
	i, ok := s.list.current()
	if !ok {
		return model.Reference{}, false
	}
	ref := s.repo.WithTag(s.list.names[i])
	if r := s.rows[i]; r != nil && r.done && r.err == nil {
		ref = ref.WithDigest(r.summary.Digest)
	}
	return ref, true
}

// sortResult is an order a sort job computed.
type sortResult struct {
	order   []int
	version bool
}

// sortJob sorts a long tag list off the UI goroutine; a newer sort
// supersedes it.
func (s *tagsScreen) sortJob(names []string, version bool) tea.Cmd {
	ctx, q := s.start(jobSort, "")
	return run(ctx, q, func(context.Context) (sortResult, error) {
		return sortResult{order: sortOrder(names, version), version: version}, nil
	})
}

// DiffTarget is the tag under the cursor.
func (s *tagsScreen) DiffTarget() (diffSide, bool) {
	i, ok := s.list.current()
	if !ok {
		return diffSide{}, false
	}
	ref := s.repo.WithTag(s.list.names[i])
	return diffSide{ref: ref, label: sideLabel(ref, "")}, true
}

func (s *tagsScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	cmd := s.update(msg)
	s.updateKeys()
	return s, cmd
}

func (s *tagsScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case reply[pageEvent]:
		return s.onPage(msg)
	case reply[sortResult]:
		if msg.err == nil {
			s.list.sorted(msg.val.order, msg.val.version)
			return s.fetchVisible()
		}
	case reply[registry.Summary]:
		if i, ok := s.list.index[msg.req.key]; ok {
			r := s.row(i)
			r.done, r.summary, r.err = true, msg.val, msg.err
			s.judgeRow(r)
			delete(s.asking, i)
		}
	case tagsChangedMsg:
		return s.changed(msg.refs)
	case retargetMsg:
		s.showFits()
	case spinner.TickMsg:
		var cmd tea.Cmd
		s.list, cmd, _ = s.list.Update(msg)
		return tea.Batch(cmd, tick(&s.spin, s.state == loading, msg))
	case tea.KeyPressMsg:
		return s.key(msg)
	case tea.PasteMsg:
		if s.list.Capturing() {
			return s.listUpdate(msg)
		}
	case tea.MouseMsg:
		if s.state != ready {
			return nil
		}
		if s.list.table.Click(msg, msg.Mouse().Y-1) {
			return s.open()
		}
		return s.listUpdate(msg)
	}
	return nil
}

// listUpdate passes msg to the list, then asks for the rows now in view.
func (s *tagsScreen) listUpdate(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	var moved bool
	s.list, cmd, moved = s.list.Update(msg)
	if moved {
		cmd = tea.Batch(cmd, s.fetchVisible())
	}
	return cmd
}

func (s *tagsScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	if s.list.Capturing() {
		cmd := s.listUpdate(msg)
		if s.list.filter.opens(msg) && s.state == ready {
			return tea.Batch(cmd, s.open())
		}
		return cmd
	}
	k := s.keys
	switch {
	case key.Matches(msg, k.Refresh):
		return s.refresh()
	case s.missing() && key.Matches(msg, k.Compose):
		return push(newComposerScreen(s.repo.WithTag(model.DefaultTag), false, nil))
	case s.state != ready:
		return nil
	case key.Matches(msg, k.Enter):
		return s.open()
	case key.Matches(msg, k.Compose):
		return s.compose()
	case key.Matches(msg, k.AddToDraft):
		if i, ok := s.list.current(); ok {
			return addToDraft(s.repo.WithTag(s.list.names[i]))
		}
	case key.Matches(msg, k.Mark):
		if i, ok := s.list.current(); ok {
			r := s.row(i)
			r.marked = !r.marked
			s.list.table.SetCursor(s.list.table.Cursor + 1)
			return s.fetchVisible()
		}
	}
	return s.listUpdate(msg)
}

// compose opens the composer: from the marked tags into repo:latest, or
// amending the tag under the cursor.
func (s *tagsScreen) compose() tea.Cmd {
	var from []model.Reference
	for i, r := range s.rows {
		if r != nil && r.marked {
			from = append(from, s.repo.WithTag(s.list.names[i]))
		}
	}
	if len(from) > 0 {
		s.composedTo = s.repo.WithTag(model.DefaultTag).String()
		return push(newComposerScreen(s.repo.WithTag(model.DefaultTag), false, from))
	}
	i, ok := s.list.current()
	if !ok {
		return push(newComposerScreen(s.repo.WithTag(model.DefaultTag), false, nil))
	}
	return push(newComposerScreen(s.repo.WithTag(s.list.names[i]), true, nil))
}

func (s *tagsScreen) open() tea.Cmd {
	i, ok := s.list.current()
	if !ok {
		return nil
	}
	name := s.list.names[i]
	return push(newManifestScreen(s.repo.WithTag(name), name, nil))
}

func (s *tagsScreen) onPage(msg reply[pageEvent]) tea.Cmd {
	s.listFirst = false // the list has its connection: details may go
	switch v := msg.val.(type) {
	case pagePart:
		// The first names are on screen while the rest arrive.
		s.state = ready
		s.list.stream(v.names, v.dropped)
		s.growRows()
		return tea.Batch(msg.next, s.fetchVisible())
	case pageDone:
		return tea.Batch(msg.next, s.onPageDone(v))
	}
	if msg.err != nil {
		return s.onPageDone(pageDone{err: msg.err})
	}
	return msg.next
}

// onPageDone takes a whole page, or why it failed.
func (s *tagsScreen) onPageDone(msg pageDone) tea.Cmd {
	if msg.err != nil {
		s.list.failed()
		if len(s.list.names) == 0 {
			s.state, s.err = failed, msg.err
			return nil
		}
		return status(msg.err.Error(), true)
	}
	p := msg.reply
	s.state = ready
	cmd := tea.Batch(s.loaded(), s.list.add(p.page.Items, p.page.Next, p.last, p.page.Dropped))
	s.growRows()
	return tea.Batch(cmd, s.fetchVisible())
}

// changed follows tags of this repository that moved: a new one joins
// the list, a known one has its details asked again; the cursor and the
// filter stay. The marks composed into a tag that moved are spent.
func (s *tagsScreen) changed(refs []model.Reference) tea.Cmd {
	if s.state != ready {
		return nil // the list on its way is the new one
	}
	for _, r := range refs {
		if r.RepoOnly().String() != s.repo.String() || r.Tag == "" {
			continue
		}
		if r.String() == s.composedTo {
			for _, row := range s.rows {
				if row != nil {
					row.marked = false
				}
			}
			s.composedTo = ""
		}
		i, known := s.list.index[r.Tag]
		if !known {
			s.list.take([]string{r.Tag}, 0)
			s.growRows()
			continue
		}
		if row := s.rows[i]; row != nil {
			s.reqs.stop(jobSummary, r.Tag)
			delete(s.asking, i)
			row.asked, row.done, row.err = false, false, nil
		}
	}
	return s.fetchVisible()
}

// growRows gives every name a row, empty until it has data: a million
// tags arriving in parts are a million pointers, not a million structs
// copied at each growth.
func (s *tagsScreen) growRows() {
	if n := len(s.list.names) - len(s.rows); n > 0 {
		s.rows = append(s.rows, make([]*tagRow, n)...)
	}
	for name := range s.remark {
		if i, ok := s.list.index[name]; ok {
			s.row(i).marked = true
			delete(s.remark, name)
		}
	}
}

// row is row i's data, made on first use.
func (s *tagsScreen) row(i int) *tagRow {
	if s.rows[i] == nil {
		s.rows[i] = &tagRow{}
	}
	return s.rows[i]
}

// yield makes way for a list request: the row details asked and not
// answered are cancelled (those queued for a connection never leave) and
// asked again once the list begins to arrive. Behind ninety of them a
// sort's request for every tag waited 10-30 s on a busy registry.
func (s *tagsScreen) yield() {
	for i := range s.asking {
		s.reqs.stop(jobSummary, s.list.names[i])
		s.row(i).asked = false
	}
	clear(s.asking)
	s.listFirst = true
}

// fetchVisible asks for the summaries of the rows on screen, then of the
// next screenful, unless a list request is waiting to start.
func (s *tagsScreen) fetchVisible() tea.Cmd {
	if s.listFirst {
		return nil
	}
	if s.asking == nil {
		s.asking = map[int]bool{}
	}
	var cmds []tea.Cmd
	client := s.c.Client
	for _, i := range s.list.visible() {
		r := s.row(i)
		if r.asked {
			continue
		}
		r.asked = true
		s.asking[i] = true
		ctx, q := s.start(jobSummary, s.list.names[i])
		ref := s.repo.WithTag(s.list.names[i])
		cmds = append(cmds, run(ctx, q, func(ctx context.Context) (registry.Summary, error) {
			return client.Summarize(ctx, ref)
		}))
	}
	return tea.Batch(cmds...)
}

// missing tells whether the repository does not exist (yet): a new tag
// can still be composed there.
func (s *tagsScreen) missing() bool {
	return s.state == failed && errors.Is(s.err, registry.ErrNotFound)
}

func (s *tagsScreen) View() string {
	st := s.c.styles
	switch s.state {
	case loading:
		return loadingView(st, s.spin, "tags of "+s.repo.String())
	case failed:
		if s.missing() {
			return errorView(st, s.c.Keys, s.err, s.w) + "\n" + st.Accent.Render(fitLine(keyHint(s.keys.Compose)+" composes a new tag in "+s.repo.String()+" (the repository is created by the push)", s.w))
		}
		return errorView(st, s.c.Keys, s.err, s.w)
	default: // the list, below
	}
	return s.list.View(st)
}

func (s *tagsScreen) cell(row, col int) (string, lipgloss.Style) {
	st := s.c.styles
	i := s.list.row(row)
	var r tagRow
	if p := s.rows[i]; p != nil {
		r = *p
	}
	if col == 0 {
		name := s.list.names[i]
		mark := s.diffMark(s.repo.WithTag(name))
		if r.marked {
			mark = "* " + mark
		}
		// Cut in the middle: tags of a family differ at their end.
		name = cutMiddle(model.Clean(name), s.list.table.colWidth(0)-len(mark))
		if mark != "" {
			return mark + name, st.Accent
		}
		return name, st.Text
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
			return registry.ShortError(r.err), st.Error
		}
		return "", st.Faint
	}
	sum := r.summary
	switch col {
	case 1:
		if sum.ReferrersOf != "" {
			return "referrers", st.Faint
		}
		return string(sum.Kind), kindStyle(st, sum.Kind)
	case 2:
		if sum.ReferrersOf != "" {
			return referrersSummary(sum), st.Faint
		}
		return platformsSummary(sum), st.Text
	case 3:
		if sum.Size == 0 {
			return "-", st.Faint
		}
		return model.HumanSize(sum.Size), st.Text
	case 4:
		return model.ShortDigest(sum.Digest), st.Faint
	case fitsCol:
		return s.fitsCell(r)
	}
	return "", st.Text
}

func kindStyle(st styles, k model.Kind) lipgloss.Style {
	switch k {
	case model.KindAttestation, model.KindArtifact:
		return st.Faint
	case model.KindIndex:
		return st.Accent
	default: // images in the text colour
	}
	return st.Text
}

// referrersSummary names what a referrers tag lists, for the registries
// that keep referrers under a tag.
func referrersSummary(s registry.Summary) string {
	types := make([]string, 0, len(s.ArtifactTypes))
	for _, t := range s.ArtifactTypes {
		types = append(types, shortType(t))
	}
	return "of " + model.ShortDigest(s.ReferrersOf) + ": " + strings.Join(types, ", ")
}

func platformsSummary(s registry.Summary) string {
	switch {
	case s.HeadOnly:
		return "(open to see: saving the pull quota)"
	case s.Kind == model.KindIndex && len(s.Platforms) == 0:
		return "no platforms"
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
