package fstree

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// mergedUsr is a merged-/usr base layer: bin -> usr/bin.
func mergedUsr(t *testing.T) Layer {
	return layerOf(t, 0, item{Name: "usr/"}, item{Name: "usr/bin/"}, item{Name: "usr/bin/ls", Body: "ls"}, item{Name: "bin -> usr/bin"})
}

// Within a layer, a record written through a link the layer made before
// lands where the link leads, as every applier puts it: relative,
// absolute, past the root (stopping there), through a chain of links.
// Its tar path is kept, for cat to find it in the layer's stream.
func TestLinkOfItsOwnLayerIsFollowed(t *testing.T) {
	for _, target := range []string{"usr/bin", "/usr/bin", "../../usr/bin", "./usr/../usr/bin", "b2"} {
		t.Run(target, func(t *testing.T) {
			l := layerOf(t, 0, item{Name: "usr/"}, item{Name: "usr/bin/"}, item{Name: "b2 -> usr/bin"},
				item{Name: "bin -> " + target}, item{Name: "bin/foo", Body: "foo"}, item{Name: "bin/sub/x", Body: "x"})
			v := NewView([]Layer{l})
			e, ok := v.Lookup("usr/bin/foo")
			if !ok || e.TarPath != "bin/foo" || e.Digest != sumOf("foo") {
				t.Fatalf("usr/bin/foo: %+v %v\n%s", e, ok, paths(Merge([]Layer{l})))
			}
			if e, ok := v.Lookup("usr/bin/sub/x"); !ok || e.TarPath != "bin/sub/x" {
				t.Errorf("usr/bin/sub/x: %+v %v", e, ok)
			}
			if _, ok := v.Lookup("bin/foo"); ok {
				t.Error("bin/foo is an entry of its own")
			}
			// What a container opening /bin/foo reads.
			if e, err := v.Resolve("bin/foo"); err != nil || e.Path != "usr/bin/foo" {
				t.Errorf("resolve bin/foo: %+v %v", e, err)
			}
			if got := changeLine(Changes([]Layer{l}, 0)); got != "a:b2 a:bin a:usr a:usr/bin a:usr/bin/foo a:usr/bin/sub a:usr/bin/sub/x" {
				t.Errorf("changes %s", got)
			}
		})
	}
}

// A hard link's target is found through the layer's links too, and a
// link the layer replaces is no longer followed.
func TestLinkOfItsOwnLayerHardLinksAndReplaced(t *testing.T) {
	l := layerOf(t, 0, item{Name: "usr/bin/p", Body: "perl"}, item{Name: "bin -> usr/bin"},
		item{Name: "q => bin/p"}, item{Name: "bin/"}, item{Name: "bin/own", Body: "own"})
	v := NewView([]Layer{l})
	if got := paths(Merge([]Layer{l})); got != "bin/ bin/own@0 q=>usr/bin/p usr/bin/p@0" {
		t.Errorf("merged %s", got)
	}
	if e, err := v.Resolve("q"); err != nil || e.Digest != sumOf("perl") {
		t.Errorf("q reads %+v %v", e, err)
	}
}

// A loop of links, or a chain past 40, leaves a record where its tar
// wrote it (the appliers refuse the layer): bounded, no hang.
func TestLinkLoopsAreBounded(t *testing.T) {
	items := []item{{Name: "a -> b"}, {Name: "b -> a"}, {Name: "a/x", Body: "x"}}
	for i := range 45 {
		items = append(items, item{Name: fmt.Sprintf("c%d -> c%d", i, i+1)})
	}
	items = append(items, item{Name: "c45/"}, item{Name: "c0/y", Body: "y"}, item{Name: "c5/z", Body: "z"})
	l := layerOf(t, 0, items...)
	var got []string
	for i := range l.Len() {
		if r := l.Record(i); r.Type == File {
			got = append(got, r.Path+"<-"+r.TarPath)
		}
	}
	// c5/z is 40 links from c45, c0/y 45.
	if strings.Join(got, " ") != "a/x<- c0/y<- c45/z<-c5/z" {
		t.Errorf("files %s", got)
	}
	if _, err := NewView([]Layer{l}).Resolve("a/x"); !errors.Is(err, ErrLoop) {
		t.Errorf("resolve a/x: %v", err)
	}
}

