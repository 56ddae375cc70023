package registry

import (
	"context"

	"platypus/model"
)

// Summary is what a tag list row shows about a tag.
type Summary struct {
	Digest    string
	Kind      model.Kind
	Platforms []model.Platform // of runnable entries; one for an image
	Size      int64            // compressed: config + layers, summed over images
	Partial   bool             // some children failed to load
}

// Summarize loads just enough of r for a tag row: the manifest, and the
// child manifests of an index (for sizes) or the config of an image (for
// its platform).
func (c *Client) Summarize(ctx context.Context, r model.Reference) (Summary, error) {
	t, err := c.Expand(ctx, r, ExpandOptions{Children: true})
	if err != nil {
		return Summary{}, err
	}
	s := Summary{Digest: t.Root.Digest, Kind: t.Root.Kind}
	switch t.Root.Kind {
	case model.KindIndex:
		for _, e := range t.Root.Entries {
			if e.Kind == model.KindImage && e.Platform != nil {
				s.Platforms = append(s.Platforms, *e.Platform)
			}
		}
		for _, m := range t.Children {
			if m.Kind == model.KindImage {
				s.Size += model.Image{Manifest: m}.CompressedSize()
			}
		}
		s.Partial = len(t.Errors) > 0
	case model.KindImage:
		s.Size = model.Image{Manifest: t.Root}.CompressedSize()
		if t.Root.Config != nil {
			cfg, err := c.Config(ctx, r, *t.Root.Config)
			if err == nil {
				s.Platforms = []model.Platform{cfg.Platform}
			} else {
				s.Partial = true
			}
		}
	default:
		s.Size = t.Root.LayersSize()
	}
	return s, nil
}
