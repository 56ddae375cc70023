package registry_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// imageOf is an image of the given layers in repo, as FileContent sees it.
func imageOf(t *testing.T, host, repo string, blobs ...regtest.Blob) *registry.Image {
	m := &model.Manifest{Kind: model.KindImage}
	for _, b := range blobs {
		m.Layers = append(m.Layers, desc(b))
	}
	return &registry.Image{Ref: ref(t, host+"/"+repo), Manifest: m}
}

// viewOf is the merged view of img, read through c.
func viewOf(t *testing.T, c *registry.Client, img *registry.Image) fstree.View {
	layers, err := c.ImageLayers(context.Background(), img, registry.LayerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return fstree.NewView(layers)
}

// A file is read from the layer that holds it, through links, as its
// bytes: whole, or its head; a big one is kept on disk until closed.
func TestFileContent(t *testing.T) {
	onEachRegistry(t, fileContent)
}

func fileContent(t *testing.T, host string) {
	c := registry.New(registry.WithPlainHTTP(host))
	big := make([]byte, 3<<20)
	r := rand.New(rand.NewPCG(11, 12))
	for i := range big {
		big[i] = byte(r.Uint32())
	}
	base := regtest.PushBlob(t, host, "test/files", "application/vnd.oci.image.layer.v1.tar+gzip", regtest.Gzip(t, regtest.Tar(t,
		regtest.TarItem{Name: "etc/os-release", Body: "ID=base\n"}, regtest.TarItem{Name: "bin/busybox", Body: "\x7fELF busybox"},
		regtest.TarItem{Name: "bin/sh -> busybox"}, regtest.TarItem{Name: "big", Body: string(big)})))
	top := regtest.PushBlob(t, host, "test/files", "application/vnd.oci.image.layer.v1.tar+zstd", regtest.Zstd(t, regtest.Tar(t,
		regtest.TarItem{Name: "etc/os-release", Body: "ID=top\n"}, regtest.TarItem{Name: "etc/hard => etc/os-release"})))
	img := imageOf(t, host, "test/files", base, top)
	v := viewOf(t, c, img)
	ctx := context.Background()
	for p, want := range map[string]string{"etc/os-release": "ID=top\n", "/bin/sh": "\x7fELF busybox", "etc/hard": "ID=top\n"} {
		e, err := v.Resolve(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		got, err := c.FileContent(ctx, img, e, registry.FileOptions{})
		if err != nil || string(got.Head) != want || !got.Whole() {
			t.Errorf("%s: %+v %v", p, got, err)
		}
	}
	e, _ := v.Resolve("big")
	head, err := c.FileContent(ctx, img, e, registry.FileOptions{Head: 100})
	if err != nil || !bytes.Equal(head.Head, big[:100]) || head.Whole() || head.Entry.Size != int64(len(big)) {
		t.Fatalf("head: %v", err)
	}
	if _, err := head.WriteTo(&bytes.Buffer{}); err == nil {
		t.Error("WriteTo of a head only")
	}
	defer registry.SetInMemory(registry.SetInMemory(1 << 20))
	all, err := c.FileContent(ctx, img, e, registry.FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := all.WriteTo(&out); err != nil || !bytes.Equal(out.Bytes(), big) || all.Whole() {
		t.Errorf("spooled: %v, %d bytes", err, out.Len())
	}
	if err := all.Close(); err != nil {
		t.Error(err)
	}
}

// Nothing is handed out from a layer whose digest is wrong, a file whose
// bytes are not those it was listed with, or a file the layer lacks.
func TestFileContentFaults(t *testing.T) {
	srv := startDemo(t)
	p := regtest.NewFaultProxy(t, srv.Host)
	c := faultClient(p.Host)
	// Plain tar: the proxy's changed byte (the first "2") is then sure to
	// be in it.
	blob := regtest.PushBlob(t, srv.Host, "test/files", "application/vnd.oci.image.layer.v1.tar",
		regtest.Tar(t, regtest.TarItem{Name: "etc/passwd", Body: "root:x:0:0\nuser:x:1002:1002"}))
	img := imageOf(t, p.Host, "test/files", blob)
	v := viewOf(t, c, img)
	e, _ := v.Resolve("etc/passwd")
	ctx := context.Background()

	p.Set(regtest.WrongDigest, regtest.BlobGets, -1, "", 0)
	_, err := c.FileContent(ctx, img, e, registry.FileOptions{})
	p.Clear()
	if !errors.Is(err, registry.ErrInvalid) || !strings.Contains(err.Error(), "digest") {
		t.Errorf("a changed byte: %v", err)
	}
	forged := e
	forged.Digest[0] ^= 1
	if _, err := c.FileContent(ctx, img, forged, registry.FileOptions{}); !errors.Is(err, registry.ErrInvalid) || !strings.Contains(err.Error(), "not those it was listed with") {
		t.Errorf("another sum: %v", err)
	}
	missing := e
	missing.Path = "etc/shadow"
	if _, err := c.FileContent(ctx, img, missing, registry.FileOptions{}); !errors.Is(err, registry.ErrInvalid) || !strings.Contains(err.Error(), "holds no file etc/shadow") {
		t.Errorf("a file the layer lacks: %v", err)
	}
	if _, err := c.FileContent(ctx, img, e, registry.FileOptions{LayerOptions: registry.LayerOptions{Limits: fstree.Limits{Bytes: 5, Entries: 10, PathLen: 100}}}); !errors.Is(err, fstree.ErrLimit) {
		t.Errorf("past the bound: %v", err)
	}
}

// A file's head read lately is kept: opening it again reads no blob.
func TestFileHeadIsKept(t *testing.T) {
	srv := startDemo(t)
	p := regtest.NewFaultProxy(t, srv.Host)
	c := faultClient(p.Host)
	blob := regtest.PushBlob(t, srv.Host, "test/files", "application/vnd.oci.image.layer.v1.tar+gzip",
		regtest.Gzip(t, regtest.Tar(t, regtest.TarItem{Name: "etc/motd", Body: "hello"})))
	img := imageOf(t, p.Host, "test/files", blob)
	e, err := viewOf(t, c, img).Resolve("etc/motd")
	if err != nil {
		t.Fatal(err)
	}
	gets := p.Count(regtest.BlobGets)
	for range 3 {
		got, err := c.FileContent(context.Background(), img, e, registry.FileOptions{Head: 1 << 20})
		if err != nil || string(got.Head) != "hello" || got.Entry.Path != "etc/motd" {
			t.Fatalf("%+v %v", got, err)
		}
	}
	if n := gets.Load(); n != 1 {
		t.Errorf("%d blob requests for three reads of one file", n)
	}
	forged := e
	forged.Digest[0] ^= 1
	if _, err := c.FileContent(context.Background(), img, forged, registry.FileOptions{Head: 1 << 20}); !errors.Is(err, registry.ErrInvalid) {
		t.Errorf("a kept head handed out for another sum: %v", err)
	}
}

// A path twice in one layer is read as its last copy, as the listing and
// tar extraction take it; a hard link made before the copy that replaced
// its target reads the bytes it was made with (issue 21, defect 3).
func TestFileContentOfAPathTwiceInALayer(t *testing.T) {
	srv := startDemo(t)
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	blob := regtest.PushBlob(t, srv.Host, "test/files", "application/vnd.oci.image.layer.v1.tar+gzip", regtest.Gzip(t, regtest.Tar(t,
		regtest.TarItem{Name: "etc/conf", Body: "first"}, regtest.TarItem{Name: "etc/hard => etc/conf"},
		regtest.TarItem{Name: "etc/conf", Body: "last"})))
	img := imageOf(t, srv.Host, "test/files", blob)
	v := viewOf(t, c, img)
	for p, want := range map[string]string{"etc/conf": "last", "etc/hard": "first"} {
		e, err := v.Resolve(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, head := range []int64{0, 2, 100} { // a head of the right copy, too
			got, err := c.FileContent(context.Background(), img, e, registry.FileOptions{Head: head})
			if err != nil {
				t.Errorf("%s, head %d: %v", p, head, err)
				continue
			}
			w := want
			if head > 0 && int(head) < len(w) {
				w = w[:head]
			}
			if string(got.Head) != w {
				t.Errorf("%s, head %d: %q, want %q", p, head, got.Head, w)
			}
		}
	}
}
