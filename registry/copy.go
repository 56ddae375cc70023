package registry

import (
	"context"
	"sync"

	"github.com/regclient/regclient"
	"github.com/regclient/regclient/types"

	"github.com/platypus-tui/platypus/model"
)

// CopyOptions tune Copy.
type CopyOptions struct {
	// Referrers also copies signatures, SBOMs and attestations that refer
	// to what is copied, and to each of its children, recursively.
	Referrers bool
	// Manifest, if set, hears each manifest copied (or found already there).
	Manifest func(digest string, copied bool)
}

// Copy copies the manifest at src, with every child and blob it needs, to
// dst: blobs are mounted within a registry and streamed across registries,
// and content already at dst is skipped. dst may carry a tag (it is set) or
// only a digest. It returns the digests of the manifests it wrote.
func (c *Client) Copy(ctx context.Context, src, dst model.Reference, o CopyOptions) ([]string, error) {
	// regclient copies between any two stores (a registry, a layout) by
	// itself: the remote's instance, hosts probed and logged into first.
	c.remote.client(ctx, hostOf(dst))
	rc := c.remote.client(ctx, hostOf(src))
	var mu sync.Mutex
	var written []string
	opts := []regclient.ImageOpts{regclient.ImageWithCallback(func(kind types.CallbackKind, instance string, st types.CallbackState, _, _ int64) {
		if instance == "" {
			instance = src.Digest // regclient names the manifest it was asked for ""
		}
		if kind != types.CallbackManifest || instance == "" || (st != types.CallbackFinished && st != types.CallbackSkipped) {
			return
		}
		if st == types.CallbackFinished {
			mu.Lock()
			written = append(written, instance)
			mu.Unlock()
		}
		if o.Manifest != nil {
			o.Manifest(instance, st == types.CallbackFinished)
		}
	})}
	if o.Referrers {
		opts = append(opts, regclient.ImageWithReferrers())
	}
	err := rc.ImageCopy(ctx, toRef(src), toRef(dst), opts...)
	if err != nil && ctx.Err() == nil {
		// Copies of referrers run side by side and share blobs (an empty
		// config, a signature's): a registry can refuse a manifest while
		// another copy is still writing one of its blobs. A copy skips what
		// is already there, so once more settles it.
		c.opts.logger.Debug("copying again after a failure", "src", src.String(), "error", err.Error())
		err = rc.ImageCopy(ctx, toRef(src), toRef(dst), opts...)
	}
	if err != nil {
		return written, c.wrap("copy", dst, src.String()+" to "+dst.String(), err)
	}
	return written, nil
}
