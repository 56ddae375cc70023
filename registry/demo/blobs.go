package demo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	ggcr "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// blobStore is the storage behind go-containerregistry's blob handler,
// which speaks the protocol (uploads in chunks, digest checks, Range):
// a repository's pushed blobs, else its layout's files. Blobs cannot be
// deleted. The repository comes from the request's context, set by the
// handler in front: go-containerregistry's own repo argument is
// "NAME/blobs" for chunked uploads.
type blobStore struct{ s *store }

type repoKey struct{}

func withRepo(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, repoKey{}, name)
}

func (b blobStore) find(ctx context.Context, h v1.Hash) (data []byte, path string, err error) {
	name, _ := ctx.Value(repoKey{}).(string)
	b.s.mu.Lock()
	defer b.s.mu.Unlock()
	r := b.s.get(name)
	if r == nil {
		return nil, "", ggcr.ErrNotFound
	}
	found, ok := r.findBlob(h.String())
	if !ok {
		return nil, "", ggcr.ErrNotFound
	}
	return found.data, found.path, nil
}

func (b blobStore) Stat(ctx context.Context, _ string, h v1.Hash) (int64, error) {
	data, path, err := b.find(ctx, h)
	if err != nil {
		return 0, err
	}
	if path == "" {
		return int64(len(data)), nil
	}
	info, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("demo registry: %w", err)
	}
	return info.Size(), nil
}

// Get returns an io.ReaderAt, so that Range requests read only the range.
func (b blobStore) Get(ctx context.Context, _ string, h v1.Hash) (io.ReadCloser, error) {
	data, path, err := b.find(ctx, h)
	if err != nil {
		return nil, err
	}
	if path == "" {
		return readerAtCloser{bytes.NewReader(data)}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("demo registry: %w", err)
	}
	return f, nil
}

// Put keeps a pushed blob in memory once its digest is checked (rc fails
// the read otherwise).
func (b blobStore) Put(ctx context.Context, _ string, h v1.Hash, rc io.ReadCloser) error {
	defer func() { _ = rc.Close() }()
	data, err := io.ReadAll(rc)
	if err != nil {
		return err //nolint:wrapcheck // go-containerregistry tells a digest mismatch by this error's type
	}
	name, _ := ctx.Value(repoKey{}).(string)
	b.s.mu.Lock()
	defer b.s.mu.Unlock()
	r := b.s.get(name)
	if r == nil {
		r = b.s.create(name)
		r.listed = false
	}
	r.blobs[h.String()] = blob{data: data}
	return nil
}

type readerAtCloser struct{ *bytes.Reader }

func (readerAtCloser) Close() error { return nil }
