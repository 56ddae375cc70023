package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTmuxFleetWalk drives the real binary in tmux with a --targets file:
// the tags that fit every target are marked, the index has a column a
// target, and the diagnosis names the target that pulls nothing.
func TestTmuxFleetWalk(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux not found under CI=true: .ci/run installs it")
		}
		t.Skip("tmux not installed")
	}
	bin := filepath.Join(t.TempDir(), "platypus")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	targets := writeTargets(t, "- {name: graviton, platform: linux/arm64/v8, store: containerd}\n- {name: pc, platform: linux/amd64}\n")
	sock := filepath.Join(t.TempDir(), "tmux.sock")
	tmux := func(args ...string) string {
		out, err := exec.Command("tmux", append([]string{"-S", sock}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	home := t.TempDir()
	env := "env HOME=" + home + " XDG_CONFIG_HOME=" + home + " XDG_STATE_HOME=" + home + " XDG_CACHE_HOME=" + home + " PLATYPUS_THEME=mono "
	tmux("new-session", "-d", "-x", "120", "-y", "36", env+bin+" --demo library/mysql --targets "+targets)
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", sock, "kill-server").Run() })
	waitFor := func(want string) string {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			screen := tmux("capture-pane", "-p")
			if strings.Contains(screen, want) {
				return screen
			}
			if time.Now().After(deadline) {
				t.Fatalf("screen never showed %q:\n%s", want, screen)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	press := func(keys ...string) {
		for _, k := range keys {
			tmux("send-keys", k)
			time.Sleep(60 * time.Millisecond)
		}
	}

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
