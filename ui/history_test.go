package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"platypus/model"
	"platypus/registry"
	"platypus/registry/demo"
	"platypus/themes"
)

// keyedHarness opens loc in the demo with the config's key bindings.
func keyedHarness(t *testing.T, loc string, keys map[string][]string) (*harness, *demo.Server) {
	t.Helper()
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	l, err := model.ParseLocation(loc, srv.Host)
	if err != nil {
		t.Fatal(err)
	}
	th, _ := themes.Load("mono")
	p, _ := model.ParsePlatform("linux/amd64")
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	d, err := NewDriver(ctx, Options{Client: registry.New(registry.WithPlainHTTP(srv.Host)), Target: model.FlagTarget(p, model.SourceFlag),
		Demo: srv.Host, Location: &l, Keys: keys}, th, harnessWidth, harnessHeight)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, d: d, app: d.app, c: d.common, copied: &d.Copied}
	h.c.State = openState(t, t.TempDir())
	return h, srv
}

// The config's keys rule the history screen too: draftUndo and enter
// rebound, their old keys do nothing there, and the footer names the new.
func TestHistoryHonoursRebinds(t *testing.T) {
	h, srv := keyedHarness(t, "library/centos:7", map[string][]string{"draftUndo": {"U"}, "enter": {"o"}, "back": {"esc", "ctrl+b"}})
	before := h.manifest(t, srv, "library/centos:7").Digest
	h.keys("c", "j", "j", "j", "x")
	// The composer's back cancels a push: with the user's keys.
	if c := h.top().(*composerScreen); !slices.Contains(c.keys.Back.Keys(), "ctrl+b") {
		t.Errorf("the composer's back is %v", c.keys.Back.Keys())
	}
	h.keys("P", "y")
	if h.manifest(t, srv, "library/centos:7").Digest == before {
		t.Fatalf("not pushed:\n%s", h.view())
	}
	h.keys("u")
	if _, ok := h.top().(*historyScreen); ok {
		t.Fatalf("u opened the history though draftUndo is U")
	}
	h.keys("U")
	s, ok := h.top().(*historyScreen)
	if !ok {
		t.Fatalf("U did not open the history: %T", h.top())
	}
	wantIn(t, h.view(), "U undo one step", "o restore the state before")
	h.keys("u", "enter")
	if s.confirm != nil || strings.Contains(h.view(), "y takes back") {
		t.Fatalf("u or enter asked on the history screen:\n%s", h.view())
	}
	h.keys("o")
	if s.confirm == nil || *s.confirm != before {
		t.Fatalf("o did not ask to restore %s:\n%s", before, h.view())
	}
	h.keys("n", "U")
	if s.confirm == nil || *s.confirm != "" || !strings.Contains(h.view(), "y takes back") {
		t.Fatalf("U did not ask to undo:\n%s", h.view())
	}
	h.keys("y")
	if got := h.manifest(t, srv, "library/centos:7").Digest; got != before {
		t.Errorf("undo left %s, want %s", got, before)
	}
}
