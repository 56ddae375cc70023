package registry

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/platypus-tui/platypus/model"
)

// How a tag is deleted.
const (
	DeleteTag    = "tag"    // the tag alone (OCI distribution spec 1.1, layouts)
	DeleteDigest = "digest" // the manifest by digest, which no other tag holds
)

// maxDeleteCheck bounds the tags looked at before deleting by digest (a
// variable for tests).
var maxDeleteCheck = 2000

// onlyDelete rides a request's context: it records what the registry
// answered to one DELETE (path ending in suffix), and with block refuses
// every other manifest or blob request. regclient's TagDelete falls back,
// when the registry will not delete a tag, to pushing a throwaway image
// onto the tag and deleting that: on a registry that deletes nothing it
// would leave the tag pointing at the throwaway. Blocked, it stops there.
type onlyDelete struct {
	suffix string
	block  bool
	mu     sync.Mutex
	status int
}

type onlyDeleteKey struct{}

var errOnlyDelete = errors.New("platypus sends only the DELETE it asked for")

func onlyDeleteFrom(ctx context.Context) *onlyDelete {
	g, _ := ctx.Value(onlyDeleteKey{}).(*onlyDelete)
	return g
}

func (g *onlyDelete) mine(req *http.Request) bool {
	return req.Method == http.MethodDelete && strings.HasSuffix(req.URL.Path, g.suffix)
}

// allow refuses what the fallback would send: manifests and blobs. Token
// requests (some realms live under /v2/) pass.
func (g *onlyDelete) allow(req *http.Request) error {
	if g.block && !g.mine(req) && (strings.Contains(req.URL.Path, "/manifests/") || strings.Contains(req.URL.Path, "/blobs/")) {
		return errOnlyDelete
	}
	return nil
}

func (g *onlyDelete) saw(req *http.Request, resp *http.Response) {
	if g.mine(req) {
		g.mu.Lock()
		g.status = resp.StatusCode
		g.mu.Unlock()
	}
}

func (g *onlyDelete) answer() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.status
}

// sendDelete deletes r's tag (or, with a digest, the manifest) and returns
// the registry's answer: 202 deleted; 0 with an error when none came.
func (c *Client) sendDelete(ctx context.Context, r model.Reference) (int, error) {
	if r.IsOCIDir() {
		rc := c.client(ctx, "")
		var err error
		if r.Digest != "" {
			err = rc.ManifestDelete(ctx, toRef(r))
		} else {
			err = rc.TagDelete(ctx, toRef(r))
		}
		if err != nil {
			return 0, c.wrap("delete", r, "", err)
		}
		return http.StatusAccepted, nil
	}
	g := &onlyDelete{suffix: "/manifests/" + r.Tag, block: true}
	if r.Digest != "" {
		g.suffix = "/manifests/" + r.Digest
	}
	ctx = context.WithValue(ctx, onlyDeleteKey{}, g)
	rc := c.client(ctx, r.Registry)
	var err error
	if r.Digest != "" {
		err = rc.ManifestDelete(ctx, toRef(r))
	} else {
		err = rc.TagDelete(ctx, toRef(r))
	}
	status := g.answer()
	switch {
	case err == nil && status == http.StatusAccepted:
		return status, nil
	case status == 0 && err != nil:
		return 0, c.wrap("delete", r, "", err)
	case status == http.StatusUnauthorized, status == http.StatusForbidden:
		return status, fmt.Errorf("delete %s: %w: %s answered %d to a DELETE: these credentials may not delete there", r, ErrUnauthorized, r.Registry, status)
	}
	return status, nil
}

