package ui

import (
	"context"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
)

// headerLines is what the App draws above a screen: the breadcrumb and the
// status line; the keys go below.
const headerLines = 2

// explorer is the root model: it owns the window size, the target platform, the
// global keys, the status line, overlays and the stack of screens, and
// routes messages. It holds no logic of its own screens.
type explorer struct {
	c        *common
	ctx      context.Context
	stack    []screen
	nextID   int
	target   model.Target
	fleet    model.Fleet
	drafting bool
	width    int
	height   int
	status   string
	isErr    bool
	help     help.Model
	full     bool
	overlay  overlay
	// initial runs with Init (remembering what was opened).
	initial tea.Cmd
	// marks are what M marked for a diff (=), A first.
	marks []diffSide
	// log keeps the status messages, oldest first, for `!`.
	log []logEntry
	// typed are keys kept while the screen loads; replaying counts the
	// replayed keys' commands not yet answered (see typeahead.go).
	typed     []tea.KeyPressMsg
	replaying int
	// fatal ends the explorer: what it needed first could not be had.
	fatal error
	// watch follows the journal, for changes made elsewhere.
	watch journalWatch
	// statusSeq is the newest status message shown (see statusMsg).
	statusSeq int64
	// bg is where the question of the terminal's background stands, and
	// bgHeld the replies that wait for it (background.go).
	bg     bgState
	bgHeld []answer
}

// overlay is a modal on top of the stack: the go-to input or the platform
// picker. It gets every key while open; it returns nil to close.
type overlay interface {
	Update(tea.Msg) (overlay, tea.Cmd)
	View(width int) string
}

// newApp returns the explorer opened on the given screens, bottom first.
func newApp(ctx context.Context, c *common, target model.Target, screens ...screenMaker) *explorer {
	a := &explorer{c: c, ctx: ctx, help: help.New(), target: target, fleet: c.fleet}
	a.styleHelp()
	for _, f := range screens {
		a.stack = append(a.stack, a.newScreen(f))
	}
	a.noteDrafting()
	return a
}

func (a *explorer) newScreen(f screenMaker) screen {
	a.nextID++
	ctx, cancel := context.WithCancel(a.ctx)
	s := f(base{id: a.nextID, c: a.c, ctx: ctx, cancel: cancel, target: a.target, fleet: a.fleet, drafting: a.drafting, marks: a.markRefs()})
	if a.width > 0 {
		s.SetSize(a.width, a.contentHeight())
	}
	return s
}

// styleHelp gives the help line the theme's styles, the "…" of a cut line
// too (Bubbles' own grey showed even in the mono theme).
func (a *explorer) styleHelp() {
	st := a.c.styles
	a.help.Styles = help.Styles{
		ShortKey: st.Key, FullKey: st.Key, ShortDesc: st.Faint, FullDesc: st.Faint,
		ShortSeparator: st.Faint, FullSeparator: st.Faint, Ellipsis: st.Faint,
	}
}

// Init starts every screen of the initial stack loading, and asks the
// terminal's background when the theme needs it.
func (a *explorer) Init() tea.Cmd {
	cmds := []tea.Cmd{a.askBackground(), a.initial, a.lookAtJournal(true)}
	for _, s := range a.stack {
		cmds = append(cmds, s.Init())
	}
	return tea.Batch(cmds...)
}

func (a *explorer) contentHeight() int {
	h := a.height - headerLines - 1
	if a.full {
		h -= a.helpHeight() - 1
	}
	return max(h, 3)
}

func (a *explorer) top() screen {
	if len(a.stack) == 0 {
		return nil
	}
	return a.stack[len(a.stack)-1]
}

// Update routes a message, then replays keys typed while the screen was
// loading once it is ready.
func (a *explorer) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := a.update(msg)
	if len(a.typed) > 0 {
		cmd = tea.Batch(cmd, a.replay())
	}
	return a, cmd
}

