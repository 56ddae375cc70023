package fstree

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// partials stands for a listing read in part: partial layers of whole
// ones, with the directories loaded so far.
type partials struct {
	t     *testing.T
	whole []Layer
	recs  [][]Record // the whole layers' records, made once
	dirs  map[string]bool
	loads int
	all   bool
	// whole, when set, are the layers left whole: partial and whole
	// layers mix in an image.
	wholeAt map[int]bool
}

func newPartials(t *testing.T, whole []Layer) *partials {
	p := &partials{t: t, whole: whole, dirs: map[string]bool{}}
	for _, l := range whole {
		p.recs = append(p.recs, l.Records())
	}
	return p
}

// layers are the whole layers made partial: their whiteouts, opaque
// markers and hard links, and the records of the directories loaded.
func (p *partials) layers() []Layer {
	p.t.Helper()
	out := make([]Layer, len(p.whole))
	for pos, l := range p.whole {
		if p.wholeAt[pos] {
			out[pos] = l
			continue
		}
		part, err := NewPartial(l, l.Dirs())
		if err != nil {
			p.t.Fatal(err)
		}
		for i, r := range p.recs[pos] {
			if dir, _ := splitPath(r.Path); l.Special(i) || p.dirs[dir] {
				if err := part.PutLanded(r); err != nil {
					p.t.Fatal(err)
				}
			}
		}
		for d := range p.dirs {
			part.MarkLoaded(d)
		}
		out[pos] = part
	}
	return out
}

func (p *partials) load(dirs []string) ([]Layer, error) {
	p.loads++
	if dirs == nil {
		p.all = true
		return p.whole, nil
	}
	for _, d := range dirs {
		if p.dirs[d] {
			p.t.Fatalf("%q asked for again", d)
		}
		p.dirs[d] = true
	}
	return p.layers(), nil
}

// A file deep in a layer of many directories is found reading the
// directories on its way and its link's target's, not the others.
func TestResolveLoadingReadsItsWay(t *testing.T) {
	items := []item{{Name: "usr/"}, {Name: "usr/share/"}}
	for d := range 50 {
		items = append(items, item{Name: "usr/share/d" + strconv.Itoa(d) + "/"})
		for f := range 20 {
			items = append(items, item{Name: "usr/share/d" + strconv.Itoa(d) + "/f" + strconv.Itoa(f), Body: "x"})
		}
	}
	items = append(items, item{Name: "lib -> usr/share/d7"}, item{Name: "usr/share/d9/h => usr/share/d3/f1"})
	layers := []Layer{layerOf(t, 0, items...), layerOf(t, 1, item{Name: "usr/share/d8/.wh.f2"}, item{Name: "etc/x", Body: "y"})}
	part := newPartials(t, layers)
	e, err := ResolveLoading(part.layers(), "/lib/f4", part.load)
	if err != nil || e.Path != "usr/share/d7/f4" {
		t.Fatalf("got %+v, %v", e, err)
	}
	got := slices.Sorted(maps.Keys(part.dirs))
	// The root, the way to d7 (through the link at the root), and the
	// way to the hard link's target, d3.
	want := []string{"", "usr/", "usr/share/", "usr/share/d3/", "usr/share/d7/"}
	if !slices.Equal(got, want) || part.all {
		t.Fatalf("loaded %q (all: %v), want %q", got, part.all, want)
	}
	if part.loads > 3 {
		t.Errorf("%d loads", part.loads)
	}
}

// A directory with no entry of its own is looked into a directory at a
// time; past maxLoads the layers are read whole.
func TestResolveLoadingImplied(t *testing.T) {
	var items []item
	for d := range 3 * maxLoads {
		items = append(items, item{Name: "a/d" + strconv.Itoa(d) + "/.wh.x"}, item{Name: "a/d" + strconv.Itoa(d) + "/y"})
	}
	hidden := []Layer{layerOf(t, 0, items...)}
	top := []item{{Name: "b/f", Body: "1"}}
	for d := range 3 * maxLoads {
		top = append(top, item{Name: "a/d" + strconv.Itoa(d) + "/.wh.y"})
	}
	layers := append(hidden, layerOf(t, 1, top...))
	part := newPartials(t, layers)
	if _, err := ResolveLoading(part.layers(), "a/d1/y", part.load); err == nil {
		t.Fatal("a whited-out path was found")
	}
	v := NewView(layers)
	for _, p := range []string{"a", "b/f", "a/d3"} {
		part := newPartials(t, layers)
		got, err := ResolveLoading(part.layers(), p, part.load)
		want, wantErr := v.Resolve(p)
		if got != want || errString(err) != errString(wantErr) {
			t.Errorf("%s: got %+v %v, want %+v %v", p, got, err, want, wantErr)
		}
	}
}

// A partial layer takes records only in the directories of its table.
func TestPartialTable(t *testing.T) {
	l := layerOf(t, 0, item{Name: "a/b", Body: "1"})
	for _, dirs := range [][]string{nil, {"a/"}, {"", "a"}, {"", "a/", "a/"}, {"", "/"}} {
		if _, err := NewPartial(l, dirs); err == nil {
			t.Errorf("%q taken as a table", dirs)
		}
	}
	part, err := NewPartial(l, l.Dirs())
	if err != nil {
		t.Fatal(err)
	}
	if err := part.PutLanded(Record{Entry: Entry{Path: "c/d", Type: File}}); err == nil {
		t.Error("a record of a directory not in the table was taken")
	}
	if part.Loaded("a/") || !part.Loaded("elsewhere/") || !part.Partial() {
		t.Error("loaded before MarkLoaded")
	}
	whole := layerOf(t, 0)
	if whole.Partial() || !slices.Equal(whole.Dirs(), []string{""}) || strings.Join(l.Dirs(), ",") != ",a/" {
		t.Errorf("dirs %q %q", whole.Dirs(), l.Dirs())
	}
	if err := whole.PutLanded(Record{Entry: Entry{Path: "x", Type: File}}); err == nil {
		t.Error("a whole layer took a landed record")
	}
}
