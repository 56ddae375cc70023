package registry_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/regtest"
	"github.com/platypus-tui/platypus/registry/zindex"
)

// randomLayer is a tar of files of random sizes and kinds of bytes (some
// the same size, some the same bytes, some paths twice), and the bodies of
// each path's records.
func randomLayer(t *testing.T, r *rand.Rand, n int) ([]byte, map[string][]string) {
	t.Helper()
	files := map[string][]string{}
	var items []regtest.TarItem
	for i := range n {
		var body []byte
		switch r.IntN(4) {
		case 0: // random bytes: stored or Huffman-only blocks
			body = make([]byte, r.IntN(200_000))
			for k := range body {
				body[k] = byte(r.Uint32())
			}
		case 1: // text
			for len(body) < r.IntN(50_000) {
				body = append(body, fmt.Sprintf("line %d of file %d\n", len(body), i)...)
			}
		case 2: // small, many of the same size
			body = []byte(fmt.Sprintf("v%04d", r.IntN(10_000)))
		default:
			body = bytes.Repeat([]byte{byte(i)}, r.IntN(300_000))
		}
		name := fmt.Sprintf("d%d/file-%d", i%13, i)
		if i%50 == 49 {
			name = fmt.Sprintf("d%d/file-%d", (i-1)%13, i-1) // a second record of a path
		}
		if i%7 == 0 {
			items = append(items, regtest.TarItem{Name: fmt.Sprintf("d%d/dir-%d/", i%13, i)}, regtest.TarItem{Name: fmt.Sprintf("d%d/link-%d -> file-%d", i%13, i, i)})
		}
		items = append(items, regtest.TarItem{Name: name, Body: string(body)})
		files[name] = append(files[name], string(body))
	}
	return regtest.Tar(t, items...), files
}

// zstdFrames compresses b as zstd frames of about frame bytes each.
func zstdFrames(t *testing.T, b []byte, frame int) []byte {
	t.Helper()
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = enc.Close() }()
	var out []byte
	for len(b) > 0 {
		n := min(len(b), frame)
		out = enc.EncodeAll(b[:n], out)
		b = b[n:]
	}
	return out
}

// layerKinds are the layers a file is read from by range: gzip and
// multi-frame zstd from checkpoints, a plain tar by its bytes, eStargz
// and zstd:chunked by their tables' chunks.
var layerKinds = []struct {
	name, how string
	// slack is the most a range may hold past the file: a span between
	// checkpoints at each end (the test's 32 KiB, and a DEFLATE block:
	// checkpoints are at block ends, and random bytes make stored blocks
	// of 64 KiB; a zstd frame of up to 100,000 bytes), a chunk of a table
	// (64 KiB).
	slack int64
	make  func(t *testing.T, raw []byte) (mediaType string, blob []byte, ann map[string]string)
}{
	{"gzip", "checkpoint", 2 * (32 + 66) << 10, func(t *testing.T, raw []byte) (string, []byte, map[string]string) {
		return regtest.MediaTypeLayerGzip, regtest.Gzip(t, raw), nil
	}},
	{"zstd frames", "checkpoint", 2 * 101_000, func(t *testing.T, raw []byte) (string, []byte, map[string]string) {
		return regtest.MediaTypeLayerZstd, zstdFrames(t, raw, 100_000), nil
	}},
	{"tar", "range", 0, func(t *testing.T, raw []byte) (string, []byte, map[string]string) {
		return "application/vnd.oci.image.layer.v1.tar", raw, nil
	}},
	{"estargz", "toc", 2 * 70 << 10, func(t *testing.T, raw []byte) (string, []byte, map[string]string) {
		b, ann := regtest.Estargz(t, raw, 64<<10)
		return regtest.MediaTypeLayerGzip, b, ann
	}},
	{"zstd:chunked", "toc", 2 * 70 << 10, func(t *testing.T, raw []byte) (string, []byte, map[string]string) {
		b, ann := regtest.ZstdChunked(t, raw, 64<<10)
		return regtest.MediaTypeLayerZstd, b, ann
	}},
}

