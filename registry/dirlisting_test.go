package registry

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/model/fstree/layertest"
	"github.com/platypus-tui/platypus/registry/zindex"
)

// keptStack is a stack of layers kept by directory, as ResolveFile reads
// them: each layer's encoding, and the layers whole (what reading a layer
// whole gives).
type keptStack struct {
	d     model.Descriptor
	enc   [][]byte
	whole []fstree.Layer
	ix    []*fileIndex
	// strict says the listings are whole: not one may fail.
	strict bool
}

func keepStack(t testing.TB, r *rand.Rand, layers []fstree.Layer) keptStack {
	t.Helper()
	s := keptStack{d: model.Descriptor{Digest: "sha256:" + hexSum([]byte("x")), Size: 1}, whole: layers}
	for _, l := range layers {
		ix := &fileIndex{blocks: make([]uint32, l.Len())}
		for i := range ix.blocks {
			ix.blocks[i] = r.Uint32()
		}
		b, err := encodeDirListing(s.d, l, ix)
		if err != nil {
			t.Fatal(err)
		}
		s.enc, s.ix = append(s.enc, b), append(s.ix, ix)
	}
	return s
}

// open is the stack read anew: the headers alone.
func (s keptStack) open(t testing.TB, enc [][]byte) *partStack {
	t.Helper()
	st := &partStack{kept: make([]*dirListing, len(enc)), whole: make([]fstree.Layer, len(enc)), blocks: make([][]uint32, len(enc))}
	for i, b := range enc {
		x, err := readDirListing(bytes.NewReader(b), int64(len(b)), s.d, fstree.DefaultLimits())
		if err != nil {
			if s.strict {
				for _, rec := range s.whole[i].Records() {
					t.Logf("   %q -> %q (%s) %q", rec.Path, rec.LinkTarget, rec.Type, rec.TarPath)
				}
				t.Fatalf("layer %d: %v", i, err)
			}
			st.whole[i] = s.whole[i]
			continue
		}
		st.kept[i] = x
	}
	st.read = func(i int, why error) (fstree.Layer, error) {
		if s.strict && why != nil {
			t.Fatalf("layer %d read whole: %v", i, why)
		}
		return s.whole[i], nil
	}
	return st
}

// resolve is p resolved over the stack read in part.
func (s keptStack) resolve(t testing.TB, enc [][]byte, p string) (fstree.Entry, *partStack, error) {
	t.Helper()
	st := s.open(t, enc)
	layers, err := st.build()
	if err != nil {
		t.Fatal(err)
	}
	e, err := fstree.ResolveLoading(layers, p, st.load)
	if st.err != nil {
		t.Fatal(st.err)
	}
	return e, st, err
}

// pathsOf are the paths worth asking of layers: each record's, its
// link's target, beside and under them.
func pathsOf(layers []fstree.Layer) []string {
	var paths []string
	for _, l := range layers {
		for _, r := range l.Records() {
			paths = append(paths, r.Path, r.Path+"/x", "/"+r.Path+"/./", r.LinkTarget, r.Path+"/../"+r.LinkTarget)
		}
	}
	return append(paths, "", "/", "nothing", "a/b")
}

