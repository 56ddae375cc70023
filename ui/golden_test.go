package ui

import (
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"
)

// Goldens of every screen against the demo registry, 110×32, without
// colour; refresh with `go test ./ui -update` and read the diff.

func requireView(t *testing.T, h *harness) {
	t.Helper()
	golden.RequireEqual(t, []byte(h.view()))
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
	v := h.view()
	// The host line depends on the machine; the rest must not.
	h.app.overlay.(*picker).items[0].label = "this host (linux/amd64)"
	v = h.view()
	golden.RequireEqual(t, []byte(v))
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
	out := portRE.ReplaceAllString(h.app.View(), "127.0.0.1:PORT0")
	golden.RequireEqualEscape(t, []byte(out), true)
}
