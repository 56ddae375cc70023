package ui

import (
	"context"
	"fmt"
	"testing"

	"platypus/model"
	"platypus/registry"
	"platypus/themes"
)

// bigTags returns a tags screen holding n loaded tags, without a registry.
func bigTags(b *testing.B, n int) *TagsScreen {
	th, _ := themes.Load("dark")
	c := NewCommon(Options{Client: registry.New(), Target: model.FlagTarget(model.Platform{OS: "linux", Architecture: "amd64"}, model.SourceFlag)}, th, nil)
	s := NewTagsScreen(model.Reference{Registry: "r.example", Repository: "big"}, "")(context.Background(), c, 1).(*TagsScreen)
	page := registry.Page{}
	for i := range n {
		page.Items = append(page.Items, fmt.Sprintf("v%d.%d.%d-build%d", i/10000, (i/100)%100, i%100, i))
	}
	s.SetSize(120, 40)
	s.onPage(pageMsg{id: 1, seq: s.seq, page: page})
	s.complete = true
	return s
}

// BenchmarkTagsView100k measures one frame of the tags screen with 100,000
// tags: only the rows on screen are rendered.
func BenchmarkTagsView100k(b *testing.B) {
	s := bigTags(b, 100000)
	s.table.SetCursor(50000)
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
		s.version = !s.version
		s.rebuild()
	}
}
