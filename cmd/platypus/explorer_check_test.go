package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
	home := t.TempDir()
	policy := filepath.Join(home, "release.yaml")
	if err := os.WriteFile(policy, []byte("platforms: {require: [linux/amd64, linux/riscv64]}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(t.TempDir(), "tmux.sock")
	tmux := func(args ...string) string {
		out, err := exec.Command("tmux", append([]string{"-S", sock}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	env := "env HOME=" + home + " XDG_CONFIG_HOME=" + home + "/config XDG_STATE_HOME=" + home + "/state XDG_CACHE_HOME=" + home + "/cache PLATYPUS_THEME=dark "
	tmux("new-session", "-d", "-x", "120", "-y", "36", env+bin+" --demo --policy "+policy+" platypus/webapp:1.1-rc1")
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
