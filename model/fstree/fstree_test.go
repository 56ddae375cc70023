package fstree

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/registry/regtest"
)

// item is one entry of a test tar, as regtest.Tar reads it: a name ending
// in "/" is a directory, "->" a symlink, "=>" a hardlink, "|" a FIFO.
type item = regtest.TarItem

var tarOf = regtest.Tar

func layerOf(t testing.TB, index int, items ...item) Layer {
	t.Helper()
	l, err := Read(bytes.NewReader(tarOf(t, items...)), index, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func paths(es []Entry) string {
	var out []string
	for _, e := range es {
		s := e.Path
		switch e.Type {
		case Dir:
			s += "/"
		case Symlink:
			s += "->" + e.LinkTarget
		case Hardlink:
			s += "=>" + e.LinkTarget
		case Other:
			s += "|"
		default:
			s += fmt.Sprintf("@%d", e.Layer)
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func TestReadEveryKindAndName(t *testing.T) {
	long := strings.Repeat("d/", 60) + "file" // over tar's 100-byte name: PAX
	l := layerOf(t, 2,
		item{Name: "./etc/", Body: ""}, item{Name: "/etc/passwd", Body: "root"}, item{Name: "etc/link -> passwd", Body: ""}, item{Name: "etc/hard => etc/passwd", Body: ""},
		item{Name: "dev/fifo|", Body: ""}, item{Name: long, Body: "x"}, item{Name: "日本/ファイル", Body: "u"}, item{Name: "bad\x1b[31mname", Body: "c"}, item{Name: "../../escape", Body: "e"},
	)
	got := map[string]Record{}
	for _, r := range l.Records() {
		got[r.Path] = r
	}
	for p, want := range map[string]Type{
		"etc": Dir, "etc/passwd": File, "etc/link": Symlink, "etc/hard": Hardlink, "dev/fifo": Other,
		long: File, "日本/ファイル": File, "bad\x1b[31mname": File, "escape": File,
	} {
		if r, ok := got[p]; !ok || r.Type != want || r.Layer != 2 {
			t.Errorf("%q: %+v, want a %s", p, r, want)
		}
	}
	if r := got["etc/passwd"]; r.Size != 4 || r.Digest.String() != "sha256:4813494d137e1631bba301d5acab6e7bb7aa74ce1185d456565ef51d737677b2" {
		t.Errorf("passwd: %+v", r)
	}
	if got["etc/link"].LinkTarget != "passwd" || got["etc/hard"].LinkTarget != "etc/passwd" {
		t.Errorf("links: %+v %+v", got["etc/link"], got["etc/hard"])
	}
	if l.Uncompressed == 0 || l.Uncompressed%512 != 0 {
		t.Errorf("uncompressed size %d", l.Uncompressed)
	}
}

// The OCI rules, layer by layer.
func TestMergeAppliesWhiteoutsAndOpaqueDirectories(t *testing.T) {
	base := layerOf(t, 0,
		item{Name: "a/", Body: ""}, item{Name: "a/x", Body: "1"}, item{Name: "a/y", Body: "1"}, item{Name: "b/", Body: ""}, item{Name: "b/old", Body: "1"}, item{Name: "b/sub/", Body: ""}, item{Name: "b/sub/deep", Body: "1"},
		item{Name: "c", Body: "file"}, item{Name: "d/", Body: ""}, item{Name: "d/e", Body: "1"}, item{Name: "keep", Body: "1"},
	)
	upper := layerOf(t, 1,
		item{Name: "a/.wh.x", Body: ""},                                                                    // remove a/x
		item{Name: "b/", Body: ""}, item{Name: "b/.wh..wh..opq", Body: ""}, item{Name: "b/new", Body: "2"}, // hide b's old contents
		item{Name: "c/", Body: ""}, item{Name: "c/f", Body: "2"}, // a file becomes a directory
		item{Name: "d", Body: "now a file"},                             // a directory becomes a file: d/e goes
		item{Name: "same", Body: "2"}, item{Name: ".wh.same", Body: ""}, // a whiteout does not hide its own layer
	)
	top := layerOf(t, 2, item{Name: "a/x", Body: "back"})
	got := paths(Merge([]Layer{base, upper, top}))
	want := "a/ a/x@2 a/y@0 b/ b/new@1 c/ c/f@1 d@1 keep@0 same@1"
	if got != want {
		t.Errorf("merged:\n got %s\nwant %s", got, want)
	}
	changes := Changes([]Layer{base, upper, top}, 1)
	var line []string
	for _, c := range changes {
		line = append(line, c.Change[:1]+":"+c.Path)
	}
	wantChanges := "r:a/x m:b a:b/new r:b/old r:b/sub r:b/sub/deep m:c a:c/f m:d r:d/e a:same"
	if strings.Join(line, " ") != wantChanges {
		t.Errorf("changes of layer 1:\n got %s", strings.Join(line, " "))
	}
}

func TestEfficiencyCountsOverwrittenAndRemovedFiles(t *testing.T) {
	l0 := layerOf(t, 0, item{Name: "big", Body: strings.Repeat("x", 1000)}, item{Name: "cache", Body: strings.Repeat("c", 500)}, item{Name: "app", Body: "aa"})
	l1 := layerOf(t, 1, item{Name: "big", Body: strings.Repeat("y", 800)}, item{Name: ".wh.cache", Body: ""})
	layers := []Layer{l0, l1}
	w := Efficiency(layers)
	if w.Total != 2302 || w.Final != 802 || w.Wasted != 1500 || len(w.Worst) != 2 || w.Worst[0].Path != "big" || w.Worst[0].Wasted != 1000 {
		t.Errorf("waste %+v", w)
	}
	if w.Efficiency < 0.348 || w.Efficiency > 0.349 {
		t.Errorf("efficiency %f", w.Efficiency)
	}
}

func TestDiff(t *testing.T) {
	a := Merge([]Layer{layerOf(t, 0, item{Name: "same", Body: "1"}, item{Name: "gone", Body: "1"}, item{Name: "changed", Body: "1"}, item{Name: "link -> x", Body: ""}, item{Name: "d/", Body: ""})})
	b := Merge([]Layer{layerOf(t, 0, item{Name: "same", Body: "1"}, item{Name: "new", Body: "1"}, item{Name: "changed", Body: "2"}, item{Name: "link -> y", Body: ""}, item{Name: "d/", Body: ""})})
	d := Diff(a, b)
	if paths(d.Added) != "new@0" || paths(d.Removed) != "gone@0" || paths(d.Modified) != "changed@0 link->y" {
		t.Errorf("diff: +%s -%s ~%s", paths(d.Added), paths(d.Removed), paths(d.Modified))
	}
	if !Diff(a, a).Empty() {
		t.Error("a filesystem differs from itself")
	}
}

func TestLimitsStopALayer(t *testing.T) {
	many := make([]item, 20)
	for i := range many {
		many[i] = item{Name: fmt.Sprintf("f%d", i), Body: "x"}
	}
	for name, c := range map[string]struct {
		tar []byte
		l   Limits
	}{
		"entries":  {tarOf(t, many...), Limits{Bytes: 1 << 20, Entries: 10, PathLen: 100}},
		"bytes":    {tarOf(t, item{Name: "zeros", Body: strings.Repeat("\x00", 1<<20)}), Limits{Bytes: 64 << 10, Entries: 10, PathLen: 100}},
		"path len": {tarOf(t, item{Name: strings.Repeat("p", 200), Body: "x"}), Limits{Bytes: 1 << 20, Entries: 10, PathLen: 100}},
	} {
		if _, err := Read(bytes.NewReader(c.tar), 0, c.l); !errors.Is(err, ErrLimit) {
			t.Errorf("%s: %v", name, err)
		}
	}
	exact := tarOf(t, item{Name: "a", Body: "x"})
	if _, err := Read(bytes.NewReader(exact), 0, Limits{Bytes: int64(len(exact)), Entries: 10, PathLen: 100}); err != nil {
		t.Errorf("a layer exactly at the byte limit: %v", err)
	}
	truncated := tarOf(t, item{Name: "a", Body: strings.Repeat("x", 4000)})[:1500]
	if _, err := Read(bytes.NewReader(truncated), 0, DefaultLimits()); !errors.Is(err, ErrCorrupt) {
		t.Errorf("truncated: %v", err)
	}
}

// An empty layer (a tar of nothing, as ENV steps of some builders make)
// changes nothing, wherever it is.
func TestEmptyLayersMergeToNothing(t *testing.T) {
	for _, order := range [][]int{{0, 1}, {1, 0}, {1, 1}} {
		var layers []Layer
		for i, k := range order {
			if k == 0 {
				layers = append(layers, layerOf(t, i))
			} else {
				layers = append(layers, layerOf(t, i, item{Name: "a", Body: "x"}))
			}
		}
		want := "a@1"
		if order[1] == 0 {
			want = "a@0"
		}
		if got := paths(Merge(layers)); got != want {
			t.Errorf("%v: %s, want %s", order, got, want)
		}
	}
}
