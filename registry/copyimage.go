package registry

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/platypus-tui/platypus/model"
)

// CopyPlan is what a copy will do, worked out before anything is written,
// so that a person can be asked first.
type CopyPlan struct {
	Source, Target model.Reference
	// Root is the source manifest; Raw is what the target tag will hold:
	// Root's bytes, or with --platform the index filtered to the entries
	// those platforms pull (a new digest).
	Root *model.Manifest
	Raw  []byte
	// Children are the manifests to copy by digest before the tag is
	// written: every child of the (filtered) index, nested ones included.
	Children []string
	// Platforms says, for a filtered copy, which entry each platform pulls.
	Platforms []PlatformPick
	// Previous is what the target tag holds now ("": nothing).
	Previous string
}

// PlatformPick is the entry one --platform keeps.
type PlatformPick struct {
	Platform string
	Digest   string
	Entry    string
}

// Digest is the digest the target tag will hold.
func (p *CopyPlan) Digest() string { return model.DigestOf(p.Raw) }

// Identical tells whether the target will hold the source's own digest.
func (p *CopyPlan) Identical() bool { return p.Digest() == p.Root.Digest }

// PlanCopy reads src and what dst holds. With platforms, an index keeps
// the entries Docker would pull for them (as it would on each) and the
// attestations tied to those; every other field is kept.
func (c *Client) PlanCopy(ctx context.Context, src, dst model.Reference, platforms []model.Target) (*CopyPlan, error) {
	// Only a filtered copy needs the children now (to follow nested
	// indexes); a whole copy reads them as it copies them.
	tree, err := c.Expand(ctx, src.Pullable(), ExpandOptions{Children: len(platforms) > 0})
	if err != nil {
		return nil, err
	}
	if len(tree.Errors) > 0 {
		for d, err := range tree.Errors {
			return nil, fmt.Errorf("%s cannot be copied whole: child %s: %w", src, model.ShortDigest(d), err)
		}
	}
	p := &CopyPlan{Source: src.Pullable(), Target: dst, Root: tree.Root, Raw: tree.Root.Raw}
	keep := func(int, model.Entry) bool { return true }
	if len(platforms) > 0 {
		if !tree.Root.IsIndex() {
			return nil, fmt.Errorf("%w: %s is a single image, not an index: --platform chooses entries of an index", ErrUnsupported, src)
		}
		keepSet, picks, err := pickPlatforms(tree, platforms)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src, err)
		}
		p.Platforms = picks
		keep = func(i int, e model.Entry) bool { return keepSet[i] }
		if p.Raw, err = model.FilterIndex(tree.Root, keep); err != nil {
			return nil, c.wrap("copy", src, "", err)
		}
	}
	if tree.Root.IsIndex() {
		for i, e := range tree.Root.Entries {
			if keep(i, e) {
				p.Children = append(p.Children, e.Digest)
			}
		}
	}
	if p.Previous, err = c.tagDigest(ctx, dst); err != nil {
		return nil, err
	}
	return p, nil
}

// pickPlatforms finds, for each platform, the entry Docker pulls, and keeps
// it with the attestations that describe it.
func pickPlatforms(tree *model.Tree, platforms []model.Target) (map[int]bool, []PlatformPick, error) {
	keep := map[int]bool{}
	var picks []PlatformPick
	for _, t := range platforms {
		a := model.Analyze(tree.Root, t, tree.Children, tree.Configs)
		if a.Primary == nil || a.Primary.Selected < 0 {
			return nil, nil, fmt.Errorf("no entry for %s: %s", t.Platform.Display(), a.Primary.DockerError)
		}
		i := a.Primary.Selected
		keep[i] = true
		e := tree.Root.Entries[i]
		picks = append(picks, PlatformPick{Platform: t.Platform.Display(), Digest: e.Digest, Entry: e.PlatformString()})
	}
	for i, e := range tree.Root.Entries {
		if e.Kind == model.KindAttestation && slices.ContainsFunc(picks, func(p PlatformPick) bool { return p.Digest == e.Subject }) {
			keep[i] = true
		}
	}
	return keep, picks, nil
}

// CopyOutcome is what a copy did.
type CopyOutcome struct {
	Copied    []Copied
	Referrers int
	Unchanged bool
	Previous  string
}

