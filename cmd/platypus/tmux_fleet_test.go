package main

import (
	"strings"
	"testing"
)

// TestTmuxFleetWalk drives the real binary in tmux with a --targets file:
// the tags that fit every target are marked, the index has a column a
// target, and the diagnosis names the target that pulls nothing.
func TestTmuxFleetWalk(t *testing.T) {
	targets := writeTargets(t, "- {name: graviton, platform: linux/arm64/v8, store: containerd}\n- {name: pc, platform: linux/amd64}\n")
	p := startTmux(t, "120", "36", "mono", "--demo library/mysql --targets "+targets)
	waitFor, press := p.waitFor, p.press

	screen := waitFor("✓ all")
	if !strings.Contains(screen, "FITS ALL") || !strings.Contains(screen, "2 targets: graviton, pc (targets)") {
		t.Errorf("tags screen:\n%s", screen)
	}
	press("Enter") // 5: amd64 only
	screen = waitFor("1 target of 2 pulls nothing: graviton")
	if !strings.Contains(screen, "graviton pc") {
		t.Errorf("no column a target:\n%s", screen)
	}
	press("d")
	waitFor("✗ graviton (linux/arm64/v8, containerd) pulls nothing")
	waitFor("fit all")
	press("q")
}
