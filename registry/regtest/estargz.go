package regtest

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/containerd/stargz-snapshotter/estargz"
	"github.com/containerd/stargz-snapshotter/estargz/zstdchunked"
	"github.com/klauspost/compress/zstd"
)

// The annotations TOC layers carry, spelled as their writers spell them.
const (
	StargzTOCDigest        = estargz.TOCJSONDigestAnnotation
	StargzUncompressedSize = estargz.StoreUncompressedSizeAnnotation
	ZstdChunkedPosition    = zstdchunked.ManifestPositionAnnotation // io.containers.*, as estargz and skopeo 1.9 write it
	ZstdChunkedChecksum    = zstdchunked.ManifestChecksumAnnotation
	ZstdChunkedPositionGH  = "io.github.containers.zstd-chunked.manifest-position" // as containers/storage writes it
	ZstdChunkedChecksumGH  = "io.github.containers.zstd-chunked.manifest-checksum"
	MediaTypeLayerGzip     = "application/vnd.oci.image.layer.v1.tar+gzip"
	MediaTypeLayerZstd     = "application/vnd.oci.image.layer.v1.tar+zstd"
)

// zstdChunked is estargz's zstd:chunked compression: its compressor and
// decompressor, as stargz-snapshotter's converter pairs them.
type zstdChunked struct {
	*zstdchunked.Compressor
	*zstdchunked.Decompressor
}

// Estargz writes the tar raw as eStargz with stargz-snapshotter's estargz
// package (chunk bytes a chunk, 0 for its default), with the annotations
// stargz-snapshotter's converter gives the layer.
func Estargz(t testing.TB, raw []byte, chunk int) ([]byte, map[string]string) {
	t.Helper()
	var opts []estargz.Option
	if chunk > 0 {
		opts = append(opts, estargz.WithChunkSize(chunk))
	}
	return build(t, raw, opts, nil)
}

// ZstdChunked writes the tar raw as zstd:chunked with estargz's zstdchunked
// compressor, with the annotations stargz-snapshotter's converter gives
// the layer (io.containers.zstd-chunked.*, the TOC digest and the
// uncompressed size). GitHubKeys respells the keys as containers/storage
// does.
func ZstdChunked(t testing.TB, raw []byte, chunk int) ([]byte, map[string]string) {
	t.Helper()
	meta := map[string]string{}
	opts := []estargz.Option{estargz.WithCompression(zstdChunked{&zstdchunked.Compressor{CompressionLevel: zstd.SpeedDefault, Metadata: meta}, &zstdchunked.Decompressor{}})}
	if chunk > 0 {
		opts = append(opts, estargz.WithChunkSize(chunk))
	}
	return build(t, raw, opts, meta)
}

func build(t testing.TB, raw []byte, opts []estargz.Option, meta map[string]string) ([]byte, map[string]string) {
	t.Helper()
	blob, err := estargz.Build(io.NewSectionReader(bytes.NewReader(raw), 0, int64(len(raw))), opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = blob.Close() }()
	data, err := io.ReadAll(blob)
	if err != nil {
		t.Fatal(err)
	}
	size, err := blob.UncompressedSize()
	if err != nil {
		t.Fatal(err)
	}
	ann := map[string]string{StargzTOCDigest: blob.TOCDigest().String(), StargzUncompressedSize: strconv.FormatInt(size, 10)}
	for k, v := range meta {
		ann[k] = v
	}
	return data, ann
}

// GitHubKeys is ann with zstd:chunked's keys spelled as containers/storage
// spells them, and without the eStargz ones it does not write.
func GitHubKeys(ann map[string]string) map[string]string {
	return map[string]string{ZstdChunkedPositionGH: ann[ZstdChunkedPosition], ZstdChunkedChecksumGH: ann[ZstdChunkedChecksum]}
}

// RewriteTOC is an eStargz or zstd:chunked blob (as Estargz or ZstdChunked
// made it, with its annotations) whose table of contents is what edit
// makes of it, written by the estargz package as a writer would: a table
// that lies, with annotations that match it.
func RewriteTOC(t testing.TB, data []byte, ann map[string]string, edit func(*estargz.JTOC)) ([]byte, map[string]string) {
	t.Helper()
	out := map[string]string{}
	var buf bytes.Buffer
	if pos := ann[ZstdChunkedPosition]; pos != "" {
		var off, n int64
		if _, err := fmt.Sscanf(strings.ReplaceAll(pos, ":", " "), "%d %d", &off, &n); err != nil {
			t.Fatal(err)
		}
		toc, _, err := (&zstdchunked.Decompressor{}).ParseTOC(bytes.NewReader(data[off : off+n]))
		if err != nil {
			t.Fatal(err)
		}
		edit(toc)
		buf.Write(data[:off-8]) // the skippable frame's header is 8 bytes
		c := &zstdchunked.Compressor{CompressionLevel: zstd.SpeedDefault, Metadata: out}
		d, err := c.WriteTOCAndFooter(&buf, off-8, toc, nil)
		if err != nil {
			t.Fatal(err)
		}
		out[StargzTOCDigest] = d.String()
		return buf.Bytes(), out
	}
	off, _, err := estargz.OpenFooter(io.NewSectionReader(bytes.NewReader(data), 0, int64(len(data))))
	if err != nil {
		t.Fatal(err)
	}
	toc, _, err := (&estargz.GzipDecompressor{}).ParseTOC(bytes.NewReader(data[off:]))
	if err != nil {
		t.Fatal(err)
	}
	edit(toc)
	buf.Write(data[:off])
	d, err := estargz.NewGzipCompressor().WriteTOCAndFooter(&buf, off, toc, nil)
	if err != nil {
		t.Fatal(err)
	}
	out[StargzTOCDigest] = d.String()
	return buf.Bytes(), out
}
