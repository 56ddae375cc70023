package ui

import (
	"reflect"
	"testing"

	"charm.land/lipgloss/v2"

	"github.com/platypus-tui/platypus/themes"
)

// The table draws its cells with Inline(true) (faster in Lip Gloss v2):
// for a cell, one line, every style of every theme must draw exactly as
// its full Render does, Lip Gloss itself the oracle. A style that gains
// padding, a border or a margin fails here.
func TestCellStylesInline(t *testing.T) {
	cells := []string{"", " ", "v1.2.3", "linux/arm64/v8 ", "  24.6kB ", "日本語 ", "a\tb", "…", "e\u0301"}
	for _, name := range themes.Names() {
		th, err := themes.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, dark := range []bool{true, false} {
			st := newStyles(th, dark)
			v := reflect.ValueOf(st)
			for i := range v.NumField() {
				style, ok := v.Field(i).Interface().(lipgloss.Style)
				if !ok {
					continue
				}
				for _, c := range cells {
					if got, want := style.Inline(true).Render(c), style.Render(c); got != want {
						t.Errorf("%s (dark %v) %s: inline %q, full %q", name, dark, v.Type().Field(i).Name, got, want)
					}
				}
			}
		}
	}
}
