package ui

import (
	"encoding/json"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// The file view of a layer listed on the image screen reads the file
// with one range request from the nearest checkpoint (issue 28), not the
// layer again: a few hundred KB of a 6 MB blob.
func TestFileViewReadsOneRange(t *testing.T) {
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	tar := regtest.RandomFiles(t, 10, "welcome to the middle\n")
	const repo = "big/app"
	layer := regtest.PushBlob(t, srv.Host, repo, regtest.MediaTypeLayerGzip, regtest.Gzip(t, tar))
	cfg, _ := json.Marshal(map[string]any{"architecture": "amd64", "os": "linux", "rootfs": map[string]any{"type": "layers", "diff_ids": []string{model.DigestOf(tar)}}})
	regtest.PushImage(t, srv.Host, repo, "1", regtest.PushBlob(t, srv.Host, repo, "application/vnd.oci.image.config.v1+json", cfg), layer)
	p := regtest.NewCountingProxy(t, srv.Host, false)
	loc, err := model.ParseLocation(repo+":1", p.Host)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessWith(t, registry.New(registry.WithPlainHTTP(p.Host)), "", "mono", &loc, "linux/amd64")
	h.keys("f")
	wantIn(t, h.view(), "etc/")
	if n := p.Take(); n.Whole < 1 || n.Ranged != 0 {
		t.Fatalf("the listing: %+v", n)
	}
	h.keys("down", "enter", "down", "enter") // etc/ below data/: open it, show motd
	wantIn(t, h.view(), "welcome to the middle")
	if n := p.Take(); n.Requests != 1 || n.Ranged != 1 || n.BlobBytes > 2<<20 {
		t.Fatalf("the file view: %+v, want one range of at most 2 MiB", n)
	}
}
