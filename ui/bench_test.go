package ui

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/regtest"
	"github.com/platypus-tui/platypus/themes"
)

// bigTags returns a tags screen holding n loaded tags, without a registry.
func bigTags(b testing.TB, n int) *tagsScreen {
	th, _ := themes.Load("dark")
	c := newCommon(Options{Client: registry.New()}, th)
	s := standalone(c, newTagsScreen(model.Reference{Registry: "r.example", Repository: "big"}, "")).(*tagsScreen)
	items := make([]string, 0, n)
	for i := range n {
		items = append(items, fmt.Sprintf("v%d.%d.%d-build%d", i/10000, (i/100)%100, i%100, i))
	}
	s.SetSize(120, 40)
	s.state = ready
	s.list.add(items, "", "", 0)
	s.rows = make([]*tagRow, len(s.list.names))
	return s
}

// BenchmarkTagsView100k measures one frame of the tags screen with 100,000
// tags: only the rows on screen are rendered.
func BenchmarkTagsView100k(b *testing.B) {
	s := bigTags(b, 100000)
	s.list.table.SetCursor(50000)
	b.ResetTimer()
	for b.Loop() {
		_ = s.View()
	}
}

// BenchmarkTagsFilterKeystroke100k measures one filter keystroke on 100,000
// tags: re-filtering and re-sorting everything, then a frame.
func BenchmarkTagsFilterKeystroke100k(b *testing.B) { benchFilterKeystroke(b, 100_000) }

func benchFilterKeystroke(b *testing.B, n int) {
	s := bigTags(b, n)
	s.Update(keyMsg("/"))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r := "9"
		if i%2 == 1 {
			r = "backspace"
		}
		s.Update(keyMsg(r))
		_ = s.View()
	}
}

// BenchmarkTagsVersionSort100k measures switching to natural version order.
func BenchmarkTagsVersionSort100k(b *testing.B) { benchVersionSort(b, 100_000) }

func benchVersionSort(b *testing.B, n int) {
	s := bigTags(b, n)
	b.ResetTimer()
	for b.Loop() {
		s.list.version = !s.list.version
		s.list.rebuild(false)
	}
}

// BenchmarkFirstScreen measures, at 40 ms per request, the time from
// opening the tags of a repository to a frame that shows them: the
// target is one round trip plus under 50 ms.
func BenchmarkFirstScreen(b *testing.B) {
	srv := demoServer(b)
	proxy := regtest.NewLatencyProxy(b, srv.Host, 40*time.Millisecond)
	th, _ := themes.Load("dark")
	repo := model.Reference{Registry: proxy.Host, Repository: "library/centos"}
	for b.Loop() {
		c := newCommon(Options{Client: registry.New(registry.WithPlainHTTP(proxy.Host))}, th)
		s := standalone(c, newTagsScreen(repo, ""))
		s.SetSize(120, 40)
		for _, msg := range runBatch(s.Init()) {
			if r, ok := msg.(reply[pageEvent]); ok {
				s.Update(r)
			}
		}
		if !strings.Contains(s.View(), "7.6.1810") {
			b.Fatal("no data on the first screen")
		}
	}
}

// runBatch runs a command's batch concurrently, as Bubble Tea does (nested
// batches too), and returns the messages that are not animation ticks.
func runBatch(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	b, ok := msg.(tea.BatchMsg)
	if !ok {
		if _, tick := msg.(spinner.TickMsg); tick || msg == nil {
			return nil
		}
		return []tea.Msg{msg}
	}
	ch := make(chan []tea.Msg, len(b))
	for _, c := range b {
		go func() { ch <- runBatch(c) }()
	}
	var out []tea.Msg
	for range b {
		out = append(out, <-ch...)
	}
	return out
}

// BenchmarkTags100kMemory reports the heap a tags screen holding 100,000
// tags needs (target: under 150 MB).
func BenchmarkTags100kMemory(b *testing.B) { benchTagsMemory(b, 100_000) }

func benchTagsMemory(b *testing.B, n int) {
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		s := bigTags(b, n)
		_ = s.View()
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-heap")
		runtime.KeepAlive(s)
	}
}

// The same at a million tags (targets: a keystroke under 50 ms, the
// version sort under 500 ms, under 300 MB).
func BenchmarkTagsFilterKeystroke1M(b *testing.B) { benchFilterKeystroke(b, 1_000_000) }

func BenchmarkTagsVersionSort1M(b *testing.B) { benchVersionSort(b, 1_000_000) }

func BenchmarkTags1MMemory(b *testing.B) { benchTagsMemory(b, 1_000_000) }

// BenchmarkFirstRows1M measures, for a million tags sent in one response
// (at 100 Mbit/s, so the whole list takes about a second to arrive), the
// time from the registry's first byte to a frame showing tags, and to the
// frame showing all of them. The target is 50 ms to the first rows.
func BenchmarkFirstRows1M(b *testing.B) {
	names := make([]string, 1_000_000)
	for i := range names {
		names[i] = fmt.Sprintf("v%d.%d.%d-build%d", i/10000, (i/100)%100, i%100, i)
	}
	slices.Sort(names) // as distribution and olareg send them
	var body strings.Builder
	body.WriteString(`{"name":"big","tags":["`)
	body.WriteString(strings.Join(names, `","`))
	body.WriteString(`"]}`)
	data := []byte(body.String())
	var first atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/tags/list") {
			return
		}
		first.Store(time.Now().UnixNano())
		// 100 Mbit/s: 12.5 MB a second, sent in 125 KB slices.
		for off := 0; off < len(data); off += 125_000 {
			_, _ = w.Write(data[off:min(off+125_000, len(data))])
			w.(http.Flusher).Flush()
			time.Sleep(10 * time.Millisecond)
		}
	}))
	b.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	th, _ := themes.Load("dark")
	repo := model.Reference{Registry: host, Repository: "big"}
	var toFirst, toAll time.Duration
	for b.Loop() {
		c := newCommon(Options{Client: registry.New(registry.WithPlainHTTP(host))}, th)
		s := standalone(c, newTagsScreen(repo, "")).(*tagsScreen)
		s.SetSize(120, 40)
		var next tea.Cmd
		for _, msg := range runBatch(s.Init()) {
			if r, ok := msg.(reply[pageEvent]); ok {
				s.Update(r)
				next = r.next
			}
		}
		if !strings.Contains(s.View(), "v0.0.0-build0") {
			b.Fatal("no rows on the first frame:\n" + s.View())
		}
		toFirst += time.Duration(time.Now().UnixNano() - first.Load())
		for next != nil {
			r, _ := next().(reply[pageEvent])
			s.Update(r)
			next = r.next
			_ = s.View()
		}
		if len(s.list.names) != 1_000_000 {
			b.Fatalf("%d names at the end", len(s.list.names))
		}
		toAll += time.Duration(time.Now().UnixNano() - first.Load())
		s.Close()
	}
	b.ReportMetric(float64(toFirst.Milliseconds())/float64(b.N), "ms-first-rows")
	b.ReportMetric(float64(toAll.Milliseconds())/float64(b.N), "ms-all-rows")
}
