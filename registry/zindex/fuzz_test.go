package zindex

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
)

// FuzzGzipReader: any bytes read as compress/gzip reads them, and an index
// built from them resumes at every checkpoint.
func FuzzGzipReader(f *testing.F) {
	r := rand.New(rand.NewPCG(7, 7))
	for range 8 {
		f.Add(compress(f, r, sample(r, r.IntN(5000))))
	}
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		want, werr := oracle(b)
		got, idx, gerr := ours(b, 1+len(b)%97, Spacing{In: 16, Out: 64, Max: 8})
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("compress/gzip: %v; GzipReader: %v", werr, gerr)
		}
		if werr != nil {
			return
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("output differs at %d", firstDiff(got, want))
		}
		for i, c := range idx.Points {
			rd, err := idx.Resume(i, bytes.NewReader(b[c.In/8:]))
			if err != nil {
				t.Fatal(err)
			}
			if rest, err := io.ReadAll(rd); err != nil || !bytes.Equal(rest, want[c.Out:]) {
				t.Fatalf("from checkpoint %d: %v", i, err)
			}
		}
		enc, err := idx.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var back Index
		if err := back.UnmarshalBinary(enc); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzUnmarshalIndex: anything decodes to an index that checks, or to
// ErrIndex, and a decoded index encodes to the same bytes.
func FuzzUnmarshalIndex(f *testing.F) {
	r := rand.New(rand.NewPCG(9, 9))
	data := sample(r, 100_000)
	_, idx, err := ours(compress(f, r, data), 4096, Spacing{In: 512, Out: 4096, Max: 10})
	if err != nil {
		f.Fatal(err)
	}
	enc, _ := idx.MarshalBinary()
	f.Add(enc)
	f.Add([]byte(indexMagic + "\x01\x00\x00\x01\x00\x00\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var x Index
		if err := x.UnmarshalBinary(b); err != nil {
			return
		}
		if err := x.check(); err != nil {
			t.Fatal(err)
		}
		again, err := x.MarshalBinary()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("re-encoded differently: %v", err)
		}
		x.Span(int64(len(b)), 10)
	})
}