func (a *explorer) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case replayedMsg:
		return a.replayed(msg)
	case preparedMsg:
		return a.prepared(msg)
	case journalPoke, tea.FocusMsg:
		return a.lookAtJournal(false)
	case journalRead:
		return a.journalChanges(msg)
	case tea.BackgroundColorMsg:
		return a.background(msg.IsDark())
	case bgWaitMsg:
		return a.bgDecided()
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.help.SetWidth(msg.Width)
		a.resize()
		// A reply may have come before the terminal's size did (a local
		// registry answers in a millisecond): rows now in view are asked
		// for.
		var cmds []tea.Cmd
		for _, s := range a.stack {
			if r, ok := s.(resizer); ok {
				cmds = append(cmds, r.Resized())
			}
		}
		return tea.Batch(cmds...)
	case answer:
		if a.bg == bgAsking {
			a.bgHeld = append(a.bgHeld, msg)
			return nil
		}
		return a.route(msg)
	case pushMsg:
		s := a.newScreen(msg.make)
		a.stack = append(a.stack, s)
		return tea.Batch(s.Init(), a.noteDrafting())
	case statusMsg:
		if msg.seq != 0 && msg.seq <= a.statusSeq {
			a.logOnly(msg.text, msg.err) // a newer one is shown
			return nil
		}
		a.statusSeq = msg.seq
		a.say(msg.text, msg.err)
		return nil
	case targetMsg:
		a.target, a.fleet = msg.target, msg.fleet
		a.say(targetSaid(msg.target, msg.fleet), false)
		return a.broadcast(retargetMsg(msg))
	case resetMsg:
		return a.reset(msg.screens)
	case addToDraftMsg:
		for i := len(a.stack) - 1; i >= 0; i-- {
			if _, ok := a.stack[i].(draftHolder); ok {
				return a.deliver(i, msg)
			}
		}
		return status("no draft is open: press "+keyHint(a.c.Keys.Compose)+" to start one", true)
	case tea.KeyPressMsg:
		return a.key(msg)
	case tea.PasteMsg:
		return a.paste(msg)
	case tea.MouseMsg:
		if a.overlay != nil || a.top() == nil {
			return nil
		}
		return a.deliver(len(a.stack)-1, mouseBelow(msg, headerLines))
	}
	if a.overlay != nil {
		var cmd tea.Cmd
		a.overlay, cmd = a.overlay.Update(msg)
		return tea.Batch(cmd, a.broadcast(msg))
	}
	return a.broadcast(msg)
}

// route delivers a reply to the screen that asked, while its request is
// still current, and of its job's type; any other reply is dropped here,
// in one place.
func (a *explorer) route(r answer) tea.Cmd {
	q := r.request()
	for i, s := range a.stack {
		b := s.core()
		if b.id != q.screen {
			continue
		}
		if !b.reqs.accepts(q) {
			return nil
		}
		// Of the type its job declares, or that job's error (a last one).
		if r = checked(r); r == nil {
			b.reqs.finish(q)
			return nil
		}
		if r.last() {
			b.reqs.finish(q)
		}
		return a.deliver(i, r)
	}
	return nil // the screen is gone
}

// deliver gives msg to the screen at i, which may hand its place to another.
func (a *explorer) deliver(i int, msg tea.Msg) tea.Cmd {
	a.stack[i].core().observe(msg)
	var cmd tea.Cmd
	a.stack[i], cmd = a.stack[i].Update(msg)
	return cmd
}

// noteDrafting tells the screens when a composer opens or closes.
func (a *explorer) noteDrafting() tea.Cmd {
	on := false
	for _, s := range a.stack {
		if _, ok := s.(draftHolder); ok {
			on = true
		}
	}
	if on == a.drafting {
		return nil
	}
	a.drafting = on
	return a.broadcast(draftingMsg{on: on})
}

func (a *explorer) resize() {
	for _, s := range a.stack {
		s.SetSize(a.width, a.contentHeight())
	}
}

