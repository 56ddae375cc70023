//go:build unix

package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// SIGHUP (the terminal closed) and SIGTERM stop `platypus --demo` and
// `platypus demo serve` with nothing left in the temporary directory
// (issue 22: SIGHUP killed them outright and /tmp/platypus-demo-* stayed);
// a second signal, which exits at once, too. The real binary, signalled.
func TestSignalsLeaveNoDemoDirectory(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "platypus")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	start := func(t *testing.T, args ...string) (*exec.Cmd, string) {
		t.Helper()
		tmp, home := t.TempDir(), t.TempDir()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "TERM=xterm-256color", "HOME="+home,
			"XDG_STATE_HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_CACHE_HOME="+home)
		return cmd, tmp
	}
	// stopped sends sig, and again every 50 ms when again is set (the
	// kernel merges a signal sent before the first is taken), then waits
	// for cmd to exit and checks that tmp is empty.
	stopped := func(t *testing.T, cmd *exec.Cmd, tmp string, sig syscall.Signal, again bool) {
		t.Helper()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		var tick <-chan time.Time
		if again {
			tk := time.NewTicker(50 * time.Millisecond)
			defer tk.Stop()
			tick = tk.C
		}
		for waiting := true; waiting; {
			select {
			case <-done:
				waiting = false
			case <-tick:
				_ = cmd.Process.Signal(sig)
			case <-time.After(60 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatalf("still running a minute after %v", sig)
			}
		}
		if left, _ := os.ReadDir(tmp); len(left) != 0 {
			t.Errorf("after %v the temporary directory holds %v", sig, left)
		}
	}
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM} {
		t.Run("--demo "+sig.String(), func(t *testing.T) {
			cmd, tmp := start(t, "--demo")
			f, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 100, Rows: 30})
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = f.Close() }()
			readUntil(t, f, "yorek/multiarch-hello-world")
			stopped(t, cmd, tmp, sig, false)
		})
		t.Run("demo serve "+sig.String(), func(t *testing.T) {
			cmd, tmp := start(t, "demo", "serve", "--addr", freeAddr(t), "--bench-repos", "3")
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if line, _ := bufio.NewReader(out).ReadString('\n'); !strings.HasPrefix(line, "demo registry serving") {
				t.Fatalf("demo serve said %q", line)
			}
			if seeded, _ := os.ReadDir(tmp); len(seeded) != 1 {
				t.Fatalf("the seeded directory is not in TMPDIR: %v", seeded)
			}
			stopped(t, cmd, tmp, sig, false)
		})
	}
	// Under nohup SIGHUP stays ignored: catching it would stop platypus.
	t.Run("nohup demo serve SIGHUP", func(t *testing.T) {
		cmd, tmp := start(t, "demo", "serve", "--addr", freeAddr(t), "--bench-repos", "3")
		cmd.Args = append([]string{"sh", "-c", `trap "" HUP; exec "$0" "$@"`}, cmd.Args...)
		cmd.Path = "/bin/sh"
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if line, _ := bufio.NewReader(out).ReadString('\n'); !strings.HasPrefix(line, "demo registry serving") {
			t.Fatalf("demo serve said %q", line)
		}
		// Linux says how a process takes each signal: SIGHUP (bit 0)
		// must still be ignored, not caught.
		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
		if err != nil {
			t.Skipf("no /proc: %v", err)
		}
		if ign, cgt := sigMask(t, status, "SigIgn"), sigMask(t, status, "SigCgt"); ign&1 == 0 || cgt&1 != 0 {
			t.Errorf("under nohup SIGHUP is caught (SigIgn %x, SigCgt %x)", ign, cgt)
		}
		stopped(t, cmd, tmp, syscall.SIGTERM, false)
	})
	// Again and again while a long seed is written: the second stops it at
	// once.
	t.Run("demo serve seeding, SIGTERM twice", func(t *testing.T) {
		cmd, tmp := start(t, "demo", "serve", "--addr", freeAddr(t), "--bench-tags", "3000000")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			if seeded, _ := os.ReadDir(tmp); len(seeded) == 1 {
				break
			}
			if time.Now().After(deadline) {
				_ = cmd.Process.Kill()
				t.Fatal("demo serve never made its directory")
			}
		}
		stopped(t, cmd, tmp, syscall.SIGTERM, true)
	})
}

// sigMask is the hexadecimal signal mask of the /proc status field.
func sigMask(t *testing.T, status []byte, field string) uint64 {
	t.Helper()
	for _, l := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			n, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no %s in /proc status", field)
	return 0
}

// readUntil reads what f shows until want appears (escape sequences
// taken out), answering the terminal queries as waitForScreen does.
func readUntil(t *testing.T, f *os.File, want string) {
	t.Helper()
	var seen []byte
	buf := make([]byte, 64<<10)
	for !bytes.Contains(ansiSeq.ReplaceAll(seen, nil), []byte(want)) {
		n, err := f.Read(buf)
		if err != nil {
			t.Fatalf("screen never showed %q: %v\n%q", want, err, seen)
		}
		if bytes.Contains(buf[:n], []byte("\x1b]11;?")) {
			_, _ = f.WriteString("\x1b]11;rgb:0000/0000/0000\x1b\\")
		}
		if bytes.Contains(buf[:n], []byte("\x1b[6n")) {
			_, _ = f.WriteString("\x1b[1;1R")
		}
		seen = append(seen, buf[:n]...)
	}
}
