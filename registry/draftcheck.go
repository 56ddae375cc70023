package registry

import (
	"context"
	"fmt"
	"maps"

	"github.com/platypus-tui/platypus/model"
)

// maxDraftExpansions bounds the entries of a draft expanded at once; each
// expansion is bounded by the client's concurrency too.
const maxDraftExpansions = 4

// DraftTree is a draft expanded as Expand expands a pushed index, for the
// release check before the push: the draft's JSON as the root, and each
// entry's manifest, nested indexes and configs read from where the entry
// lives now (its Source; the push copies it into the target repository).
// Sources says, by manifest digest, which repository holds each one
// (CheckOptions.Sources). An entry that fails to load is in Tree.Errors,
// as Expand records a child.
func (c *Client) DraftTree(ctx context.Context, d *model.Draft) (*model.Tree, map[string]model.Reference, error) {
	raw, err := d.JSON()
	if err != nil {
		return nil, nil, err
	}
	root, err := c.decode(d.Target.WithDigest(model.DigestOf(raw)), raw, d.MediaType)
	if err != nil {
		return nil, nil, err
	}
	t := model.NewTree(root)
	sources := map[string]model.Reference{}
	// One expansion per manifest, however often the draft lists it.
	var todo []model.DraftEntry
	seen := map[string]bool{}
	for _, e := range d.Entries {
		if !seen[e.Digest] {
			seen[e.Digest] = true
			todo = append(todo, e)
		}
	}
	subs := make([]*model.Tree, len(todo))
	errs := make([]error, len(todo))
	parallelN(ctx, len(todo), maxDraftExpansions, func(i int) {
		e := todo[i]
		subs[i], errs[i] = c.Expand(ctx, e.Source.WithDigest(e.Digest), ExpandOptions{Children: true, Configs: true})
	})
	if err := ctx.Err(); err != nil {
		return nil, nil, c.wrap("check", d.Target, "", err)
	}
	for i, e := range todo {
		src := e.Source.RepoOnly()
		sources[e.Digest] = src
		sub, err := subs[i], errs[i]
		if err == nil && sub.Root.Size != e.Size {
			err = c.wrap("get manifest", e.Source.WithDigest(e.Digest), "", fmt.Errorf("%w: the index says %d bytes, the manifest has %d", ErrInvalid, e.Size, sub.Root.Size))
		}
		if err != nil {
			t.Errors[e.Digest] = err
			continue
		}
		t.Children[e.Digest] = sub.Root
		for dg := range sub.Children {
			sources[dg] = src
		}
		maps.Copy(t.Children, sub.Children)
		maps.Copy(t.Configs, sub.Configs)
		maps.Copy(t.Errors, sub.Errors)
		maps.Copy(t.ConfigErrors, sub.ConfigErrors)
	}
	t.SettleKinds()
	return t, sources, nil
}
