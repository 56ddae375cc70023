package registry

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/opencontainers/go-digest"
	"github.com/regclient/regclient/types/descriptor"
	"github.com/regclient/regclient/types/ref"

	"github.com/platypus-tui/platypus/model"
)

const (
	maxManifestPull = model.MaxManifestSize
	maxManifestPush = model.MaxManifestSize
)

// toRef converts a model reference to regclient's.
func toRef(r model.Reference) ref.Ref {
	if r.IsOCIDir() {
		return ref.Ref{Scheme: "ocidir", Reference: r.String(), Path: r.Path, Tag: r.Tag, Digest: r.Digest}
	}
	return ref.Ref{Scheme: "reg", Reference: r.String(), Registry: r.Registry, Repository: r.Repository, Tag: r.Tag, Digest: r.Digest}
}

func toDescriptor(d model.Descriptor) descriptor.Descriptor {
	return descriptor.Descriptor{MediaType: d.MediaType, Digest: digest.Digest(d.Digest), Size: d.Size}
}

func hostOf(r model.Reference) string {
	if r.IsOCIDir() {
		return ""
	}
	return r.Registry
}

// Manifest fetches a manifest or index by tag or digest. Content fetched by
// digest is verified, cached and shared between concurrent callers; a
// fetch by tag is verified against the registry's digest header.
func (c *Client) Manifest(ctx context.Context, r model.Reference) (*model.Manifest, error) {
	if !r.HasTagOrDigest() {
		r = r.Pullable()
	}
	if r.Digest != "" {
		raw, err := c.cache.do(ctx, r.Digest, func(ctx context.Context) ([]byte, error) {
			if b, ok := c.cache.get(r.Digest); ok {
				return b, nil
			}
			raw, mt, err := c.getManifest(ctx, r)
			if err != nil {
				return nil, err
			}
			if got := model.DigestOf(raw); got != r.Digest {
				return nil, fmt.Errorf("%w: manifest digest is %s, expected %s", ErrInvalid, got, r.Digest)
			}
			c.cache.setMedia(r.Digest, mt)
			c.cache.put(r.Digest, raw, true)
			return raw, nil
		})
		if err != nil {
			return nil, c.wrap("get manifest", r, "", err)
		}
		return c.decode(r, raw, c.cache.media(r.Digest))
	}
	raw, mt, err := c.getManifest(ctx, r)
	if err != nil {
		return nil, c.wrap("get manifest", r, "", err)
	}
	m, err := c.decode(r, raw, mt)
	if err != nil {
		return nil, err
	}
	c.cache.setMedia(m.Digest, mt)
	c.cache.put(m.Digest, raw, true)
	return m, nil
}

func (c *Client) decode(r model.Reference, raw []byte, mt string) (*model.Manifest, error) {
	m, err := model.DecodeManifest(raw, mt)
	if err != nil {
		return nil, c.wrap("decode manifest", r, "", err)
	}
	m.Ref = r
	return m, nil
}

func (c *Client) getManifest(ctx context.Context, r model.Reference) ([]byte, string, error) {
	return c.storeOf(r).getManifest(ctx, r)
}

// Head asks for a manifest's descriptor without downloading it, which
// registries such as Docker Hub do not count against the pull quota.
func (c *Client) Head(ctx context.Context, r model.Reference) (model.Descriptor, error) {
	r = r.Pullable()
	d, err := c.storeOf(r).headManifest(ctx, r)
	if err != nil {
		return model.Descriptor{}, c.wrap("head manifest", r, "", err)
	}
	if !model.ValidDigest(d.Digest) {
		return model.Descriptor{}, c.wrap("head manifest", r, "", fmt.Errorf("%w: malformed digest header", ErrInvalid))
	}
	return d, nil
}

// Config fetches and decodes the image config d of the image at r. Configs
// over model.MaxConfigSize are refused before they are downloaded.
func (c *Client) Config(ctx context.Context, r model.Reference, d model.Descriptor) (*model.Config, error) {
	raw, err := c.Blob(ctx, r, d, model.MaxConfigSize)
	if err != nil {
		return nil, err
	}
	cfg, err := model.DecodeConfig(raw)
	if err != nil {
		return nil, c.wrap("decode config", r.WithDigest(d.Digest), "", err)
	}
	return cfg, nil
}

