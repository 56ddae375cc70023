package ui

import (
	"context"
	"fmt"
	"github.com/charmbracelet/bubbles/cursor"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"platypus/model"
	"platypus/registry"
	"platypus/registry/demo"
	"platypus/themes"
)

var (
	demoOnce sync.Once
	demoSrv  *demo.Server
	demoErr  error
)

// demoServer is one demo registry shared by the package's tests.
func demoServer(t testing.TB) *demo.Server {
	t.Helper()
	demoOnce.Do(func() { demoSrv, demoErr = demo.Start(demo.Options{}) })
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demoSrv
}

// harness drives an App without a terminal: it runs every command the App
// returns, synchronously, and feeds the messages back, so a test reads as
// a sequence of keys and ends in a settled state.
type harness struct {
	t      testing.TB
	app    *App
	c      *Common
	copied []string
}

func newHarness(t testing.TB, themeName string, loc *model.Location, target string) *harness {
	t.Helper()
	return newHarnessOn(t, demoServer(t), themeName, loc, target)
}

func newHarnessOn(t testing.TB, srv *demo.Server, themeName string, loc *model.Location, target string) *harness {
	t.Helper()
	th, err := themes.Load(themeName)
	if err != nil {
		t.Fatal(err)
	}
	p, err := model.ParsePlatform(target)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t}
	client := registry.New(registry.WithPlainHTTP(srv.Host))
	h.c = NewCommon(Options{Client: client, Target: model.FlagTarget(p, model.SourceFlag), Demo: srv.Host}, th, nil)
	h.c.Clipboard = func(s string) tea.Cmd {
		h.copied = append(h.copied, s)
		return nil
	}
	screens := []screenMaker{NewStartScreen()}
	if loc != nil {
		screens = ScreensFor(*loc)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	h.app = NewApp(ctx, h.c, screens...)
	h.send(tea.WindowSizeMsg{Width: 110, Height: 32})
	h.run(h.app.Init())
	return h
}

func demoLoc(t testing.TB, s string) *model.Location {
	loc, err := model.ParseLocation(s, demoServer(t).Host)
	if err != nil {
		t.Fatal(err)
	}
	return &loc
}

// send delivers msg and runs what follows from it.
func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	_, cmd := h.app.Update(msg)
	h.run(cmd)
}

// keys sends each key: runes one by one, or names such as "enter", "esc".
func (h *harness) keys(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.send(keyMsg(k))
	}
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// typeText types s into whatever has focus, one rune at a time.
func (h *harness) typeText(s string) {
	for _, r := range s {
		h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// run executes cmd and everything it leads to. Spinner ticks and cursor
// blinks are dropped (they only animate); a command that blocks longer
// than the timeout fails the test.
func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 100000 {
			h.t.Fatal("commands never settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := runWithTimeout(h.t, c)
		switch m := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, m...)
		case spinner.TickMsg, tea.QuitMsg:
		default:
			if isBlink(msg) {
				continue
			}
			_, next := h.app.Update(msg)
			queue = append(queue, next)
		}
	}
}

func isBlink(msg tea.Msg) bool {
	name := strings.ToLower(fmt.Sprintf("%T", msg))
	return strings.Contains(name, "blink") || strings.Contains(name, "cursor")
}

func runWithTimeout(t testing.TB, c tea.Cmd) tea.Msg {
	t.Helper()
	ch := make(chan tea.Msg, 1)
	go func() { ch <- c() }()
	select {
	case m := <-ch:
		return m
	case <-time.After(200 * time.Millisecond):
		// Animations (spinner, blink) sleep; everything else answers fast
		// from the in-process registry. Waiting longer for real work:
		select {
		case m := <-ch:
			return m
		case <-time.After(10 * time.Second):
			t.Fatal("a command blocked for 10s")
		}
	}
	return nil
}

var portRE = regexp.MustCompile(`127\.0\.0\.1:\d{5}`)

// view is the App's view without ANSI and with the demo port fixed, so
// goldens do not depend on the port or the colour profile.
func (h *harness) view() string {
	return portRE.ReplaceAllString(ansi.Strip(h.app.View()), "127.0.0.1:PORT0")
}

func (h *harness) top() Screen { return h.app.top() }

func init() {
	lipgloss.SetColorProfile(termenv.Ascii)
	cursorMode = cursor.CursorStatic
}

var errTest = errorString("test error")

type errorString string

func (e errorString) Error() string { return string(e) }