// RunCopy carries out a plan safely: every manifest and blob is copied by
// digest (children first, then the referrers of each, when asked), every
// child is checked present, and only then is the tag written, journaled
// and guarded as a push is: it must still hold plan.Previous. A failure
// before the last step leaves the tag as it was.
func (c *Client) RunCopy(ctx context.Context, p *CopyPlan, referrers bool, j Journal, progress func(step string, done, total int)) (CopyOutcome, error) {
	var out CopyOutcome
	step := func(s string, done, total int) {
		if progress != nil {
			progress(s, done, total)
		}
	}
	src, dst := p.Source, p.Target
	from := src.RepoOnly().String()
	total := len(p.Children) + 3
	n := 0
	// The source root by digest (children and blobs with it), unless the
	// plan filtered it: then only the children it keeps.
	roots := []string{p.Root.Digest}
	if !p.Identical() {
		roots = p.Children
	}
	written := make([][]string, len(roots))
	errs := make([]error, len(roots))
	// Manifests the copy wrote, or found there by digest, are present: only
	// the others need checking afterwards.
	var mu sync.Mutex
	present := map[string]bool{}
	step("copy "+src.String(), n, total)
	// What refers to the copied manifests is listed while they are copied:
	// the source does not change.
	subjects := append([]string{}, p.Children...)
	if p.Identical() {
		subjects = append(subjects, p.Root.Digest)
	}
	type listed struct {
		lists [][]model.Descriptor
		err   error
	}
	listing := make(chan listed, 1)
	if referrers {
		go func() {
			l, err := c.listReferrers(ctx, src, subjects)
			listing <- listed{l, err}
		}()
	}
	c.parallel(ctx, len(roots), func(i int) {
		written[i], errs[i] = c.Copy(ctx, src.RepoOnly().WithDigest(roots[i]), dst.RepoOnly().WithDigest(roots[i]), CopyOptions{
			Manifest: func(d string, _ bool) {
				mu.Lock()
				present[d] = true
				mu.Unlock()
			},
		})
	})
	if err := ctx.Err(); err != nil {
		return out, c.wrap("copy", dst, "", err)
	}
	for i, err := range errs {
		if err != nil {
			return out, err
		}
		for _, d := range written[i] {
			out.Copied = append(out.Copied, Copied{Digest: d, From: from})
		}
	}
	n = len(p.Children) + 1
	if referrers {
		step("copy referrers", n, total)
		l := <-listing
		if l.err != nil {
			return out, l.err
		}
		count, err := c.copyListed(ctx, src, dst, subjects, l.lists)
		if err != nil {
			return out, err
		}
		out.Referrers = count
	}
	step("verify", n+1, total)
	unconfirmed := slices.DeleteFunc(slices.Clone(p.Children), func(d string) bool { return present[d] })
	if err := c.verifyPresent(ctx, dst, unconfirmed); err != nil {
		return out, err
	}
	step("tag "+dst.String(), total, total)
	// A filtered index is written with the tag: it is one of the manifests
	// copied unless the target had it already (as the dry run counts).
	had := p.Identical() || c.hasManifest(ctx, dst, p.Digest())
	expect := p.Previous
	prev, unchanged, err := c.writeTag(ctx, j, tagWrite{action: "copy", target: dst, expect: &expect, raw: p.Raw, mediaType: p.Root.MediaType})
	out.Previous, out.Unchanged = prev, unchanged
	if err != nil {
		return out, err
	}
	if !had && !unchanged {
		out.Copied = append(out.Copied, Copied{Digest: p.Digest(), From: from})
	}
	if out.Copied == nil {
		out.Copied = []Copied{}
	}
	return out, nil
}

// hasManifest tells whether dst's repository holds the manifest d; a
// failure to tell counts as no.
func (c *Client) hasManifest(ctx context.Context, dst model.Reference, d string) bool {
	if c.storeOf(dst).unwritten(dst) {
		return false
	}
	_, err := c.Head(ctx, dst.RepoOnly().WithDigest(d))
	return err == nil
}

// verifyPresent checks every digest is in dst's repository.
func (c *Client) verifyPresent(ctx context.Context, dst model.Reference, digests []string) error {
	errs := make([]error, len(digests))
	c.parallel(ctx, len(digests), func(i int) {
		r := dst.RepoOnly().WithDigest(digests[i])
		h, err := c.Head(ctx, r)
		switch {
		case err != nil:
			errs[i] = c.wrap("verify", r, "", fmt.Errorf("child not present after copying: %w", err))
		case h.Digest != digests[i]:
			errs[i] = c.wrap("verify", r, "", fmt.Errorf("%w: registry reports %s", ErrInvalid, h.Digest))
		}
	})
	if err := ctx.Err(); err != nil {
		return c.wrap("verify", dst, "", err)
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
