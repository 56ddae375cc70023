package ui

import (
	"context"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// headerLines is what the App draws above a screen: the breadcrumb and a
// blank line; one status line goes below.
const headerLines = 2

// App is the root model: it owns the window size, the global keys, the
// status line, overlays and the stack of screens, and routes messages.
type App struct {
	c       *Common
	ctx     context.Context
	stack   []Screen
	nextID  int
	width   int
	height  int
	status  string
	isErr   bool
	help    help.Model
	full    bool
	overlay overlay
	start   []screenMaker
}

// overlay is a modal on top of the stack: the go-to input or the platform
// picker. It gets every key while open.
type overlay interface {
	Update(tea.Msg) (overlay, tea.Cmd)
	View(width int) string
}

// closeOverlay closes the open overlay.
type closeOverlayMsg struct{}

// NewApp returns the explorer opened on the given screens, bottom first.
func NewApp(ctx context.Context, c *Common, screens ...screenMaker) *App {
	a := &App{c: c, ctx: ctx, help: help.New(), start: screens}
	a.help.Styles.ShortKey = c.Styles.Key
	a.help.Styles.FullKey = c.Styles.Key
	a.help.Styles.ShortDesc = c.Styles.Faint
	a.help.Styles.FullDesc = c.Styles.Faint
	a.help.Styles.ShortSeparator = c.Styles.Faint
	a.help.Styles.FullSeparator = c.Styles.Faint
	for _, f := range screens {
		a.stack = append(a.stack, a.newScreen(f))
	}
	a.drafting()
	return a
}

func (a *App) newScreen(f screenMaker) Screen {
	a.nextID++
	s := f(a.ctx, a.c, a.nextID)
	if a.width > 0 {
		s.SetSize(a.width, a.contentHeight())
	}
	return s
}

// Init starts every screen of the initial stack loading.
func (a *App) Init() tea.Cmd {
	var cmds []tea.Cmd
	for _, s := range a.stack {
		cmds = append(cmds, s.Init())
	}
	return tea.Batch(cmds...)
}

func (a *App) contentHeight() int {
	h := a.height - headerLines - 1
	if a.full {
		h -= a.helpHeight() - 1
	}
	return max(h, 3)
}

func (a *App) top() Screen {
	if len(a.stack) == 0 {
		return nil
	}
	return a.stack[len(a.stack)-1]
}

// Update routes a message.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.help.Width = msg.Width
		a.resize()
		return a, nil
	case pushMsg:
		s := a.newScreen(msg.make)
		a.stack = append(a.stack, s)
		a.drafting()
		return a, s.Init()
	case statusMsg:
		a.status, a.isErr = msg.text, msg.err
		return a, nil
	case targetMsg:
		a.c.Target = msg.target
		a.status, a.isErr = "target: "+msg.target.String(), false
		return a, a.broadcast(retargetMsg{})
	case closeOverlayMsg:
		a.overlay = nil
		return a, nil
	case resetMsg:
		return a, a.reset(msg.screens)
	case addToDraftMsg:
		// To the composer nearest the top of the stack.
		for i := len(a.stack) - 1; i >= 0; i-- {
			if c, ok := a.stack[i].(*ComposerScreen); ok {
				var cmd tea.Cmd
				a.stack[i], cmd = c.Update(msg)
				return a, cmd
			}
		}
		return a, status("no draft is open: press c to start one", true)
	case routed:
		for i, s := range a.stack {
			if s.ID() == msg.screenID() {
				var cmd tea.Cmd
				a.stack[i], cmd = s.Update(msg)
				return a, cmd
			}
		}
		return a, nil // the screen is gone: drop its reply
	case tea.KeyMsg:
		return a, a.key(msg)
	case tea.MouseMsg:
		if a.overlay != nil || a.top() == nil {
			return a, nil
		}
		msg.Y -= headerLines
		return a, a.updateTop(msg)
	}
	if a.overlay != nil {
		var cmd tea.Cmd
		a.overlay, cmd = a.overlay.Update(msg)
		return a, tea.Batch(cmd, a.broadcast(msg))
	}
	return a, a.broadcast(msg)
}

// drafting notes whether a composer is open, for the screens' key hints.
func (a *App) drafting() {
	a.c.Drafting = false
	for _, s := range a.stack {
		if _, ok := s.(*ComposerScreen); ok {
			a.c.Drafting = true
		}
	}
}

func (a *App) resize() {
	for _, s := range a.stack {
		s.SetSize(a.width, a.contentHeight())
	}
}

func (a *App) updateTop(msg tea.Msg) tea.Cmd {
	i := len(a.stack) - 1
	var cmd tea.Cmd
	a.stack[i], cmd = a.stack[i].Update(msg)
	return cmd
}

