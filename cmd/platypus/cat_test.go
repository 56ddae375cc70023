package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// cat writes a file's bytes as a container reads them: through links,
// the top layer's version; --layer N writes that layer's own version.
func TestCat(t *testing.T) {
	out, stderr, code := cli(t, "", "--demo", "cat", "platypus/webapp:1.0", "/etc/alpine-release", "--platform", "linux/arm64")
	if code != 0 || out != "3.20.0\n" {
		t.Errorf("alpine-release: exit %d %q %s", code, out, stderr)
	}
	if out, _, code := cli(t, "", "--demo", "cat", "platypus/webapp:1.0", "/bin/sh"); code != 0 || !strings.HasPrefix(out, "busybox") {
		t.Errorf("through a link: exit %d %q", code, out)
	}
	sum := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
	top, _, _ := cli(t, "", "--demo", "cat", "platypus/webapp:1.0", "usr/share/platypus-demo/filler.bin")
	base, _, code := cli(t, "", "--demo", "cat", "platypus/webapp:1.0", "usr/share/platypus-demo/filler.bin", "--layer", "0")
	if code != 0 || len(top) != 5000 || len(base) != 30000 || sum(top) == sum(base) {
		t.Errorf("the merged file has %d bytes, layer 0's %d (exit %d)", len(top), len(base), code)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"/etc"}, exitFailure, "etc: is a directory: platypus files platypus/webapp:1.0 lists"},
		{[]string{"/nothing/here"}, exitFailure, "nothing: no such file or directory"},
		{[]string{"/bin/sh", "--layer", "0"}, exitFailure, "layer 0 holds a symlink"},
		{[]string{"/etc/alpine-release", "--layer", "7"}, exitUsage, "layers 0 to 2"},
		{[]string{"/etc/alpine-release", "--layer", "-1"}, exitUsage, "layers count from 0"},
		{[]string{}, exitUsage, "a reference and a path"},
	} {
		args := append([]string{"--demo", "cat", "platypus/webapp:1.0"}, c.args...)
		if _, stderr, code := cli(t, "", args...); code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", c.args, code, stderr, c.code, c.want)
		}
	}
}

// To a terminal, a text file's controls are escaped and a binary file is
// refused; to a file or a pipe, the bytes go as they are.
func TestCatToATerminal(t *testing.T) {
	content := func(s string) *registry.Content {
		return &registry.Content{Entry: fstree.Entry{Path: "etc/motd", Size: int64(len(s))}, Head: []byte(s)}
	}
	hostile := "hello\x1b]52;c;cm0gLXJmIH4=\x07\tworld\u202e\n"
	var b strings.Builder
	if err := writeContent(&b, true, content(hostile)); err != nil || strings.ContainsAny(b.String(), "\x1b\x07\u202e") || !strings.Contains(b.String(), "\tworld") {
		t.Errorf("to a terminal: %q %v", b.String(), err)
	}
	b.Reset()
	if err := writeContent(&b, false, content(hostile)); err != nil || b.String() != hostile {
		t.Errorf("to a pipe: %q %v", b.String(), err)
	}
	b.Reset()
	if err := writeContent(&b, true, content("\x7fELF\x00\x01")); err == nil || !strings.Contains(err.Error(), "binary file") || b.Len() != 0 {
		t.Errorf("a binary file to a terminal: %q %v", b.String(), err)
	}
	// Escaped block by block, a character cut between two reads stays one.
	text := strings.Repeat("日本\x1b[2Jé\u202e\xff,", 5000)
	for name, r := range map[string]io.Reader{"one byte": iotest.OneByteReader(strings.NewReader(text)), "half": iotest.HalfReader(strings.NewReader(text)), "whole": strings.NewReader(text)} {
		b.Reset()
		if err := escapeTo(&b, r); err != nil || b.String() != model.EscapeControls(text) {
			t.Errorf("%s: %d bytes out, %v", name, b.Len(), err)
		}
	}
}

