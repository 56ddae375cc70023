package registry

import (
	"context"
	"sync"

	"platypus/model"
)

// maxReferrerDepth bounds how deep referrers of referrers are followed.
const maxReferrerDepth = 4

// copyReferrers copies to dst's repository what refers to each of digests
// in src's repository (signatures, SBOMs, attestations), then what refers
// to those, and so on, each once. It returns how many it wrote.
func (c *Client) copyReferrers(ctx context.Context, src, dst model.Reference, digests []string) (int, error) {
	seen := map[string]bool{}
	for _, d := range digests {
		seen[d] = true
	}
	copied := 0
	level := digests
	for depth := 0; len(level) > 0 && depth < maxReferrerDepth; depth++ {
		lists := make([][]model.Descriptor, len(level))
		errs := make([]error, len(level))
		c.parallel(ctx, len(level), func(i int) {
			lists[i], errs[i] = c.Referrers(ctx, src.RepoOnly().WithDigest(level[i]))
		})
		if err := ctx.Err(); err != nil {
			return copied, c.wrap("copy referrers", src, "", err)
		}
		var next []string
		for i, l := range lists {
			if errs[i] != nil {
				return copied, errs[i]
			}
			for _, r := range l {
				if !seen[r.Digest] {
					seen[r.Digest] = true
					next = append(next, r.Digest)
				}
			}
		}
		written := make([][]string, len(next))
		errs = make([]error, len(next))
		c.parallel(ctx, len(next), func(i int) {
			written[i], errs[i] = c.Copy(ctx, src.RepoOnly().WithDigest(next[i]), dst.RepoOnly().WithDigest(next[i]), CopyOptions{})
		})
		if err := ctx.Err(); err != nil {
			return copied, c.wrap("copy referrers", src, "", err)
		}
		for i := range next {
			if errs[i] != nil {
				return copied, errs[i]
			}
			for _, w := range written[i] {
				if w == next[i] {
					copied++
				}
			}
		}
		level = next
	}
	return copied, nil
}

// parallel runs f(0…n-1) with at most the client's concurrency at once.
func (c *Client) parallel(ctx context.Context, n int, f func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, c.opts.concurrency)
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			f(i)
		}()
	}
	wg.Wait()
}
