package registry_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// sparseLayer is a 253-byte layer holding one file of 1 TiB, all hole,
// recorded with GNU tar 1.34:
//
//	truncate -s 1T hole
//	tar --sparse --format=pax --owner=0 --group=0 --numeric-owner --mtime=2024-01-01 -cf - hole | gzip -n -9
func sparseLayer(t testing.TB, host string) model.Descriptor {
	t.Helper()
	gz, err := os.ReadFile("testdata/sparse-1tib.tar.gz")
	if err != nil {
		t.Fatal(err)
	}
	return desc(regtest.PushBlob(t, host, "test/sparse", "application/vnd.oci.image.layer.v1.tar+gzip", gz))
}

// A sparse file declaring more than the layer bound is refused at its
// header, naming it and its size: before, the 8 GiB bound was reached by
// hashing 8 GiB of holes (42 s of CPU in the issue; BenchmarkSparseLayer).
func TestSparseFileIsRefusedAtItsHeader(t *testing.T) {
	srv := startDemo(t)
	d := sparseLayer(t, srv.Host)
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	_, err := c.Layer(context.Background(), ref(t, srv.Host+"/test/sparse"), d, 0, registry.LayerOptions{})
	t.Log(err)
	if !errors.Is(err, fstree.ErrLimit) || !strings.Contains(err.Error(), "hole") || !strings.Contains(err.Error(), "declares 1099511627776 bytes") || !strings.Contains(err.Error(), "sparse") {
		t.Errorf("err %v; want the bound, naming the file and the size its header declares", err)
	}
}

func BenchmarkSparseLayer(b *testing.B) {
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	d := sparseLayer(b, srv.Host)
	r, _ := model.ParseReference(srv.Host + "/test/sparse")
	for b.Loop() {
		c := registry.New(registry.WithPlainHTTP(srv.Host))
		if _, err := c.Layer(context.Background(), r, d, 0, registry.LayerOptions{}); !errors.Is(err, fstree.ErrLimit) {
			b.Fatal(err)
		}
	}
}
