package registry_test

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// noRangeHost is a proxy to host that drops every Range header: a
// registry that always answers with the whole blob.
func noRangeHost(t *testing.T, host string) string {
	t.Helper()
	target, _ := url.Parse("http://" + host)
	rp := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Del("Range")
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// randomTar is a layer's tar of a few dozen entries of every kind: files
// of every size (some over a chunk), dirs, symlinks (one climbing out of
// the root, as a container resolves it, inside), hard links, a FIFO,
// whiteouts and an opaque marker, PAX long and UTF-8 names, extended
// attributes, odd modes and ids. It returns the tar and the bytes of each
// file (the last of a path).
func randomTar(t *testing.T, rng *rand.Rand) ([]byte, map[string][]byte) {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	files := map[string][]byte{}
	var regs []string
	mtime := time.Unix(1_700_000_000+rng.Int64N(1e6), 0)
	write := func(h *tar.Header, body []byte) {
		h.ModTime, h.Uid, h.Gid = mtime, rng.IntN(3)*1000, rng.IntN(3)*1000
		if h.Mode == 0 {
			h.Mode = []int64{0o644, 0o755, 0o600, 0o4755, 0o1777}[rng.IntN(5)]
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			_, _ = tw.Write(body)
			files[strings.TrimSuffix(h.Name, "/")] = body
			regs = append(regs, h.Name)
		}
	}
	dirs := []string{"etc", "usr", "usr/lib", "usr/share/doc", "var/lib/日本語", strings.Repeat("deep/", 25) + "er"}
	for _, d := range dirs {
		write(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755}, nil)
	}
	n := 20 + rng.IntN(40)
	for i := range n {
		dir := dirs[rng.IntN(len(dirs))]
		name := fmt.Sprintf("%s/f%d", dir, i)
		switch k := rng.IntN(20); {
		case k < 11:
			body := make([]byte, []int{0, 1 + rng.IntN(100), 100 + rng.IntN(5000), 60_000 + rng.IntN(200_000)}[rng.IntN(4)])
			if rng.IntN(2) == 0 {
				for j := range body {
					body[j] = byte(rng.IntN(256))
				}
			} else {
				copy(body, bytes.Repeat([]byte("compressible line\n"), len(body)/18+1))
			}
			h := &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: int64(len(body))}
			if rng.IntN(6) == 0 {
				h.PAXRecords = map[string]string{"SCHILY.xattr.user.note": "v" + strings.Repeat("x", rng.IntN(40))}
			}
			write(h, body)
		case k < 13:
			target := []string{"../lib/x", "/etc/os-release", "../../../../etc/passwd", "f" + fmt.Sprint(rng.IntN(n))}[rng.IntN(4)]
			write(&tar.Header{Typeflag: tar.TypeSymlink, Name: name + ".link", Linkname: target, Mode: 0o777}, nil)
		case k < 15 && len(regs) > 0:
			write(&tar.Header{Typeflag: tar.TypeLink, Name: name + ".hard", Linkname: regs[rng.IntN(len(regs))]}, nil)
		case k < 16:
			write(&tar.Header{Typeflag: tar.TypeFifo, Name: name + ".fifo"}, nil)
		case k < 17:
			write(&tar.Header{Typeflag: tar.TypeReg, Name: dir + "/.wh.gone" + fmt.Sprint(i)}, nil)
		case k < 18:
			write(&tar.Header{Typeflag: tar.TypeReg, Name: dir + "/.wh..wh..opq"}, nil)
		case k < 19:
			write(&tar.Header{Typeflag: tar.TypeReg, Name: dir + "/" + strings.Repeat("long-name-", 12) + fmt.Sprint(i), Size: 3}, []byte("pax"))
		default:
			write(&tar.Header{Typeflag: tar.TypeReg, Name: dir + "/ファイル" + fmt.Sprint(i), Size: 5}, []byte("utf-8"))
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), files
}

