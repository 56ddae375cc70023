package ui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry/demo"
)

// TestHostileRegistryNeverReachesTheTerminal opens every screen on an image
// whose every string carries escape sequences; the mono theme draws no
// escape of its own but bold (and an input's reverse-video cursor and grey
// placeholder), so any other control in a frame came from the registry.
func TestHostileRegistryNeverReachesTheTerminal(t *testing.T) {
	if ctx, bad := model.FirstControl(monoSGR.ReplaceAllString("\x1b[1mA\x1b[m \x1b[31mB", "")); !bad || ctx == "" {
		t.Fatal("monoSGR takes more than the mono theme's own sequences")
	}
	srv, err := demo.Start(demo.Options{Extra: demo.SeedHostile})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	loc, _ := model.ParseLocation(srv.Host+"/"+demo.HostileRepository+":1.0", "")
	h := newHarnessOn(t, srv, "mono", &loc, "linux/amd64")
	frames := map[string]string{}
	frame := func(name string) { frames[name] = monoSGR.ReplaceAllString(h.app.View().Content, "") }
	frame("index")
	h.keys("v")
	frame("raw index")
	h.keys("esc", "R")
	frame("referrers")
	h.keys("enter")
	frame("artifact")
	h.keys("esc", "esc", "enter")
	frame("image layers")
	for _, p := range []string{"files", "env", "labels", "annotations"} {
		h.keys("tab")
		if p == "files" {
			h.keys("E", "down", "down", "enter")
			frame("file")
			h.keys("esc")
		}
		frame("image " + p)
	}
	h.keys("G")
	frame("annotations end")
	h.keys("V")
	frame("raw config")
	h.keys("esc", "esc", "esc")
	frame("tags")
	h.keys("esc")
	frame("repositories")
	h.keys("d")
	for name, f := range frames {
		if ctx, bad := model.FirstControl(f); bad {
			t.Errorf("%s frame carries a raw control near %q", name, ctx)
		}
	}
	// The frames show the hostile text, escaped visibly, so the screens
	// were reached; keys that differ only in hidden characters are two.
	for name, want := range map[string]string{
		"image labels": `label\x1b[31mred`, "image files": `\x1b]52;c;cHduZWQ=\x07clip`, "image env": "A", "image layers": `clip RUN`, "raw config": `\u001b`,
		"referrers": "application/vnd.evil", "file": `\u001b`, "index": "evil/escape", "annotations end": `org.opencontainers.image.source\u2`,
	} {
		if !strings.Contains(ansi.Strip(frames[name]), want) {
			t.Errorf("%s frame lacks %q:\n%s", name, want, frames[name])
		}
	}
	if !strings.Contains(frames["annotations end"], "real/source") || !strings.Contains(frames["annotations end"], "evil/source") {
		t.Errorf("two keys that differ only in a hidden character must be two rows:\n%s", frames["annotations end"])
	}
}

// monoSGR are the only sequences the mono theme draws itself: bold, reverse
// video, the grey of a placeholder and the reset.
var monoSGR = regexp.MustCompile("\x1b\\[(1|7|38;5;240)?m")