// diff --file compares one file of two images as diff -u does: a text's
// hunks, the same bytes, binary files, a file on one side only.
func TestDiffFile(t *testing.T) {
	out, stderr, code := cli(t, "", "--demo", "diff", "library/mysql:5.7", "library/mysql:8", "--platform", "linux/amd64",
		"--file", "/usr/sbin/mysqld", "--file", "etc/passwd", "--file", "usr/share/platypus-demo/filler.bin")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"--- A /usr/sbin/mysqld (layer 2, 31B)\n+++ B /usr/sbin/mysqld (layer 2, 31B)\n@@ -1 +1 @@\n-mysqld 5.7.44-1.el7 linux/amd64\n+mysqld 8.0.36-1.el8 linux/amd64\n",
		"+++ B /etc/passwd (layer 1, 74B)\nthe same bytes\n", "filler.bin (layer 2, 60.0kB)\nbinary files that differ\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	out, _, code = cli(t, "", "--demo", "diff", "platypus/webapp:1.0", "library/mysql:8", "--platform", "linux/amd64",
		"--file", "/etc/alpine-release", "-o", "json")
	var rep struct {
		FileDiffs []struct {
			Path  string
			A, B  *struct{ Path string }
			Hunks []struct {
				Header string
				Lines  []string
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 || len(rep.FileDiffs) != 1 {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	fd := rep.FileDiffs[0]
	if fd.Path != "etc/alpine-release" || fd.A == nil || fd.B != nil || len(fd.Hunks) != 1 || fd.Hunks[0].Header != "@@ -1 +0,0 @@" || fd.Hunks[0].Lines[0] != "-3.20.0" {
		t.Errorf("a file only in A: %+v", fd)
	}
	if _, stderr, code := cli(t, "", "--demo", "diff", "library/mysql:5.7", "library/mysql:8", "--platform", "linux/amd64", "--file", "/nope"); code != exitFailure || !strings.Contains(stderr, "in neither image") {
		t.Errorf("a file in neither: exit %d %s", code, stderr)
	}
}

// A file whose sums are the same on both sides is the same bytes: diff
// --file reads no layer again for it; one that differs is read on each.
func TestDiffFileReadsOnlyWhatDiffers(t *testing.T) {
	srv := startDemoServer(t)
	p := regtest.NewFaultProxy(t, srv.Host)
	gets := p.Count(regtest.BlobGets)
	a, b := p.Host+"/library/mysql:5.7", p.Host+"/library/mysql:8"
	blobs := func(args ...string) int64 {
		t.Helper()
		before := gets.Load()
		if _, stderr, code := cli(t, "", append([]string{"diff", a, b, "--platform", "linux/amd64"}, args...)...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		return gets.Load() - before
	}
	listing := blobs("--files")
	if same := blobs("--file", "/etc/passwd"); same != listing {
		t.Errorf("the same file: %d blob requests, the listing alone %d", same, listing)
	}
	if differs := blobs("--file", "/usr/sbin/mysqld"); differs != listing+2 {
		t.Errorf("a file that differs: %d blob requests, want the listing's %d and one layer each", differs, listing)
	}
}

// An image whose config names no platform (crane append onto no base
// writes "os": "" and "architecture": "") is still named in cat's errors
// without a gap where the platform would be.
func TestCatErrorOfAnImageWithoutPlatform(t *testing.T) {
	srv := startDemoServer(t)
	layer := regtest.Tar(t, regtest.TarItem{Name: "etc/"}, regtest.TarItem{Name: "etc/real.txt", Body: "hello\n"})
	l := regtest.PushBlob(t, srv.Host, "walk/noplat", "application/vnd.oci.image.layer.v1.tar", layer)
	cfg, _ := json.Marshal(map[string]any{"architecture": "", "os": "", "rootfs": map[string]any{"type": "layers", "diff_ids": []string{model.DigestOf(layer)}}})
	config := regtest.PushBlob(t, srv.Host, "walk/noplat", "application/vnd.oci.image.config.v1+json", cfg)
	regtest.PushImage(t, srv.Host, "walk/noplat", "1", config, l)
	ref := srv.Host + "/walk/noplat:1"
	if out, stderr, code := cli(t, "", "cat", ref, "etc/real.txt"); code != 0 || out != "hello\n" {
		t.Fatalf("exit %d %q %s", code, out, stderr)
	}
	_, stderr, code := cli(t, "", "cat", ref, "nope")
	if want := "nope in the image of " + ref + ": "; code != exitFailure || !strings.Contains(stderr, want) {
		t.Errorf("exit %d %q, want %q", code, stderr, want)
	}
}
