package registry

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"strconv"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
)

// BenchmarkReadTarGzip reads a gzip layer of 300,000 small files held in
// memory: decompression, the tar, hashing and the records, without the
// network.
func BenchmarkReadTarGzip(b *testing.B) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	tw := tar.NewWriter(zw)
	body := []byte("data")
	for i := range 300_000 {
		name := "usr/share/bench/dir" + strconv.Itoa(i/1000) + "/file-with-a-longish-name-" + strconv.Itoa(i)
		_ = tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
		_, _ = tw.Write(body)
	}
	_ = tw.Close()
	_ = zw.Close()
	blob := buf.Bytes()
	b.SetBytes(int64(len(blob)))
	for b.Loop() {
		l, _, err := readTar(bytes.NewReader(blob), model.MediaOCILayerGzip, fstree.DefaultLimits())
		if err != nil || l.Len() != 300_000 {
			b.Fatal(err, l.Len())
		}
	}
}
