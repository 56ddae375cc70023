package ui

import (
	"encoding/json"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// The Files pane shows what a container sees of layers written through
// symbolic links (issue 21): over a merged-/usr base, a layer's bin/foo
// makes bin a directory of its own, holding foo alone (modified in that
// layer); a file written through a link of its own layer is where it
// lands, saying how its tar wrote it; a directory a whiteout alone makes
// is listed, marked like files -o json marks it.
func TestFilesPaneThroughLinks(t *testing.T) {
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	const repo = "test/links"
	tars := [][]byte{
		regtest.Tar(t, regtest.TarItem{Name: "usr/"}, regtest.TarItem{Name: "usr/bin/"}, regtest.TarItem{Name: "usr/bin/ls", Body: "ls"}, regtest.TarItem{Name: "bin -> usr/bin"}),
		regtest.Tar(t, regtest.TarItem{Name: "bin/foo", Body: "foo"}, regtest.TarItem{Name: "gone/.wh.x"}),
		regtest.Tar(t, regtest.TarItem{Name: "opt/app/"}, regtest.TarItem{Name: "opt/current -> /opt/app"}, regtest.TarItem{Name: "opt/current/run", Body: "run"}),
	}
	var layers []regtest.Blob
	var diffIDs []string
	for _, b := range tars {
		layers = append(layers, regtest.PushBlob(t, srv.Host, repo, regtest.MediaTypeLayerGzip, regtest.Gzip(t, b)))
		diffIDs = append(diffIDs, model.DigestOf(b))
	}
	cfg, _ := json.Marshal(map[string]any{"architecture": "amd64", "os": "linux", "rootfs": map[string]any{"type": "layers", "diff_ids": diffIDs}})
	config := regtest.PushBlob(t, srv.Host, repo, "application/vnd.oci.image.config.v1+json", cfg)
	regtest.PushImage(t, srv.Host, repo, "1", config, layers...)
	loc, err := model.ParseLocation(repo+":1", srv.Host)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessOn(t, srv, "mono", &loc, "linux/amd64")
	h.keys("f", "E")
	v := h.view()
	wantIn(t, v, "▾ bin/", "foo", "gone/", "run  (written as opt/current/run)", "current → /opt/app")
	wantLine(t, v, "▾ bin/", "drwxr-xr-x")
	wantOut(t, v, "bin → usr/bin")
	h.keys("]", "]") // layer 1
	v = h.view()
	wantIn(t, v, "layer 1 · 2 of 3", "+2 ~1 -0")
	wantLine(t, v, "▾ bin/", "~")
	wantLine(t, v, "gone/", "+")
}
