package registry

import (
	"context"
	"errors"
	"fmt"

	"github.com/opencontainers/go-digest"
	"github.com/regclient/regclient/types/descriptor"
	"github.com/regclient/regclient/types/manifest"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry/state"
)

// PushOptions tune Push.
type PushOptions struct {
	// Referrers also copies what refers to copied children.
	Referrers bool
	// Journal records the change (intended, then completed) so that it can
	// be undone; its lock keeps two processes from writing one tag at once.
	Journal *state.Journal
	// Progress, if set, hears each step: what is being done, done of total.
	Progress func(step string, done, total int)
	// ExpectPrevious, when set, refuses to push if the tag moved since the
	// draft was shown ("" means the tag must not exist).
	ExpectPrevious *string
	// CheckOverridden, when set, is what the release check found that the
	// user chose to push past: the journal records it.
	CheckOverridden string
}

// PushResult says what a push did.
type PushResult struct {
	Reference      string
	Digest         string
	PreviousDigest *string
	Copied         []Copied
	// Referrers is how many signatures, SBOMs and attestations of copied
	// children were copied with them.
	Referrers int
	// Unchanged: the tag already held this exact index; nothing was done.
	Unchanged bool
}

// Copied is a child brought into the target repository.
type Copied struct {
	Digest string
	From   string
}

// Current returns what tag r holds now, or nil when it does not exist.
func (c *Client) Current(ctx context.Context, r model.Reference) (*model.Manifest, error) {
	if layoutMissing(r) {
		return nil, nil
	}
	m, err := c.Manifest(ctx, r.WithTag(r.Tag))
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return m, err
}

// Push publishes a draft safely: every child not yet in the target
// repository is copied (mounted within a registry), every child is then
// verified present, the tag's previous digest is journaled, and only then is
// the index written. A failure at any step before the last leaves the tag
// exactly as it was.
func (c *Client) Push(ctx context.Context, d *model.Draft, o PushOptions) (PushResult, error) {
	target := d.Target
	res := PushResult{Reference: target.String(), Copied: []Copied{}}
	if model.Blocking(d.Validate()) {
		return res, c.wrap("push", target, "", fmt.Errorf("%w: the draft has errors", ErrInvalid))
	}
	raw, err := d.JSON()
	if err != nil {
		return res, c.wrap("push", target, "", err)
	}
	res.Digest = model.DigestOf(raw)
	step := func(s string, done, total int) {
		if o.Progress != nil {
			o.Progress(s, done, total)
		}
	}
	prev, err := c.tagDigest(ctx, target)
	if err != nil {
		return res, err
	}
	if prev != "" {
		res.PreviousDigest = &prev
	}
	if o.ExpectPrevious != nil && *o.ExpectPrevious != prev {
		return res, c.wrap("push", target, "", fmt.Errorf("%w: %s now holds %s, not %s as when the draft was made; reload it",
			ErrMoved, target, describeDigest(prev), describeDigest(*o.ExpectPrevious)))
	}
	if prev == res.Digest {
		// Writing it again would change nothing but add a journal record
		// whose undo restores the same digest.
		res.Unchanged = true
		return res, nil
	}
	total := len(d.Entries)*2 + 1
	n := 0
	for _, e := range d.Entries {
		n++
		if e.Source.SameRepository(target) {
			continue
		}
		step("copy "+e.Source.String(), n, total)
		dst := target.RepoOnly().WithDigest(e.Digest)
		if _, err := c.Copy(ctx, e.Source.WithDigest(e.Digest), dst, CopyOptions{}); err != nil {
			return res, err
		}
		if o.Referrers {
			count, err := c.copyReferrers(ctx, e.Source, target, []string{e.Digest})
			if err != nil {
				return res, err
			}
			res.Referrers += count
		}
		res.Copied = append(res.Copied, Copied{Digest: e.Digest, From: e.Source.RepoOnly().String()})
	}
	for _, e := range d.Entries {
		n++
		step("verify "+model.ShortDigest(e.Digest), n, total)
		h, err := c.Head(ctx, target.RepoOnly().WithDigest(e.Digest))
		if err != nil {
			return res, c.wrap("verify", target.RepoOnly().WithDigest(e.Digest), "", fmt.Errorf("child not present after copying: %w", err))
		}
		if h.Digest != e.Digest {
			return res, c.wrap("verify", target.RepoOnly().WithDigest(e.Digest), "", fmt.Errorf("%w: registry reports %s", ErrInvalid, h.Digest))
		}
	}
	step("push index "+target.String(), total, total)
	expect := prev
	before, unchanged, err := c.writeTag(ctx, o.Journal, tagWrite{action: "push", target: target, expect: &expect, raw: raw, mediaType: d.MediaType, overridden: o.CheckOverridden})
	if err != nil {
		return res, err
	}
	res.Unchanged = unchanged
	if before != "" {
		res.PreviousDigest = &before
	}
	return res, nil
}

// putManifest writes raw under the tag of r.
func (c *Client) putManifest(ctx context.Context, r model.Reference, mediaType string, raw []byte) error {
	m, err := manifest.New(manifest.WithRaw(raw), manifest.WithDesc(descriptor.Descriptor{
		MediaType: mediaType, Digest: digest.Digest(model.DigestOf(raw)), Size: int64(len(raw)),
	}))
	if err != nil {
		return c.wrap("push", r, "", fmt.Errorf("%w: %w", ErrInvalid, err))
	}
	rc := c.client(ctx, hostOf(r))
	if err := rc.ManifestPut(ctx, toRef(r.WithTag(r.Tag)), m); err != nil {
		return c.wrap("push", r, "", err)
	}
	return nil
}
