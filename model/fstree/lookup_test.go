package fstree

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/platypus-tui/platypus/model/fstree/layertest"
)

// resolveAgrees holds Resolve without a merge to View.Resolve, entry and
// error, for every path of the layers, every link target, and paths
// beside and under them; it counts the lookups that gave up (which fall
// back to the merge), and checks Resolve, fallback included, too.
func resolveAgrees(t *testing.T, layers []Layer, probes int) (asked, gaveUp int) {
	t.Helper()
	v := NewView(layers)
	var paths []string
	for _, l := range layers {
		for _, r := range l.Records() {
			paths = append(paths, r.Path, r.Path+"/", r.Path+"/x", r.Path+"-", "/"+r.Path+"/./", r.Path+"/..",
				r.LinkTarget, r.Path+"/../"+r.LinkTarget, parent(r.Path)+"/"+r.LinkTarget)
		}
	}
	paths = append(paths, "", "/", ".", "..", "nothing", "a", "a/b")
	for k, p := range paths {
		want, wantErr := v.Resolve(p)
		got, ok, err := resolveUnmerged(layers, p, probes)
		asked++
		if !ok {
			gaveUp++
		} else if !reflect.DeepEqual(got, want) || errString(err) != errString(wantErr) {
			t.Fatalf("%q:\n got %+v, %v\nwant %+v, %v", p, got, err, want, wantErr)
		}
		if got, err := Resolve(layers, p); !reflect.DeepEqual(got, want) || errString(err) != errString(wantErr) {
			t.Fatalf("Resolve(%q):\n got %+v, %v\nwant %+v, %v", p, got, err, want, wantErr)
		}
		part := newPartials(t, layers)
		if k%2 == 1 {
			part.wholeAt = map[int]bool{0: true, 2: true}
		}
		if got, err := ResolveLoading(part.layers(), p, part.load); !reflect.DeepEqual(got, want) || errString(err) != errString(wantErr) {
			t.Fatalf("ResolveLoading(%q), %d loads of %v:\n got %+v, %v\nwant %+v, %v", p, part.loads, part.dirs, got, err, want, wantErr)
		}
	}
	return asked, gaveUp
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// Resolve without a merge answers as the merged view does, on random
// stacks (whiteouts, opaque directories, links within and across layers,
// hard links, paths written twice, directories only implied).
func TestResolveUnmergedIsViewResolve(t *testing.T) {
	r := rand.New(rand.NewPCG(28, 1))
	var asked, gaveUp int
	for range 400 {
		layers, _ := readStack(t, layertest.Random(r))
		a, g := resolveAgrees(t, layers, maxImpliedProbes)
		asked, gaveUp = asked+a, gaveUp+g
	}
	// Nearly every path is answered without the merge.
	if gaveUp*100 > asked {
		t.Fatalf("the lookup gave up on %d of %d paths", gaveUp, asked)
	}
	t.Logf("%d paths, %d fell back to the merge", asked, gaveUp)
}

// With no probes at all, a path under a directory with no entry of its
// own gives up, and Resolve falls back to the merge: the same answers.
func TestResolveUnmergedGivesUp(t *testing.T) {
	layers := []Layer{layerOf(t, 0, item{Name: "usr/lib/a", Body: "1"}), layerOf(t, 1, item{Name: "etc/.wh.x"})}
	if _, ok, _ := resolveUnmerged(layers, "usr/lib/a", 0); ok {
		t.Fatal("usr has no entry: the lookup needs a probe to say it is a directory")
	}
	if _, ok, err := resolveUnmerged(layers, "usr/lib/a", 2); !ok || err != nil {
		t.Fatalf("with probes: ok %v, %v", ok, err)
	}
	r := rand.New(rand.NewPCG(28, 2))
	for range 100 {
		layers, _ := readStack(t, layertest.Random(r))
		resolveAgrees(t, layers, 0)
	}
}

// FuzzResolveUnmerged: on whatever stack the fuzzer's bytes build, Resolve
// without a merge answers as the merged view does.
func FuzzResolveUnmerged(f *testing.F) {
	r := rand.New(rand.NewPCG(28, 3))
	for range 8 {
		seed := make([]byte, 256)
		for i := range seed {
			seed[i] = byte(r.Uint32())
		}
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		layers, _ := readStack(t, layertest.Random(rand.New(&byteSource{b: b})))
		resolveAgrees(t, layers, maxImpliedProbes)
	})
}

// The edges random stacks seldom build: a path made a file and then a
// directory again in one layer (what it held before is cut, what a lower
// layer holds is not), a whiteout a later record of its layer undoes, an
// opaque directory above a link, a hard link to a file a later layer
// removes, a link in a directory's place above a directory.
func TestResolveUnmergedEdges(t *testing.T) {
	for _, stack := range [][][]item{
		{{{Name: "d/y", Body: "low"}, {Name: "d/z", Body: "low"}},
			{{Name: "d/x", Body: "1"}, {Name: "d", Body: "file"}, {Name: "d/"}, {Name: "d/w", Body: "2"}}},
		{{{Name: "d/x", Body: "1"}, {Name: "e", Body: "1"}},
			{{Name: "d", Body: "file"}, {Name: "d/"}}, {{Name: ".wh.e"}, {Name: "e", Body: "back"}}},
		{{{Name: "usr/lib/a", Body: "1"}, {Name: "lib -> usr/lib"}},
			{{Name: "usr/lib/.wh..wh..opq"}, {Name: "usr/lib/b", Body: "2"}, {Name: "h => usr/lib/b"}}, {{Name: "usr/lib/.wh.b"}}},
		{{{Name: "a/b/c", Body: "1"}}, {{Name: "a -> x"}}, {{Name: "a/b/d", Body: "2"}}},
		{{{Name: "a/b/c", Body: "1"}, {Name: "h => a/b/c"}}, {{Name: "a/.wh.b"}}, {{Name: "a/b/"}}},
	} {
		var layers []Layer
		for i, items := range stack {
			layers = append(layers, layerOf(t, i, items...))
		}
		resolveAgrees(t, layers, maxImpliedProbes)
	}
}