// broadcast sends msg to every screen (spinner ticks, retargeting).
func (a *explorer) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for i := range a.stack {
		cmds = append(cmds, a.deliver(i, msg))
	}
	return tea.Batch(cmds...)
}

// key takes a key press. Bubble Tea v2 reads one key per message, even
// when they are typed faster than it reads ("jj" is two).
func (a *explorer) key(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "ctrl+c": // always quits, whatever the key map says
		return tea.Quit
	case "ctrl+j":
		// Enter typed before the explorer took the terminal reaches it as
		// the line's \n, ctrl+j: enter, as readline's accept-line has it.
		msg = tea.KeyPressMsg{Code: tea.KeyEnter}
	}
	if a.typeAhead(msg) {
		return nil
	}
	return a.handleKey(msg)
}

// handleKey acts on a key now.
func (a *explorer) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	km := a.c.Keys
	if a.overlay != nil {
		var cmd tea.Cmd
		a.overlay, cmd = a.overlay.Update(msg)
		return cmd
	}
	top := a.top()
	if top == nil {
		return nil
	}
	last := len(a.stack) - 1
	if top.Capturing() {
		return a.deliver(last, msg)
	}
	// A message goes with the next key, and one an earlier key made that
	// arrives after it is not shown.
	a.status, a.isErr, a.statusSeq = "", false, statusSeq.Load()
	switch {
	case key.Matches(msg, km.Quit):
		return tea.Quit
	case key.Matches(msg, km.Help):
		a.full = !a.full
		a.resize()
		return nil
	case key.Matches(msg, km.Back):
		if a.full { // help is closed first, and nothing else moves
			a.full = false
			a.resize()
			return nil
		}
		if bh, ok := top.(backHandler); ok {
			if used, cmd := bh.HandleBack(); used {
				return cmd
			}
		}
		return a.pop()
	case key.Matches(msg, km.Goto):
		a.overlay = newGotoOverlay(a.c)
		return nil
	case key.Matches(msg, km.Platform):
		a.overlay = newPicker(a.c, a.target, a.fleet)
		return nil
	case key.Matches(msg, km.Messages):
		a.overlay = newMessages(a.c, a.log, a.width, a.contentHeight())
		return nil
	case key.Matches(msg, km.Copy):
		if cp, ok := top.(copier); ok {
			if text, ok := cp.CopyText(); ok {
				return tea.Batch(a.c.Clipboard(text), status("copied "+text, false))
			}
		}
		r, ok := top.Ref()
		if !ok {
			return status("nothing to copy here: open a tag or digest", true)
		}
		return tea.Batch(a.c.Clipboard(r.String()), status("copied "+r.String(), false))
	case key.Matches(msg, km.DiffMark):
		return a.markDiff(top)
	case key.Matches(msg, km.Diff):
		return a.diff(top)
	}
	return a.deliver(last, msg)
}

// paste hands pasted text to what has the keys: the overlay, or the text
// input of the screen on top. A paste is text, never keys.
func (a *explorer) paste(msg tea.PasteMsg) tea.Cmd {
	if a.overlay != nil {
		var cmd tea.Cmd
		a.overlay, cmd = a.overlay.Update(msg)
		return cmd
	}
	if t := a.top(); t != nil && t.Capturing() {
		return a.deliver(len(a.stack)-1, msg)
	}
	return nil
}

// pop leaves the top screen; leaving the last one leads to the start
// screen (a composer opened alone stays: q quits it).
func (a *explorer) pop() tea.Cmd {
	if len(a.stack) <= 1 {
		switch a.top().(type) {
		case *startScreen, draftHolder, nil:
			return nil
		}
		return a.reset([]screenMaker{newStartScreen()})
	}
	a.top().Close()
	a.stack = a.stack[:len(a.stack)-1]
	// What the screen left did (a composer's push) may change what the
	// one below shows.
	return tea.Batch(a.noteDrafting(), a.lookAtJournal(false))
}

