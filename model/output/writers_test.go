package output

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
)

// WriteNames writes byte for byte what Write writes, name by name.
func TestWriteNamesMatchesWrite(t *testing.T) {
	for _, names := range [][]string{nil, {}, {"1.0"}, {"a", "b<c>&d", "e\"f", "g\\h", "\x1b[31mred", "bidi\u202e", "ü"}} {
		var want, got bytes.Buffer
		if err := Write(&want, Tags{Repository: "r/é<x>", Tags: nonNil(names)}); err != nil {
			t.Fatal(err)
		}
		if err := WriteNames(&got, "repository", "r/é<x>", "tags", names); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("names %q:\n got %s\nwant %s", names, got.String(), want.String())
		}
	}
}

// WriteFiles writes byte for byte what Write writes, file by file.
func TestWriteFilesMatchesWrite(t *testing.T) {
	layer := 1
	entries := []fstree.Entry{
		{Path: "etc/x<y>&z", Type: fstree.File, Size: 3, Mode: 0o644, Digest: fstree.Sum{1, 2}},
		{Path: "bin/\x1b[31mred\u202e", Type: fstree.Symlink, LinkTarget: "../\"q\"", Layer: 1},
		{Path: "usr", Type: fstree.Dir, Mode: 0o755},
		{Path: "usr/lib", Type: fstree.Dir, Mode: 0o755, Implied: true},
		{Path: "usr/bin/foo", TarPath: "bin/\x1b[31mfoo", Type: fstree.File, Mode: 0o755},
	}
	for _, n := range []int{0, 1, 3, 4, 5} {
		rep := Files{Reference: "r/é<x>:1", Digest: "sha256:00", Platform: "linux/amd64", Layers: []FilesLayer{{Index: 0, Digest: "sha256:11", CreatedBy: `RUN echo "files": []`}},
			Wasted: 12, Efficiency: 0.5}
		if n == 1 {
			rep.Layer = &layer
		}
		var files []fstree.Change
		want := rep
		want.Files = []File{}
		for _, e := range entries[:n] {
			files = append(files, fstree.Change{Entry: e, Change: "added"})
			want.Files = append(want.Files, FileOf(e, "added"))
		}
		var a, b bytes.Buffer
		if err := Write(&a, want); err != nil {
			t.Fatal(err)
		}
		if err := WriteFiles(&b, rep, func(yield func(fstree.Entry, string) bool) {
			for _, f := range files {
				if !yield(f.Entry, f.Change) {
					return
				}
			}
		}); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("%d files:\n got %s\nwant %s", n, b.String(), a.String())
		}
	}
}

// The same on random entries: names of every kind of character a tar can
// hold, every type, with and without digests and changes.
func TestWriteFilesRandomEntries(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"a", "Z", "/", ".", "-", " ", "\"", "\\", "<", ">", "&", "\x00", "\x1b", "\n", "\t", "\x7f", "é", "\u202e", "\u200b", "\u2028", "\xff", "\xc3", "日本"}
	name := func() string {
		var s string
		for range r.IntN(12) {
			s += pieces[r.IntN(len(pieces))]
		}
		return s
	}
	changes := []string{"", fstree.Added, fstree.Modified, fstree.Removed}
	rep := Files{Reference: "r:1", Digest: "sha256:00", Platform: "linux/amd64", Layers: []FilesLayer{{Index: 0}}}
	var entries []fstree.Entry
	var marks []string
	want := rep
	want.Files = []File{}
	for range 2000 {
		e := fstree.Entry{Path: name(), LinkTarget: name(), Size: r.Int64N(1 << 40), Mode: r.Uint32N(0o10000), Layer: r.Int32N(5), Type: fstree.Type(r.IntN(5)), Implied: r.IntN(4) == 0}
		if r.IntN(2) == 0 {
			e.Digest = fstree.Sum{byte(r.IntN(256)), 1}
		}
		if r.IntN(3) == 0 {
			e.TarPath = name()
		}
		c := changes[r.IntN(len(changes))]
		entries, marks = append(entries, e), append(marks, c)
		want.Files = append(want.Files, FileOf(e, c))
	}
	var a, b bytes.Buffer
	if err := Write(&a, want); err != nil {
		t.Fatal(err)
	}
	if err := WriteFiles(&b, rep, func(yield func(fstree.Entry, string) bool) {
		for i, e := range entries {
			if !yield(e, marks[i]) {
				return
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		al, bl := strings.Split(a.String(), "\n"), strings.Split(b.String(), "\n")
		for i := range min(len(al), len(bl)) {
			if al[i] != bl[i] {
				t.Fatalf("line %d:\n got %q\nwant %q", i+1, bl[i], al[i])
			}
		}
		t.Fatalf("%d lines, want %d", len(bl), len(al))
	}
}

// ScanWriter writes byte for byte what Write writes of the whole Scan:
// its head is formatted by hand.
func TestScanWriterMatchesWrite(t *testing.T) {
	sel := "sha256:01"
	fleet := model.Fleet{
		{Name: "a<b>\x1b[31m", Target: model.Target{Platform: model.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}}, Store: model.FleetDocker},
		{Name: "win", Target: model.Target{Platform: model.Platform{OS: "windows", Architecture: "amd64", OSVersion: "10.0.17763"}}, Store: model.FleetContainerd, Nodes: []string{"n1", "n\u202e2"}},
	}
	rows := []ScanTag{
		{Tag: "1.0", Digest: "sha256:00", Supported: true, Selected: &sel, Targets: []ScanTarget{{Name: "a", Selected: &sel, Supported: true}, {Name: "win"}}, FitsAll: false},
		{Tag: "bad\"tag", Error: "unauthorized <x>", Targets: []ScanTarget{}},
	}
	for n := range len(rows) + 1 {
		want := Scan{Repository: "r/é<x>", Platform: fleet[0].Target.Platform.Display(), Tags: nonNil(rows[:n])}
		for _, ft := range fleet {
			want.Targets = append(want.Targets, ScanFleetTarget{Name: ft.Name, Platform: targetPlatform(ft.Target.Platform), OSVersion: ft.Target.Platform.OSVersion, Store: string(ft.Store), Nodes: ft.Nodes})
		}
		var a, b bytes.Buffer
		if err := Write(&a, want); err != nil {
			t.Fatal(err)
		}
		w := NewScanWriter(&b)
		if err := w.Head(want.Repository, fleet); err != nil {
			t.Fatal(err)
		}
		for _, r := range rows[:n] {
			if err := w.Add(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.End(); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("%d tags:\n got %s\nwant %s", n, b.String(), a.String())
		}
	}
}
