package registry

import (
	"context"

	"github.com/platypus-tui/platypus/model"
)

// maxReferrerDepth bounds how deep referrers of referrers are followed.
const maxReferrerDepth = 4

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
// refers to them.
func (c *Client) copyListed(ctx context.Context, src, dst model.Reference, subjects []string, lists [][]model.Descriptor) (int, error) {
	seen := map[string]bool{}
	for _, d := range subjects {
		seen[d] = true
	}
	copied := 0
	for depth := 0; depth < maxReferrerDepth; depth++ {
		var next []string
		for _, l := range lists {
			for _, r := range l {
				if !seen[r.Digest] {
					seen[r.Digest] = true
					next = append(next, r.Digest)
				}
			}
		}
		if len(next) == 0 {
			break
		}
		written := make([][]string, len(next))
		errs := make([]error, len(next))
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
		var err error
		if lists, err = c.listReferrers(ctx, src, next); err != nil {
			return copied, err
		}
	}
	return copied, nil
}
