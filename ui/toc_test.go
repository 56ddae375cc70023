package ui

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/containerd/stargz-snapshotter/estargz"
	"github.com/klauspost/compress/gzip"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// pushTOCIndex pushes toc/idx:1, an index of two images of one file each:
// linux/amd64's is eStargz, its etc/real holding "other bytes" while its
// table of contents claims the sum of "real bytes"; linux/arm64's is gzip,
// its etc/real holding "real bytes".
func pushTOCIndex(t *testing.T, srv *demo.Server) {
	t.Helper()
	image := func(arch, mediaType string, data []byte, ann map[string]string) regtest.Blob {
		layer := regtest.PushBlob(t, srv.Host, "toc/idx", mediaType, data)
		layer.Annotations = ann
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(zr)
		cfg, _ := json.Marshal(map[string]any{"architecture": arch, "os": "linux", "rootfs": map[string]any{"type": "layers", "diff_ids": []string{model.DigestOf(raw)}}})
		config := regtest.PushBlob(t, srv.Host, "toc/idx", "application/vnd.oci.image.config.v1+json", cfg)
		m := regtest.PushImage(t, srv.Host, "toc/idx", arch, config, layer)
		m.Annotations = nil
		return m
	}
	realBytes := strings.Repeat("real bytes\n", 100)
	tarOf := func(body string) []byte {
		return regtest.Tar(t, regtest.TarItem{Name: "etc/"}, regtest.TarItem{Name: "etc/real", Body: body}, regtest.TarItem{Name: "etc/os-release", Body: "ID=x\n"})
	}
	sgz, ann := regtest.Estargz(t, tarOf(strings.Repeat("other bytes\n", 100)), 0)
	sgz, ann = regtest.RewriteTOC(t, sgz, ann, func(toc *estargz.JTOC) {
		for _, e := range toc.Entries {
			if e.Name == "etc/real" {
				e.Digest = model.DigestOf([]byte(realBytes))
			}
		}
	})
	amd := image("amd64", regtest.MediaTypeLayerGzip, sgz, ann)
	arm := image("arm64", regtest.MediaTypeLayerGzip, regtest.Gzip(t, tarOf(realBytes)), nil)
	type platform struct {
		Architecture string `json:"architecture"`
		OS           string `json:"os"`
	}
	type entry struct {
		regtest.Blob
		Platform platform `json:"platform"`
	}
	regtest.PushManifest(t, srv.Host, "toc/idx", "1", "application/vnd.oci.image.index.v1+json", map[string]any{
		"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
		"manifests": []entry{{amd, platform{"amd64", "linux"}}, {arm, platform{"arm64", "linux"}}},
	})
}

// The Files pane's header says when what it shows was listed from tables
// of contents (the writer's claim, unchecked), and the unpacked sizes
// worked out from them are marked estimates; a streamed image says none
// of it.
func TestFilesHeaderMarksTOCListings(t *testing.T) {
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	pushTOCIndex(t, srv)
	loc, err := model.ParseLocation("toc/idx:1", srv.Host)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessOn(t, srv, "mono", &loc, "linux/amd64")
	h.keys("enter", "f")
	v := h.view()
	wantIn(t, v, "all layers", "· from its table of contents, unchecked ·", "] steps through", "B + 1 layer ", "B, ~")
	h.keys("]")
	wantIn(t, h.view(), "layer 0 · 1 of 1", "unpacked · from its table of contents, unchecked", "compressed, ~")
	h.keys("esc")
	wantLine(t, h.view(), "✓ linux/amd64 image", "~7.")
	wantIn(t, h.view(), "UNPACKED")

	h = newHarnessOn(t, srv, "mono", &loc, "linux/arm64")
	h.keys("down", "enter", "f")
	v = h.view()
	wantIn(t, v, "all layers", "what a container sees")
	wantOut(t, v, "table of contents", "~")
}

// A file diff does not call two files the same from a sum a table of
// contents claims: it reads them, and the lie is caught.
func TestFileDiffReadsFilesATableGivesSumsFor(t *testing.T) {
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	pushTOCIndex(t, srv)
	loc, err := model.ParseLocation("toc/idx:1", srv.Host)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessOn(t, srv, "mono", &loc, "linux/amd64")
	h.keys("M", "down", "=", "f")
	h.keys("down", "enter")
	if _, ok := h.top().(*fileDiffScreen); !ok {
		t.Fatalf("enter opened %T:\n%s", h.top(), h.view())
	}
	v := h.view()
	wantIn(t, v, "/etc/real", "not those it was listed")
	wantOut(t, v, "the same bytes")
}
