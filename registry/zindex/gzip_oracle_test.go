package zindex

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	kgzip "github.com/klauspost/compress/gzip"
)

// sample is n bytes of one of a few kinds, seeded: random (stored or
// Huffman-only blocks), text with repeats (matches), runs (overlapping
// copies), and a tar-like mix of headers, zeros and data.
func sample(r *rand.Rand, n int) []byte { return sampleOf(r, r.IntN(4), n) }

func sampleOf(r *rand.Rand, kind, n int) []byte {
	b := make([]byte, 0, n)
	switch kind {
	case 0:
		for len(b) < n {
			b = append(b, byte(r.Uint32()))
		}
	case 1:
		words := []string{"layer ", "index ", "platypus ", "gzip ", "\n", "the ", "checkpoint ", "zstd "}
		for len(b) < n {
			b = append(b, words[r.IntN(len(words))]...)
		}
	case 2:
		for len(b) < n {
			c := byte(r.IntN(3))
			for range r.IntN(2000) {
				b = append(b, c)
			}
		}
	default:
		for len(b) < n {
			b = append(b, fmt.Sprintf("usr/share/file-%d\x00", r.IntN(1e6))...)
			b = append(b, make([]byte, r.IntN(600))...)
			for range r.IntN(300) {
				b = append(b, byte(r.Uint32()))
			}
		}
	}
	return b[:n]
}

// compress writes data as gzip: one member or several, by compress/gzip
// or klauspost's writer, at a level from Huffman-only to best, with or
// without header fields.
func compress(t testing.TB, r *rand.Rand, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	parts := 1 + r.IntN(3)
	for i := range parts {
		lo, hi := len(data)*i/parts, len(data)*(i+1)/parts
		level := r.IntN(12) - 2 // -2 (Huffman only) … 9
		var w io.WriteCloser
		if r.IntN(2) == 0 {
			zw, err := gzip.NewWriterLevel(&buf, level)
			if err != nil {
				t.Fatal(err)
			}
			if r.IntN(3) == 0 {
				zw.Name, zw.Comment, zw.Extra = "name.tar", "a comment", []byte("SGextra")
			}
			w = zw
		} else {
			zw, err := kgzip.NewWriterLevel(&buf, level)
			if err != nil {
				t.Fatal(err)
			}
			w = zw
		}
		// Written in pieces: flushes make stored and short blocks.
		rest := data[lo:hi]
		for len(rest) > 0 {
			k := min(len(rest), 1+r.IntN(100_000))
			_, _ = w.Write(rest[:k])
			rest = rest[k:]
			if r.IntN(4) == 0 {
				if fl, ok := w.(interface{ Flush() error }); ok {
					_ = fl.Flush()
				}
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// oracle is what compress/gzip reads from b: its bytes, and whether it
// failed.
func oracle(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if errors.Is(err, io.EOF) {
		return nil, nil // no members: an empty stream
	}
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// ours is what GzipReader reads from b, given in pieces of up to chunk
// bytes (so every refill path is taken), and its index.
func ours(b []byte, chunk int, sp Spacing) ([]byte, *Index, error) {
	z := NewGzipReader(&pieces{b: b, n: chunk}, sp)
	out, err := io.ReadAll(z)
	return out, z.Index(), err
}

type pieces struct {
	b []byte
	n int
}

func (p *pieces) Read(q []byte) (int, error) {
	if len(p.b) == 0 {
		return 0, io.EOF
	}
	n := copy(q[:min(len(q), p.n)], p.b)
	p.b = p.b[n:]
	return n, nil
}

// agree checks that GzipReader and compress/gzip read b alike: the same
// bytes, or both fail (the bytes before a failure need not be as many).
func agree(t *testing.T, b []byte, chunk int) {
	t.Helper()
	want, werr := oracle(b)
	got, idx, gerr := ours(b, chunk, Spacing{In: 4 << 10, Out: 64 << 10, Max: 64})
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("compress/gzip: %v; GzipReader: %v (%d bytes of input)", werr, gerr, len(b))
	}
	if werr == nil && !bytes.Equal(got, want) {
		t.Fatalf("%d bytes, compress/gzip read %d; first difference at %d", len(got), len(want), firstDiff(got, want))
	}
	if werr != nil && !bytes.HasPrefix(want, got) && !bytes.HasPrefix(got, want) {
		t.Fatalf("before failing, the outputs differ at %d", firstDiff(got, want))
	}
	if gerr == nil && (idx == nil || idx.Total != int64(len(got)) || idx.Size != int64(len(b)) || idx.check() != nil) {
		t.Fatalf("index %+v of a stream of %d bytes to %d", idx, len(b), len(got))
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// GzipReader reads what compress/gzip reads, on random streams (seeded:
// the failing seed is in the name) and on every one of them damaged:
// truncated, a byte changed, bytes appended.
func TestGzipReaderAgreesWithCompressGzip(t *testing.T) {
	for seed := range uint64(60) {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 28))
			data := sample(r, r.IntN(1<<uint(8+r.IntN(13))))
			b := compress(t, r, data)
			agree(t, b, 1+r.IntN(70_000))
			agree(t, b[:r.IntN(len(b))], 1+r.IntN(1000))
			bad := bytes.Clone(b)
			bad[r.IntN(len(bad))] ^= byte(1 + r.IntN(255))
			agree(t, bad, 1+r.IntN(70_000))
			agree(t, append(bytes.Clone(b), sample(r, 1+r.IntN(30))...), 4096)
			agree(t, append(bytes.Clone(b), b...), 1<<20)
		})
	}
}

// Every checkpoint starts decompression again: from each, the rest of the
// stream is what the whole stream holds from there, and a read of any
// span through Span's bytes is the span's bytes.
func TestGzipResumeFromEveryCheckpoint(t *testing.T) {
	for seed := range uint64(30) {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 1951))
			data := sample(r, 1<<uint(10+r.IntN(11)))
			b := compress(t, r, data)
			got, idx, err := ours(b, 1<<20, Spacing{In: int64(64 + r.IntN(2000)), Out: int64(512 + r.IntN(50_000)), Max: 2 + r.IntN(40)})
			if err != nil || !bytes.Equal(got, data) {
				t.Fatal(err)
			}
			for i, c := range idx.Points {
				rd, err := resumeGzip(c, bytes.NewReader(b[c.In/8:]))
				if err != nil {
					t.Fatal(err)
				}
				rest, err := io.ReadAll(rd)
				if err != nil || !bytes.Equal(rest, data[c.Out:]) {
					t.Fatalf("from checkpoint %d (bit %d, byte %d out): %d bytes, %v", i, c.In, c.Out, len(rest), err)
				}
			}
			for range 50 {
				off := r.Int64N(int64(len(data)))
				n := r.Int64N(int64(len(data))-off) + 1
				got, err := idx.readSpan(b, off, n)
				if err != nil || !bytes.Equal(got, data[off:off+n]) {
					t.Fatalf("%d bytes at %d: %v", n, off, err)
				}
			}
		})
	}
}

// readSpan reads n bytes at off from b as a range read would: only the
// bytes Span names.
func (x *Index) readSpan(b []byte, off, n int64) ([]byte, error) {
	i, from, to := x.Span(off, n)
	rd, err := x.Resume(i, bytes.NewReader(b[from:to]))
	if err != nil {
		return nil, err
	}
	if _, err := io.CopyN(io.Discard, rd, off-x.Points[i].Out); err != nil {
		return nil, err
	}
	out := make([]byte, n)
	_, err = io.ReadFull(rd, out)
	return out, err
}
