package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/platypus-tui/platypus/model"
)

// Goldens of every screen against the demo registry, 110×32, without
// colour; refresh with `go test ./ui -update` and read the diff.

func requireView(t *testing.T, h *harness) {
	t.Helper()
	requireFits(t, h.app.View().Content, harnessWidth, harnessHeight)
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

// screens are the states every golden and fit check is taken of. loc "-"
// is the start screen, "" the demo registry's repositories.
var screens = []struct {
	name, loc, target string
	keys              []string
	prep              func(h *harness)
}{
	{name: "Start", loc: "-", target: "linux/amd64"},
	{name: "Repositories", target: "linux/amd64"},
	{name: "NoCatalog", loc: "docker.io/", target: "linux/amd64"},
	{name: "Tags", loc: "library/mysql", target: "linux/amd64", keys: []string{"s"}}, // natural version order
	{name: "IndexHostMatch", loc: "library/centos:7", target: "linux/arm64/v8"},
	{name: "IndexAttestations", loc: "platypus/webapp:1.0", target: "linux/arm64"},
	{name: "Image", loc: "library/centos:7", target: "linux/amd64", keys: []string{"j", "j", "enter"}},
	{name: "ImagePanes", loc: "library/mysql:8", target: "linux/amd64", keys: []string{"enter", "tab"}},
	{name: "ImageFiles", loc: "platypus/webapp:1.0", target: "linux/amd64", keys: []string{"enter", "f", "E"}},
	{name: "ImageLayerChanges", loc: "platypus/webapp:1.0", target: "linux/amd64", keys: []string{"enter", "f", "]", "]"}},
	{name: "DiffIndexes", loc: "library/mysql:8", target: "linux/amd64", keys: []string{"esc", "M", "up", "="}},
	{name: "DiffImageConfig", loc: "library/mysql", target: "linux/amd64", keys: []string{"M", "down", "down", "down", "M", "=", "enter"}},
	{name: "FileText", loc: "library/mysql:8", target: "linux/amd64", keys: []string{"enter", "f", "E", "down", "down", "enter"}},
	{name: "FileBinary", loc: "library/mysql:8", target: "linux/amd64", keys: []string{"enter", "f", "E", "G", "enter"}},
	{name: "DiffFile", loc: "platypus/webapp:1.0", target: "linux/amd64", keys: []string{"M", "down", "=", "f", "down", "enter"}},
	{name: "DiffImageFiles", loc: "platypus/webapp:1.0", target: "linux/amd64", keys: []string{"M", "down", "=", "f"}},
	{name: "Attestation", loc: "platypus/webapp:1.0", target: "linux/arm64", keys: []string{"down", "down", "down", "down", "enter"}},
	{name: "AttestationSBOM", loc: "platypus/webapp:1.0", target: "linux/arm64", keys: []string{"down", "down", "down", "down", "enter", "tab"}},
	{name: "RawJSON", loc: "artiomchi/helloworld:latest", target: "linux/amd64", keys: []string{"v"}},
	{name: "Referrers", loc: "platypus/charts:0.1.0", target: "linux/amd64", keys: []string{"R"}},
	{name: "Diagnosis", loc: "library/mysql:5.7", target: "linux/arm64/v8", keys: []string{"d"}},
	{name: "Picker", loc: "library/centos:7", target: "linux/amd64", keys: []string{"p"}, prep: func(h *harness) {
		// The host line depends on the machine; the rest must not.
		host := model.Target{Platform: model.Platform{OS: "linux", Architecture: "amd64", Variant: "v3"}, Source: model.SourceHost}
		h.app.overlay.(*picker).items[0] = pickItem{label: "this host" + noteOf(host), target: host}
	}},
	{name: "Help", loc: "library/centos:7", target: "linux/amd64", keys: []string{"?"}},
	{name: "ComposerEditing", loc: "library/centos:7", target: "linux/amd64", keys: []string{"c", "e"}},
	{name: "ComposerConfirming", loc: "library/centos:7", target: "linux/amd64", keys: []string{"c", "x", "P"}},
	{name: "ComposerPreview", loc: "library/centos:7", target: "linux/amd64", keys: []string{"c", "x", "v"}},
}

// TestGolden takes every screen at 110×32, then shrinks the terminal to
// 80×24 and 60×16 and checks nothing spills over an edge.
func TestGolden(t *testing.T) {
	for _, c := range screens {
		t.Run(c.name, func(t *testing.T) {
			var loc *model.Location
			switch c.loc {
			case "-":
			case "":
				loc = demoLoc(t, demoServer(t).Host)
			default:
				loc = demoLoc(t, c.loc)
			}
			h := newHarness(t, "mono", loc, c.target)
			h.c.State = openState(t, t.TempDir())
			h.keys(c.keys...)
			if c.prep != nil {
				c.prep(h)
			}
			requireView(t, h)
			for _, size := range [][2]int{{80, 24}, {60, 16}} {
				h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				requireFits(t, h.app.View().Content, size[0], size[1])
			}
		})
	}
}

// TestGoldenColour keeps one coloured golden: the dark theme on a dark
// background, as the View gives it (Bubble Tea downsamples it for the
// terminal).
func TestGoldenColour(t *testing.T) {
	h := newHarness(t, "dark", demoLoc(t, "library/centos:7"), "linux/arm64/v8")
	requireFits(t, h.app.View().Content, harnessWidth, harnessHeight)
	out := portRE.ReplaceAllString(h.app.View().Content, "127.0.0.1:PORT0")
	golden.RequireEqual(t, []byte(out))
}