// The TOC oracle: layers written by stargz-snapshotter's estargz package
// (eStargz, and zstd:chunked under both key spellings) from random tars,
// served by an in-process registry, list from their tables of contents
// (Range honoured) exactly as the same layers streamed (Range ignored) and
// as the tar they were made from: the same entries, sums and sizes; every
// file reads back with the bytes that went in; the uncompressed size
// worked out from the table is the size of the stream; and a verified
// read agrees.
func TestTOCLayersMatchTheStream(t *testing.T) {
	srv := startDemo(t)
	streamHost := noRangeHost(t, srv.Host)
	ctx := context.Background()
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 21))
		raw, files := randomTar(t, rng)
		direct, err := fstree.Read(bytes.NewReader(raw), 0, fstree.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		chunk := []int{0, 4096, 65536, 100_000}[seed]
		sgz, sgzAnn := regtest.Estargz(t, raw, chunk)
		zc, zcAnn := regtest.ZstdChunked(t, raw, chunk)
		for _, v := range []struct {
			name, mediaType string
			data            []byte
			ann             map[string]string
		}{
			{"estargz", regtest.MediaTypeLayerGzip, sgz, sgzAnn},
			{"zstd:chunked io.containers", regtest.MediaTypeLayerZstd, zc, zcAnn},
			{"zstd:chunked io.github.containers", regtest.MediaTypeLayerZstd, zc, regtest.GitHubKeys(zcAnn)},
		} {
			name := fmt.Sprintf("seed %d %s", seed, v.name)
			blob := regtest.PushBlob(t, srv.Host, "test/toc", v.mediaType, v.data)
			blob.Annotations = v.ann
			d := desc(blob)
			c := registry.New(registry.WithPlainHTTP(srv.Host))
			fromTOC, err := c.Layer(ctx, ref(t, srv.Host+"/test/toc"), d, 0, registry.LayerOptions{})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			streamed, err := registry.New(registry.WithPlainHTTP(streamHost)).Layer(ctx, ref(t, streamHost+"/test/toc"), d, 0, registry.LayerOptions{})
			if err != nil {
				t.Fatalf("%s: streamed: %v", name, err)
			}
			if fromTOC.Source != fstree.SourceTOC || streamed.Source != fstree.SourceStream || fromTOC.TOCRejected != "" {
				t.Errorf("%s: sources %s and %s (%s)", name, fromTOC.Source, streamed.Source, fromTOC.TOCRejected)
			}
			if got, want := records(fromTOC), records(direct); got != want {
				t.Errorf("%s: the table of contents lists\n%s\nthe tar holds\n%s", name, got, want)
			}
			if got, want := records(streamed), records(direct); got != want {
				t.Errorf("%s: the stream lists\n%s\nthe tar holds\n%s", name, got, want)
			}
			// Go's archive/tar wrote both the tar and the layer, so the
			// estimate comes out exact here; it is still marked one.
			if !fromTOC.UncompressedEstimated || streamed.UncompressedEstimated || fromTOC.Uncompressed != streamed.Uncompressed {
				t.Errorf("%s: uncompressed %d (estimated %v) from the table, %d streamed", name, fromTOC.Uncompressed, fromTOC.UncompressedEstimated, streamed.Uncompressed)
			}
			// The client read the layer from its table: asked to verify,
			// it reads it again, and keeps the verified read.
			verified, err := c.Layer(ctx, ref(t, srv.Host+"/test/toc"), d, 0, registry.LayerOptions{Verify: true})
			if err != nil || !verified.TOCVerified || verified.Source != fstree.SourceStream || records(verified) != records(direct) {
				t.Errorf("%s: verified read: %v (verified %v, %s)", name, err, verified.TOCVerified, verified.Source)
			}
			if again, err := c.Layer(ctx, ref(t, srv.Host+"/test/toc"), d, 0, registry.LayerOptions{}); err != nil || !again.TOCVerified {
				t.Errorf("%s: the verified read was not kept: %v", name, err)
			}
			readsBack(t, name, srv.Host, d, fromTOC, files)
		}
	}
}

// readsBack reads a dozen of the files l lists (each read streams the
// layer) through a client that honours Range, and checks each holds what
// went into the tar.
func readsBack(t *testing.T, name, host string, d model.Descriptor, l fstree.Layer, files map[string][]byte) {
	t.Helper()
	c := registry.New(registry.WithPlainHTTP(host))
	img := &registry.Image{Ref: ref(t, host+"/test/toc@"+d.Digest), Manifest: &model.Manifest{Layers: []model.Descriptor{d}}}
	var regs []fstree.Record
	for _, r := range l.Records() {
		if r.Type == fstree.File && !r.Whiteout && !r.Opaque {
			regs = append(regs, r)
		}
	}
	n := 0
	for i, r := range regs {
		if len(regs) > 12 && i%(len(regs)/12+1) != 0 {
			continue
		}
		content, err := c.FileContent(context.Background(), img, r.Entry, registry.FileOptions{})
		if err != nil {
			t.Errorf("%s: %s: %v", name, r.Path, err)
			continue
		}
		got, _ := io.ReadAll(must(content.Reader()))
		_ = content.Close()
		if !bytes.Equal(got, files[r.Path]) || int64(len(got)) != r.Size {
			t.Errorf("%s: %s reads back %d bytes, %d went in (listed %d)", name, r.Path, len(got), len(files[r.Path]), r.Size)
		}
		n++
	}
	if n == 0 {
		t.Errorf("%s: no file read back", name)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
