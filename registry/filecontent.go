package registry

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/platypus-tui/platypus/model/fstree"
)

// Content is one file of an image, read from its layer. Nothing of it is
// handed out before the whole layer has been read and its digest checked,
// and the file's bytes have the sum they had when the layer was listed.
type Content struct {
	// Entry is the file, as the layer holds it (Path, Layer, Size…).
	Entry fstree.Entry
	// Head is the file's first bytes: all of them, unless FileOptions.Head
	// kept fewer or the file was too big for memory (then WriteTo has it).
	Head []byte
	// Read says how the bytes were read.
	Read  FileRead
	spool *os.File
}

// Whole tells whether Head is the whole file.
func (c *Content) Whole() bool { return c.spool == nil && int64(len(c.Head)) == c.Entry.Size }

// Reader reads the whole file from its start; it fails if only its head
// was kept.
func (c *Content) Reader() (io.Reader, error) {
	if c.spool != nil {
		if _, err := c.spool.Seek(0, io.SeekStart); err != nil {
			return nil, fmt.Errorf("reading back %s: %w", c.Entry.Path, err)
		}
		return c.spool, nil
	}
	if !c.Whole() {
		return nil, fmt.Errorf("only the first %d of the %d bytes of %s were kept", len(c.Head), c.Entry.Size, c.Entry.Path)
	}
	return bytes.NewReader(c.Head), nil
}

// WriteTo writes the whole file; it fails if only its head was kept.
func (c *Content) WriteTo(w io.Writer) (int64, error) {
	r, err := c.Reader()
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(w, r)
	if err != nil {
		return n, fmt.Errorf("writing %s: %w", c.Entry.Path, err)
	}
	return n, nil
}

// Close removes what was kept on disk.
func (c *Content) Close() error {
	if c.spool == nil {
		return nil
	}
	name := c.spool.Name()
	_ = c.spool.Close()
	c.spool = nil
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("removing %s: %w", name, err)
	}
	return nil
}

// FileOptions tune FileContent.
type FileOptions struct {
	LayerOptions
	// Head, if above 0, keeps only the file's first Head bytes (the rest
	// is read and checked all the same). 0 keeps it all: in memory up to
	// inMemory bytes, past that in a temporary file.
	Head int64
}

// inMemory is the most of a file kept in memory when all of it is asked
// (a variable for tests).
var inMemory = 32 << 20

// FileContent reads file e (a regular file of img's merged view, as
// fstree.View.Resolve gives it) from its layer: the layer is streamed
// whole, the file kept as it passes, and it is handed out only once the
// layer's digest and the file's own sum are checked.
func (c *Client) FileContent(ctx context.Context, img *Image, e fstree.Entry, o FileOptions) (*Content, error) {
	if e.Layer < 0 || int(e.Layer) >= len(img.Manifest.Layers) {
		return nil, fmt.Errorf("%w: %s names layer %d of an image of %d", ErrInvalid, e.Path, e.Layer, len(img.Manifest.Layers))
	}
	if o.Limits == (fstree.Limits{}) {
		o.Limits = c.opts.limits.layerLimits()
	}
	d := img.Manifest.Layers[e.Layer]
	key := headKey{d.Digest, e.Path, o.Head}
	if o.Head > 0 {
		kept, ok := c.heads.get(key, e)
		if ok {
			return kept, nil
		}
	}
	target := img.Ref.RepoOnly().WithDigest(d.Digest)
	if foreignLayer(d.MediaType) {
		return nil, c.wrap("read file", target, "", fmt.Errorf("%w: %s is in a foreign layer (%s), which registries do not hold", ErrUnsupported, e.Path, d.MediaType))
	}
	if out, err := c.fileAt(ctx, img.Ref.RepoOnly(), d, e, o); !errors.Is(err, errFallBack) {
		if err == nil && o.Head > 0 {
			c.heads.put(key, out)
		}
		return out, err
	}
	v, closeBlob, err := c.openLayer(ctx, img.Ref.RepoOnly(), d, o.Progress)
	if err != nil {
		return nil, c.wrap("read file", target, "", err)
	}
	defer closeBlob()
	out, err := extract(v, d.MediaType, e, o)
	if err != nil && v.err == nil && !errors.Is(err, fstree.ErrLimit) {
		_, _ = io.Copy(io.Discard, v) // the digest says whether bytes changed
	}
	if ferr := v.finish(); ferr != nil && !errors.Is(err, fstree.ErrLimit) {
		err = ferr
	}
	if err != nil {
		if v.err != nil {
			err = v.err
		}
		if out != nil {
			_ = out.Close()
		}
		return nil, c.wrap("read file", target, "", limitHint(err))
	}
	out.Read = FileRead{How: "stream", Requests: 1, Bytes: v.n}
	if o.Head > 0 {
		c.heads.put(key, out)
	}
	return out, nil
}

