package registry

import (
	"context"
	"sync"

	"github.com/platypus-tui/platypus/model"
)

// ScanResult is one tag's answer in a scan.
type ScanResult struct {
	Tag       string
	Digest    string
	Supported bool
	// Selected is the digest of the image the target would pull.
	Selected string
	Err      error
}

// Judge fetches what deciding r for target needs (the manifest; a nested
// index or an image's config only when the selection depends on them) and
// returns Docker's verdict.
func (c *Client) Judge(ctx context.Context, r model.Reference, target model.Target) (ScanResult, error) {
	res := ScanResult{Tag: r.Tag}
	if r.Tag != "" && r.Digest == "" && c.quotaMatters(r.Registry) {
		// A HEAD is free against a pull quota; tags that share a digest
		// then cost one GET between them, from the cache after the first.
		d, err := c.Head(ctx, r)
		if err != nil {
			return res, err
		}
		r = r.WithDigest(d.Digest)
	}
	m, err := c.Manifest(ctx, r)
	if err != nil {
		return res, err
	}
	res.Digest = m.Digest
	children := map[string]*model.Manifest{}
	configs := map[string]*model.Config{}
	switch m.Kind {
	case model.KindImage:
		if m.Config != nil {
			cfg, err := c.Config(ctx, r, *m.Config)
			if err != nil {
				return res, err
			}
			configs[m.Digest] = cfg
		}
	case model.KindIndex:
		for _, e := range m.Entries {
			if e.Kind == model.KindIndex {
				t, err := c.Expand(ctx, r, ExpandOptions{Children: true})
				if err != nil {
					return res, err
				}
				children = t.Children
				break
			}
		}
	default: // attestations and artifacts are never pulled
	}
	a := model.Analyze(m, target, children, configs)
	switch {
	case a.Single != nil:
		res.Supported = a.Single.Verdict == model.Selected
		if res.Supported {
			res.Selected = m.Digest
		}
	case a.Primary != nil:
		res.Supported = a.Primary.Found()
		res.Selected = a.Primary.Image
	}
	return res, nil
}

// Scan judges every tag for target, calling fn (from several goroutines,
// serialised) as each answer arrives. It stops early when ctx ends.
func (c *Client) Scan(ctx context.Context, repo model.Reference, tags []string, target model.Target, fn func(ScanResult)) {
	var mu sync.Mutex
	c.parallel(ctx, len(tags), func(i int) {
		tag := tags[i]
		res, err := c.Judge(ctx, repo.WithTag(tag), target)
		res.Tag, res.Err = tag, err
		if ctx.Err() != nil {
			return
		}
		mu.Lock()
		fn(res)
		mu.Unlock()
	})
}
