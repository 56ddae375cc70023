package registry

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/regclient/regclient"
	"github.com/regclient/regclient/scheme"
	"github.com/regclient/regclient/types/manifest"
	"github.com/regclient/regclient/types/referrer"

	"github.com/platypus-tui/platypus/model"
)

// The remote's store methods: regclient's requests through the transport,
// with what only HTTP has (quota headers, range requests, the guard of a
// DELETE).

func (s *remote) getManifest(ctx context.Context, r model.Reference) ([]byte, string, error) {
	m, err := s.client(ctx, r.Registry).ManifestGet(ctx, toRef(r))
	if err != nil {
		return nil, "", err //nolint:wrapcheck // wrapped by the caller with the reference
	}
	s.quota.observe(r.Registry, manifest.GetRateLimit(m))
	return manifestBody(m)
}

// manifestBody is a fetched manifest's bytes and media type.
func manifestBody(m manifest.Manifest) ([]byte, string, error) {
	raw, err := m.RawBody()
	if err != nil {
		return nil, "", err //nolint:wrapcheck // wrapped by the caller
	}
	return raw, m.GetDescriptor().MediaType, nil
}

func (s *remote) headManifest(ctx context.Context, r model.Reference) (model.Descriptor, error) {
	m, err := s.client(ctx, r.Registry).ManifestHead(ctx, toRef(r), regclient.WithManifestRequireDigest())
	if err != nil {
		return model.Descriptor{}, err //nolint:wrapcheck // wrapped by the caller
	}
	s.quota.observe(r.Registry, manifest.GetRateLimit(m))
	return headDescriptor(m), nil
}

// headDescriptor is what a HEAD of a manifest said of it.
func headDescriptor(m manifest.Manifest) model.Descriptor {
	d := m.GetDescriptor()
	return model.Descriptor{MediaType: d.MediaType, Digest: d.Digest.String(), Size: d.Size}
}

func (s *remote) putManifest(ctx context.Context, r model.Reference, m manifest.Manifest) error {
	return s.client(ctx, r.Registry).ManifestPut(ctx, toRef(r), m) //nolint:wrapcheck // wrapped by the caller
}

func (s *remote) openBlob(ctx context.Context, repo model.Reference, d model.Descriptor) (io.ReadCloser, error) {
	return s.client(ctx, repo.Registry).BlobGet(ctx, toRef(repo.RepoOnly()), toDescriptor(d)) //nolint:wrapcheck // wrapped by the caller
}

func (s *remote) headBlob(ctx context.Context, repo model.Reference, d model.Descriptor) (blobAnswer, error) {
	br, err := s.client(ctx, repo.Registry).BlobHead(ctx, toRef(repo.RepoOnly()), toDescriptor(d))
	if err != nil {
		if errors.Is(classify(err), ErrNotFound) {
			return blobAnswer{}, nil
		}
		return blobAnswer{}, err //nolint:wrapcheck // wrapped by the caller
	}
	defer func() { _ = br.Close() }() // a HEAD has no body to lose
	a := blobAnswer{found: true, size: -1}
	if h := br.RawHeaders(); h != nil {
		if n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64); err == nil && h.Get("Content-Length") != "" {
			a.size = n
		}
		if dg := h.Get("Docker-Content-Digest"); model.ValidDigest(dg) {
			a.digest = dg
		}
	}
	return a, nil
}

func (s *remote) blobSpan(ctx context.Context, repo model.Reference, d model.Descriptor, start, n int64) (io.ReadCloser, bool, error) {
	rq := &rangeReq{start: start, n: n}
	ctx = context.WithValue(ctx, rangeKey{}, rq)
	// Without the size: regclient would take the range for a short read
	// of the whole blob, ask again and back off from the registry.
	d.Size = 0
	br, err := s.client(ctx, repo.Registry).BlobGet(ctx, toRef(repo.RepoOnly()), toDescriptor(d))
	if err != nil {
		return nil, false, err //nolint:wrapcheck // the caller falls back, logging it
	}
	if rq.status != http.StatusPartialContent {
		return br, false, nil
	}
	if !strings.HasPrefix(rq.contentRange, fmt.Sprintf("bytes %d-%d/", start, start+n-1)) {
		_ = br.Close()
		return nil, false, fmt.Errorf("%w: asked for bytes %d-%d, the registry sent %q", ErrInvalid, start, start+n-1, model.Clean(rq.contentRange))
	}
	return br, true, nil
}

// ranged: registries mostly honour Range; one that does not is found out
// by its answer (blobSpan's partial).
func (s *remote) ranged() bool { return true }

func (s *remote) tagList(ctx context.Context, r model.Reference, guard *listGuard, opts ...scheme.TagOpts) ([]string, bool, error) {
	tl, err := s.client(ctx, r.Registry).TagList(ctx, toRef(r), opts...)
	if err != nil {
		return nil, false, err //nolint:wrapcheck // wrapped by the caller
	}
	tags, err := tl.GetTags()
	if err != nil {
		return nil, false, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	// The guard saw the names arrive (and emitted them): the list must
	// hold as many.
	if err := guard.agrees(len(tags), false); err != nil {
		return nil, false, err
	}
	return tags, false, nil
}

func (s *remote) referrers(ctx context.Context, r model.Reference) (referrer.ReferrerList, error) {
	return s.client(ctx, r.Registry).ReferrerList(ctx, toRef(r)) //nolint:wrapcheck // wrapped by the caller
}

func (s *remote) deleteManifest(ctx context.Context, r model.Reference) (int, error) {
	g := &onlyDelete{suffix: "/manifests/" + r.Tag, block: true}
	if r.Digest != "" {
		g.suffix = "/manifests/" + r.Digest
	}
	ctx = context.WithValue(ctx, onlyDeleteKey{}, g)
	rc := s.client(ctx, r.Registry)
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
		return 0, err //nolint:wrapcheck // wrapped by the caller
	case status == http.StatusUnauthorized, status == http.StatusForbidden:
		return status, fmt.Errorf("delete %s: %w: %s answered %d to a DELETE: these credentials may not delete there", r, ErrUnauthorized, r.Registry, status)
	}
	return status, nil
}

// deletes sends a tag DELETE of a name nobody uses (404: tags can be
// deleted) and, if that is refused, a manifest DELETE of a digest nobody
// has (404: manifests can).
func (s *remote) deletes(ctx context.Context, repo model.Reference) (tagAnswer, digestAnswer int, err error) {
	send := func(r model.Reference) (int, error) {
		status, err := s.deleteManifest(ctx, r)
		if status == 0 && err != nil {
			err = s.wrap("delete", r, "", err)
		}
		return status, err
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	tagAnswer, err = send(repo.RepoOnly().WithTag("platypus-delete-probe-" + hex.EncodeToString(b[:])))
	if err != nil || tagAnswer == http.StatusNotFound {
		return tagAnswer, 0, err
	}
	digestAnswer, err = send(repo.RepoOnly().WithDigest("sha256:" + strings.Repeat("0", 64)))
	return tagAnswer, digestAnswer, err
}

func (s *remote) unwritten(model.Reference) bool { return false }
