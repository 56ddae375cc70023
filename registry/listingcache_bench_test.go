package registry

import (
	"archive/tar"
	"bytes"
	"io"
	"runtime"
	"strconv"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
)

// BenchmarkListingKept2M encodes a listing of 2,000,000 entries (the demo's
// --bench-files layer) as the disk cache keeps it, whole and by
// directory, and reads it as a second run does: whole, and in part to
// resolve one path (cat), reporting the sizes.
func BenchmarkListingKept2M(b *testing.B) {
	pr, pw := io.Pipe()
	go func() {
		tw := tar.NewWriter(pw)
		for i := range 2_000_000 {
			dir := "usr/share/bench/dir" + strconv.Itoa(i/1000) + "/"
			h := &tar.Header{Name: dir, Mode: 0o755, Typeflag: tar.TypeDir}
			if i%1000 != 0 {
				h = &tar.Header{Name: dir + "file-with-a-longish-name-" + strconv.Itoa(i), Mode: 0o644, Size: 4, Typeflag: tar.TypeReg}
			}
			_ = tw.WriteHeader(h)
			_, _ = tw.Write([]byte("data")[:h.Size])
		}
		_ = pw.CloseWithError(tw.Close())
	}()
	var offsets fileOffsets
	l, err := fstree.ReadAt(pr, 0, fstree.DefaultLimits(), offsets.at)
	if err != nil {
		b.Fatal(err)
	}
	d := model.Descriptor{Digest: "sha256:" + hexSum([]byte("x")), Size: 1}
	ix := &fileIndex{blocks: offsets.blocks}
	var enc []byte
	b.Run("encode", func(b *testing.B) {
		for b.Loop() {
			if enc, err = encodeListing(d, l, ix); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(enc))/(1<<20), "MB")
	})
	b.Run("encode by directory", func(b *testing.B) {
		var enc []byte
		for b.Loop() {
			if enc, err = encodeDirListing(d, l, ix); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(enc))/(1<<20), "MB")
	})
	b.Run("resolve in part", func(b *testing.B) {
		enc, err := encodeDirListing(d, l, ix)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			x, err := readDirListing(bytes.NewReader(enc), int64(len(enc)), d, fstree.DefaultLimits())
			if err != nil {
				b.Fatal(err)
			}
			st := &partStack{kept: []*dirListing{x}, whole: make([]fstree.Layer, 1), blocks: make([][]uint32, 1)}
			st.read = func(int, error) (fstree.Layer, error) { return l, nil }
			layers, err := st.build()
			if err != nil {
				b.Fatal(err)
			}
			if e, err := fstree.ResolveLoading(layers, "usr/share/bench/dir1000/file-with-a-longish-name-1000123", st.load); err != nil || st.partial != 1 {
				b.Fatal(e, err)
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		for b.Loop() {
			got, _, err := decodeListing(d, enc, fstree.DefaultLimits())
			if err != nil || got.Len() != l.Len() {
				b.Fatal(err)
			}
			runtime.KeepAlive(got)
		}
	})
}
