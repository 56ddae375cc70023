package registry

import (
	"context"
	"errors"

	"github.com/regclient/regclient/types/mediatype"

	"github.com/platypus-tui/platypus/model"
)

// Needed is a manifest or blob the target's repository lacks: what a copy
// would send (or, within one registry, mount).
type Needed struct {
	Digest    string
	MediaType string
	Size      int64
	// Kind is "index", "manifest", "config" or "layer".
	Kind string
	// Referrer: part of a signature, SBOM or attestation, not of the image.
	Referrer bool
}

// CopyNeeds is what RunCopy would send for p, read without writing: the
// manifests the target's repository lacks and, for each, the blobs it
// lacks, then (with referrers) the same for what refers to the copied
// manifests, as far as a copy follows them. It skips what a copy skips:
// a manifest already there by digest with everything under it (regclient
// does not look inside one), blobs already there, blobs hosted elsewhere
// (urls). For a filtered copy the new index, which the tag write sends,
// comes first. Each digest is listed once, in the order the copy meets it.
func (c *Client) CopyNeeds(ctx context.Context, p *CopyPlan, referrers bool) ([]Needed, error) {
	w := &needsWalk{c: c, src: p.Source.RepoOnly(), dst: p.Target.RepoOnly(), seen: map[string]bool{}, unwritten: c.storeOf(p.Target).unwritten(p.Target)}
	roots, subjects := []string{p.Root.Digest}, p.Children
	if p.Identical() {
		subjects = append(subjects[:len(subjects):len(subjects)], p.Root.Digest)
	} else {
		roots = p.Children
		d := p.Digest()
		w.seen[d] = true
		there, err := w.present(ctx, d)
		if err != nil {
			return nil, err
		}
		if !there {
			w.found = append(w.found, need{Needed: Needed{Digest: d, MediaType: p.Root.MediaType, Size: int64(len(p.Raw)), Kind: kindOf(p.Root)}})
		}
	}
	if err := w.manifests(ctx, roots, false); err != nil {
		return nil, err
	}
	if referrers {
		lists, err := c.listReferrers(ctx, p.Source, subjects)
		if err != nil {
			return nil, err
		}
		err = c.walkReferrers(ctx, p.Source, subjects, lists, func(next []string) error {
			return w.manifests(ctx, next, true)
		})
		if err != nil {
			return nil, err
		}
	}
	return w.blobs(ctx)
}

// needsWalk gathers what the target lacks: manifests as they are found
// missing, blobs as candidates asked about all at once at the end.
type needsWalk struct {
	c         *Client
	src, dst  model.Reference
	unwritten bool // the target is a layout not made yet: it has nothing
	seen      map[string]bool
	found     []need
}

// need is a manifest found missing, or a blob not asked about yet.
type need struct {
	Needed
	blob bool
}

func (w *needsWalk) add(n Needed, blob bool) {
	if !w.seen[n.Digest] {
		w.seen[n.Digest] = true
		w.found = append(w.found, need{n, blob})
	}
}

// present tells whether the target's repository has manifest d.
func (w *needsWalk) present(ctx context.Context, d string) (bool, error) {
	if w.unwritten {
		return false, nil
	}
	_, err := w.c.Head(ctx, w.dst.WithDigest(d))
	switch {
	case errors.Is(err, ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	}
	return true, nil
}

// manifests walks digests, level by level: each manifest the target lacks
// is read from the source, listed, and its children walked next; its
// blobs become candidates.
func (w *needsWalk) manifests(ctx context.Context, digests []string, referrer bool) error {
	for len(digests) > 0 {
		var level []string
		for _, d := range digests {
			if !w.seen[d] {
				w.seen[d] = true
				level = append(level, d)
			}
		}
		ms := make([]*model.Manifest, len(level))
		errs := make([]error, len(level))
		w.c.parallel(ctx, len(level), func(i int) {
			there, err := w.present(ctx, level[i])
			if err != nil || there {
				errs[i] = err
				return
			}
			ms[i], errs[i] = w.c.Manifest(ctx, w.src.WithDigest(level[i]))
		})
		if err := ctx.Err(); err != nil {
			return w.c.wrap("plan copy", w.dst, "", err)
		}
		digests = nil
		for i, m := range ms {
			if errs[i] != nil {
				return errs[i]
			}
			if m == nil {
				continue // the target has it, and so all it needs
			}
			w.found = append(w.found, need{Needed: Needed{Digest: m.Digest, MediaType: m.MediaType, Size: m.Size, Kind: kindOf(m), Referrer: referrer}})
			for _, e := range m.Entries {
				if blobMediaType(e.MediaType) {
					w.add(Needed{Digest: e.Digest, MediaType: e.MediaType, Size: e.Size, Kind: "layer", Referrer: referrer}, true)
				} else {
					digests = append(digests, e.Digest)
				}
			}
			if m.Config != nil {
				w.add(Needed{Digest: m.Config.Digest, MediaType: m.Config.MediaType, Size: m.Config.Size, Kind: "config", Referrer: referrer}, true)
			}
			for _, l := range m.Layers {
				if len(l.URLs) == 0 {
					w.add(Needed{Digest: l.Digest, MediaType: l.MediaType, Size: l.Size, Kind: "layer", Referrer: referrer}, true)
				}
			}
		}
	}
	return nil
}

// blobs asks the target about every candidate blob at once and keeps
// the manifests found missing and the blobs it lacks.
func (w *needsWalk) blobs(ctx context.Context) ([]Needed, error) {
	lacks := make([]bool, len(w.found))
	errs := make([]error, len(w.found))
	var ask []int
	for i, n := range w.found {
		if n.blob && !w.unwritten {
			ask = append(ask, i)
		} else {
			lacks[i] = true
		}
	}
	w.c.parallel(ctx, len(ask), func(k int) {
		i := ask[k]
		n := w.found[i]
		a, err := w.c.blobHead(ctx, w.dst, model.Descriptor{MediaType: n.MediaType, Digest: n.Digest, Size: n.Size})
		lacks[i], errs[i] = !a.found, err
	})
	if err := ctx.Err(); err != nil {
		return nil, w.c.wrap("plan copy", w.dst, "", err)
	}
	out := []Needed{}
	for i, n := range w.found {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if lacks[i] {
			out = append(out, n.Needed)
		}
	}
	return out, nil
}

// kindOf is "index" or "manifest".
func kindOf(m *model.Manifest) string {
	if m.IsIndex() {
		return "index"
	}
	return "manifest"
}

// blobMediaType tells an index entry that is a blob, not a manifest, as
// regclient's copy tells them apart (its known config and layer types).
func blobMediaType(mt string) bool {
	switch mt {
	case mediatype.Docker2ImageConfig, mediatype.OCI1ImageConfig,
		mediatype.Docker2Layer, mediatype.Docker2LayerGzip, mediatype.Docker2LayerZstd,
		mediatype.OCI1Layer, mediatype.OCI1LayerGzip, mediatype.OCI1LayerZstd,
		mediatype.BuildkitCacheConfig:
		return true
	}
	return false
}
