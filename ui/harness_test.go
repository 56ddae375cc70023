package ui

import (
	"context"
	"regexp"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/state"
	"github.com/platypus-tui/platypus/themes"
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

// harness is a Driver that fails the test instead of returning errors.
type harness struct {
	t   testing.TB
	d   *Driver
	app *explorer
	c   *common
	// copied is what the clipboard received.
	copied *[]string
}

// The terminal every harness test runs in.
const harnessWidth, harnessHeight = 110, 32

func newHarness(t testing.TB, themeName string, loc *model.Location, target string) *harness {
	t.Helper()
	return newHarnessOn(t, demoServer(t), themeName, loc, target)
}

func newHarnessOn(t testing.TB, srv *demo.Server, themeName string, loc *model.Location, target string) *harness {
	t.Helper()
	return newHarnessWith(t, registry.New(registry.WithPlainHTTP(srv.Host)), srv.Host, themeName, loc, target)
}

// newHarnessWith is a harness on any Registry; demoHost is the demo's host,
// if it is the demo.
func newHarnessWith(t testing.TB, client Registry, demoHost, themeName string, loc *model.Location, target string) *harness {
	t.Helper()
	th, err := themes.Load(themeName)
	if err != nil {
		t.Fatal(err)
	}
	p, err := model.ParsePlatform(target)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	d, err := NewDriver(ctx, Options{Client: client, Target: model.FlagTarget(p, model.SourceFlag), Demo: demoHost, Location: loc}, th, harnessWidth, harnessHeight)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, d: d, app: d.app, c: d.common, copied: &d.Copied}
}

func demoLoc(t testing.TB, s string) *model.Location {
	loc, err := model.ParseLocation(s, demoServer(t).Host)
	if err != nil {
		t.Fatal(err)
	}
	return &loc
}

func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	if err := h.d.Send(msg); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) keys(keys ...string) {
	h.t.Helper()
	if err := h.d.Keys(keys...); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) typeText(s string) {
	h.t.Helper()
	if err := h.d.Type(s); err != nil {
		h.t.Fatal(err)
	}
}

func keyMsg(k string) tea.KeyPressMsg { return KeyMsg(k) }

var portRE = regexp.MustCompile(`127\.0\.0\.1:\d{5}`)

// view is the App's view without ANSI and with the demo port fixed, so
// goldens do not depend on the port or the colour profile.
func (h *harness) view() string {
	return portRE.ReplaceAllString(ansi.Strip(h.app.View().Content), "127.0.0.1:PORT0")
}

func (h *harness) top() screen { return h.app.top() }

func openState(t testing.TB, dir string) *state.Dir {
	t.Helper()
	st, err := state.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// standalone builds a screen outside an App, for benchmarks of one screen.
func standalone(c *common, f screenMaker) screen {
	ctx, cancel := context.WithCancel(context.Background())
	return f(base{id: 1, c: c, ctx: ctx, cancel: cancel, target: model.FlagTarget(model.Platform{OS: "linux", Architecture: "amd64"}, model.SourceFlag)})
}

func init() {
	cursorBlinks = false
}

var errTest = errorString("test error")

type errorString string

func (e errorString) Error() string { return string(e) }
