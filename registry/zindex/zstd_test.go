package zindex

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// zstdStream is data as zstd frames of random sizes (some with a
// checksum, some with their content size), with skippable frames
// between some.
func zstdStream(t testing.TB, r *rand.Rand, data []byte) []byte {
	t.Helper()
	var out []byte
	for len(data) > 0 {
		n := min(len(data), 1+r.IntN(1<<uint(4+r.IntN(14))))
		enc, err := zstd.NewWriter(nil, zstd.WithEncoderCRC(r.IntN(2) == 0), zstd.WithSingleSegment(r.IntN(2) == 0),
			zstd.WithEncoderLevel(zstd.EncoderLevel(1+r.IntN(3))))
		if err != nil {
			t.Fatal(err)
		}
		out = enc.EncodeAll(data[:n], out)
		_ = enc.Close()
		data = data[n:]
		if r.IntN(5) == 0 {
			skip := sample(r, r.IntN(100))
			out = binary.LittleEndian.AppendUint32(out, 0x184D2A50+uint32(r.IntN(16)))
			out = binary.LittleEndian.AppendUint32(out, uint32(len(skip)))
			out = append(out, skip...)
		}
	}
	return out
}

// ZstdReader reads what klauspost's decoder reads from the whole stream,
// takes its checkpoints at frame starts, and every checkpoint and span
// reads back as the data.
func TestZstdFramesAgreeAndResume(t *testing.T) {
	for seed := range uint64(25) {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 8878))
			data := sample(r, 1+r.IntN(1<<uint(10+r.IntN(10))))
			b := zstdStream(t, r, data)
			dec, _ := zstd.NewReader(bytes.NewReader(b), decoderOptions()...)
			want, err := io.ReadAll(dec)
			dec.Close()
			if err != nil || !bytes.Equal(want, data) {
				t.Fatalf("the oracle: %v", err)
			}
			z, err := NewZstdReader(&pieces{b: b, n: 1 + r.IntN(5000)}, Spacing{In: int64(r.IntN(3000)), Out: int64(r.IntN(20_000)), Max: 2 + r.IntN(30)})
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(z)
			z.Close()
			idx := z.Index()
			if err != nil || !bytes.Equal(got, data) || idx == nil || idx.check() != nil || idx.Size != int64(len(b)) || idx.Total != int64(len(data)) {
				t.Fatalf("%d bytes of %d, %v, index %v", len(got), len(data), err, idx)
			}
			for i, c := range idx.Points {
				rd, err := idx.Resume(i, bytes.NewReader(b[c.In/8:]))
				if err != nil {
					t.Fatal(err)
				}
				rest, err := io.ReadAll(rd)
				if err != nil || !bytes.Equal(rest, data[c.Out:]) {
					t.Fatalf("from checkpoint %d: %v", i, err)
				}
			}
			for range 30 {
				off := r.Int64N(int64(len(data)))
				n := r.Int64N(int64(len(data))-off) + 1
				if got, err := idx.readSpan(b, off, n); err != nil || !bytes.Equal(got, data[off:off+n]) {
					t.Fatalf("%d bytes at %d: %v", n, off, err)
				}
			}
		})
	}
}

// A damaged stream fails as klauspost's decoder fails it; the reader
// never hands out bytes the decoder would not.
func TestZstdDamagedFailsAsTheDecoder(t *testing.T) {
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 1))
		data := sample(r, 1+r.IntN(50_000))
		b := zstdStream(t, r, data)
		switch r.IntN(3) {
		case 0:
			b = b[:r.IntN(len(b))]
		case 1:
			b = bytes.Clone(b)
			b[r.IntN(len(b))] ^= byte(1 + r.IntN(255))
		default:
			b = append(bytes.Clone(b), sample(r, 1+r.IntN(20))...)
		}
		dec, _ := zstd.NewReader(bytes.NewReader(b), decoderOptions()...)
		want, werr := io.ReadAll(dec)
		dec.Close()
		z, _ := NewZstdReader(bytes.NewReader(b), DefaultSpacing)
		got, gerr := io.ReadAll(z)
		z.Close()
		if werr == nil && (gerr != nil || !bytes.Equal(got, want)) {
			t.Errorf("seed %d: the decoder read %d bytes; ZstdReader %d, %v", seed, len(want), len(got), gerr)
		}
		if gerr == nil && werr != nil && !bytes.Equal(got, data) {
			t.Errorf("seed %d: the decoder failed (%v) and ZstdReader read other bytes without failing", seed, werr)
		}
	}
}
