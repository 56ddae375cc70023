package registry_test

import (
	"bytes"
	"context"
	"maps"
	"path/filepath"
	"slices"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry"
)

// The two stores answer alike: an index copied from a registry into an
// OCI layout reads back the same through either, each read by a client
// of its own (the caches are by digest): the tree, the head, each
// platform's image, its layers' records and a file's bytes.
func TestLayoutAndRegistryAgree(t *testing.T) {
	srv := startDemo(t)
	ctx := context.Background()
	reg := ref(t, srv.Host+"/platypus/webapp:1.0")
	lay := ref(t, "ocidir://"+filepath.Join(t.TempDir(), "webapp")+":1.0")
	if _, err := registry.New(registry.WithPlainHTTP(srv.Host)).Copy(ctx, reg, lay, registry.CopyOptions{}); err != nil {
		t.Fatal(err)
	}
	type read struct {
		tree   *model.Tree
		head   model.Descriptor
		tags   []string
		images map[string][]fstree.Entry // merged view by platform
		file   []byte
	}
	readAll := func(r model.Reference) read {
		t.Helper()
		c := registry.New(registry.WithPlainHTTP(srv.Host))
		var out read
		var err error
		if out.tree, err = c.Expand(ctx, r, registry.ExpandOptions{Children: true, Configs: true}); err != nil {
			t.Fatal(err)
		}
		if out.head, err = c.Head(ctx, r); err != nil {
			t.Fatal(err)
		}
		if out.tags, err = c.AllTags(ctx, r); err != nil {
			t.Fatal(err)
		}
		out.images = map[string][]fstree.Entry{}
		for _, e := range out.tree.Root.Entries {
			if e.Kind != model.KindImage || e.Platform == nil {
				continue
			}
			img, err := c.ResolveImage(ctx, r, model.FlagTarget(*e.Platform, model.SourceFlag))
			if err != nil {
				t.Fatal(err)
			}
			layers, err := c.ImageLayers(ctx, img, registry.LayerOptions{})
			if err != nil {
				t.Fatal(err)
			}
			view := fstree.Merge(layers)
			out.images[e.Platform.String()] = view
			if out.file != nil {
				continue
			}
			for _, f := range view {
				if f.Type == fstree.File && f.Size > 0 {
					content, err := c.FileContent(ctx, img, f, registry.FileOptions{})
					if err != nil {
						t.Fatal(err)
					}
					out.file = content.Head
					break
				}
			}
		}
		return out
	}
	a, b := readAll(reg), readAll(lay)
	if a.tree.Root.Digest != b.tree.Root.Digest || a.head.Digest != b.head.Digest || a.head.MediaType != b.head.MediaType || a.head.Size != b.head.Size {
		t.Errorf("roots %s and %s, heads %+v and %+v", a.tree.Root.Digest, b.tree.Root.Digest, a.head, b.head)
	}
	if !slices.Equal(slices.Sorted(maps.Keys(a.tree.Children)), slices.Sorted(maps.Keys(b.tree.Children))) ||
		!slices.Equal(slices.Sorted(maps.Keys(a.tree.Configs)), slices.Sorted(maps.Keys(b.tree.Configs))) || len(b.tree.Errors) != 0 {
		t.Errorf("the trees differ: %d and %d children, %d and %d configs, errors %v", len(a.tree.Children), len(b.tree.Children), len(a.tree.Configs), len(b.tree.Configs), b.tree.Errors)
	}
	if !slices.Contains(a.tags, "1.0") || !slices.Equal(b.tags, []string{"1.0"}) {
		t.Errorf("tags %q and %q", a.tags, b.tags)
	}
	if len(a.images) < 2 || len(a.images) != len(b.images) {
		t.Fatalf("%d and %d images", len(a.images), len(b.images))
	}
	for p, va := range a.images {
		if vb := b.images[p]; !slices.Equal(va, vb) {
			t.Errorf("%s: %d entries from the registry, %d from the layout, or other ones", p, len(va), len(vb))
		}
	}
	if len(a.file) == 0 || !bytes.Equal(a.file, b.file) {
		t.Errorf("a file read %d bytes from the registry, %d from the layout, or others", len(a.file), len(b.file))
	}
}
