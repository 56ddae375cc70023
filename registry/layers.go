package registry

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
)

// LayerOptions tune reading a layer.
type LayerOptions struct {
	// Limits bound the layer (fstree.DefaultLimits when zero).
	Limits fstree.Limits
	// Progress, if set, hears the compressed bytes read of the total.
	Progress func(done, total int64)
	// Verify streams a layer that has a table of contents, and fails if
	// the table disagrees with the layer's bytes (or is not believed at
	// all); the layer's records are then the stream's.
	Verify bool
}

// Layer reads what the layer d of r's repository (or OCI layout) holds. It
// streams the blob, decompressing as it goes (gzip, zstd or plain tar) and
// hashing every file, and checks the blob's digest and size when the
// stream ends; nothing is kept but the entries. A layer with a table of
// contents (eStargz, zstd:chunked) is read from its table alone, with range
// requests, when the registry honours them. A layer is read once per
// client, whatever image or platform asks again; index is its place in
// the image asking. A layer read from its table of contents is read again
// for o.Verify, and the verified read is kept in its place.
func (c *Client) Layer(ctx context.Context, r model.Reference, d model.Descriptor, index int, o LayerOptions) (fstree.Layer, error) {
	if o.Limits == (fstree.Limits{}) {
		o.Limits = c.opts.limits.layerLimits()
	}
	for {
		call, mine := c.layers.claim(d.Digest, o.Verify)
		if mine {
			call.layer, call.index, call.err = c.readLayer(ctx, r.RepoOnly(), d, o)
			c.layers.settle(d.Digest, call)
		} else {
			select {
			case <-call.done:
			case <-ctx.Done():
				return fstree.Layer{}, c.wrap("read layer", r.RepoOnly().WithDigest(d.Digest), "", ctx.Err())
			}
			// The reader we waited for gave up (its screen was left, its
			// command cancelled); that is not our failure: read it ourselves.
			if call.err != nil && ctx.Err() == nil && (errors.Is(call.err, context.Canceled) || errors.Is(call.err, context.DeadlineExceeded)) {
				continue
			}
			if o.Verify && call.err == nil && call.layer.Source == fstree.SourceTOC {
				continue // an unverified read: read it again, verified
			}
		}
		if call.err != nil {
			return fstree.Layer{}, call.err
		}
		if o.Verify && call.layer.TOCRejected != "" {
			return fstree.Layer{}, c.wrap("verify layer", r.RepoOnly().WithDigest(d.Digest), "", fmt.Errorf("%w: its table of contents is not believed: %s", ErrInvalid, call.layer.TOCRejected))
		}
		return reindex(call.layer, index), nil
	}
}

// limitHint says which setting raises a layer limit that was passed.
func limitHint(err error) error {
	if errors.Is(err, fstree.ErrLimit) {
		return fmt.Errorf("%w (limits.layerMB, limits.layerEntries and limits.pathLength in the config file raise the limits)", err)
	}
	return err
}

// reindex is a shared layer as it stands at position index of an image;
// its records are shared, read-only (Merge and Changes take the index
// from the layer, not from its records).
func reindex(l fstree.Layer, index int) fstree.Layer {
	l.Index = index
	return l
}

// foreignLayer tells whether a layer is not distributed by registries.
func foreignLayer(mt string) bool {
	return strings.Contains(mt, "foreign") || strings.Contains(mt, "nondistributable")
}

func (c *Client) readLayer(ctx context.Context, repo model.Reference, d model.Descriptor, o LayerOptions) (fstree.Layer, *fileIndex, error) {
	target := repo.WithDigest(d.Digest)
	if foreignLayer(d.MediaType) {
		where := "no URL"
		if len(d.URLs) > 0 {
			where = d.URLs[0]
		}
		return fstree.Layer{}, nil, c.wrap("read layer", target, "", fmt.Errorf("%w: a foreign layer (%s): registries do not hold it, it lives at %s", ErrUnsupported, d.MediaType, where))
	}
	if l, ix, ok := c.cachedListing(d, o.Limits); ok {
		return l, ix, nil
	}
	toc, tocIndex, fromTOC, rejected, err := c.layerFromTOC(ctx, repo, d, o.Limits)
	switch {
	case err != nil:
		return fstree.Layer{}, nil, c.wrap("read layer", target, "", limitHint(err))
	case fromTOC && !o.Verify:
		toc.Digest = d.Digest
		return toc, tocIndex, nil
	}
	v, closeBlob, err := c.openLayer(ctx, repo, d, o.Progress)
	if err != nil {
		return fstree.Layer{}, nil, c.wrap("read layer", target, "", err)
	}
	defer closeBlob()
	l, ix, err := readTar(v, d.MediaType, o.Limits)
	if err != nil && v.err == nil && !errors.Is(err, fstree.ErrLimit) {
		// A broken archive may be a changed byte: the digest says which.
		_, _ = io.Copy(io.Discard, v)
	}
	if ferr := v.finish(); ferr != nil && !errors.Is(err, fstree.ErrLimit) {
		err = ferr
	}
	if err != nil {
		if verr := v.err; verr != nil {
			err = verr // the stream's own fault explains a broken archive
		}
		return fstree.Layer{}, nil, c.wrap("read layer", target, "", limitHint(err))
	}
	if hasTOC(d) {
		ix = ix.without(&l, stargzOwn)
		l = l.Without(stargzOwn)
	}
	if fromTOC {
		if err := compareTOC(toc, l); err != nil {
			return fstree.Layer{}, nil, c.wrap("verify layer", target, "", err)
		}
		l.TOCVerified = true
	}
	if rejected != nil {
		l.TOCRejected = model.Clean(rejected.Error())
	}
	l.Digest = d.Digest
	// The digest was checked: the listing and its index can be kept.
	c.keepListing(d, l, ix)
	return l, ix, nil
}