// After a listing, a file is one range request from the nearest
// checkpoint (or its own bytes, or its chunks), of no more than the
// checkpoints' spacing and the file, and its bytes are the file's; a
// registry that ignores Range sends the whole blob once, and the file is
// read from its start.
func TestFileReadByRange(t *testing.T) {
	defer registry.SetIndexSpacing(registry.SetIndexSpacing(zindex.Spacing{In: 32 << 10, Out: 256 << 10, Max: 512}))
	onEachRegistry(t, fileReadByRange)
}

func fileReadByRange(t *testing.T, host string) {
	r := rand.New(rand.NewPCG(28, 1))
	raw, files := randomLayer(t, r, 150)
	for _, kind := range layerKinds {
		t.Run(kind.name, func(t *testing.T) {
			mt, data, ann := kind.make(t, raw)
			blob := regtest.PushBlob(t, host, "test/ranges", mt, data)
			blob.Annotations = ann
			for _, noRange := range []bool{false, true} {
				rc := regtest.NewCountingProxy(t, host, noRange)
				ph := rc.Host
				c := registry.New(registry.WithPlainHTTP(ph))
				img := imageOf(t, ph, "test/ranges", blob)
				v := viewOf(t, c, img)
				rc.Take()
				for path, bodies := range files {
					if r.IntN(3) != 0 {
						continue
					}
					e, err := v.Resolve(path)
					if err != nil {
						t.Fatal(err)
					}
					want := withSum(bodies, e.Digest)
					got, err := c.FileContent(context.Background(), img, e, registry.FileOptions{})
					if err != nil {
						t.Fatalf("%s: %v", path, err)
					}
					var out bytes.Buffer
					if _, err := got.WriteTo(&out); err != nil || out.String() != want {
						t.Fatalf("%s: %d bytes, want %d (%v)", path, out.Len(), len(want), err)
					}
					n := rc.Take()
					ranged, whole, sent := n.Ranged, n.Whole, n.BlobBytes
					how := kind.how
					if noRange {
						how = "stream"
					}
					switch {
					case len(want) == 0:
					case got.Read.How != how || got.Read.Requests != 1 || ranged+whole != 1:
						t.Fatalf("%s: read %+v with %d range and %d whole requests, want %s with 1", path, got.Read, ranged, whole, how)
					case !noRange && sent > int64(len(want))+kind.slack:
						t.Errorf("%s: %d bytes sent for a file of %d %+v", path, sent, len(want), got.Read)
					}
				}
			}
		})
	}
}

// withSum is the body of bodies whose sha256 is sum.
func withSum(bodies []string, sum fstree.Sum) string {
	for _, b := range bodies {
		if sha256.Sum256([]byte(b)) == sum {
			return b
		}
	}
	return "(no record with the listed sum)"
}

// An index that leads to other bytes than the listing says (files of the
// same size swapped, checkpoint windows changed, chunks misplaced), in
// memory or kept on disk with a right sum, never gives them: the sum
// check sends the read to the stream, and the bytes are the file's.
func TestCorruptIndexNeverGivesWrongBytes(t *testing.T) {
	defer registry.SetIndexSpacing(registry.SetIndexSpacing(zindex.Spacing{In: 32 << 10, Out: 256 << 10, Max: 512}))
	host := startDemo(t).Host
	r := rand.New(rand.NewPCG(28, 2))
	raw, files := randomLayer(t, r, 120)
	for _, kind := range layerKinds {
		t.Run(kind.name, func(t *testing.T) {
			mt, data, ann := kind.make(t, raw)
			blob := regtest.PushBlob(t, host, "test/corrupt", mt, data)
			blob.Annotations = ann
			dir := t.TempDir()
			c := registry.New(registry.WithPlainHTTP(host), registry.WithDiskCache(dir, 1<<30))
			img := imageOf(t, host, "test/corrupt", blob)
			v := viewOf(t, c, img)
			if !registry.CorruptIndex(c, desc(blob)) {
				t.Fatal("no index was made")
			}
			// A second run, its listing and index from the disk cache
			// (a table of contents is read again: it is not kept).
			c2 := registry.New(registry.WithPlainHTTP(host), registry.WithDiskCache(dir, 1<<30))
			v2 := viewOf(t, c2, img)
			streamed := 0
			for _, run := range []struct {
				c *registry.Client
				v fstree.View
			}{{c2, v2}, {c, v}} {
				for path, bodies := range files {
					e, err := run.v.Resolve(path)
					if err != nil {
						t.Fatal(err)
					}
					got, err := run.c.FileContent(context.Background(), img, e, registry.FileOptions{})
					if err != nil {
						t.Fatalf("%s: %v", path, err)
					}
					var out bytes.Buffer
					_, _ = got.WriteTo(&out)
					if want := withSum(bodies, e.Digest); out.String() != want {
						t.Fatalf("%s: other bytes than the listed ones (%d, want %d), read %+v", path, out.Len(), len(want), got.Read)
					}
					if got.Read.How == "stream" {
						streamed++
					}
				}
			}
			if streamed == 0 {
				t.Error("no read went to the stream: the index was not corrupt")
			}
		})
	}
}

