package ui

import (
	"context"
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/themes"
)

// The dark theme's header and selection, on each background.
const (
	darkHeader, lightHeader       = "38;2;210;168;255", "38;2;130;80;223"
	darkSelection, lightSelection = "48;2;45;79;124", "48;2;221;244;255"
)

// askingDriver opens the dark theme on loc with the terminal to be asked
// its background, as Run does when no theme is named; the question
// (Bubble Tea's own message) and bgWait's tick are held.
func askingDriver(t *testing.T, loc string) (d *Driver, asked func() int) {
	t.Helper()
	th, _ := themes.Load("dark")
	srv := demoServer(t)
	o := Options{Client: registry.New(registry.WithPlainHTTP(srv.Host)), Location: demoLoc(t, loc),
		Target: model.FlagTarget(model.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}, model.SourceFlag)}
	d = &Driver{Timeout: 10 * time.Second}
	d.common = newCommon(o, th)
	d.common.askBackground = true
	d.common.Clipboard = func(string) tea.Cmd { return nil }
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	d.app = newApp(ctx, d.common, o.Target, firstScreens(o)...)
	question := func(m tea.Msg) bool { return fmt.Sprintf("%T", m) == "tea.backgroundColorMsg" }
	d.Hold(func(m tea.Msg) bool { _, wait := m.(bgWaitMsg); return wait || question(m) })
	if err := d.Send(tea.WindowSizeMsg{Width: harnessWidth, Height: harnessHeight}); err != nil {
		t.Fatal(err)
	}
	if err := d.Run(d.app.Init()); err != nil {
		t.Fatal(err)
	}
	return d, func() int {
		n := 0
		for _, m := range d.Held() {
			if question(m) {
				n++
			}
		}
		return n
	}
}

// The answer picks the colours of everything, what arrived before it too
// (the index's header is rendered once, when the index arrives).
func TestBackgroundAnswerPicksTheColours(t *testing.T) {
	d, asked := askingDriver(t, "library/centos:7")
	if n := asked(); n != 1 {
		t.Fatalf("asked the background %d times", n)
	}
	if v := d.View(); strings.TrimSpace(v) != "" {
		t.Fatalf("drawn before the background is known:\n%s", v)
	}
	if n := len(d.app.bgHeld); n == 0 {
		t.Fatal("the index arrived while the background was asked, and was not held")
	}
	if err := d.Send(tea.BackgroundColorMsg{Color: color.White}); err != nil {
		t.Fatal(err)
	}
	v := d.View()
	wantIn(t, v, lightHeader, lightSelection, "library/centos")
	wantOut(t, v, darkHeader, darkSelection)
	if err := d.Keys("r"); err != nil { // a screen made now is light too
		t.Fatal(err)
	}
	wantIn(t, d.View(), lightSelection)
	if n := asked(); n != 1 {
		t.Errorf("asked the background %d times", n)
	}
}

func TestBackgroundNotAnsweredDrawsAfterTheWait(t *testing.T) {
	d, _ := askingDriver(t, "library/centos:7")
	for i, m := range d.Held() {
		if _, ok := m.(bgWaitMsg); ok {
			if err := d.Deliver(i); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	v := d.View()
	wantIn(t, v, darkHeader, darkSelection, "library/centos")
	// An answer after the wait is not taken: the colours stay of a piece.
	if err := d.Send(tea.BackgroundColorMsg{Color: color.White}); err != nil {
		t.Fatal(err)
	}
	wantOut(t, d.View(), lightHeader, lightSelection)
}

// A screen made before the answer (the tags screen and its table are made
// at once) is drawn in the colours the answer picked.
func TestBackgroundAnswerRestylesScreensMadeBefore(t *testing.T) {
	d, _ := askingDriver(t, "library/centos")
	if err := d.Send(tea.BackgroundColorMsg{Color: color.White}); err != nil {
		t.Fatal(err)
	}
	wantIn(t, d.View(), lightSelection, "7.6.1810")
	wantOut(t, d.View(), darkSelection)
}

// An answer nobody asked for changes nothing.
func TestBackgroundUnaskedAnswerIgnored(t *testing.T) {
	h := newHarness(t, "dark", demoLoc(t, "library/centos:7"), "linux/arm64/v8")
	h.send(tea.BackgroundColorMsg{Color: color.White})
	wantIn(t, h.app.View().Content, darkHeader)
}

func TestNeedsBackground(t *testing.T) {
	load := func(n string) themes.Theme { th, _ := themes.Load(n); return th }
	none := func(string) string { return "" }
	named := func(k string) string {
		if k == "PLATYPUS_THEME" {
			return "dark"
		}
		return ""
	}
	for _, c := range []struct {
		name  string
		o     Options
		env   func(string) string
		theme themes.Theme
		want  bool
	}{
		{"default dark theme", Options{}, none, load("dark"), true},
		{"high-contrast from the default", Options{}, none, load("high-contrast"), true},
		{"--theme", Options{Theme: "dark"}, none, load("dark"), false},
		{"config", Options{ConfigTheme: "high-contrast"}, none, load("high-contrast"), false},
		{"$PLATYPUS_THEME", Options{}, named, load("dark"), false},
		{"mono (NO_COLOR)", Options{}, none, load("mono"), false},
		{"light: the same on both", Options{}, none, load("light"), false},
	} {
		if got := needsBackground(c.o, c.env, c.theme); got != c.want {
			t.Errorf("%s: asks %v, want %v", c.name, got, c.want)
		}
	}
}

func TestEnvDark(t *testing.T) {
	for v, want := range map[string]bool{
		"": true, "15;0": true, "0;15": false, "7;0": true, "0;7": false, "15;default;0": true,
		"0;default;15": false, "12;8": true, "default;default": true, "x": true, "1;99": true,
	} {
		if got := envDark(v); got != want {
			t.Errorf("COLORFGBG=%q: dark %v, want %v", v, got, want)
		}
	}
}
