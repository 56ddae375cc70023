package registry

import (
	"context"

	"github.com/regclient/regclient"

	"platypus/model"
)

// CopyOptions tune Copy.
type CopyOptions struct {
	// Referrers also copies signatures, SBOMs and attestations that refer
	// to what is copied.
	Referrers bool
}

// Copy copies the manifest at src, with every child and blob it needs, to
// dst: blobs are mounted within a registry and streamed across registries,
// and content already at dst is skipped. dst may carry a tag (it is set) or
// only a digest.
func (c *Client) Copy(ctx context.Context, src, dst model.Reference, o CopyOptions) error {
	c.client(ctx.Done(), hostOf(dst))
	rc := c.client(ctx.Done(), hostOf(src))
	opts := []regclient.ImageOpts{}
	if o.Referrers {
		opts = append(opts, regclient.ImageWithReferrers())
	}
	if err := rc.ImageCopy(ctx, toRef(src), toRef(dst), opts...); err != nil {
		return c.wrap("copy", dst, src.String()+" to "+dst.String(), err)
	}
	return nil
}
