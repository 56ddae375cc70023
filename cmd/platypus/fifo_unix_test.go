//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A config that is a device or a FIFO is refused at once, not read forever.
func TestConfigThatIsNotAFile(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/dev/zero", fifo} {
		_, stderr, code := cli(t, "", "--config", p, "tags", "x")
		if code != exitUsage || !strings.Contains(stderr, "not a regular file") {
			t.Errorf("%s: exit %d: %s", p, code, stderr)
		}
	}
}

// An OCI layout whose index.json is a FIFO is refused, not waited on.
func TestLayoutWithAFIFOIndex(t *testing.T) {
	dir := t.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "oci-layout"), []byte(`{"imageLayoutVersion":"1.0.0"}`), 0o600)
	if err := syscall.Mkfifo(filepath.Join(dir, "index.json"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"tags", "ocidir://" + dir}, {"inspect", "ocidir://" + dir + ":latest"}} {
		_, stderr, code := cli(t, "", args...)
		if code != exitFailure || !strings.Contains(stderr, "not a regular file") {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
		}
	}
}
