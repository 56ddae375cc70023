package registry_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/containerd/stargz-snapshotter/estargz"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// A table of contents that lies, with annotations that match it (the
// digest proves only which table the manifest names), is never listed as
// verified: where a cheap check catches it (a 1000 MB ghost in a few
// compressed bytes, data past the blob, names and hard links out of the
// root) the layer is streamed instead and says why; where none can (a
// small ghost, a link to ../../../../etc/passwd, a file's sum changed)
// it is listed as the table's claim, --verify fails naming the
// disagreements, and reading a file checks it against the stream.
func TestHostileTOCIsNotBelieved(t *testing.T) {
	srv := startDemo(t)
	raw := regtest.Tar(t, regtest.TarItem{Name: "etc/"}, regtest.TarItem{Name: "etc/real", Body: strings.Repeat("real bytes\n", 200)},
		regtest.TarItem{Name: "etc/os-release", Body: "ID=test\n"})
	truth, err := fstree.Read(strings.NewReader(string(raw)), 0, fstree.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	sgz, sgzAnn := regtest.Estargz(t, raw, 0)
	zc, zcAnn := regtest.ZstdChunked(t, raw, 0)
	entry := func(toc *estargz.JTOC, name string) *estargz.TOCEntry {
		for _, e := range toc.Entries {
			if e.Name == name {
				return e
			}
		}
		t.Fatalf("no %s in the table", name)
		return nil
	}
	sum := model.DigestOf([]byte("not these bytes"))
	caught := map[string]struct {
		edit func(*estargz.JTOC)
		why  string
	}{
		"ghost of 1000 MB": {func(toc *estargz.JTOC) {
			toc.Entries = append(toc.Entries, &estargz.TOCEntry{Name: "opt/ghost", Type: "reg", Size: 1000 << 20, Offset: entry(toc, "etc/real").Offset, Digest: sum})
		}, "more than compression can pack"},
		"data past the blob": {func(toc *estargz.JTOC) { entry(toc, "etc/real").Offset = 1 << 30 }, "outside the layer"},
		"hard link out of the root": {func(toc *estargz.JTOC) {
			toc.Entries = append(toc.Entries, &estargz.TOCEntry{Name: "etc/passwd", Type: "hardlink", LinkName: "../../../../etc/passwd"})
		}, "is not a path in the layer"},
		"name out of the root": {func(toc *estargz.JTOC) {
			toc.Entries = append(toc.Entries, &estargz.TOCEntry{Name: "../../../../tmp/evil", Type: "symlink", LinkName: "x"})
		}, "is not a path in the layer"},
	}
	ctx := context.Background()
	for _, v := range []struct {
		name, mediaType string
		data            []byte
		ann             map[string]string
	}{{"estargz", regtest.MediaTypeLayerGzip, sgz, sgzAnn}, {"zstd:chunked", regtest.MediaTypeLayerZstd, zc, zcAnn}} {
		for what, h := range caught {
			data, ann := regtest.RewriteTOC(t, v.data, v.ann, h.edit)
			blob := regtest.PushBlob(t, srv.Host, "test/hostile", v.mediaType, data)
			blob.Annotations = ann
			c := registry.New(registry.WithPlainHTTP(srv.Host))
			l, err := c.Layer(ctx, ref(t, srv.Host+"/test/hostile"), desc(blob), 0, registry.LayerOptions{})
			if err != nil || l.Source != fstree.SourceStream || !strings.Contains(l.TOCRejected, h.why) || records(l) != records(truth) {
				t.Errorf("%s, %s: %v, %s, rejected %q:\n%s", v.name, what, err, l.Source, l.TOCRejected, records(l))
			}
			_, err = c.Layer(ctx, ref(t, srv.Host+"/test/hostile"), desc(blob), 0, registry.LayerOptions{Verify: true})
			if err == nil || !strings.Contains(err.Error(), "not believed") || !strings.Contains(err.Error(), h.why) {
				t.Errorf("%s, %s: --verify: %v", v.name, what, err)
			}
		}

		// Lies no cheap check sees.
		data, ann := regtest.RewriteTOC(t, v.data, v.ann, func(toc *estargz.JTOC) {
			real := entry(toc, "etc/real")
			real.Digest = sum
			toc.Entries = append(toc.Entries,
				&estargz.TOCEntry{Name: "etc/ghost", Type: "reg", Size: 10, Offset: real.Offset, Digest: sum},
				&estargz.TOCEntry{Name: "etc/passwd", Type: "symlink", LinkName: "../../../../etc/passwd"})
		})
		blob := regtest.PushBlob(t, srv.Host, "test/hostile", v.mediaType, data)
		blob.Annotations = ann
		r := ref(t, srv.Host+"/test/hostile")
		c := registry.New(registry.WithPlainHTTP(srv.Host))
		l, err := c.Layer(ctx, r, desc(blob), 0, registry.LayerOptions{})
		if err != nil || l.Source != fstree.SourceTOC || l.TOCVerified {
			t.Errorf("%s: small lies: %v, %s, verified %v", v.name, err, l.Source, l.TOCVerified)
		}
		_, err = c.Layer(ctx, r, desc(blob), 0, registry.LayerOptions{Verify: true})
		for _, want := range []string{"disagrees with its bytes in 3 entries: etc/ghost: a 10B file " + model.ShortDigest(sum) + " in the table, none in the layer (and 2 more)"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: --verify: %v\nwant %q", v.name, err, want)
			}
		}
		// Each lie alone, named.
		realSum := model.ShortDigest(model.DigestOf([]byte(strings.Repeat("real bytes\n", 200))))
		osSum := model.ShortDigest(model.DigestOf([]byte("ID=test\n")))
		for _, lie := range []struct {
			edit func(*estargz.JTOC)
			want string
		}{
			{func(toc *estargz.JTOC) { entry(toc, "etc/real").Digest = sum },
				"in 1 entry: etc/real: the table says a 2.20kB file " + model.ShortDigest(sum) + ", the layer holds a 2.20kB file " + realSum},
			{func(toc *estargz.JTOC) {
				toc.Entries = append(toc.Entries, &estargz.TOCEntry{Name: "etc/passwd", Type: "symlink", LinkName: "../../../../etc/passwd"})
			}, "in 1 entry: etc/passwd: a symlink to ../../../../etc/passwd in the table, none in the layer"},
			{func(toc *estargz.JTOC) { entry(toc, "etc/os-release").Mode = 0o4755 },
				"in 1 entry: etc/os-release: the table says a 8B file " + osSum + " (mode 4755), the layer holds a 8B file " + osSum + " (mode 644)"},
			{func(toc *estargz.JTOC) {
				toc.Entries = slices.DeleteFunc(toc.Entries, func(e *estargz.TOCEntry) bool { return e.Name == "etc/os-release" })
			}, "in 1 entry: etc/os-release: a 8B file " + osSum + " in the layer, none in the table"},
		} {
			data, ann := regtest.RewriteTOC(t, v.data, v.ann, lie.edit)
			b := regtest.PushBlob(t, srv.Host, "test/hostile", v.mediaType, data)
			b.Annotations = ann
			_, err = c.Layer(ctx, r, desc(b), 0, registry.LayerOptions{Verify: true})
			if err == nil || !strings.Contains(err.Error(), lie.want) {
				t.Errorf("%s: --verify: %v\nwant %q", v.name, err, lie.want)
			}
		}
		img := &registry.Image{Ref: ref(t, srv.Host+"/test/hostile@"+blob.Digest), Manifest: &model.Manifest{Layers: []model.Descriptor{desc(blob)}}}
		for path, want := range map[string]string{"etc/ghost": "holds no file", "etc/real": "not those it was listed with"} {
			rec, _ := l.Find(path)
			if _, err := c.FileContent(ctx, img, rec.Entry, registry.FileOptions{}); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: reading %s: %v", v.name, path, err)
			}
		}
	}
}
