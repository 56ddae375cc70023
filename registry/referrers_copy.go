package registry

import (
	"context"
	"fmt"

	"github.com/platypus-tui/platypus/model"
)

// listReferrers lists, in src's repository, what refers to each digest.
func (c *Client) listReferrers(ctx context.Context, src model.Reference, digests []string) ([][]model.Descriptor, error) {
	lists := make([][]model.Descriptor, len(digests))
	errs := make([]error, len(digests))
	c.parallel(ctx, len(digests), func(i int) {
		lists[i], errs[i] = c.Referrers(ctx, src.RepoOnly().WithDigest(digests[i]))
	})
	if err := ctx.Err(); err != nil {
		return nil, c.wrap("list referrers", src, "", err)
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return lists, nil
}

// copyReferrers copies to dst's repository what refers to each of digests
// in src's repository (signatures, SBOMs, attestations), then what refers
// to those, and so on, each once. It returns how many it wrote.
func (c *Client) copyReferrers(ctx context.Context, src, dst model.Reference, digests []string) (int, error) {
	lists, err := c.listReferrers(ctx, src, digests)
	if err != nil {
		return 0, err
	}
	return c.copyListed(ctx, src, dst, digests, lists)
}

// copyListed copies the referrers listed for subjects, then follows what
// refers to them, level by level (walkReferrers). It returns how many it
// wrote.
func (c *Client) copyListed(ctx context.Context, src, dst model.Reference, subjects []string, lists [][]model.Descriptor) (int, error) {
	copied := 0
	err := c.walkReferrers(ctx, src, subjects, lists, func(next []string) error {
		written := make([][]string, len(next))
		errs := make([]error, len(next))
		c.parallel(ctx, len(next), func(i int) {
			written[i], errs[i] = c.Copy(ctx, src.RepoOnly().WithDigest(next[i]), dst.RepoOnly().WithDigest(next[i]), CopyOptions{})
		})
		if err := ctx.Err(); err != nil {
			return c.wrap("copy referrers", src, "", err)
		}
		for i := range next {
			if errs[i] != nil {
				return errs[i]
			}
			for _, w := range written[i] {
				if w == next[i] {
					copied++
				}
			}
		}
		return nil
	})
	return copied, err
}

// walkReferrers hands visit, level by level, the referrers listed for
// subjects not met before, then lists what refers to those. Each
// subject's referrers, with theirs, count against limits.referrers, and
// the levels against limits.referrerDepth: a registry that names
// thousands, or an endless chain, is refused before they are visited
// rather than followed. A copy and its dry run walk alike.
func (c *Client) walkReferrers(ctx context.Context, src model.Reference, subjects []string, lists [][]model.Descriptor, visit func(next []string) error) error {
	lim := c.opts.limits
	seen := map[string]bool{}
	for _, d := range subjects {
		seen[d] = true
	}
	// roots[i] is the subject whose budget lists[i] spends.
	roots := make([]int, len(subjects))
	for i := range roots {
		roots[i] = i
	}
	followed := make([]int, len(subjects))
	bound := func(format string, a ...any) error {
		return c.wrap("copy referrers", src, "", fmt.Errorf("%w: "+format, append([]any{ErrTruncated}, a...)...))
	}
	for depth := 1; ; depth++ {
		var next []string
		var nextRoots []int
		for i, l := range lists {
			for _, r := range l {
				if seen[r.Digest] {
					continue
				}
				root := roots[i]
				if depth > lim.ReferrerDepth {
					return bound("the referrers of %s go more than %d levels deep (limits.referrerDepth)", model.ShortDigest(subjects[root]), lim.ReferrerDepth)
				}
				if followed[root]++; followed[root] > lim.Referrers {
					return bound("%s has more than %d referrers, with theirs (limits.referrers)", model.ShortDigest(subjects[root]), lim.Referrers)
				}
				seen[r.Digest] = true
				next = append(next, r.Digest)
				nextRoots = append(nextRoots, root)
			}
		}
		if len(next) == 0 {
			return nil
		}
		if err := visit(next); err != nil {
			return err
		}
		var err error
		if lists, err = c.listReferrers(ctx, src, next); err != nil {
			return err
		}
		roots = nextRoots
	}
}
