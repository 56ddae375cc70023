package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The explorer's --policy is read as check reads it: a mistake in it, or
// a file that is not there, is a usage error before anything starts.
func TestExplorerPolicyErrors(t *testing.T) {
	isolate(t)
	_, stderr, code := cli(t, "", "--demo", "library/centos:7", "--policy", writePolicy(t, "platforms: {requir: [linux/amd64]}\n"))
	if code != exitUsage || !strings.Contains(stderr, "platforms.requir: unknown key (did you mean require?)") {
		t.Errorf("bad policy: exit %d %s", code, stderr)
	}
	_, stderr, code = cli(t, "", "--demo", "library/centos:7", "--policy", filepath.Join(t.TempDir(), "absent.yaml"))
	if code != exitUsage || !strings.Contains(stderr, "absent.yaml") {
		t.Errorf("missing policy: exit %d %s", code, stderr)
	}
	_, stderr, code = cli(t, "", "--demo", "library/centos:7", "--policy", writePolicy(t, "platforms: {require: [linux/riscv64]}\n"))
	if code != exitOK {
		t.Errorf("a good policy: exit %d %s", code, stderr)
	}
	// The check command's own --policy is not the explorer's.
	if _, stderr, code := cli(t, "", "--demo", "tags", "library/centos", "--policy", "x"); code != exitUsage || !strings.Contains(stderr, "unknown flag: --policy") {
		t.Errorf("tags --policy: exit %d %s", code, stderr)
	}
}

// TestTmuxCheck drives the real binary: the explorer's --policy reaches
// the index screen's check, F lists the findings, enter on one goes to
// the image it is about.
func TestTmuxCheck(t *testing.T) {
	policy := filepath.Join(t.TempDir(), "release.yaml")
	if err := os.WriteFile(policy, []byte("platforms: {require: [linux/amd64, linux/riscv64]}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := startTmux(t, "120", "36", "dark", "--demo --policy "+policy+" platypus/webapp:1.1-rc1")
	waitFor, press := p.waitFor, p.press
	// The built-in rules' 4 errors and the policy's missing linux/riscv64.
	waitFor("✗ check failed: 5 errors, 5 warnings · F lists them")
	press("F")
	screen := waitFor("missing-platform")
	if !strings.Contains(screen, "webapp › 1.1-rc1 › check") {
		t.Errorf("breadcrumb:\n%s", screen)
	}
	press("j", "j", "Enter") // index, missing-platform (linux/riscv64), then linux/arm64's platform-mismatch
	screen = waitFor("[Layers]")
	if !strings.Contains(screen, "1.1-rc1 › check › linux/arm64") || !strings.Contains(screen, "platform     linux/amd64") {
		t.Errorf("enter on platform-mismatch should show the arm64 entry's image, built for amd64:\n%s", screen)
	}
	press("q")
}
