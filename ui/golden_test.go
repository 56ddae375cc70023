package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"platypus/model"
)

// Goldens of every screen against the demo registry, 110×32, without
// colour; refresh with `go test ./ui -update` and read the diff.

func requireView(t *testing.T, h *harness) {
	t.Helper()
	requireFits(t, h.app.View(), harnessWidth, harnessHeight)
	golden.RequireEqual(t, []byte(h.view()))
}

// requireFits fails when a view is wider or taller than the terminal: the
// terminal would wrap it and the whole screen would scroll.
func requireFits(t *testing.T, view string, width, height int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > height {
		t.Errorf("view has %d lines on a %d-line terminal", len(lines), height)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > width {
			t.Errorf("line %d is %d wide on a %d-column terminal: %q", i+1, w, width, ansi.Strip(l))
		}
	}
}

// TestScreensFitSmallTerminals resizes every main screen down to 60×16 and
// checks nothing spills over an edge.
func TestScreensFitSmallTerminals(t *testing.T) {
	for _, c := range []struct {
		name, loc, target string
		keys              []string
	}{
		{"start", "-", "linux/amd64", nil},
		{"repositories", "", "linux/amd64", nil},
		{"tags", "library/mysql", "linux/amd64", nil},
		{"index", "library/centos:7", "linux/arm64/v8", nil},
		{"index with attestations", "platypus/webapp:1.0", "linux/arm64", nil},
		{"image", "library/mysql:8", "linux/amd64", []string{"enter"}},
		{"image panes", "library/mysql:8", "linux/amd64", []string{"enter", "tab"}},
		{"raw", "artiomchi/helloworld:latest", "linux/amd64", []string{"v"}},
		{"referrers", "platypus/charts:0.1.0", "linux/amd64", []string{"R"}},
		{"diagnosis", "library/mysql:5.7", "linux/arm64/v8", []string{"d"}},
		{"picker", "library/centos:7", "linux/amd64", []string{"p"}},
		{"help", "library/centos:7", "linux/amd64", []string{"?"}},
		{"composer", "library/centos:7", "linux/amd64", []string{"c"}},
		{"composer editing", "library/centos:7", "linux/amd64", []string{"c", "e"}},
		{"composer confirming", "library/centos:7", "linux/amd64", []string{"c", "x", "P"}},
		{"composer preview", "library/centos:7", "linux/amd64", []string{"c", "x", "v"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var loc *model.Location
			switch c.loc {
			case "-": // the start screen
			case "":
				loc = demoLoc(t, demoServer(t).Host)
			default:
				loc = demoLoc(t, c.loc)
			}
			h := newHarness(t, "dark", loc, c.target)
			h.keys(c.keys...)
			for _, size := range [][2]int{{80, 24}, {60, 16}} {
				h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				requireFits(t, h.app.View(), size[0], size[1])
			}
		})
	}
}

func TestGoldenRepositories(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, demoServer(t).Host), "linux/amd64")
	requireView(t, h)
}

func TestGoldenTags(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/mysql"), "linux/amd64")
	h.keys("s") // natural version order
	requireView(t, h)
}

func TestGoldenIndexHostMatch(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/centos:7"), "linux/arm64/v8")
	requireView(t, h)
}

func TestGoldenIndexAttestations(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "platypus/webapp:1.0"), "linux/arm64")
	requireView(t, h)
}

func TestGoldenImage(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/centos:7"), "linux/amd64")
	h.keys("j", "j", "enter")
	requireView(t, h)
}

func TestGoldenImagePanes(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/mysql:8"), "linux/amd64")
	h.keys("enter", "tab")
	requireView(t, h)
}

func TestGoldenRawJSON(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "artiomchi/helloworld:latest"), "linux/amd64")
	h.keys("v")
	requireView(t, h)
}

func TestGoldenReferrers(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "platypus/charts:0.1.0"), "linux/amd64")
	h.keys("R")
	requireView(t, h)
}

func TestGoldenDiagnosis(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/mysql:5.7"), "linux/arm64/v8")
	h.keys("d")
	requireView(t, h)
}

func TestGoldenPicker(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/centos:7"), "linux/amd64")
	h.keys("p")
	// The host line depends on the machine; the rest must not.
	h.app.overlay.(*picker).items[0].label = "this host (linux/amd64)"
	requireView(t, h)
}

func TestGoldenHelp(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/centos:7"), "linux/amd64")
	h.keys("?")
	requireView(t, h)
}

func TestGoldenStart(t *testing.T) {
	h := newHarness(t, "mono", nil, "linux/amd64")
	requireView(t, h)
}

func TestGoldenNoCatalog(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "docker.io/"), "linux/amd64")
	requireView(t, h)
}

// TestGoldenColour keeps one coloured golden: the dark theme on a
// true-colour terminal.
func TestGoldenColour(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	lipgloss.SetHasDarkBackground(true)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	h := newHarness(t, "dark", demoLoc(t, "library/centos:7"), "linux/arm64/v8")
	requireFits(t, h.app.View(), harnessWidth, harnessHeight)
	out := portRE.ReplaceAllString(h.app.View(), "127.0.0.1:PORT0")
	golden.RequireEqualEscape(t, []byte(out), true)
}
