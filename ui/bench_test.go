package ui

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"platypus/model"
	"platypus/registry"
	"platypus/registry/regtest"
	"platypus/themes"
)

// bigTags returns a tags screen holding n loaded tags, without a registry.
func bigTags(b testing.TB, n int) *tagsScreen {
	th, _ := themes.Load("dark")
	c := newCommon(Options{Client: registry.New()}, th, nil)
	s := standalone(c, newTagsScreen(model.Reference{Registry: "r.example", Repository: "big"}, "")).(*tagsScreen)
	items := make([]string, 0, n)
	for i := range n {
		items = append(items, fmt.Sprintf("v%d.%d.%d-build%d", i/10000, (i/100)%100, i%100, i))
	}
	s.SetSize(120, 40)
	s.state = ready
	s.list.add(items, "", "", 0)
	s.rows = make([]tagRow, len(s.list.names))
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
func BenchmarkTagsFilterKeystroke100k(b *testing.B) {
	s := bigTags(b, 100000)
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
func BenchmarkTagsVersionSort100k(b *testing.B) {
	s := bigTags(b, 100000)
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
		c := newCommon(Options{Client: registry.New(registry.WithPlainHTTP(proxy.Host))}, th, nil)
		s := standalone(c, newTagsScreen(repo, ""))
		s.SetSize(120, 40)
		for _, msg := range runBatch(s.Init()) {
			if r, ok := msg.(reply); ok && r.req.job == jobPage {
				s.Update(r)
			}
		}
		if !strings.Contains(s.View(), "7.6.1810") {
			b.Fatal("no data on the first screen")
		}
	}
}

// runBatch runs a command's batch concurrently, as Bubble Tea does, and
// returns the messages that are not animation ticks.
func runBatch(cmd tea.Cmd) []tea.Msg {
	msg := cmd()
	b, ok := msg.(tea.BatchMsg)
	if !ok {
		return []tea.Msg{msg}
	}
	var out []tea.Msg
	ch := make(chan tea.Msg, len(b))
	n := 0
	for _, c := range b {
		if c == nil {
			continue
		}
		n++
		go func() { ch <- c() }()
	}
	for range n {
		if m := <-ch; m != nil {
			if _, tick := m.(spinner.TickMsg); !tick {
				out = append(out, m)
			}
		}
	}
	return out
}

// BenchmarkTags100kMemory reports the heap a tags screen holding 100,000
// tags needs (target: under 150 MB).
func BenchmarkTags100kMemory(b *testing.B) {
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		s := bigTags(b, 100000)
		_ = s.View()
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-heap")
		runtime.KeepAlive(s)
	}
}

// The same at a million tags (targets: a keystroke under 50 ms, the
// version sort under 500 ms, under 300 MB).
func BenchmarkTagsFilterKeystroke1M(b *testing.B) {
	s := bigTags(b, 1_000_000)
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

func BenchmarkTagsVersionSort1M(b *testing.B) {
	s := bigTags(b, 1_000_000)
	b.ResetTimer()
	for b.Loop() {
		s.list.version = !s.list.version
		s.list.rebuild(false)
	}
}

func BenchmarkTags1MMemory(b *testing.B) {
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		s := bigTags(b, 1_000_000)
		_ = s.View()
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-heap")
		runtime.KeepAlive(s)
	}
}
