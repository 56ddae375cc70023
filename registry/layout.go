package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/regclient/regclient"
	"github.com/regclient/regclient/scheme"
	"github.com/regclient/regclient/types/manifest"
	"github.com/regclient/regclient/types/referrer"

	"github.com/platypus-tui/platypus/model"
)

// layout is the store of OCI layouts, directories on this machine
// (ocidir://PATH). regclient reads and writes them; the layout refuses
// first what would hang or exhaust it (checkLayout), and answers itself
// what a registry answers over HTTP: a blob's presence by a stat, deletes
// that always work, a tag list that is whole.
type layout struct {
	// rc is the regclient, the remote's: one instance writes a layout
	// however it is reached (a copy from a registry, a push).
	rc func(ctx context.Context, host string) *regclient.RegClient
}

func (s *layout) getManifest(ctx context.Context, r model.Reference) ([]byte, string, error) {
	if err := checkLayout(r, r.Digest); err != nil {
		return nil, "", err
	}
	m, err := s.rc(ctx, "").ManifestGet(ctx, toRef(r))
	if err != nil {
		return nil, "", err //nolint:wrapcheck // wrapped by the caller with the reference
	}
	return manifestBody(m)
}

func (s *layout) headManifest(ctx context.Context, r model.Reference) (model.Descriptor, error) {
	if err := checkLayout(r, r.Digest); err != nil {
		return model.Descriptor{}, err
	}
	m, err := s.rc(ctx, "").ManifestHead(ctx, toRef(r), regclient.WithManifestRequireDigest())
	if err != nil {
		return model.Descriptor{}, err //nolint:wrapcheck // wrapped by the caller
	}
	return headDescriptor(m), nil
}

func (s *layout) putManifest(ctx context.Context, r model.Reference, m manifest.Manifest) error {
	if err := checkLayout(r, ""); err != nil {
		return err
	}
	return s.rc(ctx, "").ManifestPut(ctx, toRef(r), m) //nolint:wrapcheck // wrapped by the caller
}

func (s *layout) openBlob(ctx context.Context, repo model.Reference, d model.Descriptor) (io.ReadCloser, error) {
	if err := checkLayout(repo, d.Digest); err != nil {
		return nil, err
	}
	return s.rc(ctx, "").BlobGet(ctx, toRef(repo.RepoOnly()), toDescriptor(d)) //nolint:wrapcheck // wrapped by the caller
}

func (s *layout) headBlob(_ context.Context, repo model.Reference, d model.Descriptor) (blobAnswer, error) {
	algo, hex, _ := strings.Cut(d.Digest, ":")
	fi, err := os.Stat(filepath.Join(repo.Path, "blobs", algo, hex))
	switch {
	case errors.Is(err, os.ErrNotExist):
		return blobAnswer{}, nil
	case err != nil:
		return blobAnswer{}, err //nolint:wrapcheck // wrapped by the caller
	case !fi.Mode().IsRegular():
		return blobAnswer{}, fmt.Errorf("%w: the blob is not a regular file", ErrInvalid)
	}
	return blobAnswer{found: true, size: fi.Size()}, nil
}

// blobSpan sends the whole blob: a layout's reads start at the start.
func (s *layout) blobSpan(ctx context.Context, repo model.Reference, d model.Descriptor, _, _ int64) (io.ReadCloser, bool, error) {
	body, err := s.openBlob(ctx, repo, d)
	return body, false, err
}

func (s *layout) ranged() bool { return false }

func (s *layout) tagList(ctx context.Context, r model.Reference, guard *listGuard, opts ...scheme.TagOpts) ([]string, bool, error) {
	if err := checkLayout(r, ""); err != nil {
		return nil, false, err
	}
	tl, err := s.rc(ctx, "").TagList(ctx, toRef(r), opts...)
	if err != nil {
		return nil, false, err //nolint:wrapcheck // wrapped by the caller
	}
	tags, err := tl.GetTags()
	if err != nil {
		return nil, false, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	// Read from disk, not through the transport: the guard saw nothing.
	guard.emitNames(slices.Clone(tags))
	return tags, true, nil
}

func (s *layout) referrers(ctx context.Context, r model.Reference) (referrer.ReferrerList, error) {
	if err := checkLayout(r, ""); err != nil {
		return referrer.ReferrerList{}, err
	}
	return s.rc(ctx, "").ReferrerList(ctx, toRef(r)) //nolint:wrapcheck // wrapped by the caller
}

func (s *layout) deleteManifest(ctx context.Context, r model.Reference) (int, error) {
	rc := s.rc(ctx, "")
	var err error
	if r.Digest != "" {
		err = rc.ManifestDelete(ctx, toRef(r))
	} else {
		err = rc.TagDelete(ctx, toRef(r))
	}
	if err != nil {
		return 0, err //nolint:wrapcheck // wrapped by the caller
	}
	return http.StatusAccepted, nil
}

// deletes: a layout deletes tags and manifests alike.
func (s *layout) deletes(context.Context, model.Reference) (tagAnswer, digestAnswer int, err error) {
	return http.StatusNotFound, http.StatusNotFound, nil
}

// unwritten tells whether r is a layout not written yet: every tag of it
// is new (regclient creates the layout on the first write).
func (s *layout) unwritten(r model.Reference) bool {
	_, err := os.Stat(filepath.Join(r.Path, "index.json"))
	return errors.Is(err, os.ErrNotExist)
}

// maxLayoutIndex bounds an OCI layout's index.json.
const maxLayoutIndex = 64 << 20

// checkLayout refuses, before regclient opens them, the files of an OCI
// layout that would hang or exhaust it: index.json (or a blob) that is a
// FIFO, a device or a directory, and an index.json over 64 MiB.
func checkLayout(r model.Reference, blobDigest string) error {
	check := func(p string, limit int64) error {
		fi, err := os.Stat(p)
		if errors.Is(err, os.ErrNotExist) {
			return nil // regclient says what is missing
		}
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%w: %s is not a regular file", ErrInvalid, p)
		}
		if limit > 0 && fi.Size() > limit {
			return fmt.Errorf("%w: %s is %d bytes, over the %d MiB an index may have", ErrInvalid, p, fi.Size(), limit>>20)
		}
		return nil
	}
	if err := check(filepath.Join(r.Path, "index.json"), maxLayoutIndex); err != nil {
		return err
	}
	if algo, hex, ok := strings.Cut(blobDigest, ":"); ok {
		return check(filepath.Join(r.Path, "blobs", algo, hex), 0)
	}
	return nil
}
