package registry

import (
	"context"
	"fmt"
	"sync"

	"platypus/model"
)

// ExpandOptions says how much of a tree Expand loads.
type ExpandOptions struct {
	// Children loads the manifest of every entry (nested indexes followed
	// to model.MaxDepth).
	Children bool
	// Configs also loads every image's config.
	Configs bool
	// Progress, if set, is called after each fetch with done and total.
	Progress func(done, total int)
}

// Expand loads the manifest at r and, as asked, what it points to: all child
// manifests in parallel, then all configs in parallel, so a 48-entry index
// costs three round trips at any latency. The CLI and the TUI both use it.
// A child that fails is recorded in Tree.Errors; only the root failing is an
// error.
func (c *Client) Expand(ctx context.Context, r model.Reference, opt ExpandOptions) (*model.Tree, error) {
	root, err := c.Manifest(ctx, r)
	if err != nil {
		return nil, err
	}
	t := model.NewTree(root)
	var mu sync.Mutex
	done, total := 0, 0
	step := func(add int) {
		mu.Lock()
		done += add
		d, tt := done, total
		mu.Unlock()
		if opt.Progress != nil {
			opt.Progress(d, tt)
		}
	}
	images := []*model.Manifest{}
	if root.Kind == model.KindImage {
		images = append(images, root)
	}
	if opt.Children && root.IsIndex() {
		level := []*model.Manifest{root}
		for depth := 1; len(level) > 0 && depth <= model.MaxDepth; depth++ {
			var wants []model.Entry
			for _, idx := range level {
				for _, e := range idx.Entries {
					if prev, seen := t.Children[e.Digest]; e.Digest == root.Digest || (seen && prev.IsIndex()) {
						t.Errors[e.Digest] = fmt.Errorf("%w: index %s refers back to an index above it", ErrInvalid, model.ShortDigest(idx.Digest))
						continue
					} else if seen {
						continue
					}
					if e.Size > model.MaxManifestSize {
						t.Errors[e.Digest] = fmt.Errorf("%w: manifest of %d bytes is over the limit", ErrInvalid, e.Size)
						continue
					}
					wants = append(wants, e)
				}
			}
			mu.Lock()
			total += len(wants)
			mu.Unlock()
			got := c.fetchAll(ctx, r, wants, step)
			level = nil
			for i, e := range wants {
				if got[i].err != nil {
					t.Errors[e.Digest] = got[i].err
					continue
				}
				m := got[i].m
				t.Children[e.Digest] = m
				switch m.Kind {
				case model.KindIndex:
					level = append(level, m)
				case model.KindImage:
					images = append(images, m)
				default: // attestations and artifacts have no config to fetch
				}
			}
			if depth == model.MaxDepth {
				for _, idx := range level {
					t.Errors[idx.Digest] = fmt.Errorf("%w: indexes nested deeper than %d are not followed", ErrInvalid, model.MaxDepth)
				}
			}
		}
	}
	if opt.Configs {
		mu.Lock()
		total += len(images)
		mu.Unlock()
		c.configsAll(ctx, r, images, t, step)
	}
	if err := ctx.Err(); err != nil {
		return t, c.wrap("expand", r, "", err)
	}
	return t, nil
}

type fetched struct {
	m   *model.Manifest
	err error
}

// fetchAll gets the manifests of entries in parallel; the client's
// per-host limit bounds what is in flight.
func (c *Client) fetchAll(ctx context.Context, r model.Reference, entries []model.Entry, step func(int)) []fetched {
	out := make([]fetched, len(entries))
	var wg sync.WaitGroup
	sem := make(chan struct{}, c.opts.concurrency)
	for i, e := range entries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				out[i].err = c.wrap("get manifest", r, "", ctx.Err())
				return
			}
			defer func() { <-sem }()
			m, err := c.Manifest(ctx, r.WithDigest(e.Digest))
			if err == nil && m.Size != e.Size {
				m, err = nil, c.wrap("get manifest", r.WithDigest(e.Digest), "", fmt.Errorf("%w: the index says %d bytes, the manifest has %d", ErrInvalid, e.Size, m.Size))
			}
			out[i] = fetched{m, err}
			step(1)
		}()
	}
	wg.Wait()
	return out
}

func (c *Client) configsAll(ctx context.Context, r model.Reference, images []*model.Manifest, t *model.Tree, step func(int)) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	sem := make(chan struct{}, c.opts.concurrency)
	for _, m := range images {
		if m.Config == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			cfg, err := c.Config(ctx, r, *m.Config)
			mu.Lock()
			if err != nil {
				t.ConfigErrors[m.Digest] = err
			} else {
				t.Configs[m.Digest] = cfg
			}
			mu.Unlock()
			step(1)
		}()
	}
	wg.Wait()
}
