package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
)

// FileRead says how a file's bytes were read.
type FileRead struct {
	// How is "checkpoint" (a gzip or zstd layer, decompressed from the
	// nearest checkpoint of its index), "range" (a plain tar layer, the
	// file's bytes alone), "toc" (the chunks a table of contents names),
	// "stream" (the layer from its start), "cache" (kept from a read
	// before) or "empty" (no bytes to read).
	How string
	// From is where decompression started in the uncompressed stream.
	From int64
	// Requests and Bytes are the requests sent and the blob bytes read.
	Requests int
	Bytes    int64
}

// errFallBack says a file cannot be read from its layer's index: it is
// streamed instead.
var errFallBack = errors.New("read the file from the stream")

// fileAt reads file e of layer d through the index made when the layer
// was listed: one range request from the nearest checkpoint before the
// file (or its own bytes, or its chunks). Its bytes are checked against
// the sum of the listing before they are handed out; anything amiss
// (a registry that ignores Range and sends all, an index that does not
// lead to the listed bytes) is errFallBack, and the layer is streamed.
func (c *Client) fileAt(ctx context.Context, repo model.Reference, d model.Descriptor, e fstree.Entry, o FileOptions) (*Content, error) {
	if e.Digest.IsZero() {
		return nil, errFallBack // no sum to check the bytes against
	}
	l, ix, ok := c.layerIndex(d, e.Path, o.Limits)
	if !ok {
		return nil, errFallBack
	}
	var at place
	var size int64
	found := false
	for _, i := range layerFiles(&l, e.Path, e.Digest) {
		if at, found = ix.place(i); found {
			size = l.Record(i).Size
			break
		}
	}
	if !found {
		return nil, errFallBack
	}
	e.Size = size
	read := FileRead{How: "empty"}
	if size == 0 {
		out, err := keep(strings.NewReader(""), e, o.Head, o.Limits.Bytes)
		if err != nil {
			return nil, errFallBack
		}
		out.Read = read
		return out, nil
	}
	var from, to, skip int64
	point := -1
	switch {
	case at.toc:
		read.How, from, to, skip = "toc", at.span.from, at.span.to, at.span.inner
	case ix.points == nil:
		read.How, from, to, read.From = "range", at.offset, at.offset+size, at.offset
	default:
		point, from, to = ix.points.Span(at.offset, size)
		read.How, read.From = "checkpoint", ix.points.Points[point].Out
		skip = at.offset - read.From
	}
	body, partial, err := c.blobSpan(ctx, repo, d, from, to-from)
	if err != nil {
		if ctx.Err() != nil {
			return nil, c.wrap("read file", repo.WithDigest(d.Digest), "", ctx.Err())
		}
		c.opts.logger.Debug("streaming the layer: a range request failed", "path", model.Clean(e.Path), "error", err.Error())
		return nil, errFallBack
	}
	defer func() { _ = body.Close() }()
	counted := &countedReader{r: body}
	read.Requests = 1
	src := io.LimitReader(counted, to-from)
	if !partial {
		// The whole blob came: read it from its start, as far as the file.
		read.How, read.From, src = "stream", 0, io.LimitReader(counted, d.Size)
		switch {
		case at.toc:
			_, err = io.CopyN(io.Discard, src, from)
		case point >= 0:
			point, skip = 0, at.offset
		default:
			skip = at.offset
		}
	}
	var r io.Reader
	if err == nil {
		r, err = c.decoderAt(ix, at, point, src)
	}
	if err == nil {
		if closer, ok := r.(io.Closer); ok {
			defer func() { _ = closer.Close() }()
		}
		_, err = io.CopyN(io.Discard, r, skip)
	}
	var out *Content
	if err == nil {
		out, err = keep(io.LimitReader(r, size), e, o.Head, o.Limits.Bytes)
	}
	read.Bytes = counted.n
	if err != nil {
		if ctx.Err() != nil {
			return nil, c.wrap("read file", repo.WithDigest(d.Digest), "", ctx.Err())
		}
		// The bytes are not those listed: the index is not believed again.
		c.opts.logger.Debug("streaming the layer: its index did not give the listed bytes", "path", model.Clean(e.Path), "how", read.How, "error", err.Error())
		c.forgetIndex(d.Digest)
		return nil, errFallBack
	}
	out.Read = read
	how := map[string]string{
		"checkpoint": fmt.Sprintf("from checkpoint at %d via 1 range request", read.From),
		"range":      fmt.Sprintf("at %d via 1 range request", read.From),
		"toc":        "from its chunks via 1 range request",
		"stream":     "from the layer's start via 1 request (the registry ignores Range)",
	}[read.How]
	c.opts.logger.Debug(fmt.Sprintf("read %s %s", model.Clean(e.Path), how), "bytes", read.Bytes, "layer", d.Digest)
	return out, nil
}

// decoderAt is the file's bytes' stream: decompressed from checkpoint
// point, from its chunks, or the tar as it is.
func (c *Client) decoderAt(ix *fileIndex, at place, point int, src io.Reader) (io.Reader, error) {
	switch {
	case at.toc:
		r, done, err := tocReader(ix.tocFormat, src)
		if err != nil {
			return nil, err
		}
		return readCloser{r, done}, nil
	case point >= 0:
		r, err := ix.points.Resume(point, src)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		return r, nil
	}
	return src, nil
}

type readCloser struct {
	io.Reader
	done func()
}

func (r readCloser) Close() error {
	r.done()
	return nil
}

// layerIndex is layer d's listing and file index: kept in memory from its
// listing, read in part for path by ResolveFile, or in the disk cache.
func (c *Client) layerIndex(d model.Descriptor, path string, lim fstree.Limits) (fstree.Layer, *fileIndex, bool) {
	if l, ix, read := c.layers.listing(d.Digest); read {
		return l, ix, ix != nil
	}
	if l, ix, ok := c.partials.get(d.Digest, path); ok {
		return l, ix, true
	}
	l, ix, ok := c.cachedListing(d, lim)
	return l, ix, ok && ix != nil
}

// blobSpan asks for n bytes of blob d from start. partial says the
// store sent them alone; otherwise the body is the whole blob (a registry
// that ignores Range). The size goes with the digest: a layout checks the
// file on disk against it.
func (c *Client) blobSpan(ctx context.Context, repo model.Reference, d model.Descriptor, start, n int64) (io.ReadCloser, bool, error) {
	return c.storeOf(repo).blobSpan(ctx, repo, model.Descriptor{MediaType: d.MediaType, Digest: d.Digest, Size: d.Size}, start, n)
}

// countedReader counts what passes.
type countedReader struct {
	r io.Reader
	n int64
}

func (c *countedReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err //nolint:wrapcheck // the body's own errors
}
