package ui

import (
	"slices"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/themes"
)

// hexDump writes what hexdump -C writes; tabs expand to columns of eight.
func TestHexDumpAndTabs(t *testing.T) {
	got := hexDump([]byte("\x7fELF\x02\x01\x01\x00hello, world!\n\x1b[31m"))
	want := []string{
		"00000000  7f 45 4c 46 02 01 01 00  68 65 6c 6c 6f 2c 20 77  |.ELF....hello, w|",
		"00000010  6f 72 6c 64 21 0a 1b 5b  33 31 6d                 |orld!..[31m|",
	}
	if !slices.Equal(got, want) {
		t.Errorf("hexDump:\n%q\nwant\n%q", got, want)
	}
	for in, want := range map[string]string{"a\tb": "a       b", "\tx": "        x", "abcdefgh\ti": "abcdefgh        i", "plain": "plain"} {
		if got := expandTabs(in); got != want {
			t.Errorf("expandTabs(%q) = %q, want %q", in, got, want)
		}
	}
}

// enter on a file of a diff's Files pane compares it as diff -u does.
func TestDiffFilesPaneComparesAFile(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "platypus/webapp:1.0"), "linux/amd64")
	h.keys("M", "down", "=", "f", "down", "enter")
	if _, ok := h.top().(*fileDiffScreen); !ok {
		t.Fatalf("enter opened %T", h.top())
	}
	wantIn(t, h.view(), "--- A webapp:1.0 linux/amd64 /bin/busybox", "+++ B webapp:1.0 linux/arm64 /bin/busybox",
		"@@ -1 +1 @@", "-busybox for linux/amd64", "+busybox for linux/arm64")
}

// What the file diff says of binary files, equal texts and a file on
// one side only.
func TestDiffFiles(t *testing.T) {
	th, err := themes.Load("mono")
	if err != nil {
		t.Fatal(err)
	}
	st := newStyles(th, true)
	if r := diffFiles(st, [2][]byte{[]byte("a\x00b"), []byte("a")}); !r.binary {
		t.Error("a NUL byte is a binary file")
	}
	if r := diffFiles(st, [2][]byte{[]byte("same\n"), []byte("same\n")}); !r.same || len(r.lines) != 0 {
		t.Errorf("equal texts: %+v", r)
	}
	r := diffFiles(st, [2][]byte{nil, []byte("new\n\x1b[2J\n")})
	if len(r.lines) != 3 || r.lines[0] != "@@ -0,0 +1,2 @@" || r.lines[1] != "+new" || r.lines[2] != `+\u001b[2J` {
		t.Errorf("an added file: %q", r.lines)
	}
}

// A file of the same sum on both sides (the diff lists it when only its
// mode changed) is said to be the same without a layer read again.
func TestDiffOfTheSameFileReadsNothing(t *testing.T) {
	h := openMemImage(t)
	img := &registry.Image{Ref: memLoc(t, "library/centos:7").Ref, Manifest: &model.Manifest{Kind: model.KindImage, Layers: []model.Descriptor{{Size: 10}}}}
	a := fstree.Entry{Path: "etc/x", Type: fstree.File, Size: 3, Mode: 0o644, Digest: fstree.Sum{7}}
	b := a
	b.Mode = 0o755
	h.holdJob(jobFile)
	h.send(pushMsg{make: newFileDiffScreen("etc/x", [2]fileSide{{label: "A", img: img, entry: &a}, {label: "B", img: img, entry: &b}})})
	if _, ok := h.top().(*fileDiffScreen); !ok {
		t.Fatalf("opened %T", h.top())
	}
	if held := len(h.d.Held()); held != 0 {
		t.Errorf("%d file reads for files of the same sum", held)
	}
	wantIn(t, h.view(), "/etc/x", "the same bytes (by their sums: nothing read); the mode differs")
}
