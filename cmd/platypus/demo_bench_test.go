//go:build unix

package main

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/creack/pty"
)

// BenchmarkDemoFirstFrame measures the README's first command as a person
// meets it: from exec of `platypus --demo` in a terminal to its first frame
// (the footer's "q quit" is the last line every frame draws; target 300 ms,
// issue 28) and to the demo's repositories listed (its last row). It
// reports the medians of the runs, in milliseconds; the machine's load is
// in `uptime`, to be noted beside them.
func BenchmarkDemoFirstFrame(b *testing.B) {
	bin := buildBinary(b)
	home := b.TempDir()
	env := append(os.Environ(), "TERM=xterm-256color", "HOME="+home, "XDG_STATE_HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_CACHE_HOME="+home)
	var first, listed []time.Duration
	for b.Loop() {
		cmd := exec.Command(bin, "--demo")
		cmd.Env = env
		at := timeScreens(b, cmd, "q quit", "yorek/multiarch-hello-world")
		first, listed = append(first, at[0]), append(listed, at[1])
	}
	b.ReportMetric(medianMs(first), "first-frame-ms")
	b.ReportMetric(medianMs(listed), "repos-ms")
}

// ansiSeq matches the escape sequences between the words of a frame.
var ansiSeq = regexp.MustCompile(`\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\))`)

func medianMs(d []time.Duration) float64 {
	slices.Sort(d)
	return float64(d[len(d)/2]) / float64(time.Millisecond)
}

// timeScreens starts cmd on a 120×40 pseudo-terminal and returns how long
// after its start each of wants first appeared in what it drew, in order;
// then it kills it. It answers the terminal queries as waitForScreen does.
func timeScreens(b *testing.B, cmd *exec.Cmd, wants ...string) []time.Duration {
	b.Helper()
	start := time.Now()
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
	var at []time.Duration
	buf := make([]byte, 64<<10)
	for len(at) < len(wants) {
		n, err := f.Read(buf)
		if err != nil {
			b.Fatalf("screen never showed %q: %v\n%q", wants[len(at)], err, seen)
		}
		chunk := buf[:n]
		if bytes.Contains(chunk, []byte("\x1b]11;?")) {
			_, _ = f.WriteString("\x1b]11;rgb:0000/0000/0000\x1b\\")
		}
		if bytes.Contains(chunk, []byte("\x1b[6n")) {
			_, _ = f.WriteString("\x1b[1;1R")
		}
		seen = append(seen, chunk...)
		text := ansiSeq.ReplaceAll(seen, nil)
		for len(at) < len(wants) && bytes.Contains(text, []byte(wants[len(at)])) {
			at = append(at, time.Since(start))
		}
	}
	return at
}