// deleteCapability asks the registry, harmlessly, what it deletes: a tag
// DELETE of a name nobody uses (404: tags can be deleted) and a manifest
// DELETE of a digest nobody has (404: manifests can). It returns the way
// to delete, or why none works.
func (c *Client) deleteCapability(ctx context.Context, repo model.Reference) (tagAnswer, digestAnswer int, err error) {
	if repo.IsOCIDir() {
		return http.StatusNotFound, http.StatusNotFound, nil
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	tagAnswer, err = c.sendDelete(ctx, repo.RepoOnly().WithTag("platypus-delete-probe-"+hex.EncodeToString(b[:])))
	if err != nil || tagAnswer == http.StatusNotFound {
		return tagAnswer, 0, err
	}
	digestAnswer, err = c.sendDelete(ctx, repo.RepoOnly().WithDigest("sha256:"+strings.Repeat("0", 64)))
	return tagAnswer, digestAnswer, err
}

// digestUse is what deleting a manifest by digest would touch besides
// the tag being deleted.
type digestUse struct {
	// holders hold the manifest; parents hold an index that lists it.
	holders, parents []string
	// checked of tags, the repository's other tags, were looked at: at
	// most maxDeleteCheck.
	checked, tags int
	// referrers are the manifests whose subject it is (signatures,
	// attestations, SBOMs): deleting it leaves them pointing at nothing.
	referrers    []model.Descriptor
	referrersErr error
}

// digestUsers finds what deleting d, which the tag r holds, by digest
// would touch: the other tags of r's repository that hold d or an index
// listing d (deleting d would take the first with it and break the
// second), and d's referrers. It looks at maxDeleteCheck tags at most:
// forced, the first by name; else none when there are more, as the
// deletion is refused then anyway.
func (c *Client) digestUsers(ctx context.Context, r model.Reference, d string, force bool) (digestUse, error) {
	all, err := c.AllTags(ctx, r.RepoOnly())
	if err != nil {
		return digestUse{}, err
	}
	tags := slices.DeleteFunc(all, func(t string) bool { return t == r.Tag })
	slices.Sort(tags) // forced past the bound, the first by name are checked
	u := digestUse{tags: len(tags), checked: min(len(tags), maxDeleteCheck)}
	if u.checked < u.tags && !force {
		u.checked = 0
	}
	tags = tags[:u.checked]
	type found struct {
		tag            string
		holds, listsIt bool
		err            error
	}
	out := make([]found, len(tags))
	sem := make(chan struct{}, max(c.opts.concurrency/2, 1))
	var wg sync.WaitGroup
	for i, tag := range tags {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			f := found{tag: tag}
			defer func() { out[i] = f }()
			h, err := c.Head(ctx, r.WithTag(tag))
			if errors.Is(err, ErrNotFound) {
				return // deleted meanwhile
			}
			if err != nil {
				f.err = err
				return
			}
			f.holds = h.Digest == d
			if f.holds || !model.IsIndexMedia(h.MediaType) {
				return
			}
			m, err := c.Manifest(ctx, r.RepoOnly().WithDigest(h.Digest))
			if err != nil {
				f.err = err
				return
			}
			for _, e := range m.Entries {
				f.listsIt = f.listsIt || e.Digest == d
			}
		}()
	}
	wg.Wait()
	for _, f := range out {
		switch {
		case f.err != nil:
			return digestUse{}, fmt.Errorf("checking which tags hold %s: %w", model.ShortDigest(d), f.err)
		case f.holds:
			u.holders = append(u.holders, f.tag)
		case f.listsIt:
			u.parents = append(u.parents, f.tag)
		}
	}
	if len(u.holders) == 0 && len(u.parents) == 0 {
		u.referrers, u.referrersErr = c.Referrers(ctx, r.RepoOnly().WithDigest(d))
	}
	return u, nil
}

// refusal says why d cannot go by digest, or "" when it can. force lets
// through what platypus could not rule out or would leave behind (tags
// past maxDeleteCheck, referrers), never a tag that would go or an index
// that would break with it.
func (u digestUse) refusal(d string, force bool) string {
	const most = 8
	list := func(tags []string) string {
		noun := "tag "
		if len(tags) > 1 {
			noun = "tags "
		}
		if len(tags) > most {
			return noun + strings.Join(tags[:most], ", ") + fmt.Sprintf(" and %d more", len(tags)-most)
		}
		return noun + strings.Join(tags, ", ")
	}
	const anyway = "; platypus undo --force deletes it anyway"
	short := model.ShortDigest(d)
	switch {
	case len(u.holders) > 0:
		return fmt.Sprintf("deleting %s by digest would also remove %s, which hold it too", short, list(u.holders))
	case len(u.parents) > 0:
		return fmt.Sprintf("%s is an entry of the index at %s: deleting it by digest would break it", short, list(u.parents))
	case force:
		return ""
	case u.checked < u.tags:
		return fmt.Sprintf("the repository has %d other tags, more than the %d platypus checks before deleting by digest: it cannot tell whether one of them holds %s or lists it%s (after checking %d)",
			u.tags, maxDeleteCheck, short, anyway, maxDeleteCheck)
	case u.referrersErr != nil:
		return fmt.Sprintf("the referrers of %s could not be listed (%s), and deleting it by digest would leave any pointing at nothing%s", short, ShortError(u.referrersErr), anyway)
	case len(u.referrers) > 0:
		return fmt.Sprintf("%s %s at %s (%s): deleting it by digest would leave them pointing at nothing%s",
			model.Count(len(u.referrers), "referrer"), pointVerb(len(u.referrers)), short, describeReferrers(u.referrers, most), anyway)
	}
	return ""
}

func pointVerb(n int) string {
	if n == 1 {
		return "points"
	}
	return "point"
}

// describeReferrers names referrers by artifact type and short digest.
func describeReferrers(refs []model.Descriptor, most int) string {
	var parts []string
	for i, r := range refs {
		if i == most {
			parts = append(parts, fmt.Sprintf("and %d more", len(refs)-most))
			break
		}
		kind := r.ArtifactType
		if kind == "" {
			kind = r.MediaType
		}
		parts = append(parts, model.Clean(kind)+" "+model.ShortDigest(r.Digest))
	}
	return strings.Join(parts, ", ")
}

// orphaned lists the digests of the referrers a forced deletion left.
func (u digestUse) orphaned() []string {
	var out []string
	for _, r := range u.referrers {
		out = append(out, r.Digest)
	}
	return out
}