// headCache keeps the heads of the files read lately, up to headCacheBytes:
// opening a file again does not stream its layer again. Heads are checked
// before they are kept, and never changed after.
type headCache struct {
	mu    sync.Mutex
	heads map[headKey]*Content
	order []headKey
	bytes int
}

type headKey struct {
	layer, path string
	head        int64
}

const headCacheBytes = 16 << 20

// get is the head kept for k, as file e (the same layer and path, maybe
// of another image, where the layer has another place).
func (h *headCache) get(k headKey, e fstree.Entry) (*Content, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, ok := h.heads[k]
	if !ok || c.Entry.Digest != e.Digest {
		return nil, false // a file listed with another sum is read and checked again
	}
	e.Size = c.Entry.Size
	return &Content{Entry: e, Head: c.Head, Read: FileRead{How: "cache"}}, true
}

func (h *headCache) put(k headKey, c *Content) {
	if c.spool != nil || len(c.Head) > headCacheBytes/4 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.heads == nil {
		h.heads = map[headKey]*Content{}
	}
	if _, ok := h.heads[k]; ok {
		return
	}
	h.heads[k] = &Content{Entry: c.Entry, Head: c.Head}
	h.order = append(h.order, k)
	h.bytes += len(c.Head)
	for h.bytes > headCacheBytes && len(h.order) > 1 {
		old := h.order[0]
		h.order = h.order[1:]
		h.bytes -= len(h.heads[old].Head)
		delete(h.heads, old)
	}
}

// extract finds e in a layer's stream and keeps it, then reads the stream
// to its end. Of two records of one path, the one read is the one with
// the sum e was listed with (the last, as tar extraction takes it; or the
// one a hard link was made to before a later record replaced it); without
// a sum, the last.
func extract(r io.Reader, mediaType string, e fstree.Entry, o FileOptions) (*Content, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	zr, done, err := decompress(br, mediaType)
	if err != nil {
		return nil, err
	}
	defer done()
	bounded := &boundedReader{r: zr, left: o.Limits.Bytes}
	tr := tar.NewReader(bounded)
	var out *Content
	var other error // why the records of the path seen are not the one listed
	name := e.Path  // as the tar names it: a link of the layer may lead elsewhere
	if e.TarPath != "" {
		name = e.TarPath
	}
	for out == nil || e.Digest.IsZero() {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if out != nil {
				_ = out.Close()
			}
			return nil, bounded.explain(fmt.Errorf("%w: %w", ErrInvalid, err))
		}
		if p, ok := fstree.CleanPath(h.Name); !ok || p != name {
			continue
		}
		if rec, _ := fstree.FromHeader(h, 0); rec.Type != fstree.File {
			other = fmt.Errorf("%w: %s is a %s in the layer, not the file it was listed as", ErrInvalid, e.Path, rec.Type)
			continue
		}
		kept, err := keep(tr, e, o.Head, o.Limits.Bytes)
		if errors.As(err, new(otherBytes)) {
			other = err
			continue
		}
		if err != nil {
			if out != nil {
				_ = out.Close()
			}
			return nil, bounded.explain(err)
		}
		if out != nil {
			_ = out.Close()
		}
		out = kept
	}
	switch {
	case out == nil && other != nil:
		return nil, other
	case out == nil:
		return nil, fmt.Errorf("%w: the layer holds no file %s, though it did when it was listed", ErrInvalid, e.Path)
	}
	// The rest of the stream, so the blob's digest covers every byte.
	if _, err := io.Copy(io.Discard, bounded); err != nil {
		_ = out.Close()
		return nil, bounded.explain(fmt.Errorf("%w: the layer's stream is broken: %w", ErrInvalid, err))
	}
	_, _ = io.Copy(io.Discard, br)
	return out, nil
}