// With the disk cache, a second run lists the layer from it (no blob
// request) and reads a file with one range request.
func TestListingKeptOnDisk(t *testing.T) {
	host := startDemo(t).Host
	r := rand.New(rand.NewPCG(28, 3))
	raw, files := randomLayer(t, r, 60)
	blob := regtest.PushBlob(t, host, "test/kept", regtest.MediaTypeLayerGzip, regtest.Gzip(t, raw))
	dir := t.TempDir()
	rc := regtest.NewCountingProxy(t, host, false)
	ph := rc.Host
	img := imageOf(t, ph, "test/kept", blob)
	first := viewOf(t, registry.New(registry.WithPlainHTTP(ph), registry.WithDiskCache(dir, 1<<30)), img)
	if n := rc.Take(); n.Whole != 1 || n.Ranged != 0 {
		t.Fatalf("first listing: %+v", n)
	}
	c := registry.New(registry.WithPlainHTTP(ph), registry.WithDiskCache(dir, 1<<30))
	second := viewOf(t, c, img)
	if n := rc.Take(); n.Whole+n.Ranged != 0 {
		t.Fatalf("second listing: %+v", n)
	}
	if a, b := first.Entries(), second.Entries(); fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("the kept listing differs:\n%v\n%v", a[:min(5, len(a))], b[:min(5, len(b))])
	}
	for path, bodies := range files {
		e, _ := second.Resolve(path)
		got, err := c.FileContent(context.Background(), img, e, registry.FileOptions{})
		if err != nil {
			t.Fatal(err)
		}
		n := rc.Take()
		if string(got.Head) != withSum(bodies, e.Digest) || (e.Size > 0 && (n.Ranged != 1 || n.Whole != 0 || got.Read.How != "checkpoint")) {
			t.Fatalf("%s: %+v, %+v", path, got.Read, n)
		}
	}
}

// An index's windows count against limits.cachedEntries: layers of few,
// big files are not kept without bound because their entries are few.
func TestLayerCacheCountsIndexWindows(t *testing.T) {
	defer registry.SetIndexSpacing(registry.SetIndexSpacing(zindex.Spacing{In: 32 << 10, Out: 256 << 10, Max: 512}))
	host := startDemo(t).Host
	r := rand.New(rand.NewPCG(28, 4))
	var blobs []regtest.Blob
	for i := range 2 {
		var items []regtest.TarItem
		for k := range 3 {
			body := make([]byte, 200_000)
			for j := range body {
				body[j] = byte(r.Uint32())
			}
			items = append(items, regtest.TarItem{Name: fmt.Sprintf("f%d-%d", i, k), Body: string(body)})
		}
		blobs = append(blobs, regtest.PushBlob(t, host, "test/weights", regtest.MediaTypeLayerGzip, regtest.Gzip(t, regtest.Tar(t, items...))))
	}
	lim := registry.DefaultLimits()
	lim.CachedEntries = 3000 // 3 entries each, but ~18 windows of 32 KiB: ~5,900
	c := registry.New(registry.WithPlainHTTP(host), registry.WithLimits(lim))
	for _, b := range blobs {
		if _, err := c.Layer(context.Background(), ref(t, host+"/test/weights"), desc(b), 0, registry.LayerOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, ok := c.Unpacked([]model.Descriptor{desc(blobs[0])}); ok {
		t.Error("a layer of 3 entries and 600 KB of checkpoint windows was kept past a bound of 3,000 entries")
	}
	if _, _, ok := c.Unpacked([]model.Descriptor{desc(blobs[1])}); !ok {
		t.Error("the newest layer was forgotten")
	}
}