// A listing kept by directory, read in part, resolves every path as the
// layers whole do (links within and across layers, hard links, whiteouts,
// opaque directories, paths written twice, directories only implied),
// and the file found has the place the listing was made with.
func TestDirListingResolvesAsWhole(t *testing.T) {
	r := rand.New(rand.NewPCG(28, 7))
	var asked, partial int
	for range 150 {
		tars, err := layertest.Random(r).Tars()
		if err != nil {
			t.Fatal(err)
		}
		layers := make([]fstree.Layer, len(tars))
		for i, b := range tars {
			if layers[i], err = fstree.Read(bytes.NewReader(b), i, fstree.DefaultLimits()); err != nil {
				t.Fatal(err)
			}
		}
		s := keepStack(t, r, layers)
		s.strict = true
		v := fstree.NewView(layers)
		for _, p := range pathsOf(layers) {
			want, wantErr := v.Resolve(p)
			got, st, err := s.resolve(t, s.enc, p)
			asked++
			if !reflect.DeepEqual(got, want) || fmt.Sprint(err) != fmt.Sprint(wantErr) {
				for i, x := range st.kept {
					if x != nil {
						t.Logf("kept %d: loaded %v, specials %d", i, x.loaded, len(x.special))
					}
				}
				for i, l := range layers {
					t.Logf("layer %d %q", i, l.Dirs())
					for _, rec := range l.Records() {
						t.Logf("   %s -> %s (%s) %v", rec.Path, rec.LinkTarget, rec.Type, rec.TarPath)
					}
				}
				t.Fatalf("%q:\n got %+v, %v\nwant %+v, %v", p, got, err, want, wantErr)
			}
			if err != nil || st.kept[got.Layer] == nil {
				continue
			}
			partial++
			l, blocks, perr := st.kept[got.Layer].partial(int(got.Layer))
			if perr != nil {
				t.Fatal(perr)
			}
			places := map[uint32]bool{}
			for _, i := range layerFiles(&layers[got.Layer], got.Path, got.Digest) {
				places[s.ix[got.Layer].blocks[i]] = true
			}
			found := layerFiles(&l, got.Path, got.Digest)
			if len(found) == 0 || !places[blocks[found[0]]] {
				t.Fatalf("%q: the partial layer's file %v has no place of %v", p, found, places)
			}
		}
	}
	if partial*4 < asked/10 {
		t.Fatalf("only %d of %d paths found a file in a layer read in part", partial, asked)
	}
}

// One file of a layer of many directories is found reading a few of the
// listing's frames.
func TestDirListingReadsLittle(t *testing.T) {
	var l fstree.Layer
	for _, d := range []string{"usr/", "usr/share/"} {
		if err := l.Add(fstree.Record{Entry: fstree.Entry{Path: d, Type: fstree.Dir, Mode: 0o755}}); err != nil {
			t.Fatal(err)
		}
	}
	for d := range 60 {
		dir := fmt.Sprintf("usr/share/d%d/", d)
		_ = l.Add(fstree.Record{Entry: fstree.Entry{Path: dir, Type: fstree.Dir, Mode: 0o755}})
		for f := range 500 {
			_ = l.Add(fstree.Record{Entry: fstree.Entry{Path: fmt.Sprintf("%sa-file-with-a-name-%d", dir, f), Type: fstree.File, Mode: 0o644, Size: int64(f), Digest: fstree.Sum{byte(f)}}})
		}
	}
	s := keepStack(t, rand.New(rand.NewPCG(28, 8)), []fstree.Layer{l})
	e, st, err := s.resolve(t, s.enc, "/usr/share/d41/a-file-with-a-name-77")
	if err != nil || e.Path != "usr/share/d41/a-file-with-a-name-77" || e.Size != 77 {
		t.Fatalf("%+v %v", e, err)
	}
	frames := len(st.kept[0].frames)
	if st.frames > 3 || st.dirs != 4 || frames < 20 {
		t.Fatalf("read %d of %d frames, %d directories", st.frames, frames, st.dirs)
	}
}

