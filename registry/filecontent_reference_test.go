package registry_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/platypus-tui/platypus/model/fstree/layertest"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// Every file of random layer stacks, read as cat reads it (the merged
// view resolves it, FileContent streams its layer), has the bytes Docker's
// layer applier unpacks there: paths twice in a layer, hard links within
// and across layers, whiteouts and opaque markers, the root's too, files
// written through a link of their own layer (see
// model/fstree/reference_test.go for the stacks and the references; a
// stack writing through a lower layer's link is overlayfs's, not this
// applier's).
func TestFileContentIsWhatDockerUnpacks(t *testing.T) {
	srv := startDemo(t)
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	r := rand.New(rand.NewPCG(31, 1))
	files, stacks, through := 0, 0, 0
	for stacks < 80 {
		s := layertest.Random(r)
		tars, err := s.Tars()
		if err != nil {
			t.Fatal(err)
		}
		trees, err := layertest.Docker(layertest.Scratch(t), tars)
		if errors.Is(err, layertest.ErrUnsupported) {
			t.Skip(err)
		}
		if _, lower := layertest.ThroughLinks(s); err != nil || lower || layertest.OrderMatters(s) {
			continue
		}
		stacks++
		var blobs []regtest.Blob
		for _, b := range tars {
			blobs = append(blobs, regtest.PushBlob(t, srv.Host, "test/reference", "application/vnd.oci.image.layer.v1.tar+gzip", regtest.Gzip(t, b)))
		}
		img := imageOf(t, srv.Host, "test/reference", blobs...)
		v := viewOf(t, c, img)
		tree := trees[len(trees)-1]
		for _, p := range tree.Paths() {
			want := tree[p]
			if want.Type != "file" {
				continue
			}
			e, err := v.Resolve(p)
			if err != nil {
				t.Fatalf("%q: %v\n%s", p, err, s)
			}
			got, err := c.FileContent(context.Background(), img, e, registry.FileOptions{})
			if err != nil {
				t.Fatalf("%q (%s of layer %d): %v\n%s", p, e.Path, e.Layer, err, s)
			}
			if sum := layertest.Sum(got.Head); sum != want.Sum {
				t.Fatalf("%q: the bytes %q, want those of sum %s\n%s", p, got.Head, want.Sum[:12], s)
			}
			files++
			if e.TarPath != "" {
				through++
			}
		}
	}
	t.Logf("%d files of %d stacks read, %d written through a link of their layer", files, stacks, through)
	if through == 0 {
		t.Error("no file written through a link of its layer was read")
	}
}