// reset replaces the stack with screens, above an open composer if there is
// one, so going somewhere else while composing keeps the draft.
func (a *explorer) reset(screens []screenMaker) tea.Cmd {
	keep := 0
	for i, s := range a.stack {
		if _, ok := s.(draftHolder); ok {
			keep = i + 1
		}
	}
	for _, s := range a.stack[keep:] {
		s.Close()
	}
	a.stack = a.stack[:keep]
	var cmds []tea.Cmd
	for _, f := range screens {
		s := a.newScreen(f)
		a.stack = append(a.stack, s)
		cmds = append(cmds, s.Init())
	}
	return tea.Batch(append(cmds, a.noteDrafting())...)
}

// View is the frame (see frame) and what the explorer asks of the
// terminal: the alternate screen, the mouse (clicks and the wheel) and
// focus reports, which reload what changed elsewhere meanwhile.
func (a *explorer) View() tea.View {
	v := tea.NewView(a.frame())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.ReportFocus = true
	// Where the terminal has the kitty keyboard protocol, a key with ctrl
	// or alt is reported at its place on a US keyboard too, so ctrl+c and
	// the other bindings work on any layout (key.Keystroke reads it).
	v.KeyboardEnhancements.ReportAlternateKeys = true
	return v
}

// frame draws the breadcrumb, the top screen and the status or help line;
// nothing until the size, and the background a theme waits for, are
// known (a blank, not "": Bubble Tea clears the screen on every empty
// frame).
func (a *explorer) frame() string {
	switch {
	case a.width == 0:
		return ""
	case a.bg == bgAsking:
		return " "
	}
	st := a.c.styles
	var crumbs []string
	for _, s := range a.stack {
		crumbs = append(crumbs, model.Clean(s.Crumb()))
	}
	left := st.Title.Render("platypus") + " " + st.Crumb.Render(strings.Join(crumbs, st.CrumbSep.Render(" › ")+st.Crumb.Render("")))
	target := st.Faint.Render(targetLabel(a.target, a.fleet, a.width-ansi.StringWidth(left)-1))
	header := joinEnds(left, target, a.width)
	if len(a.marks) > 0 {
		// What is marked for a diff matters more than the target, which
		// goes first when both do not fit.
		var names []string
		for _, m := range a.marks {
			names = append(names, model.Clean(m.label))
		}
		diff := st.Accent.Render("diff " + strings.Join(names, " ⟷ "))
		header = joinEnds(left, diff+"  "+target, a.width)
		if ansi.StringWidth(header) <= ansi.StringWidth(left) {
			header = joinEnds(ansi.Truncate(left, max(a.width-ansi.StringWidth(diff)-1, a.width/3), "…"), diff, a.width)
		}
	}
	var body string
	if t := a.top(); t != nil {
		body = t.View()
	}
	if a.overlay != nil {
		body = a.overlay.View(a.width) + "\n" + body
		body = clipLines(body, a.contentHeight())
	}
	foot := a.shortHelpLine()
	if a.full {
		foot = a.help.FullHelpView(a.fullHelp())
	}
	if q := a.quota(); q != "" && !a.full {
		foot = joinEnds(ansi.Truncate(foot, max(a.width-ansi.StringWidth(q)-1, 0), "…"), st.Warning.Render(q), a.width)
	}
	return header + "\n" + a.statusLine() + "\n" + clipLines(body, a.contentHeight()) + "\n" + foot
}

// statusLine is the line under the breadcrumb: the last message, until
// the next key, so the footer keeps the keys. One too long for the width
// is cut and says that ! shows it whole.
func (a *explorer) statusLine() string {
	if a.status == "" {
		return ""
	}
	st := a.c.styles
	style, mark := st.StatusBar, "• "
	if a.isErr {
		style, mark = st.Error, "✗ "
	}
	line := mark + model.Clean(a.status)
	if ansi.StringWidth(line) > a.width {
		more := " (" + keyHint(a.c.Keys.Messages) + " shows all)"
		return style.Render(ansi.Truncate(line, max(a.width-len(more), 10), "…")) + st.Faint.Render(more)
	}
	return style.Render(line)
}

