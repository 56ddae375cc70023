package registry_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/containerd/stargz-snapshotter/estargz"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// An eStargz layer (written by stargz-snapshotter's estargz package) with
// a path twice, a hard link made before its target's path was written
// again, an opaque marker at the root and one below, is listed from its
// table of contents as the same layer streamed is: the same merged view,
// every file and hard link with the same sum (issue 21, defect 3).
// estargz.Build keeps only the last record of etc/conf, after the hard
// link: the link reads it, as stargz-snapshotter does.
func TestEstargzLayerWithAPathTwiceIsTheStream(t *testing.T) {
	srv := startDemo(t)
	base := regtest.Tar(t, regtest.TarItem{Name: "old", Body: "below"}, regtest.TarItem{Name: "keep/", Body: ""}, regtest.TarItem{Name: "keep/x", Body: "x"})
	raw := regtest.Tar(t,
		regtest.TarItem{Name: ".wh..wh..opq"}, regtest.TarItem{Name: "etc/"}, regtest.TarItem{Name: "etc/conf", Body: "first"},
		regtest.TarItem{Name: "etc/hard => etc/conf"}, regtest.TarItem{Name: "etc/conf", Body: "last"},
		regtest.TarItem{Name: "var/.wh..wh..opq"}, regtest.TarItem{Name: "var/log", Body: "l"})
	sgz, err := estargz.Build(io.NewSectionReader(bytes.NewReader(raw), 0, int64(len(raw))))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(sgz)
	_ = sgz.Close()
	blob := regtest.PushBlob(t, srv.Host, "test/toc", "application/vnd.oci.image.layer.v1.tar+gzip", data)
	blob.Annotations = map[string]string{"containerd.io/snapshot/stargz/toc.digest": sgz.TOCDigest().String()}
	below := regtest.PushBlob(t, srv.Host, "test/toc", "application/vnd.oci.image.layer.v1.tar+gzip", regtest.Gzip(t, base))

	// The same blobs through a registry that ignores Range: streamed.
	target, _ := url.Parse("http://" + srv.Host)
	rp := httputil.NewSingleHostReverseProxy(target)
	noRange := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Del("Range")
		rp.ServeHTTP(w, r)
	}))
	defer noRange.Close()
	nrHost := strings.TrimPrefix(noRange.URL, "http://")

	list := func(host string) string {
		c := registry.New(registry.WithPlainHTTP(host))
		img := imageOf(t, host, "test/toc", below, blob)
		layers, err := c.ImageLayers(context.Background(), img, registry.LayerOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		fstree.NewView(layers).Listing(func(e fstree.Entry) bool {
			out = append(out, e.Path+":"+e.Type.String()+":"+e.Digest.String())
			return true
		})
		return strings.Join(out, " ")
	}
	fromTOC, streamed := list(srv.Host), list(nrHost)
	if fromTOC != streamed {
		t.Errorf("the table of contents and the stream disagree:\n toc %s\nfull %s", fromTOC, streamed)
	}
	for _, want := range []string{"etc/conf:file:" + sha("last"), "etc/hard:hardlink:" + sha("last")} {
		if !strings.Contains(streamed, want) {
			t.Errorf("no %s in %s", want, streamed)
		}
	}
	if strings.Contains(streamed, "old") || strings.Contains(streamed, "keep") {
		t.Errorf("the root opaque marker hides nothing: %s", streamed)
	}
}

func sha(s string) string { return model.DigestOf([]byte(s)) }
