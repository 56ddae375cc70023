//go:build unix

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// BenchmarkExecToFirstScreen measures what a person waits for: from exec of
// the real binary in a terminal to the tags of library/centos on screen,
// with 40 ms added to every request (target: one round trip + 50 ms).
func BenchmarkExecToFirstScreen(b *testing.B) {
	bin := buildBinary(b)
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	proxy := regtest.NewLatencyProxy(b, srv.Host, 40*time.Millisecond)
	env := append(os.Environ(), "TERM=xterm-256color", "XDG_STATE_HOME="+b.TempDir(), "XDG_CONFIG_HOME="+b.TempDir())
	for b.Loop() {
		cmd := exec.Command(bin, proxy.Host+"/library/centos")
		cmd.Env = env
		waitForScreen(b, cmd, "7.6.1810")
	}
}

// BenchmarkExecVersion is process start-up alone.
func BenchmarkExecVersion(b *testing.B) {
	bin := buildBinary(b)
	for b.Loop() {
		if out, err := exec.Command(bin, "--version").CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
	}
}

func buildBinary(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "platypus")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// waitForScreen starts cmd on a 120×40 pseudo-terminal, reads what it draws
// until want appears, then kills it. It answers the background-colour
// query as xterm does: a terminal that does not answer holds the first
// frame 200 ms (ui's bgWait); the cursor-position answer is for v1's
// termenv, which waited 5 s for it.
func waitForScreen(b *testing.B, cmd *exec.Cmd, want string) {
	b.Helper()
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 120, Rows: 40})
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = f.Close()
	}()
	var seen []byte
	buf := make([]byte, 64<<10)
	for !bytes.Contains(seen, []byte(want)) {
		n, err := f.Read(buf)
		if err != nil {
			b.Fatalf("screen never showed %q: %v\n%q", want, err, seen)
		}
		chunk := buf[:n]
		if bytes.Contains(chunk, []byte("\x1b]11;?")) {
			_, _ = f.WriteString("\x1b]11;rgb:0000/0000/0000\x1b\\")
		}
		if bytes.Contains(chunk, []byte("\x1b[6n")) {
			_, _ = f.WriteString("\x1b[1;1R")
		}
		seen = append(seen, chunk...)
	}
}