// broadcast sends msg to every screen (spinner ticks, retargeting).
func (a *App) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for i, s := range a.stack {
		var cmd tea.Cmd
		a.stack[i], cmd = s.Update(msg)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// copier is a screen that copies something other than its reference.
type copier interface{ CopyText() (string, bool) }

// backHandler is a screen that uses Back itself first (to clear a filter).
type backHandler interface{ HandleBack() bool }

func (a *App) key(msg tea.KeyMsg) tea.Cmd {
	km := a.c.Keys
	if msg.String() == "ctrl+c" {
		return tea.Quit
	}
	if a.overlay != nil {
		var cmd tea.Cmd
		a.overlay, cmd = a.overlay.Update(msg)
		return cmd
	}
	top := a.top()
	if top != nil && top.Capturing() {
		return a.updateTop(msg)
	}
	// Bubble Tea delivers runes typed faster than it reads as one message
	// ("jj"); outside a text input each is a key of its own.
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
		var cmds []tea.Cmd
		for _, r := range msg.Runes {
			cmds = append(cmds, a.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
		}
		return tea.Batch(cmds...)
	}
	a.status, a.isErr = "", false
	switch {
	case key.Matches(msg, km.Quit):
		return tea.Quit
	case key.Matches(msg, km.Help):
		a.full = !a.full
		a.resize()
		return nil
	case key.Matches(msg, km.Back):
		if bh, ok := top.(backHandler); ok && bh.HandleBack() {
			return nil
		}
		a.pop()
		return nil
	case key.Matches(msg, km.Goto):
		a.overlay = newGotoOverlay(a.c)
		return nil
	case key.Matches(msg, km.Platform):
		a.overlay = newPicker(a.c)
		return nil
	case key.Matches(msg, km.Copy):
		if top == nil {
			return nil
		}
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
	}
	if top == nil {
		return nil
	}
	return a.updateTop(msg)
}

func (a *App) pop() {
	if len(a.stack) <= 1 {
		return
	}
	a.top().Close()
	a.stack = a.stack[:len(a.stack)-1]
	a.drafting()
}

// resetMsg replaces the whole stack (go to a reference).
type resetMsg struct {
	screens []screenMaker
}

// reset replaces the stack with screens, above an open composer if there is
// one, so going somewhere else while composing keeps the draft.
func (a *App) reset(screens []screenMaker) tea.Cmd {
	keep := 0
	for i, s := range a.stack {
		if _, ok := s.(*ComposerScreen); ok {
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
	a.drafting()
	return tea.Batch(cmds...)
}

// View draws the breadcrumb, the top screen and the status or help line.
func (a *App) View() string {
	if a.width == 0 {
		return ""
	}
	st := a.c.Styles
	var crumbs []string
	for _, s := range a.stack {
		crumbs = append(crumbs, s.Crumb())
	}
	left := st.Title.Render("platypus") + " " + st.Crumb.Render(strings.Join(crumbs, st.CrumbSep.Render(" › ")+st.Crumb.Render("")))
	right := st.Faint.Render("target " + a.c.Target.Platform.Display() + " (" + string(a.c.Target.Source) + ")")
	header := joinEnds(left, right, a.width)
	var body string
	if t := a.top(); t != nil {
		body = t.View()
	}
	if a.overlay != nil {
		body = a.overlay.View(a.width) + "\n" + body
		body = clipLines(body, a.contentHeight())
	}
	var foot string
	switch {
	case a.full:
		foot = a.help.FullHelpView(a.fullHelp())
	case a.status != "":
		style := st.StatusBar
		if a.isErr {
			style = st.Error
		}
		mark := "• "
		if a.isErr {
			mark = "✗ "
		}
		foot = style.Render(ansi.Truncate(mark+a.status, a.width, "…"))
	default:
		foot = a.shortHelpLine()
	}
	if q := a.quota(); q != "" {
		foot = joinEnds(ansi.Truncate(foot, max(a.width-ansi.StringWidth(q)-1, 0), "…"), st.Warning.Render(q), a.width)
	}
	return header + "\n\n" + clipLines(body, a.contentHeight()) + "\n" + foot
}

// quota shows the pull budget of the registry on screen, when it told.
func (a *App) quota() string {
	t, ok := a.top().(interface{ Host() string })
	if !ok || a.c.Client == nil {
		return ""
	}
	q := a.c.Client.Quota(t.Host())
	if !q.Known {
		return ""
	}
	return "pulls left " + itoa(q.Remaining) + "/" + itoa(q.Limit)
}

func (a *App) helpHeight() int {
	return strings.Count(a.help.FullHelpView(a.fullHelp()), "\n") + 1
}

// shortHelpLine is the footer: the screen's keys, cut with "…" where the
// terminal is too narrow, then "? help" and "q quit", which always show.
func (a *App) shortHelpLine() string {
	km := a.c.Keys
	tail := a.help.ShortHelpView([]key.Binding{km.Help, km.Quit})
	var b []key.Binding
	if t := a.top(); t != nil {
		b = append(b, t.Bindings()...)
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

func (a *App) fullHelp() [][]key.Binding {
	km := a.c.Keys
	global := []key.Binding{km.Back, km.Goto, km.Platform, km.Copy, km.Help, km.Quit}
	var screen []key.Binding
	if t := a.top(); t != nil {
		for _, b := range t.Bindings() {
			if !slices.ContainsFunc(global, func(g key.Binding) bool { return g.Help().Key == b.Help().Key }) {
				screen = append(screen, b)
			}
		}
	}
	return [][]key.Binding{
		{km.Up, km.Down, km.PageUp, km.PageDown, km.Home, km.End},
		screen,
		global,
	}
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
