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
	// Targets holds every fleet target's answer, in fleet order; Supported
	// and Selected are the first target's.
	Targets []TargetResult
	// FitsAll tells whether every target pulls an image.
	FitsAll bool
	Err     error
}

// TargetResult is one fleet target's answer for a tag.
type TargetResult struct {
	Supported bool
	Selected  string
}

// Judge fetches what deciding r for target needs (the manifest; a nested
// index or an image's config only when the selection depends on them) and
// returns Docker's verdict.
func (c *Client) Judge(ctx context.Context, r model.Reference, target model.Target) (ScanResult, error) {
	return c.JudgeFleet(ctx, r, singleFleet(target))
}

// singleFleet is one target judged by Docker's rules.
func singleFleet(target model.Target) model.Fleet {
	return model.Fleet{{Name: target.Platform.Display(), Target: target, Store: model.FleetDocker}}
}

// JudgeFleet fetches what deciding r needs, once, and judges it for every
// target of fleet: a fleet costs the requests of one target.
func (c *Client) JudgeFleet(ctx context.Context, r model.Reference, fleet model.Fleet) (ScanResult, error) {
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
	verdicts := model.JudgeFleet(m, fleet, children, configs)
	for _, v := range verdicts {
		sel := v.Analysis.Pulls()
		res.Targets = append(res.Targets, TargetResult{Supported: sel != "", Selected: sel})
	}
	if len(res.Targets) > 0 {
		res.Supported, res.Selected = res.Targets[0].Supported, res.Targets[0].Selected
	}
	res.FitsAll = model.FitsAll(verdicts)
	return res, nil
}

// Scan judges every tag for target, calling fn (from several goroutines,
// serialised) as each answer arrives. It stops early when ctx ends.
func (c *Client) Scan(ctx context.Context, repo model.Reference, tags []string, target model.Target, fn func(ScanResult)) {
	c.ScanFleet(ctx, repo, tags, singleFleet(target), fn)
}

// ScanFleet is Scan for every target of fleet at once, with the requests
// of a scan for one.
func (c *Client) ScanFleet(ctx context.Context, repo model.Reference, tags []string, fleet model.Fleet, fn func(ScanResult)) {
	var mu sync.Mutex
	c.parallel(ctx, len(tags), func(i int) {
		tag := tags[i]
		res, err := c.JudgeFleet(ctx, repo.WithTag(tag), fleet)
		res.Tag, res.Err = tag, err
		if ctx.Err() != nil {
			return
		}
		mu.Lock()
		fn(res)
		mu.Unlock()
	})
}