// Through a lower layer's link, a layer unpacked alone (overlay2,
// containerd's overlayfs snapshotter) makes a directory of its own, which
// hides the link: /bin holds what the layer put there and nothing else,
// as a container sees it. The layer modifies bin; usr/bin is untouched.
func TestLowerLinkHiddenByTheLayersDirectory(t *testing.T) {
	layers := []Layer{mergedUsr(t), layerOf(t, 1, item{Name: "bin/foo", Body: "foo"})}
	if got := paths(Merge(layers)); got != "bin/foo@1 usr/ usr/bin/ usr/bin/ls@0" {
		t.Errorf("merged %s", got)
	}
	v := NewView(layers)
	if _, err := v.Resolve("bin/ls"); !errors.Is(err, ErrNotFound) {
		t.Errorf("bin/ls: %v, want not found: the layer's bin hides the link", err)
	}
	if e, err := v.Resolve("usr/bin/ls"); err != nil || e.Layer != 0 {
		t.Errorf("usr/bin/ls: %+v %v", e, err)
	}
	cs := Changes(layers, 1)
	if got := changeLine(cs); got != "m:bin a:bin/foo" {
		t.Errorf("changes %s", got)
	}
	if cs[0].Type != Dir || !cs[0].Implied {
		t.Errorf("bin changes to %+v", cs[0])
	}
	// A whiteout through the link, alone: bin is an empty directory.
	layers[1] = layerOf(t, 1, item{Name: "bin/.wh.ls"})
	if got := paths(Merge(layers)); got != "usr/ usr/bin/ usr/bin/ls@0" {
		t.Errorf("merged %s", got)
	}
	var listed []string
	v = NewView(layers)
	v.Listing(func(e Entry) bool { listed = append(listed, e.Path+":"+e.Type.String()); return true })
	if got := strings.Join(listed, " "); got != "bin:dir usr:dir usr/bin:dir usr/bin/ls:file" {
		t.Errorf("listing %s", got)
	}
}

// A directory an opaque marker alone made is one: a file a layer above
// puts there modifies it.
func TestFileOverADirectoryAnOpaqueMarkerMade(t *testing.T) {
	layers := []Layer{layerOf(t, 0, item{Name: "a/.wh..wh..opq"}), layerOf(t, 1, item{Name: "a", Body: "file"})}
	if got := changeLine(Changes(layers, 1)); got != "m:a" {
		t.Errorf("changes %s", got)
	}
}

// A hard link's header sets the mode of the inode it shares with its
// target, in its layer and across layers; the layer that does it
// modifies the file below.
func TestHardLinkModeIsTheInodes(t *testing.T) {
	mode := func(es []Entry) string {
		var out []string
		for _, e := range es {
			out = append(out, fmt.Sprintf("%s:%o", e.Path, e.Mode))
		}
		return strings.Join(out, " ")
	}
	base := layerOf(t, 0, item{Name: "t", Body: "t"}) // 0644
	// regtest writes every file and link 0644: give the link another.
	top := layerOf(t, 1, item{Name: "h => t"})
	top.recs.at(0).mode = 0o755
	if got := mode(Merge([]Layer{base, top})); got != "h:755 t:755" {
		t.Errorf("merged %s", got)
	}
	if got := mode(Merge([]Layer{base})); got != "t:644" {
		t.Errorf("the base alone: %s", got)
	}
	cs := Changes([]Layer{base, top}, 1)
	if got := changeLine(cs); got != "a:h m:t" || cs[1].Mode != 0o755 {
		t.Errorf("changes %s %+v", got, cs)
	}
	var rows []string
	WalkChanges([]Layer{base, top}, 1, func(r Row) {
		rows = append(rows, fmt.Sprintf("%s%s:%o", Sign(r.Node.Mark), r.Node.Path, r.Node.Entry.Mode))
	})
	if got := strings.Join(rows, " "); got != "+h:755 ~t:755" {
		t.Errorf("rows %s", got)
	}
}
