package ui

import (
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

func brokenServer(t *testing.T) (*demo.Server, *regtest.FaultProxy) {
	t.Helper()
	srv, err := demo.Start(demo.Options{Extra: demo.SeedBroken})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv, regtest.NewFaultProxy(t, srv.Host)
}

// TestErrorShowsWhereTheDataWouldBe: one child fails, the other stays, and
// r reloads once the registry recovers.
func TestErrorShowsWhereTheDataWouldBe(t *testing.T) {
	srv, p := brokenServer(t)
	proxied := *srv
	proxied.Host = p.Host
	loc, _ := model.ParseLocation(p.Host+"/"+demo.BrokenRepository+":bad-size", "")
	h := newHarnessOn(t, &proxied, "mono", &loc, "linux/amd64")
	_, isIndex := h.top().(*indexScreen)
	h.keys("j")
	if !isIndex || !strings.Contains(h.view(), "the index says 509 bytes, the manifest has 502") {
		t.Fatalf("bad size not shown in its row:\n%s", h.view())
	}

	// A child the registry does not have: its row says so, the other row
	// keeps its data.
	loc, _ = model.ParseLocation(p.Host+"/"+demo.BrokenRepository+":missing", "")
	h.send(resetMsg{screens: screensFor(loc)})
	h.keys("j")
	if v := h.view(); !strings.Contains(v, "not found") || !strings.Contains(v, "✓ linux/amd64") {
		t.Fatalf("the failing child should show its error in place:\n%s", v)
	}

	// The registry fails the tag itself: the error takes the screen's place
	// with what to do; r retries once it recovers.
	p.Set(regtest.Status503, func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/manifests/missing") }, -1, "", 0)
	h.keys("r")
	if v := h.view(); !strings.Contains(v, "503 Service Unavailable") || !strings.Contains(v, "press r to retry") {
		t.Fatalf("no error view:\n%s", v)
	}
	p.Clear()
	h.keys("r")
	if v := h.view(); strings.Contains(v, "503") || !strings.Contains(v, "✓ docker pull selects") {
		t.Errorf("r did not retry:\n%s", v)
	}
}

// TestLeavingAScreenCancelsItsRequests: a request stuck on a slow registry
// ends as soon as the screen is left, and no goroutine stays behind.
func TestLeavingAScreenCancelsItsRequests(t *testing.T) {
	srv, p := brokenServer(t)
	proxied := *srv
	proxied.Host = p.Host
	loc, _ := model.ParseLocation(p.Host+"/"+demo.BrokenRepository, "")
	h := newHarnessOn(t, &proxied, "mono", &loc, "linux/amd64")
	before := runtime.NumGoroutine()
	p.Set(regtest.Slow, regtest.ManifestGets, -1, "", time.Hour)

	// Open a tag; its load blocks on the slow registry, off the UI loop.
	_, cmd := h.app.Update(pushMsg{make: newManifestScreen(loc.Ref.WithTag("missing"), "", nil)})
	done := make(chan tea.Msg, 1)
	go func() { done <- collect(cmd) }()
	for p.Faulted.Load() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	if _, ok := h.top().(*manifestScreen); !ok {
		t.Fatal("the screen was not pushed")
	}
	h.keys("esc")
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the request outlived its screen")
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+2 {
		t.Errorf("%d goroutines before, %d after leaving", before, n)
	}
}

// collect runs a command and its batch, returning when all have returned;
// spinner ticks are allowed to finish on their own.
func collect(cmd tea.Cmd) tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		for _, c := range b {
			collect(c)
		}
	}
	return msg
}
