package registry

import (
	"context"
	"fmt"
	"sync"

	"github.com/platypus-tui/platypus/model"
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

// Expand loads the manifest at r and, as asked, what it points to: every
// child manifest, nested indexes followed, and every image's config. There
// are no waves: a config is asked for the moment its manifest arrives, a
// nested index's children the moment it does, within the client's
// concurrency, configs (the ends of their chains) before more manifests. A
// 48-entry index costs three round trips with enough concurrency, five at
// 16 in flight. The CLI and the TUI both use it. A child that fails is
// recorded in Tree.Errors; only the root failing is an error.
func (c *Client) Expand(ctx context.Context, r model.Reference, opt ExpandOptions) (*model.Tree, error) {
	root, err := c.Manifest(ctx, r)
	if err != nil {
		return nil, err
	}
	e := &expansion{c: c, ctx: ctx, r: r, opt: opt, t: model.NewTree(root), queued: map[string]bool{}}
	e.cond = sync.NewCond(&e.mu)
	e.mu.Lock()
	e.took(root, 0)
	e.mu.Unlock()
	var wg sync.WaitGroup
	for range max(c.opts.concurrency, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.work()
		}()
	}
	wg.Wait()
	e.t.SettleKinds()
	if err := ctx.Err(); err != nil {
		return e.t, c.wrap("expand", r, "", err)
	}
	return e.t, nil
}

// expansion is one Expand: a queue of fetches that workers take from, the
// tree they fill, and the count for progress. Everything is under mu.
type expansion struct {
	c    *Client
	ctx  context.Context
	r    model.Reference
	opt  ExpandOptions
	t    *model.Tree
	mu   sync.Mutex
	cond *sync.Cond
	// configs and manifests wait to be fetched; configs go first.
	configs   []*model.Manifest
	manifests []wanted
	queued    map[string]bool
	busy      int
	done      int
	total     int
}

// wanted is a child manifest to fetch, at its nesting depth.
type wanted struct {
	e     model.Entry
	depth int
}

// work takes fetches until none is left and none is running (which could
// bring more).
func (e *expansion) work() {
	for {
		e.mu.Lock()
		for len(e.configs) == 0 && len(e.manifests) == 0 && e.busy > 0 {
			e.cond.Wait()
		}
		if len(e.configs) == 0 && len(e.manifests) == 0 {
			e.cond.Broadcast()
			e.mu.Unlock()
			return
		}
		e.busy++
		if n := len(e.configs); n > 0 {
			m := e.configs[n-1]
			e.configs = e.configs[:n-1]
			e.mu.Unlock()
			e.fetchConfig(m)
		} else {
			w := e.manifests[0]
			e.manifests = e.manifests[1:]
			e.mu.Unlock()
			e.fetchManifest(w)
		}
		e.mu.Lock()
		e.busy--
		e.done++
		done, total := e.done, e.total
		e.cond.Broadcast()
		e.mu.Unlock()
		if e.opt.Progress != nil {
			e.opt.Progress(done, total)
		}
	}
}

// took files a manifest that arrived (the root at depth 0) and queues what
// it points to; e.mu is held.
func (e *expansion) took(m *model.Manifest, depth int) {
	switch {
	case m.Kind == model.KindImage && e.opt.Configs && m.Config != nil:
		e.configs = append(e.configs, m)
		e.total++
	case m.IsIndex() && e.opt.Children && depth >= model.MaxDepth:
		e.t.Errors[m.Digest] = fmt.Errorf("%w: indexes nested deeper than %d are not followed", ErrInvalid, model.MaxDepth)
	case m.IsIndex() && e.opt.Children:
		for _, c := range m.Entries {
			if prev, seen := e.t.Children[c.Digest]; c.Digest == e.t.Root.Digest || (seen && prev.IsIndex()) {
				// An index above it is fetched before it: a cycle is seen.
				e.t.Errors[c.Digest] = fmt.Errorf("%w: index %s refers back to an index above it", ErrInvalid, model.ShortDigest(m.Digest))
				continue
			}
			if e.queued[c.Digest] {
				continue
			}
			if c.Size > model.MaxManifestSize {
				e.t.Errors[c.Digest] = fmt.Errorf("%w: manifest of %d bytes is over the limit", ErrInvalid, c.Size)
				continue
			}
			e.queued[c.Digest] = true
			e.manifests = append(e.manifests, wanted{e: c, depth: depth + 1})
			e.total++
		}
	}
}

func (e *expansion) fetchManifest(w wanted) {
	if err := e.ctx.Err(); err != nil {
		e.mu.Lock()
		e.t.Errors[w.e.Digest] = e.c.wrap("get manifest", e.r, "", err)
		e.mu.Unlock()
		return
	}
	ref := e.r.WithDigest(w.e.Digest)
	m, err := e.c.Manifest(e.ctx, ref)
	if err == nil && m.Size != w.e.Size {
		m, err = nil, e.c.wrap("get manifest", ref, "", fmt.Errorf("%w: the index says %d bytes, the manifest has %d", ErrInvalid, w.e.Size, m.Size))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err != nil {
		e.t.Errors[w.e.Digest] = err
		return
	}
	e.t.Children[w.e.Digest] = m
	e.took(m, w.depth)
}

func (e *expansion) fetchConfig(m *model.Manifest) {
	if e.ctx.Err() != nil {
		return
	}
	cfg, err := e.c.Config(e.ctx, e.r, *m.Config)
	e.mu.Lock()
	defer e.mu.Unlock()
	if err != nil {
		e.t.ConfigErrors[m.Digest] = err
		return
	}
	e.t.Configs[m.Digest] = cfg
}
