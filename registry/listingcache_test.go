package registry

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/model/fstree/layertest"
)

// kept is what a listing keeps of a layer: its records, but where the tar
// wrote a path a link of its layer moved (TarPath), and its Index.
func kept(l fstree.Layer) []fstree.Record {
	out := l.Records()
	for i := range out {
		out[i].TarPath, out[i].Layer = "", 0
	}
	return out
}

// A kept listing decodes to the records it was made of (links, hard
// links, whiteouts, opaque markers, paths written twice and through a
// layer's own links), with each file's block; cut anywhere, it is
// refused, never read short.
func TestListingRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(28, 4))
	d := model.Descriptor{Digest: "sha256:" + hexSum([]byte("x")), Size: 1}
	for round := range 100 {
		tars, err := layertest.Random(r).Tars()
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range tars {
			l, err := fstree.Read(bytes.NewReader(b), 0, fstree.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			ix := &fileIndex{blocks: make([]uint32, l.Len())}
			for i := range ix.blocks {
				ix.blocks[i] = r.Uint32()
			}
			enc, err := encodeListing(d, l, ix)
			if err != nil {
				t.Fatal(err)
			}
			got, gotIx, err := decodeListing(d, enc, fstree.DefaultLimits())
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			if !reflect.DeepEqual(kept(got), kept(l)) {
				t.Fatalf("round %d:\n got %+v\nwant %+v", round, kept(got), kept(l))
			}
			for i, rec := range l.Records() {
				if rec.Type == fstree.File && gotIx.blocks[i] != ix.blocks[i] {
					t.Fatalf("round %d: record %d's block %d, want %d", round, i, gotIx.blocks[i], ix.blocks[i])
				}
			}
			if round%10 == 0 {
				body := listingBody(t, enc)
				for _, cut := range []int{0, 1, len(body) / 3, len(body) / 2, len(body) - 33, len(body) - 1, r.IntN(len(body))} {
					cut = max(cut, 0)
					if _, _, err := decodeListing(d, listingOf(t, body[:cut]), fstree.DefaultLimits()); err == nil {
						t.Fatalf("round %d: cut at %d of %d, read", round, cut, len(body))
					}
				}
				if _, _, err := decodeListing(d, listingOf(t, append(body, 0)), fstree.DefaultLimits()); err == nil {
					t.Fatalf("round %d: a byte past its end, read", round)
				}
			}
		}
	}
}

// listingBody is an encoded listing decompressed.
func listingBody(t testing.TB, enc []byte) []byte {
	dec, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	body, err := dec.DecodeAll(enc[len(listingMagic):], nil)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// listingOf is an encoded listing of body.
func listingOf(t testing.TB, body []byte) []byte {
	enc, err := listingEncoder()
	if err != nil {
		t.Fatal(err)
	}
	return enc.EncodeAll(body, []byte(listingMagic))
}

// listingEncoder is made once: making one is most of a fuzzed run.
var listingEncoder = sync.OnceValues(func() (*zstd.Encoder, error) {
	return zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
})

// FuzzDecodeListing: whatever a kept listing holds is read without a
// panic, within the limits, and what is read is kept again the same.
func FuzzDecodeListing(f *testing.F) {
	d := model.Descriptor{Digest: "sha256:" + hexSum([]byte("x")), Size: 1}
	for _, items := range [][]string{{"etc/", "etc/a", "bin -> usr/bin", "bin/x"}, {"a/.wh.b", "a/.wh..wh..opq", "h => etc/a"}} {
		var l fstree.Layer
		for i, name := range items {
			rec := fstree.Record{Entry: fstree.Entry{Path: name, Size: int64(i)}}
			if name == "bin -> usr/bin" {
				rec.Path, rec.Type, rec.LinkTarget = "bin", fstree.Symlink, "usr/bin"
			}
			_ = l.Add(rec)
		}
		enc, err := encodeListing(d, l, &fileIndex{blocks: make([]uint32, l.Len())})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(listingBody(f, enc))
	}
	lim := fstree.Limits{Bytes: 1 << 30, Entries: 1000, PathLen: 256}
	f.Fuzz(func(t *testing.T, body []byte) {
		l, ix, err := decodeListing(d, listingOf(t, body), lim)
		if err != nil {
			return
		}
		if l.Len() > lim.Entries {
			t.Fatalf("%d records", l.Len())
		}
		enc, err := encodeListing(d, l, ix)
		if err != nil {
			t.Fatal(err)
		}
		again, _, err := decodeListing(d, enc, lim)
		if err != nil || !reflect.DeepEqual(kept(again), kept(l)) {
			t.Fatalf("kept again: %v\n got %+v\nwant %+v", err, kept(again), kept(l))
		}
	})
}