// otherBytes is what keep says of a file whose bytes are not those it was
// listed with: another record of the path may be the one.
type otherBytes struct{ path string }

func (o otherBytes) Error() string {
	return fmt.Sprintf("%s: the bytes of %s are not those it was listed with", ErrInvalid, o.path)
}

func (otherBytes) Unwrap() error { return ErrInvalid }

// keep reads a file's bytes from r, keeping head of them (all when 0),
// and checks them against the sum e was listed with. A file bigger than
// bound (a sparse file's holes are not in the stream) is the bound.
func keep(r io.Reader, e fstree.Entry, head, bound int64) (*Content, error) {
	out := &Content{Entry: e}
	sum := sha256.New()
	var mem bytes.Buffer
	var n int64
	buf := make([]byte, 64<<10)
	for {
		k, err := r.Read(buf)
		if k > 0 {
			chunk := buf[:k]
			sum.Write(chunk)
			n += int64(k)
			if n > bound {
				_ = out.Close()
				return nil, fmt.Errorf("%w: %s holds more than %d bytes", fstree.ErrLimit, e.Path, bound)
			}
			if werr := out.hold(&mem, chunk, head); werr != nil {
				_ = out.Close()
				return nil, werr
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			_ = out.Close()
			return nil, fmt.Errorf("%w: %s: %w", ErrInvalid, e.Path, err)
		}
	}
	out.Head = mem.Bytes()
	out.Entry.Size = n
	if !e.Digest.IsZero() && !bytes.Equal(sum.Sum(nil), e.Digest[:]) {
		_ = out.Close()
		return nil, otherBytes{e.Path}
	}
	return out, nil
}

// hold keeps chunk: in mem up to head bytes (or inMemory when all is
// kept), past that, when all is kept, in a temporary file.
func (c *Content) hold(mem *bytes.Buffer, chunk []byte, head int64) error {
	if head > 0 {
		if room := head - int64(mem.Len()); room > 0 {
			mem.Write(chunk[:min(int64(len(chunk)), room)])
		}
		return nil
	}
	if c.spool == nil && mem.Len()+len(chunk) <= inMemory {
		mem.Write(chunk)
		return nil
	}
	if c.spool == nil {
		f, err := os.CreateTemp("", "platypus-file-")
		if err != nil {
			return fmt.Errorf("keeping %s on disk: %w", c.Entry.Path, err)
		}
		c.spool = f
		if _, err := f.Write(mem.Bytes()); err != nil {
			return fmt.Errorf("keeping %s on disk: %w", c.Entry.Path, err)
		}
		// The head stays in memory for a look; the whole is on disk.
		mem.Truncate(min(mem.Len(), 1<<20))
	}
	if _, err := c.spool.Write(chunk); err != nil {
		return fmt.Errorf("keeping %s on disk: %w", c.Entry.Path, err)
	}
	return nil
}

// boundedReader stops a decompressed stream at the layer's bound.
type boundedReader struct {
	r    io.Reader
	left int64
	over bool
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		b.over = true
		return 0, fstree.ErrLimit
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err //nolint:wrapcheck // the stream's own errors, classified by the caller
}

// explain says a failure past the bound is the bound.
func (b *boundedReader) explain(err error) error {
	if b.over {
		return fmt.Errorf("%w: more uncompressed bytes than the layer's bound", fstree.ErrLimit)
	}
	return err
}
