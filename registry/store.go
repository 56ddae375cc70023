package registry

import (
	"context"
	"io"

	"github.com/regclient/regclient/scheme"
	"github.com/regclient/regclient/types/manifest"
	"github.com/regclient/regclient/types/referrer"

	"github.com/platypus-tui/platypus/model"
)

// store is where content lives and how it is reached: a registry over
// HTTP (remote) or an OCI layout on disk (layout). It moves bytes and
// nothing else; the Client keeps what every store shares (caches,
// digests and sizes checked, errors classified, journaled writes) and
// picks a store per reference (storeOf). Errors come back as the store
// met them, and the Client wraps them (wrap leaves an *Error as it is).
// A new kind of store (a docker-archive, a containerd content store) is
// one more implementation and one more case in storeOf.
type store interface {
	// getManifest reads the manifest r names, by tag or digest.
	getManifest(ctx context.Context, r model.Reference) (raw []byte, mediaType string, err error)
	// headManifest is the descriptor of the manifest r names, digest
	// included, without its body.
	headManifest(ctx context.Context, r model.Reference) (model.Descriptor, error)
	// putManifest writes m under r's tag or digest.
	putManifest(ctx context.Context, r model.Reference, m manifest.Manifest) error
	// openBlob streams blob d of repo (d.Size 0: whatever its length).
	openBlob(ctx context.Context, repo model.Reference, d model.Descriptor) (io.ReadCloser, error)
	// headBlob says whether repo has blob d, and its size, unread.
	headBlob(ctx context.Context, repo model.Reference, d model.Descriptor) (blobAnswer, error)
	// blobSpan asks for n bytes of blob d from start; partial false means
	// the body is the whole blob instead.
	blobSpan(ctx context.Context, repo model.Reference, d model.Descriptor, start, n int64) (body io.ReadCloser, partial bool, err error)
	// ranged tells whether a layer's table of contents is worth asking
	// for (by blobSpan) rather than streaming the layer to list it.
	ranged() bool
	// tagList lists r's tags, guarded by guard (which ctx carries); whole
	// says the list is complete whatever page size was asked.
	tagList(ctx context.Context, r model.Reference, guard *listGuard, opts ...scheme.TagOpts) (tags []string, whole bool, err error)
	// referrers lists what refers to r's digest.
	referrers(ctx context.Context, r model.Reference) (referrer.ReferrerList, error)
	// deleteManifest deletes r's tag, or with a digest the manifest, and
	// says what was answered: 202 deleted; 0 with an error when nothing
	// was (the caller wraps that error; others are whole).
	deleteManifest(ctx context.Context, r model.Reference) (int, error)
	// deletes asks, harmlessly, what repo deletes: the answer to a tag
	// DELETE and to a manifest DELETE of names nobody uses (404: it can);
	// its errors are whole.
	deletes(ctx context.Context, repo model.Reference) (tagAnswer, digestAnswer int, err error)
	// unwritten tells whether r's repository does not exist yet, so that
	// every tag of it is new (a layout is made by its first write).
	unwritten(r model.Reference) bool
}

// storeOf is the store that holds r.
func (c *Client) storeOf(r model.Reference) store {
	if r.IsOCIDir() {
		return c.layout
	}
	return c.remote
}
