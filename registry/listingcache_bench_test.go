package registry

import (
	"archive/tar"
	"io"
	"runtime"
	"strconv"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
)

// BenchmarkListingKept2M encodes a listing of 2,000,000 entries (the demo's
// --bench-files layer) as the disk cache keeps it, and decodes it as a
// second run does, reporting its size.
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