// say shows a message in the status line and keeps it in the log.
func (a *explorer) say(text string, isErr bool) {
	a.status, a.isErr = text, isErr
	a.logOnly(text, isErr)
}

// logOnly keeps a message in the log.
func (a *explorer) logOnly(text string, isErr bool) {
	if text == "" {
		return
	}
	a.log = append(a.log, logEntry{at: time.Now(), text: text, err: isErr})
	if len(a.log) > maxLog {
		a.log = a.log[len(a.log)-maxLog:]
	}
}

// quota shows the pull budget of the registry on screen, when it told.
func (a *explorer) quota() string {
	t, ok := a.top().(hostScreen)
	if !ok || a.c.Client == nil {
		return ""
	}
	q := a.c.Client.Quota(t.Host())
	if !q.Known {
		return ""
	}
	return "pulls left " + itoa(q.Remaining) + "/" + itoa(q.Limit)
}

func (a *explorer) helpHeight() int {
	return strings.Count(a.help.FullHelpView(a.fullHelp()), "\n") + 1
}

// shortHelpLine is the footer: the screen's keys, cut with "…" where the
// terminal is too narrow, then "? help" and "q quit", which always show.
func (a *explorer) shortHelpLine() string {
	km := a.c.Keys
	tail := a.help.ShortHelpView([]key.Binding{km.Help, km.Quit})
	var b []key.Binding
	if t := a.top(); t != nil {
		b = enabled(t.Bindings())
	}
	sep := a.help.Styles.ShortSeparator.Render(a.help.ShortSeparator)
	room := a.width - ansi.StringWidth(tail) - ansi.StringWidth(sep)
	// Not help.Model's own cut: it overflows when its "…" does not fit.
	var head string
	b = append(b, km.Back)
	for i, k := range b {
		item := a.help.ShortHelpView([]key.Binding{k})
		if i > 0 {
			item = sep + item
		}
		limit := room
		if i < len(b)-1 {
			limit -= 2 // keep room for " …"
		}
		if ansi.StringWidth(head)+ansi.StringWidth(item) > limit {
			head += a.help.Styles.Ellipsis.Render(" …")
			break
		}
		head += item
	}
	return head + sep + tail
}

func (a *explorer) fullHelp() [][]key.Binding {
	km := a.c.Keys
	global := []key.Binding{km.Back, km.Goto, km.Platform, km.Copy, km.DiffMark, km.Diff, km.Messages, km.Help, km.Quit}
	var own []key.Binding
	nav := km.tableKeys().all()
	if t := a.top(); t != nil {
		for _, b := range enabled(t.Bindings()) {
			same := func(g key.Binding) bool { return g.Help().Key == b.Help().Key }
			if !slices.ContainsFunc(global, same) && !slices.ContainsFunc(nav, same) {
				own = append(own, b)
			}
			if b.Help().Key == km.Filter.Help().Key && b.Help().Desc == km.Filter.Help().Desc {
				own = append(own, km.filterKeys().help())
			}
		}
	}
	return [][]key.Binding{nav, own, global}
}

// enabled keeps the bindings that work now.
func enabled(bs []key.Binding) []key.Binding {
	out := make([]key.Binding, 0, len(bs))
	for _, b := range bs {
		if b.Enabled() {
			out = append(out, b)
		}
	}
	return out
}

// joinEnds puts left and right on one line of width w.
func joinEnds(left, right string, w int) string {
	lw, rw := ansi.StringWidth(left), ansi.StringWidth(right)
	if lw+rw+1 > w {
		if lw > w {
			return ansi.Truncate(left, w, "…")
		}
		return left
	}
	return left + strings.Repeat(" ", w-lw-rw) + right
}

// clipLines keeps at most n lines of s, padding to exactly n.
func clipLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	for len(lines) < n {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}
