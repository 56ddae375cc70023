package main

import (
	"strings"
	"testing"
)

// TestTmuxWalk drives the real binary in tmux like a person: repositories →
// library/centos → 7 → the arm64 entry → its layers, reading the screen at
// each step.
func TestTmuxWalk(t *testing.T) {
	p := startTmux(t, "120", "36", "dark", "--demo --platform linux/arm64/v8")
	waitFor, press := p.waitFor, p.press

	waitFor("library/centos")
	press("j", "Enter")
	waitFor("7.6.1810")
	press("j", "j", "Enter")
	screen := waitFor("docker pull selects linux/arm64/v8")
	if !strings.Contains(screen, "library/centos › 7") {
		t.Errorf("breadcrumb missing:\n%s", screen)
	}
	press("j", "j", "Enter")
	screen = waitFor("[Layers]")
	for _, want := range []string{"centos › 7 › linux/arm64/v8", "ADD file:", "CMD [\"/bin/bash\"]", "(empty)"} {
		if !strings.Contains(screen, want) {
			t.Errorf("layers screen lacks %q:\n%s", want, screen)
		}
	}
	press("q")
}
