package ui

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/themes"
)

// eventLoop runs the explorer as Bubble Tea does, unlike the Driver:
// commands in goroutines of their own, their messages applied one at a
// time, so requests queue for connections as they do in a terminal.
type eventLoop struct {
	app  *explorer
	msgs chan tea.Msg
}

func newEventLoop(t testing.TB, o Options, width, height int) *eventLoop {
	t.Helper()
	th, _ := themes.Load("mono")
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	c := newCommon(o, th)
	c.Clipboard = func(string) tea.Cmd { return nil }
	l := &eventLoop{app: newApp(ctx, c, o.Target, firstScreens(o)...), msgs: make(chan tea.Msg, 1024)}
	l.send(tea.WindowSizeMsg{Width: width, Height: height})
	l.exec(l.app.Init())
	return l
}

// exec runs cmd in a goroutine; its message (or each of a batch's) comes
// back through msgs. Animation ticks are dropped.
func (l *eventLoop) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		switch m := cmd().(type) {
		case nil, spinner.TickMsg:
		case tea.BatchMsg:
			for _, c := range m {
				l.exec(c)
			}
		default:
			if strings.Contains(strings.ToLower(fmt.Sprintf("%T", m)), "blink") {
				return
			}
			l.msgs <- m
		}
	}()
}

func (l *eventLoop) send(msg tea.Msg) {
	_, cmd := l.app.Update(msg)
	l.exec(cmd)
}

// until applies messages until cond holds (looked at again now and then:
// it may wait on the registry, not on a message); it fails after limit,
// which only guards against a loop that never gets there.
func (l *eventLoop) until(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(limit)
	for !cond() {
		select {
		case m := <-l.msgs:
			l.send(m)
		case <-time.After(5 * time.Millisecond):
		case <-deadline:
			t.Fatalf("never: %s", what+debugState(l))
		}
	}
}

// A sort asks for every tag; the row details asked for the rows on screen
// must not hold that request back: here they never answer (their
// registry is stuck on manifests), and the list must still be asked for,
// and arrive. Before, it queued behind them for a connection and, on a
// busy registry, waited 10-30 s (see BenchmarkSortBehindRowDetails).
func TestListRequestGoesBeforeRowDetails(t *testing.T) {
	var mu sync.Mutex
	stuck := make(chan struct{})
	t.Cleanup(func() { close(stuck) })
	var lists []string
	manifests := 0
	srv, err := demo.Start(demo.Options{Wrap: func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case strings.Contains(r.URL.Path, "/manifests/"):
				mu.Lock()
				manifests++
				mu.Unlock()
				select { // a registry busy with manifests
				case <-stuck:
				case <-r.Context().Done():
				}
				return
			case strings.HasSuffix(r.URL.Path, "/tags/list"):
				mu.Lock()
				lists = append(lists, r.URL.RawQuery)
				mu.Unlock()
			}
			h.ServeHTTP(w, r)
		})
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	loc, _ := model.ParseLocation(srv.Host+"/platypus/many-tags", "")
	client := registry.New(registry.WithPlainHTTP(srv.Host))
	l := newEventLoop(t, Options{Client: client, Target: model.FlagTarget(model.Platform{OS: "linux", Architecture: "amd64"}, model.SourceFlag), Location: &loc}, 110, 45)
	var tags *tagsScreen
	l.until(t, 20*time.Second, "the first page", func() bool {
		tags, _ = l.app.top().(*tagsScreen)
		mu.Lock()
		defer mu.Unlock()
		return tags != nil && len(tags.list.names) == registry.DefaultPageSize && manifests >= registry.DefaultConcurrency
	})
	// Sixteen details hold every connection; the rest wait for one.
	l.send(keyMsg("s")) // version order needs every tag
	l.until(t, 20*time.Second, "every tag, while the row details were stuck", func() bool {
		return tags.list.complete && len(tags.list.names) == demo.ManyTagsCount
	})
	mu.Lock()
	defer mu.Unlock()
	if len(lists) != 2 {
		t.Errorf("tag list requests: %q", lists)
	}
}

func debugState(l *eventLoop) string {
	if s, ok := l.app.top().(*tagsScreen); ok {
		return fmt.Sprintf(" (%d names, complete %v)", len(s.list.names), s.list.complete)
	}
	return fmt.Sprintf(" (top %T)", l.app.top())
}

// BenchmarkSortBehindRowDetails measures, on a registry 40 ms away holding
// 100,000 tags (demo serve --bench-tags 100000 --latency 40ms), the time
// from pressing s on the first page, its rows' details asked for, to the
// list complete in version order.
func BenchmarkSortBehindRowDetails(b *testing.B) {
	srv, err := demo.Start(demo.Options{Extra: demo.SeedManyTags(100_000), Wrap: func(h http.Handler) http.Handler {
		return demo.WithLatency(h, 40*time.Millisecond)
	}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	loc, _ := model.ParseLocation(srv.Host+"/"+demo.ManyTagsRepository, "")
	var total time.Duration
	for b.Loop() {
		client := registry.New(registry.WithPlainHTTP(srv.Host))
		l := newEventLoop(b, Options{Client: client, Target: model.FlagTarget(model.Platform{OS: "linux", Architecture: "amd64"}, model.SourceFlag), Location: &loc}, 140, 45)
		var tags *tagsScreen
		l.until(b, time.Minute, "the first page", func() bool {
			tags, _ = l.app.top().(*tagsScreen)
			return tags != nil && len(tags.list.names) == registry.DefaultPageSize
		})
		start := time.Now()
		l.send(keyMsg("s"))
		l.until(b, 5*time.Minute, "every tag", func() bool {
			return tags.list.complete && !tags.list.sorting && len(tags.list.names) == 100_000
		})
		total += time.Since(start)
		l.app.top().Close()
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms-to-sorted")
}
