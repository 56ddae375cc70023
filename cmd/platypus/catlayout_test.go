package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/registry/regtest"
)

// readBytes is what fileAt's --debug line says it read of the layer.
var readBytes = regexp.MustCompile(`read etc/motd ([^"]*)" bytes=(\d+)`)

// An OCI layout is read by range as a registry is: after a listing with
// --disk-cache, cat of a small file in the middle of a 6 MB layer reads
// its checkpoint's span off the disk (at most the checkpoints' spacing, 1
// MiB, and a DEFLATE block each side), not the layer up to the file.
func TestCatFromLayoutReadsTheSpan(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	srv := startDemoServer(t)
	data := bigLayer(t, 1, "welcome\n")
	pushLayers(t, srv.Host, "big/app:1", pushLayer(t, srv.Host, "big/app:1", regtest.MediaTypeLayerGzip, data, nil))
	ref := "ocidir://" + filepath.Join(t.TempDir(), "big") + ":1"
	if _, stderr, code := cli(t, "", "copy", srv.Host+"/big/app:1", ref, "--yes"); code != 0 {
		t.Fatalf("copy: %d %s", code, stderr)
	}
	if _, stderr, code := cli(t, "", "--disk-cache", "files", ref, "-o", "json"); code != 0 {
		t.Fatalf("files: %d %s", code, stderr)
	}
	out, stderr, code := cli(t, "", "--disk-cache", "--debug", "cat", ref, "/etc/motd")
	if code != 0 || out != "welcome\n" {
		t.Fatalf("cat: exit %d %q %s", code, out, stderr)
	}
	m := readBytes.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("cat --debug says nothing of how etc/motd was read:\n%s", stderr)
	}
	n, _ := strconv.ParseInt(m[2], 10, 64)
	if !strings.HasPrefix(m[1], "from checkpoint at") || n > 2<<20 {
		t.Errorf("cat from a layout read %d bytes of a %d-byte layer (%s)", n, len(data), m[1])
	}
}

// A layout blob that is not what its descriptor says, cut short or
// altered in place after the listing, is an error naming the layer, never
// other bytes: the span is checked against the file's size on disk and
// the file's bytes against the listing's sum, and the stream it falls back
// to against the layer's digest.
func TestCatFromDamagedLayout(t *testing.T) {
	srv := startDemoServer(t)
	data := bigLayer(t, 1, "welcome\n")
	layer := pushLayer(t, srv.Host, "big/app:1", regtest.MediaTypeLayerGzip, data, nil)
	pushLayers(t, srv.Host, "big/app:1", layer)
	algo, hex, _ := strings.Cut(layer.Digest, ":")
	for name, damage := range map[string]func([]byte) []byte{
		"truncated": func(b []byte) []byte { return b[:len(b)*3/4] },
		"altered": func(b []byte) []byte {
			for i := len(b) / 3; i < len(b)*2/3; i++ {
				b[i] ^= 0x5a
			}
			return b
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("XDG_CACHE_HOME", t.TempDir())
			dir := filepath.Join(t.TempDir(), "big")
			ref := "ocidir://" + dir + ":1"
			if _, stderr, code := cli(t, "", "copy", srv.Host+"/big/app:1", ref, "--yes"); code != 0 {
				t.Fatalf("copy: %d %s", code, stderr)
			}
			if _, stderr, code := cli(t, "", "--disk-cache", "files", ref, "-o", "json"); code != 0 {
				t.Fatalf("files: %d %s", code, stderr)
			}
			blob := filepath.Join(dir, "blobs", algo, hex)
			b, err := os.ReadFile(blob)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(blob, damage(b), 0o644); err != nil {
				t.Fatal(err)
			}
			out, stderr, code := cli(t, "", "--disk-cache", "cat", ref, "/etc/motd")
			if code == 0 || out != "" || !strings.Contains(stderr, layer.Digest[:19]) {
				t.Errorf("cat of a %s layer: exit %d, %q\n%s", name, code, out, stderr)
			}
		})
	}
}
