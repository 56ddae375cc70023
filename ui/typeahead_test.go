package ui

import (
	"context"
	"errors"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/themes"
)

// Keys typed while the list loads are kept and replayed once it is here:
// j j enter opens the third repository, and what follows goes to the
// screen it opened, once that has loaded too.
func TestKeysTypedWhileLoadingAreReplayed(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, demoServer(t).Host), "linux/amd64")
	h.holdJob(jobCatalog)
	h.keys("r") // the repositories load again, their page held
	h.keys("j", "j", "enter", "j", "enter")
	if _, ok := h.top().(*reposScreen); !ok || len(h.d.Held()) != 1 {
		t.Fatalf("top %T, %d held", h.top(), len(h.d.Held()))
	}
	h.d.Hold(nil)
	h.deliver(0)
	m, ok := h.top().(*indexScreen)
	if !ok {
		t.Fatalf("after the page came, top is %T:\n%s", h.top(), h.view())
	}
	if m.ref.Repository != "library/hello-world" || m.ref.Tag != "linux" {
		t.Errorf("opened %s, want the third repository's second tag", m.ref)
	}
}

// q and esc do not wait: esc leaves the loading screen and drops what was
// typed for it.
func TestQuitAndBackDoNotWait(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/centos"), "linux/amd64")
	h.holdJob(jobPage)
	h.keys("r", "j", "enter")
	_, cmd := h.app.Update(keyMsg("q"))
	if cmd == nil || cmd() == nil {
		t.Error("q waited for the list")
	}
	h.keys("esc")
	if _, ok := h.top().(*reposScreen); !ok {
		t.Errorf("esc: top %T", h.top())
	}
	h.d.Hold(nil)
	for len(h.d.Held()) > 0 {
		h.deliver(0)
	}
	if _, ok := h.top().(*reposScreen); !ok {
		t.Errorf("keys typed for the screen left replayed on the one below: top %T", h.top())
	}
}

// With --demo the explorer opens at once on a screen that says the demo
// registry is starting; keys typed then wait for the repositories, and
// enter typed before the explorer had the terminal (read as ctrl+j)
// counts as enter.
func TestDemoStartSaysSoAndKeepsKeys(t *testing.T) {
	srv := demoServer(t)
	th, _ := themes.Load("mono")
	client := registry.New(registry.WithPlainHTTP(srv.Host))
	loc := model.Location{Kind: model.LocHost, Host: srv.Host}
	prepare := func(context.Context) (Prepared, error) {
		return Prepared{Client: client, Demo: srv.Host, Location: &loc}, nil
	}
	o := Options{Target: model.FlagTarget(model.Platform{OS: "linux", Architecture: "amd64"}, model.SourceFlag),
		Prepare: prepare, Preparing: "starting the demo registry"}
	d := &Driver{Timeout: 10 * time.Second}
	d.common = newCommon(o, th)
	d.app = newApp(context.Background(), d.common, o.Target, firstScreens(o)...)
	d.Hold(func(m tea.Msg) bool { r, ok := m.(answer); return ok && r.request().job == jobPrepare })
	if err := d.Send(tea.WindowSizeMsg{Width: 80, Height: 24}); err != nil {
		t.Fatal(err)
	}
	if err := d.Run(d.app.Init()); err != nil {
		t.Fatal(err)
	}
	wantIn(t, ansi.Strip(d.View()), "starting the demo registry…")
	if err := d.Keys("j", "j"); err != nil {
		t.Fatal(err)
	}
	if err := d.Send(tea.KeyPressMsg{Code: 'j', Mod: tea.ModCtrl}); err != nil {
		t.Fatal(err)
	}
	d.Hold(nil)
	if err := d.Deliver(0); err != nil {
		t.Fatal(err)
	}
	if s, ok := d.app.top().(*tagsScreen); !ok || s.repo.Repository != "library/hello-world" {
		t.Fatalf("top is %T:\n%s", d.app.top(), ansi.Strip(d.View()))
	}
	if d.common.Demo != srv.Host {
		t.Errorf("demo host %q", d.common.Demo)
	}
}

// A demo registry that cannot start ends the explorer with its error.
func TestPrepareFailureEndsTheExplorer(t *testing.T) {
	th, _ := themes.Load("mono")
	o := Options{Prepare: func(context.Context) (Prepared, error) { return Prepared{}, errTest }}
	d := &Driver{Timeout: 10 * time.Second}
	d.common = newCommon(o, th)
	d.app = newApp(context.Background(), d.common, o.Target, firstScreens(o)...)
	if err := d.Run(d.app.Init()); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(d.app.fatal, errTest) {
		t.Errorf("fatal = %v", d.app.fatal)
	}
}