// Blob fetches a small blob by digest, verified and bounded by limit.
func (c *Client) Blob(ctx context.Context, r model.Reference, d model.Descriptor, limit int64) ([]byte, error) {
	target := r.RepoOnly().WithDigest(d.Digest)
	if d.Size > limit {
		return nil, c.wrap("get blob", target, "", fmt.Errorf("%w: blob of %d bytes is over the %d-byte limit", ErrInvalid, d.Size, limit))
	}
	raw, err := c.cache.do(ctx, d.Digest, func(ctx context.Context) ([]byte, error) {
		if b, ok := c.cache.get(d.Digest); ok {
			return b, nil
		}
		br, err := c.storeOf(r).openBlob(ctx, r.RepoOnly(), d)
		if err != nil {
			return nil, err
		}
		defer func() { _ = br.Close() }() // read only: nothing lost
		raw, err := io.ReadAll(io.LimitReader(br, limit+1))
		if err != nil {
			return nil, err //nolint:wrapcheck // wrapped below
		}
		if int64(len(raw)) > limit {
			return nil, fmt.Errorf("%w: blob is over the %d-byte limit", ErrInvalid, limit)
		}
		if got := model.DigestOf(raw); got != d.Digest {
			return nil, fmt.Errorf("%w: blob digest is %s, expected %s", ErrInvalid, got, d.Digest)
		}
		c.cache.put(d.Digest, raw, true)
		return raw, nil
	})
	if err != nil {
		return nil, c.wrap("get blob", target, "", err)
	}
	return raw, nil
}

// Referrers lists what refers to the manifest at r (signatures, SBOMs,
// attestations), by the OCI referrers API or, where the registry has none,
// the "sha256-<hex>" tag schema. r must carry a digest.
func (c *Client) Referrers(ctx context.Context, r model.Reference) ([]model.Descriptor, error) {
	if r.Digest == "" {
		return nil, c.wrap("list referrers", r, "", fmt.Errorf("%w: referrers need a digest", ErrInvalid))
	}
	if err := c.apiFailures.get(r); err != nil {
		return nil, c.wrap("list referrers", r, "", err)
	}
	ctx, guard := withReferrersGuard(ctx, c.opts.limits)
	rl, err := c.storeOf(r).referrers(ctx, r)
	if gerr := guard.err(); gerr != nil {
		// regclient falls back to the tag schema when the API's answer
		// was cut: what the guard stopped is the answer.
		err = gerr
	} else if aerr := guard.apiErr(); aerr != nil {
		// Nor is the tag schema the answer of an API that timed out;
		// regclient does not ask that repository's API again.
		err = fmt.Errorf("%w: the referrers API gave no answer: %w", ErrUnreachable, aerr)
		c.apiFailures.put(r, err)
	} else if err == nil {
		err = guard.truncated("the referrers of " + model.ShortDigest(r.Digest))
	}
	if err != nil {
		return nil, c.wrap("list referrers", r, "", err)
	}
	out := make([]model.Descriptor, 0, len(rl.Descriptors))
	for _, d := range rl.Descriptors {
		if !model.ValidDigest(d.Digest.String()) || d.Size < 0 {
			continue
		}
		out = append(out, model.Descriptor{
			MediaType:    d.MediaType,
			Digest:       d.Digest.String(),
			Size:         d.Size,
			ArtifactType: d.ArtifactType,
			Annotations:  d.Annotations,
		})
	}
	return out, nil
}

// referrerAPIFailures are the repositories whose referrers API gave no
// answer: regclient lists their tag schema from then on, which is not
// their referrers, so they are not listed again in this run.
type referrerAPIFailures struct {
	mu   sync.Mutex
	errs map[string]error
}

func (f *referrerAPIFailures) key(r model.Reference) string { return r.Registry + "/" + r.Repository }

func (f *referrerAPIFailures) get(r model.Reference) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.errs[f.key(r)]; err != nil {
		return fmt.Errorf("%w (earlier in this run; regclient does not ask it again)", err)
	}
	return nil
}

func (f *referrerAPIFailures) put(r model.Reference, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.errs == nil {
		f.errs = map[string]error{}
	}
	f.errs[f.key(r)] = err
}