// A listing cut or changed anywhere is refused or falls back to the
// layer whole: never a wrong answer, never a panic.
func TestDirListingDamaged(t *testing.T) {
	r := rand.New(rand.NewPCG(28, 9))
	var l fstree.Layer
	for i := range 3000 {
		_ = l.Add(fstree.Record{Entry: fstree.Entry{Path: fmt.Sprintf("d%d/f%d", i%7, i), Type: fstree.File, Size: int64(i)}})
	}
	_ = l.Add(fstree.Record{Entry: fstree.Entry{Path: "d3/.wh.f10", Whiteout: true}})
	s := keepStack(t, r, []fstree.Layer{l})
	enc := s.enc[0]
	want, _ := fstree.NewView(s.whole).Resolve("d5/f33")
	fellBack := 0
	for k := range 300 {
		b := bytes.Clone(enc)
		switch at := r.IntN(len(b)); k % 3 {
		case 0:
			b = b[:at]
		case 1:
			b[at] ^= byte(1 + r.IntN(255))
		default:
			b = append(b, byte(r.Uint32()))
		}
		st := s.open(t, [][]byte{b})
		layers, err := st.build()
		if err != nil {
			t.Fatal(err)
		}
		got, err := fstree.ResolveLoading(layers, "d5/f33", st.load)
		if err != nil || got != want {
			t.Fatalf("damage %d: got %+v, %v, want %+v", k, got, err, want)
		}
		if st.kept[0] == nil {
			fellBack++
		}
	}
	if fellBack < 150 {
		t.Fatalf("only %d of 300 damaged listings fell back", fellBack)
	}
}

// The checkpoints come back from their own part, and are refused for a
// blob of another size.
func TestDirListingCheckpoints(t *testing.T) {
	var l fstree.Layer
	_ = l.Add(fstree.Record{Entry: fstree.Entry{Path: "a", Type: fstree.File, Size: 3}})
	points := &zindex.Index{Format: zindex.Gzip, Size: 100, Total: 1000, Points: []zindex.Checkpoint{{Member: true}}}
	d := model.Descriptor{Digest: "sha256:" + hexSum([]byte("y")), Size: 100}
	b, err := encodeDirListing(d, l, &fileIndex{points: points, blocks: []uint32{7}})
	if err != nil {
		t.Fatal(err)
	}
	x, err := readDirListing(bytes.NewReader(b), int64(len(b)), d, fstree.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	got, err := x.checkpoints(d)
	if err != nil || !reflect.DeepEqual(got, points) {
		t.Fatalf("%+v %v", got, err)
	}
	d.Size++
	if _, err := x.checkpoints(d); !errors.Is(err, errDirListing) {
		t.Fatalf("checkpoints of a blob of another size: %v", err)
	}
	if _, err := readDirListing(bytes.NewReader(b), int64(len(b)), model.Descriptor{Digest: "sha256:" + hexSum([]byte("z"))}, fstree.DefaultLimits()); err == nil {
		t.Fatal("the listing of another layer was read")
	}
	lim := fstree.DefaultLimits()
	lim.Entries = 0
	if _, err := readDirListing(bytes.NewReader(b), int64(len(b)), d, lim); err == nil {
		t.Fatal("a listing over the limits was read")
	}
}

// FuzzDirListing: whatever a listing by directory holds is read without
// a panic, and what is read resolves within the limits.
func FuzzDirListing(f *testing.F) {
	d := model.Descriptor{Digest: "sha256:" + hexSum([]byte("x")), Size: 1}
	var l fstree.Layer
	for _, name := range []string{"etc/a", "etc/b", "a/.wh.b", "a/.wh..wh..opq", "usr/bin/x"} {
		rec := fstree.Record{Entry: fstree.Entry{Path: name, Type: fstree.File}}
		if bytes.Contains([]byte(name), []byte(".wh.")) {
			rec.Type, rec.Whiteout = fstree.File, true
		}
		_ = l.Add(rec)
	}
	_ = l.Add(fstree.Record{Entry: fstree.Entry{Path: "h", Type: fstree.Hardlink, LinkTarget: "etc/a"}})
	b, err := encodeDirListing(d, l, &fileIndex{blocks: []uint32{1, 2, 3, 4, 5, 6}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		x, err := readDirListing(bytes.NewReader(b), int64(len(b)), d, fstree.DefaultLimits())
		if err != nil {
			return
		}
		defer x.close()
		st := &partStack{kept: []*dirListing{x}, whole: []fstree.Layer{l}, blocks: make([][]uint32, 1)}
		st.read = func(int, error) (fstree.Layer, error) { return l, nil }
		layers, err := st.build()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"etc/a", "h", "usr/bin/x", "a/b"} {
			_, _ = fstree.ResolveLoading(layers, p, st.load)
		}
	})
}
