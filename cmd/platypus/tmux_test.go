package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTmuxWalk drives the real binary in tmux like a person: repositories →
// library/centos → 7 → the arm64 entry → its layers, reading the screen at
// each step.
func TestTmuxWalk(t *testing.T) {
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
	sock := filepath.Join(t.TempDir(), "tmux.sock")
	tmux := func(args ...string) string {
		out, err := exec.Command("tmux", append([]string{"-S", sock}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	env := "env XDG_STATE_HOME=" + t.TempDir() + " PLATYPUS_THEME=dark "
	tmux("new-session", "-d", "-x", "120", "-y", "36", env+bin+" --demo --platform linux/arm64/v8")
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", sock, "kill-server").Run() })

	// waitFor polls the screen until it shows want.
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
