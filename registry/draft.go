package registry

import (
	"context"
	"maps"
	"time"

	"github.com/platypus-tui/platypus/model"
)

// StartDraft begins a draft for target. With amend, it starts from what the
// tag holds now (its entries, annotations and media type).
func (c *Client) StartDraft(ctx context.Context, target model.Reference, amend bool) (*model.Draft, *model.Manifest, error) {
	d := &model.Draft{Target: target, MediaType: model.MediaOCIIndex, Updated: time.Now().UTC()}
	cur, err := c.Current(ctx, target)
	if err != nil {
		return nil, nil, err
	}
	if cur != nil {
		d.Base = cur.Digest
	}
	if amend && cur != nil {
		entries, err := c.DraftEntries(ctx, target.WithDigest(cur.Digest))
		if err != nil {
			return nil, nil, err
		}
		d.Entries = entries
		if cur.IsIndex() {
			d.MediaType = cur.MediaType
			d.Annotations = maps.Clone(cur.Annotations)
			d.Raw = cur.Raw
		}
	}
	return d, cur, nil
}

// DraftEntries resolves r into entries to add: every entry of an index, or
// the one image (its platform read from its config). Children that cannot
// be fetched are kept, marked unreachable, so validation can say so.
func (c *Client) DraftEntries(ctx context.Context, r model.Reference) ([]model.DraftEntry, error) {
	t, err := c.Expand(ctx, r.Pullable(), ExpandOptions{Children: true, Configs: true})
	if err != nil {
		return nil, err
	}
	src := r.RepoOnly()
	if !t.Root.IsIndex() {
		return []model.DraftEntry{model.EntryFromManifest(src, t.Root, t.Configs[t.Root.Digest], nil)}, nil
	}
	var out []model.DraftEntry
	for _, e := range t.Root.Entries {
		de := model.EntryFromIndex(src, e)
		if cfg := t.Configs[e.Digest]; cfg != nil {
			p := cfg.Platform
			de.ConfigPlatform = &p
		}
		if err := t.Errors[e.Digest]; err != nil {
			de.Unreachable = ShortError(err)
		}
		out = append(out, de)
	}
	return out, nil
}
