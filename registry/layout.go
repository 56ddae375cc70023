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

// blobSpan reads n bytes of blob d from start off the disk, as a
// registry answers a Range: a file of a big layer costs its span, not the
// layer up to it. The file's size must be the descriptor's (when the
// caller knows it), so that a truncated or grown blob is an error rather
// than other bytes; the bytes themselves are checked by the caller, as a
// registry's part is (fileAt against the listing's sum, a table of
// contents against its digest).
func (s *layout) blobSpan(_ context.Context, repo model.Reference, d model.Descriptor, start, n int64) (io.ReadCloser, bool, error) {
	if err := checkLayout(repo, d.Digest); err != nil {
		return nil, false, err
	}
	algo, hex, ok := strings.Cut(d.Digest, ":")
	if !ok || !model.ValidDigest(d.Digest) {
		return nil, false, fmt.Errorf("%w: %q is not a digest", ErrInvalid, model.Clean(d.Digest))
	}
	f, err := os.Open(filepath.Join(repo.Path, "blobs", algo, hex))
	if err != nil {
		return nil, false, err //nolint:wrapcheck // wrapped by the caller
	}
	fi, err := f.Stat()
	switch {
	case err != nil:
		_ = f.Close()
		return nil, false, err //nolint:wrapcheck // wrapped by the caller
	case !fi.Mode().IsRegular():
		_ = f.Close()
		return nil, false, fmt.Errorf("%w: blob %s is not a regular file", ErrInvalid, model.ShortDigest(d.Digest))
	case d.Size > 0 && fi.Size() != d.Size:
		_ = f.Close()
		return nil, false, fmt.Errorf("%w: blob %s is %d bytes on disk, its descriptor says %d", ErrInvalid, model.ShortDigest(d.Digest), fi.Size(), d.Size)
	case start < 0 || n < 0 || start > fi.Size()-n:
		_ = f.Close()
		return nil, false, fmt.Errorf("%w: bytes %d-%d are outside blob %s of %d bytes", ErrInvalid, start, start+n-1, model.ShortDigest(d.Digest), fi.Size())
	}
	return sectionCloser{io.NewSectionReader(f, start, n), f}, true, nil
}

// ranged: a layout's spans are read with a seek (blobSpan), but its
// layers are listed by streaming them: on a local disk that costs little
// and checks the layer's digest, where a table of contents is only what
// its writer claims.
func (s *layout) ranged() bool { return false }

// sectionCloser is a span of an open file, closed with it.
type sectionCloser struct {
	*io.SectionReader
	f *os.File
}

func (s sectionCloser) Close() error { return s.f.Close() } //nolint:wrapcheck // the file's own error

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
