package registry

import (
	"context"

	"github.com/platypus-tui/platypus/model"
)

// Summary is what a tag list row shows about a tag.
type Summary struct {
	Digest    string
	Kind      model.Kind
	Platforms []model.Platform // of runnable entries; one for an image
	// Size is what pulling downloads besides manifests: config + layers
	// (an artifact's blobs), summed over an index's images; the explorer
	// says "config+layers" wherever it shows one.
	Size    int64
	Partial bool // some children failed to load
	// HeadOnly says only a HEAD was spent, to save a pull quota.
	HeadOnly bool
	// ReferrersOf is set for a tag of the referrers tag schema
	// (sha256-HEX), which registries without the referrers API hold: the
	// digest its artifacts refer to; ArtifactTypes are theirs.
	ReferrersOf   string
	ArtifactTypes []string
	// Tree is what was loaded (an image's config among its Configs), so
	// that targets can be judged from it without another request; nil
	// when only a HEAD was spent.
	Tree *model.Tree
}

// Summarize loads just enough of r for a tag row: the manifest, and the
// child manifests of an index (for sizes) or the config of an image (for
// its platform).
func (c *Client) Summarize(ctx context.Context, r model.Reference) (Summary, error) {
	if c.quotaMatters(r.Registry) && r.Digest == "" {
		// Under a pull quota a row is not worth pulls: a HEAD (free) gives
		// the digest and the media type; the rest loads when opened.
		d, err := c.Head(ctx, r)
		if err != nil {
			return Summary{}, err
		}
		if c.cache.has(d.Digest) {
			if m, err := c.Manifest(ctx, r.WithDigest(d.Digest)); err == nil && m.IsIndex() {
				s := Summary{Digest: m.Digest, Kind: m.Kind}
				for _, e := range m.Entries {
					if e.Kind == model.KindImage && e.Platform != nil {
						s.Platforms = append(s.Platforms, *e.Platform)
					}
				}
				return s, nil
			}
		}
		kind := model.KindArtifact
		switch {
		case model.IsIndexMedia(d.MediaType):
			kind = model.KindIndex
		case model.IsImageMedia(d.MediaType):
			kind = model.KindImage
		}
		return Summary{Digest: d.Digest, Kind: kind, HeadOnly: true}, nil
	}
	t, err := c.Expand(ctx, r, ExpandOptions{Children: true})
	if err != nil {
		return Summary{}, err
	}
	s := Summary{Digest: t.Root.Digest, Kind: t.Root.Kind, Tree: t}
	switch t.Root.Kind {
	case model.KindIndex:
		if subject, ok := model.ReferrersTagSubject(r.Tag); ok {
			s.ReferrersOf = subject
			for _, e := range t.Root.Entries {
				s.ArtifactTypes = append(s.ArtifactTypes, e.ArtifactType)
			}
		}
		for _, e := range t.Root.Entries {
			if e.Kind == model.KindImage && e.Platform != nil {
				s.Platforms = append(s.Platforms, *e.Platform)
			}
		}
		s.Size = t.Sizes().Total // the images', as the index screen says
		s.Partial = len(t.Errors) > 0
	case model.KindImage:
		s.Size = model.Image{Manifest: t.Root}.CompressedSize()
		if t.Root.Config != nil {
			cfg, err := c.Config(ctx, r, *t.Root.Config)
			if err == nil {
				s.Platforms = []model.Platform{cfg.Platform}
				t.Configs[t.Root.Digest] = cfg
			} else {
				s.Partial = true
			}
		}
	default: // an artifact: its config and blobs, as on its own screen
		s.Size = model.Image{Manifest: t.Root}.CompressedSize()
	}
	return s, nil
}
