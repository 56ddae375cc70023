package registry

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/platypus-tui/platypus/model"
)

// How a tag is deleted.
const (
	DeleteTag    = "tag"    // the tag alone (OCI distribution spec 1.1, layouts)
	DeleteDigest = "digest" // the manifest by digest, which no other tag holds
)

// maxDeleteCheck bounds the tags looked at before deleting by digest.
const maxDeleteCheck = 2000

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
	status, err := c.storeOf(r).deleteManifest(ctx, r)
	if status == 0 && err != nil {
		return 0, c.wrap("delete", r, "", err)
	}
	return status, err
}

// deleteCapability asks the registry, harmlessly, what it deletes: a tag
// DELETE of a name nobody uses (404: tags can be deleted) and a manifest
// DELETE of a digest nobody has (404: manifests can). It returns the way
// to delete, or why none works.
func (c *Client) deleteCapability(ctx context.Context, repo model.Reference) (tagAnswer, digestAnswer int, err error) {
	return c.storeOf(repo).deletes(ctx, repo)
}

// digestUsers returns the tags of r's repository, other than r's own, that
// hold d or an index listing d: deleting d by digest would take the first
// with it and break the second.
func (c *Client) digestUsers(ctx context.Context, r model.Reference, d string) (holders, parents []string, err error) {
	tags, err := c.AllTags(ctx, r.RepoOnly())
	if err != nil {
		return nil, nil, err
	}
	if len(tags) > maxDeleteCheck {
		return nil, nil, fmt.Errorf("%w: %s has %d tags, more than the %d platypus checks before deleting by digest", ErrCannotDelete, r.RepoOnly(), len(tags), maxDeleteCheck)
	}
	type found struct {
		tag            string
		holds, listsIt bool
		err            error
	}
	out := make([]found, len(tags))
	sem := make(chan struct{}, max(c.opts.concurrency/2, 1))
	var wg sync.WaitGroup
	for i, tag := range tags {
		if tag == r.Tag {
			continue
		}
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
			return nil, nil, fmt.Errorf("checking which tags hold %s: %w", model.ShortDigest(d), f.err)
		case f.holds:
			holders = append(holders, f.tag)
		case f.listsIt:
			parents = append(parents, f.tag)
		}
	}
	return holders, parents, nil
}

// deleteByDigestRefusal says why d cannot go by digest, or "" when it can.
func deleteByDigestRefusal(d string, holders, parents []string) string {
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
	switch {
	case len(holders) > 0:
		return fmt.Sprintf("deleting %s by digest would also remove %s, which hold it too", model.ShortDigest(d), list(holders))
	case len(parents) > 0:
		return fmt.Sprintf("%s is an entry of the index at %s: deleting it by digest would break it", model.ShortDigest(d), list(parents))
	}
	return ""
}
