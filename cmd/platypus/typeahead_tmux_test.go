package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTmuxTypeAhead types j j enter the moment `platypus --demo` starts,
// as a person who knows the list would: the keys wait for the demo
// registry and its repositories, and open the third one (they were lost:
// typed while the demo started, before the explorer had the terminal).
func TestTmuxTypeAhead(t *testing.T) {
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
	home := t.TempDir()
	env := "env HOME=" + home + " XDG_STATE_HOME=" + home + " XDG_CONFIG_HOME=" + home + " XDG_CACHE_HOME=" + home + " PLATYPUS_THEME=mono "
	tmux("new-session", "-d", "-x", "80", "-y", "24", env+bin+" --demo; sleep 30")
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", sock, "kill-server").Run() })
	tmux("send-keys", "j", "j", "Enter")
	deadline := time.Now().Add(20 * time.Second)
	for {
		screen := tmux("capture-pane", "-p")
		if strings.Contains(screen, "› library/hello-world") && strings.Contains(screen, "nanoserver") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("j j enter typed at start did not open library/hello-world:\n%s", screen)
		}
		time.Sleep(100 * time.Millisecond)
	}
	tmux("send-keys", "q")
}
