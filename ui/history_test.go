package ui

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/themes"
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
	if s.confirm == nil || s.confirm.opts.To != before {
		t.Fatalf("o did not ask to restore %s:\n%s", before, h.view())
	}
	h.keys("n", "U")
	if s.confirm == nil || s.confirm.opts.To != "" || !strings.Contains(h.view(), "y takes back") {
		t.Fatalf("U did not ask to undo:\n%s", h.view())
	}
	h.keys("y")
	if got := h.manifest(t, srv, "library/centos:7").Digest; got != before {
		t.Errorf("undo left %s, want %s", got, before)
	}
}

// harnessBehind is composeHarness with wrap in front of the demo registry.
func harnessBehind(t *testing.T, loc string, wrap func(http.Handler) http.Handler) (*harness, *demo.Server) {
	t.Helper()
	srv, err := demo.Start(demo.Options{Wrap: wrap})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	l, _ := model.ParseLocation(loc, srv.Host)
	h := newHarnessOn(t, srv, "mono", &l, "linux/amd64")
	h.c.State = openState(t, t.TempDir())
	return h, srv
}

// A push that created the tag is taken back by deleting it; the history
// says what y will do before it is pressed.
func TestHistoryUndoesACreatedTag(t *testing.T) {
	h, srv := composeHarness(t, "yorek/multiarch-hello-world")
	h.keys(" ", " ", "c", "P", "y") // latest, from linux and windows
	latest := h.manifest(t, srv, "yorek/multiarch-hello-world:latest").Digest
	h.keys("u")
	s := h.top().(*historyScreen)
	h.keys("u")
	wantIn(t, h.view(), "y takes back the newest change: deletes latest, which platypus created (the tag alone)")
	h.keys("y")
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	if _, err := c.Head(context.Background(), model.Reference{Registry: srv.Host, Repository: "yorek/multiarch-hello-world", Tag: "latest"}); !errors.Is(err, registry.ErrNotFound) {
		t.Fatalf("latest after undo: %v\n%s", err, h.view())
	}
	wantIn(t, h.app.status, "deleted "+srv.Host+"/yorek/multiarch-hello-world:latest ("+model.ShortDigest(latest)+")")
	wantIn(t, h.view(), "(deleted)", "completed, undone")
	if s.confirm != nil {
		t.Errorf("still asking")
	}
	// The composer below sees a new tag again.
	h.keys("esc")
	wantIn(t, h.view(), "a new tag")
}

// A registry that deletes nothing: the history says so at u, and asks
// nothing.
func TestHistorySaysWhenUndoCannotDelete(t *testing.T) {
	noDelete := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodDelete {
				w.WriteHeader(http.StatusMethodNotAllowed)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	h, srv := harnessBehind(t, "yorek/multiarch-hello-world", noDelete)
	h.keys(" ", " ", "c", "P", "y")
	latest := h.manifest(t, srv, "yorek/multiarch-hello-world:latest").Digest
	h.keys("u", "u")
	s := h.top().(*historyScreen)
	if s.confirm != nil || strings.Contains(h.view(), "y takes back") {
		t.Fatalf("asked though nothing can be deleted:\n%s", h.view())
	}
	wantIn(t, h.app.status, "deletes neither tags (a tag DELETE gets 405) nor manifests (405)")
	h.keys("y")
	if got := h.manifest(t, srv, "yorek/multiarch-hello-world:latest").Digest; got != latest {
		t.Errorf("latest changed to %s", got)
	}
}