// openLayer starts the stream of layer d of repo, through a verifier that
// checks its length and digest; closeBlob ends it.
func (c *Client) openLayer(ctx context.Context, repo model.Reference, d model.Descriptor, progress func(done, total int64)) (v *verifier, closeBlob func(), err error) {
	// Without its size, regclient takes the blob whatever its length; the
	// verifier checks the length and the digest, and says which is wrong.
	br, err := c.storeOf(repo).openBlob(ctx, repo, model.Descriptor{MediaType: d.MediaType, Digest: d.Digest})
	if err != nil {
		return nil, nil, err
	}
	return newVerifier(br, d, progress), func() { _ = br.Close() }, nil
}

// readTar decompresses and reads a layer stream, and notes where its
// files are (the index is to be kept only once the stream's digest is
// checked).
func readTar(r io.Reader, mediaType string, lim fstree.Limits) (fstree.Layer, *fileIndex, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	s, err := decompressIndexed(br, mediaType)
	if err != nil {
		return fstree.Layer{}, nil, err
	}
	defer s.done()
	var offsets fileOffsets
	l, err := fstree.ReadAt(s.r, 0, lim, offsets.at)
	switch {
	case errors.Is(err, fstree.ErrLimit):
		return l, nil, err // our bound, not the registry's fault
	case err != nil:
		return l, nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	// Past the tar's end: the rest of the compressed stream, so the blob's
	// digest covers every byte.
	if _, err := io.Copy(io.Discard, s.r); err != nil {
		return l, nil, fmt.Errorf("%w: the layer's compressed stream is broken: %w", ErrInvalid, err)
	}
	_, _ = io.Copy(io.Discard, br)
	ix := &fileIndex{points: s.points(), blocks: offsets.blocks}
	if ix.points == nil && !s.plain {
		ix = nil // a compressed stream whose index did not come out whole
	}
	return l, ix, nil
}

// decompress is the tar in a layer's stream, gzip, zstd or as it is,
// known by its first bytes (a media type can be wrong); done releases the
// decompressor.
func decompress(br *bufio.Reader, mediaType string) (io.Reader, func(), error) {
	magic, _ := br.Peek(4)
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: the layer is not valid gzip: %w", ErrInvalid, err)
		}
		return zr, func() { _ = zr.Close() }, nil
	case len(magic) == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd:
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(128<<20))
		if err != nil {
			return nil, nil, fmt.Errorf("%w: the layer is not valid zstd: %w", ErrInvalid, err)
		}
		return zr, zr.Close, nil
	case strings.Contains(mediaType, "gzip") || strings.Contains(mediaType, "zstd"):
		return nil, nil, fmt.Errorf("%w: the layer says %s but its bytes are not", ErrInvalid, model.ShortMediaType(mediaType))
	}
	return br, func() {}, nil
}

// verifier hashes and counts a blob as it is read, stops at its declared
// size, and checks the digest at the end.
type verifier struct {
	r        io.Reader
	d        model.Descriptor
	h        hash.Hash
	n        int64
	progress func(done, total int64)
	err      error // the stream's own fault, if any
}

func newVerifier(r io.Reader, d model.Descriptor, progress func(done, total int64)) *verifier {
	return &verifier{r: r, d: d, h: sha256.New(), progress: progress}
}

func (v *verifier) Read(p []byte) (int, error) {
	if v.n >= v.d.Size {
		// A blob longer than its descriptor says: look one byte ahead.
		var one [1]byte
		if n, _ := v.r.Read(one[:]); n > 0 {
			v.err = fmt.Errorf("%w: the layer is longer than the %d bytes its descriptor says", ErrInvalid, v.d.Size)
			return 0, v.err
		}
		return 0, io.EOF
	}
	if room := v.d.Size - v.n; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := v.r.Read(p)
	v.h.Write(p[:n])
	v.n += int64(n)
	if v.progress != nil && n > 0 {
		v.progress(v.n, v.d.Size)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		v.err = err
	}
	if errors.Is(err, io.EOF) && v.n < v.d.Size {
		v.err = fmt.Errorf("%w: the layer ended after %d of its %d bytes (truncated)", ErrInvalid, v.n, v.d.Size)
		return n, v.err
	}
	return n, err //nolint:wrapcheck // the blob reader's own errors, classified by the caller
}

// finish checks what was read is the blob the descriptor names.
func (v *verifier) finish() error {
	if v.n != v.d.Size {
		return fmt.Errorf("%w: the layer ended after %d of its %d bytes (truncated)", ErrInvalid, v.n, v.d.Size)
	}
	if got := "sha256:" + hex.EncodeToString(v.h.Sum(nil)); got != v.d.Digest {
		return fmt.Errorf("%w: the layer's digest is %s, its descriptor says %s", ErrInvalid, got, v.d.Digest)
	}
	return nil
}

// Unpacked is the total size of the layers' tars, when this client has
// read every one of them (else ok is false): what is known without a
// request. estimated says a layer's size was worked out from its table of
// contents.
func (c *Client) Unpacked(layers []model.Descriptor) (n int64, estimated, ok bool) {
	return c.layers.unpacked(layers)
}
