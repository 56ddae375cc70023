package registry_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/containerd/stargz-snapshotter/estargz"
	"github.com/klauspost/compress/zstd"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/regtest"
)

var layerItems = []regtest.TarItem{
	{Name: "etc/", Body: ""}, {Name: "etc/os-release", Body: "ID=test\n"}, {Name: "etc/link -> os-release", Body: ""},
	{Name: "etc/hard => etc/os-release", Body: ""}, {Name: "dev/null|", Body: ""}, {Name: "日本/ファイル", Body: "u"},
	{Name: strings.Repeat("long/", 30) + "name", Body: "pax"}, {Name: "bad\x1b]52;c;eA==\x07name", Body: "c"},
	{Name: "usr/bin/.wh.gone", Body: ""}, {Name: "var/.wh..wh..opq", Body: ""},
}

func desc(b regtest.Blob) model.Descriptor {
	return model.Descriptor{MediaType: b.MediaType, Digest: b.Digest, Size: b.Size, Annotations: b.Annotations, URLs: b.URLs}
}

func records(l fstree.Layer) string {
	var out []string
	for _, r := range l.Records() {
		s := r.Path + ":" + r.Type.String()
		switch {
		case r.Whiteout:
			s += ":wh"
		case r.Opaque:
			s += ":opq"
		case !r.Digest.IsZero():
			s += ":" + r.Digest.String()[7:15]
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

// Gzip, zstd and plain tar layers, Docker and OCI media types, read from
// the registry give what reading the tar directly gives.
func TestLayerReadsEveryCompression(t *testing.T) {
	onEachRegistry(t, layerReadsEveryCompression)
}

// onEachRegistry runs f on the demo registry and on the distribution registry.
func onEachRegistry(t *testing.T, f func(t *testing.T, host string)) {
	t.Run("demo", func(t *testing.T) { f(t, startDemo(t).Host) })
	t.Run("distribution", func(t *testing.T) { f(t, regtest.StartDistribution(t, regtest.DistributionOptions{}).Host) })
}

func layerReadsEveryCompression(t *testing.T, host string) {
	srv := struct{ Host string }{host}
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	raw := regtest.Tar(t, layerItems...)
	want, err := fstree.Read(bytes.NewReader(raw), 3, fstree.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	for name, blob := range map[string]regtest.Blob{
		"gzip":        regtest.PushBlob(t, srv.Host, "test/layers", "application/vnd.oci.image.layer.v1.tar+gzip", regtest.Gzip(t, raw)),
		"docker gzip": regtest.PushBlob(t, srv.Host, "test/layers", "application/vnd.docker.image.rootfs.diff.tar.gzip", regtest.Gzip(t, raw)),
		"zstd":        regtest.PushBlob(t, srv.Host, "test/layers", "application/vnd.oci.image.layer.v1.tar+zstd", regtest.Zstd(t, raw)),
		"tar":         regtest.PushBlob(t, srv.Host, "test/layers", "application/vnd.oci.image.layer.v1.tar", raw),
	} {
		got, err := c.Layer(context.Background(), ref(t, srv.Host+"/test/layers"), desc(blob), 3, registry.LayerOptions{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if records(got) != records(want) || got.Uncompressed != int64(len(raw)) || got.Index != 3 || got.Digest != blob.Digest {
			t.Errorf("%s:\n got %s (%d bytes)\nwant %s (%d bytes)", name, records(got), got.Uncompressed, records(want), len(raw))
		}
	}
}

// A layer the registry lies about is an error: a wrong byte, a wrong size,
// a cut stream, a decompression bomb, a blob that is not what its media
// type says; a foreign layer says where it lives and is not fetched.
func TestLayerFaults(t *testing.T) {
	srv := startDemo(t)
	p := regtest.NewFaultProxy(t, srv.Host)
	c := faultClient(p.Host)
	repo := ref(t, p.Host+"/test/layers")
	gz := regtest.Gzip(t, regtest.Tar(t, layerItems...))
	blob := regtest.PushBlob(t, srv.Host, "test/layers", "application/vnd.oci.image.layer.v1.tar+gzip", gz)
	bomb := regtest.PushBlob(t, srv.Host, "test/layers", "application/vnd.oci.image.layer.v1.tar+gzip",
		regtest.Gzip(t, regtest.Tar(t, regtest.TarItem{Name: "zeros", Body: strings.Repeat("\x00", 8<<20)})))
	// A small tar, then megabytes of zeros in the same gzip stream.
	trailing := append(regtest.Tar(t, regtest.TarItem{Name: "a", Body: "x"}), make([]byte, 8<<20)...)
	pastTar := regtest.PushBlob(t, srv.Host, "test/layers", "application/vnd.oci.image.layer.v1.tar+gzip", regtest.Gzip(t, trailing))
	notGzip := regtest.PushBlob(t, srv.Host, "test/layers", "application/vnd.oci.image.layer.v1.tar+gzip", []byte("plain text, not gzip"))
	blobGets := regtest.BlobGets
	ctx := context.Background()
	for name, c2 := range map[string]struct {
		fault regtest.Fault
		d     model.Descriptor
		lim   fstree.Limits
		want  string
	}{
		"wrong byte":     {regtest.WrongDigest, desc(blob), fstree.Limits{}, "digest"},
		"truncated":      {regtest.Truncate, desc(blob), fstree.Limits{}, ""},
		"size too big":   {regtest.None, model.Descriptor{MediaType: blob.MediaType, Digest: blob.Digest, Size: blob.Size + 10}, fstree.Limits{}, "truncated"},
		"size too small": {regtest.None, model.Descriptor{MediaType: blob.MediaType, Digest: blob.Digest, Size: blob.Size - 10}, fstree.Limits{}, "longer than"},
		"bomb":           {regtest.None, desc(bomb), fstree.Limits{Bytes: 1 << 20, Entries: 100, PathLen: 100}, "uncompressed bytes"},
		"not gzip":       {regtest.None, desc(notGzip), fstree.Limits{}, "its bytes are not"},
		"bomb past tar":  {regtest.None, desc(pastTar), fstree.Limits{Bytes: 1 << 20, Entries: 100, PathLen: 100}, "uncompressed bytes"},
	} {
		p.Set(c2.fault, blobGets, -1, "", 0)
		_, err := c.Layer(ctx, repo, c2.d, 0, registry.LayerOptions{Limits: c2.lim})
		p.Clear()
		// A bomb passes our bound (ErrLimit); the rest are the registry's fault.
		if err == nil || !errors.Is(err, registry.ErrInvalid) && !errors.Is(err, registry.ErrUnreachable) && !errors.Is(err, fstree.ErrLimit) || !strings.Contains(err.Error(), c2.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
	before := p.Total.Load()
	foreign := model.Descriptor{MediaType: "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", Digest: blob.Digest, Size: blob.Size, URLs: []string{"https://mcr.example/base"}}
	if _, err := c.Layer(ctx, repo, foreign, 0, registry.LayerOptions{}); err == nil || !strings.Contains(err.Error(), "foreign layer") || !strings.Contains(err.Error(), "mcr.example") {
		t.Errorf("foreign: %v", err)
	}
	if p.Total.Load() != before {
		t.Error("a foreign layer was fetched")
	}
}

// A layer shared by two images, or asked for twice, is read once.
func TestSharedLayerIsReadOnce(t *testing.T) {
	srv := startDemo(t)
	p := regtest.NewFaultProxy(t, srv.Host)
	gets := p.Count(regtest.BlobGets)
	blob := regtest.PushBlob(t, srv.Host, "test/layers", "application/vnd.oci.image.layer.v1.tar+gzip", regtest.Gzip(t, regtest.Tar(t, layerItems...)))
	c := faultClient(p.Host)
	for i := range 3 {
		l, err := c.Layer(context.Background(), ref(t, p.Host+"/test/layers"), desc(blob), i, registry.LayerOptions{})
		if err != nil || l.Index != i {
			t.Fatalf("read %d: %v", i, err)
		}
	}
	if gets.Load() != 1 {
		t.Errorf("%d blob fetches for one layer", gets.Load())
	}
}

// An eStargz layer is listed from its table of contents alone, with range
// requests; a registry that ignores Range gets the layer streamed, with the
// same entries.
func TestEstargzLayerReadsOnlyItsTableOfContents(t *testing.T) {
	onEachRegistry(t, estargzLayerReadsOnlyItsTableOfContents)
}

func estargzLayerReadsOnlyItsTableOfContents(t *testing.T, host string) {
	srv := struct{ Host string }{host}
	var items []regtest.TarItem
	for i := range 200 {
		items = append(items, regtest.TarItem{Name: "data/f" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + "/" + itoa(int64(i)), Body: strings.Repeat("y", 4000)})
	}
	raw := regtest.Tar(t, append(items, layerItems[:4]...)...)
	sgz, err := estargz.Build(io.NewSectionReader(bytes.NewReader(raw), 0, int64(len(raw))))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(sgz)
	_ = sgz.Close()
	blob := regtest.PushBlob(t, srv.Host, "test/layers", "application/vnd.oci.image.layer.v1.tar+gzip", data)
	blob.Annotations = map[string]string{"containerd.io/snapshot/stargz/toc.digest": sgz.TOCDigest().String()}

	p := regtest.NewFaultProxy(t, srv.Host)
	var requests, whole atomic.Int64
	p.OnRequest = func(r *http.Request) {
		requests.Add(1)
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/blobs/") && r.Header.Get("Range") == "" {
			whole.Add(1)
		}
	}
	c := faultClient(p.Host)
	fromTOC, err := c.Layer(context.Background(), ref(t, p.Host+"/test/layers"), desc(blob), 0, registry.LayerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := requests.Load(); n > 5 || whole.Load() > 0 {
		t.Errorf("%d requests (%d for the whole blob) to list an eStargz layer from its table of contents", n, whole.Load())
	}

	// The same layer through a registry that ignores Range: streamed.
	target, _ := url.Parse("http://" + srv.Host)
	rp := httputil.NewSingleHostReverseProxy(target)
	noRange := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Del("Range")
		rp.ServeHTTP(w, r)
	}))
	defer noRange.Close()
	nrHost := strings.TrimPrefix(noRange.URL, "http://")
	streamed, err := registry.New(registry.WithPlainHTTP(nrHost)).Layer(context.Background(), ref(t, nrHost+"/test/layers"), desc(blob), 0, registry.LayerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	direct, _ := fstree.Read(bytes.NewReader(raw), 0, fstree.DefaultLimits())
	if records(fromTOC) != records(streamed) || records(streamed) != records(direct) {
		t.Errorf("table of contents and stream disagree:\n toc %s\nfull %s\ntar  %s", records(fromTOC)[:200], records(streamed)[:200], records(direct)[:200])
	}
}

// A zstd:chunked layer is listed from its manifest, found where its
// annotation says and checked against its checksum.
func TestZstdChunkedLayerReadsItsManifest(t *testing.T) {
	srv := startDemo(t)
	raw := regtest.Tar(t, layerItems[:4]...)
	body := regtest.Zstd(t, raw)
	toc := `{"version":1,"entries":[{"type":"dir","name":"etc/"},{"type":"reg","name":"etc/os-release","size":8,"digest":"sha256:aaaaaaaa` + strings.Repeat("a", 56) + `"},` +
		`{"type":"symlink","name":"etc/link","linkName":"os-release"},{"type":"hardlink","name":"etc/hard","linkName":"etc/os-release"}]}`
	zw, _ := zstd.NewWriter(nil)
	manifest := zw.EncodeAll([]byte(toc), nil)
	blobData := append(append([]byte{}, body...), manifest...)
	blob := regtest.PushBlob(t, srv.Host, "test/layers", "application/vnd.oci.image.layer.v1.tar+zstd", blobData)
	blob.Annotations = map[string]string{
		"io.github.containers.zstd-chunked.manifest-position": itoa(int64(len(body))) + ":" + itoa(int64(len(manifest))) + ":" + itoa(int64(len(toc))) + ":1",
		"io.github.containers.zstd-chunked.manifest-checksum": model.DigestOf(manifest),
	}
	l, err := registry.New(registry.WithPlainHTTP(srv.Host)).Layer(context.Background(), ref(t, srv.Host+"/test/layers"), desc(blob), 0, registry.LayerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := records(l); got != "etc:dir etc/os-release:file:aaaaaaaa etc/link:symlink etc/hard:hardlink" {
		t.Errorf("zstd:chunked: %s", got)
	}
	// A manifest that fails its checksum is not believed: the layer is
	// streamed, and its own sums are listed.
	blob.Annotations["io.github.containers.zstd-chunked.manifest-checksum"] = model.DigestOf([]byte("other"))
	l, err = registry.New(registry.WithPlainHTTP(srv.Host)).Layer(context.Background(), ref(t, srv.Host+"/test/layers"), desc(blob), 0, registry.LayerOptions{})
	if want, _ := fstree.Read(bytes.NewReader(raw), 0, fstree.DefaultLimits()); err != nil || l.Source != fstree.SourceStream || !strings.Contains(l.TOCRejected, "checksum") || records(l) != records(want) {
		t.Errorf("a manifest that fails its checksum: %v, %s, %q: %s", err, l.Source, l.TOCRejected, records(l))
	}
}

// A reader that waits for another's read of the same layer is not failed
// by that reader giving up: it reads the layer itself.
func TestLayerWaiterSurvivesTheFirstReaderCancelling(t *testing.T) {
	srv := startDemo(t)
	p := regtest.NewFaultProxy(t, srv.Host)
	blobGets := regtest.BlobGets
	asked := make(chan struct{}, 8)
	p.OnRequest = func(r *http.Request) {
		if blobGets(r) {
			asked <- struct{}{}
		}
	}
	blob := regtest.PushBlob(t, srv.Host, "test/layers", "application/vnd.oci.image.layer.v1.tar+gzip", regtest.Gzip(t, regtest.Tar(t, layerItems...)))
	p.Set(regtest.Slow, blobGets, 1, "", 3*time.Second)
	c := faultClient(p.Host)
	r := ref(t, p.Host+"/test/layers")
	first, cancel := context.WithCancel(context.Background())
	firstErr := make(chan error, 1)
	go func() {
		_, err := c.Layer(first, r, desc(blob), 0, registry.LayerOptions{})
		firstErr <- err
	}()
	<-asked
	second := make(chan error, 1)
	go func() {
		l, err := c.Layer(context.Background(), r, desc(blob), 1, registry.LayerOptions{})
		if err == nil && l.Len() == 0 {
			err = errors.New("no records")
		}
		second <- err
	}()
	time.Sleep(100 * time.Millisecond) // let the second reader start waiting
	cancel()
	if err := <-firstErr; !errors.Is(err, context.Canceled) {
		t.Errorf("the cancelled reader got %v", err)
	}
	if err := <-second; err != nil {
		t.Errorf("the waiting reader failed with the other's cancellation: %v", err)
	}
}

// The layers kept to be shown again are bounded by their entries: past
// limits.cachedEntries the oldest is forgotten (and read again if asked).
func TestLayerCacheIsBounded(t *testing.T) {
	srv := startDemo(t)
	p := regtest.NewFaultProxy(t, srv.Host)
	gets := p.Count(regtest.BlobGets)
	var blobs []regtest.Blob
	for i := range 3 {
		items := append([]regtest.TarItem{{Name: "n" + strconv.Itoa(i), Body: "x"}}, layerItems...)
		blobs = append(blobs, regtest.PushBlob(t, srv.Host, "test/layers", "application/vnd.oci.image.layer.v1.tar+gzip", regtest.Gzip(t, regtest.Tar(t, items...))))
	}
	lim := registry.DefaultLimits()
	lim.CachedEntries = 2 * (len(layerItems) + 1) // two layers' worth
	c := registry.New(registry.WithPlainHTTP(p.Host), registry.WithLimits(lim))
	r := ref(t, p.Host+"/test/layers")
	read := func(b regtest.Blob) {
		t.Helper()
		if _, err := c.Layer(context.Background(), r, desc(b), 0, registry.LayerOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range blobs {
		read(b)
	}
	if _, _, ok := c.Unpacked([]model.Descriptor{desc(blobs[0])}); ok {
		t.Error("the oldest layer is still kept past the bound")
	}
	if _, _, ok := c.Unpacked([]model.Descriptor{desc(blobs[1]), desc(blobs[2])}); !ok {
		t.Error("the two newest layers were forgotten")
	}
	before := gets.Load()
	read(blobs[2])
	read(blobs[0])
	if got := gets.Load() - before; got != 1 {
		t.Errorf("%d fetches: want one, of the forgotten layer", got)
	}
}
