package registry

import (
	"context"
	"fmt"
	"sync"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
)

// Image is one platform's image, resolved from a tag or digest.
type Image struct {
	// Ref is where it was found, with the image manifest's digest.
	Ref      model.Reference
	Manifest *model.Manifest
	Config   *model.Config
	// Index is the index it was chosen from, if any.
	Index *model.Manifest
}

// Platform is the image's platform, from its config (or the index entry).
func (i *Image) Platform() model.Platform {
	if i.Config != nil {
		return i.Config.Platform
	}
	if i.Index != nil {
		for _, e := range i.Index.Entries {
			if e.Digest == i.Manifest.Digest && e.Platform != nil {
				return *e.Platform
			}
		}
	}
	return model.Platform{}
}

// ResolveImage finds the image r holds for target: r itself when it is an
// image, else the entry docker pull would take from its index (nested
// indexes followed). Its config is read too.
func (c *Client) ResolveImage(ctx context.Context, r model.Reference, target model.Target) (*Image, error) {
	tree, err := c.Expand(ctx, r.Pullable(), ExpandOptions{Children: true})
	if err != nil {
		return nil, err
	}
	img := &Image{Ref: r.Pullable().WithDigest(tree.Root.Digest), Manifest: tree.Root}
	if tree.Root.IsIndex() {
		a := model.Analyze(tree.Root, target, tree.Children, tree.Configs)
		if a.Primary != nil && !a.Primary.Found() && a.Primary.DockerError != "" {
			// The tag is there, the platform is not: say it as copy does
			// (pickPlatforms), with Docker's line, not "not found".
			return nil, fmt.Errorf("%s: no entry for %s: %s", r, target.Platform.Display(), a.Primary.DockerError)
		}
		if a.Primary == nil || !a.Primary.Found() {
			msg := "nothing to pull"
			if a.Primary != nil {
				msg = a.Primary.DockerError
			}
			return nil, c.wrap("resolve", r, "", fmt.Errorf("%w: %s", ErrNotFound, msg))
		}
		if err := tree.Errors[a.Primary.Image]; err != nil {
			return nil, err
		}
		img.Index, img.Manifest = tree.Root, tree.Children[a.Primary.Image]
		img.Ref = r.Pullable().WithDigest(a.Primary.Image)
		if img.Manifest == nil {
			return nil, c.wrap("resolve", r, "", fmt.Errorf("%w: the image %s was not loaded", ErrInvalid, model.ShortDigest(a.Primary.Image)))
		}
	}
	if img.Manifest.Kind != model.KindImage {
		return nil, c.wrap("resolve", img.Ref, "", fmt.Errorf("%w: an %s has no filesystem", ErrUnsupported, img.Manifest.Kind))
	}
	if img.Manifest.Config != nil {
		if img.Config, err = c.Config(ctx, img.Ref, *img.Manifest.Config); err != nil {
			return nil, err
		}
	}
	return img, nil
}

// maxLayerStreams bounds the layers read at once: each is a stream.
const maxLayerStreams = 4

// ImageLayers reads every layer of img, a few at a time; progress hears
// the bytes read of all of them. Layers shared with what was read before
// are not fetched again.
func (c *Client) ImageLayers(ctx context.Context, img *Image, o LayerOptions) ([]fstree.Layer, error) {
	return c.imageLayers(ctx, img, o, nil)
}

// imageLayers is ImageLayers but for the layers skip says (left empty).
func (c *Client) imageLayers(ctx context.Context, img *Image, o LayerOptions, skip []bool) ([]fstree.Layer, error) {
	m := img.Manifest
	out := make([]fstree.Layer, len(m.Layers))
	errs := make([]error, len(m.Layers))
	var total int64
	for _, l := range m.Layers {
		total += l.Size
	}
	var mu sync.Mutex
	done := make([]int64, len(m.Layers))
	parallelN(ctx, len(m.Layers), min(maxLayerStreams, c.opts.concurrency), func(i int) {
		if i < len(skip) && skip[i] {
			return
		}
		d := m.Layers[i]
		lo := o
		lo.Progress = func(n, _ int64) {
			if o.Progress == nil {
				return
			}
			mu.Lock()
			done[i] = n
			var sum int64
			for _, d := range done {
				sum += d
			}
			mu.Unlock()
			o.Progress(sum, total)
		}
		out[i], errs[i] = c.Layer(ctx, img.Ref, d, i, lo)
		if errs[i] == nil && o.Progress != nil {
			lo.Progress(d.Size, d.Size)
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, c.wrap("read layer", img.Ref, "", err) // some were never started
	}
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
	}
	return out, nil
}
