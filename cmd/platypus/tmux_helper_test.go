package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tmuxPane is the real binary running in a tmux server of its own, with
// HOME and every XDG directory in a temporary one, read and typed into as
// a person would.
type tmuxPane struct {
	t    *testing.T
	sock string
}

// startTmux builds the binary and runs `platypus ARGS` in a cols×rows
// pane, theme as given (the colours do not matter to capture-pane).
func startTmux(t *testing.T, cols, rows, theme, args string) *tmuxPane {
	t.Helper()
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
	p := &tmuxPane{t: t, sock: filepath.Join(t.TempDir(), "tmux.sock")}
	home := t.TempDir()
	env := "env HOME=" + home + " XDG_CONFIG_HOME=" + home + "/config XDG_STATE_HOME=" + home + "/state" +
		" XDG_CACHE_HOME=" + home + "/cache PLATYPUS_THEME=" + theme + " "
	p.run("new-session", "-d", "-x", cols, "-y", rows, env+bin+" "+args)
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", p.sock, "kill-server").Run() })
	return p
}

func (p *tmuxPane) run(args ...string) string {
	p.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", p.sock}, args...)...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (p *tmuxPane) screen() string { return p.run("capture-pane", "-p") }

// waitFor polls the screen until it shows every one of want.
func (p *tmuxPane) waitFor(want ...string) string {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		screen := p.screen()
		shown := true
		for _, w := range want {
			shown = shown && strings.Contains(screen, w)
		}
		if shown {
			return screen
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("screen never showed %q:\n%s", want, screen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// press types keys one at a time, as fast as a quick typist.
func (p *tmuxPane) press(keys ...string) {
	p.t.Helper()
	for _, k := range keys {
		p.run("send-keys", k)
		time.Sleep(60 * time.Millisecond)
	}
}
