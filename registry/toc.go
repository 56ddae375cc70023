package registry

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
)

// Annotations of layers that carry a table of contents.
const (
	annotationStargzTOC      = "containerd.io/snapshot/stargz/toc.digest"
	annotationZstdChunkedTOC = "io.github.containers.zstd-chunked.manifest-position"
	annotationZstdChunkedSum = "io.github.containers.zstd-chunked.manifest-checksum"
	stargzFooterSize         = 51
	maxTOC                   = 64 << 20
)

// errNoRange says the registry answered a range request with the whole
// blob: the layer is streamed instead.
var errNoRange = errors.New("the registry ignores range requests")

// layerFromTOC reads a layer's entries from its table of contents alone,
// when it has one and the registry honours range requests; ok is false
// when the layer must be streamed instead.
func (c *Client) layerFromTOC(ctx context.Context, repo model.Reference, d model.Descriptor, lim fstree.Limits) (fstree.Layer, bool, error) {
	if repo.IsOCIDir() {
		return fstree.Layer{}, false, nil
	}
	var (
		toc []byte
		err error
	)
	switch {
	case d.Annotations[annotationStargzTOC] != "":
		toc, err = c.stargzTOC(ctx, repo, d)
	case d.Annotations[annotationZstdChunkedTOC] != "":
		toc, err = c.zstdChunkedTOC(ctx, repo, d)
	default:
		return fstree.Layer{}, false, nil
	}
	if errors.Is(err, errNoRange) {
		c.opts.logger.Debug("streaming the layer: no range requests", "digest", d.Digest)
		return fstree.Layer{}, false, nil
	}
	if err != nil {
		return fstree.Layer{}, true, err
	}
	l, err := tocLayer(toc, lim)
	return l, true, err
}

// stargzTOC reads an eStargz layer's footer, then its table of contents,
// and checks it against the digest the layer's annotation names.
func (c *Client) stargzTOC(ctx context.Context, repo model.Reference, d model.Descriptor) ([]byte, error) {
	if d.Size < stargzFooterSize {
		return nil, fmt.Errorf("%w: an eStargz layer of %d bytes has no room for its footer", ErrInvalid, d.Size)
	}
	footer, err := c.blobRange(ctx, repo, d, d.Size-stargzFooterSize, stargzFooterSize)
	if err != nil {
		return nil, err
	}
	off, err := stargzFooter(footer)
	if err != nil {
		return nil, err
	}
	if off < 0 || off > d.Size-stargzFooterSize || d.Size-stargzFooterSize-off > maxTOC {
		return nil, fmt.Errorf("%w: the eStargz footer points at %d, outside the layer", ErrInvalid, off)
	}
	raw, err := c.blobRange(ctx, repo, d, off, d.Size-stargzFooterSize-off)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: the eStargz table of contents is not gzip: %w", ErrInvalid, err)
	}
	tr := tar.NewReader(io.LimitReader(zr, maxTOC))
	for {
		h, err := tr.Next()
		if err != nil {
			return nil, fmt.Errorf("%w: no stargz.index.json in the table of contents: %w", ErrInvalid, err)
		}
		if h.Name != "stargz.index.json" {
			continue
		}
		toc, err := io.ReadAll(io.LimitReader(tr, maxTOC))
		if err != nil {
			return nil, fmt.Errorf("%w: the table of contents: %w", ErrInvalid, err)
		}
		if sum := "sha256:" + hexSum(toc); sum != d.Annotations[annotationStargzTOC] {
			return nil, fmt.Errorf("%w: the table of contents has digest %s, the layer's annotation says %s", ErrInvalid, sum, d.Annotations[annotationStargzTOC])
		}
		return toc, nil
	}
}

// stargzFooter reads the offset of the table of contents from the footer:
// an empty gzip stream whose extra field is "SG", a length, and
// "%016xSTARGZ".
func stargzFooter(p []byte) (int64, error) {
	zr, err := gzip.NewReader(bytes.NewReader(p))
	if err != nil {
		return 0, fmt.Errorf("%w: the eStargz footer is not gzip: %w", ErrInvalid, err)
	}
	ex := zr.Extra
	if len(ex) != 4+22 || ex[0] != 'S' || ex[1] != 'G' || binary.LittleEndian.Uint16(ex[2:4]) != 22 || string(ex[20:]) != "STARGZ" {
		return 0, fmt.Errorf("%w: not an eStargz footer", ErrInvalid)
	}
	off, err := strconv.ParseInt(string(ex[4:20]), 16, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: the eStargz footer's offset: %w", ErrInvalid, err)
	}
	return off, nil
}

// zstdChunkedTOC reads a zstd:chunked layer's manifest from where its
// annotation says ("offset:length:uncompressedLength:type"), checked
// against the manifest checksum annotation when there is one.
func (c *Client) zstdChunkedTOC(ctx context.Context, repo model.Reference, d model.Descriptor) ([]byte, error) {
	parts := strings.Split(d.Annotations[annotationZstdChunkedTOC], ":")
	if len(parts) < 3 {
		return nil, fmt.Errorf("%w: a zstd:chunked position %q", ErrInvalid, d.Annotations[annotationZstdChunkedTOC])
	}
	off, err1 := strconv.ParseInt(parts[0], 10, 64)
	n, err2 := strconv.ParseInt(parts[1], 10, 64)
	full, err3 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || off < 0 || n <= 0 || off+n > d.Size || n > maxTOC || full > maxTOC {
		return nil, fmt.Errorf("%w: a zstd:chunked position %q outside the layer", ErrInvalid, d.Annotations[annotationZstdChunkedTOC])
	}
	raw, err := c.blobRange(ctx, repo, d, off, n)
	if err != nil {
		return nil, err
	}
	if want := d.Annotations[annotationZstdChunkedSum]; want != "" && "sha256:"+hexSum(raw) != want {
		return nil, fmt.Errorf("%w: the zstd:chunked manifest's checksum is not %s", ErrInvalid, want)
	}
	zr, err := zstd.NewReader(bytes.NewReader(raw), zstd.WithDecoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("%w: the zstd:chunked manifest: %w", ErrInvalid, err)
	}
	defer zr.Close()
	toc, err := io.ReadAll(io.LimitReader(zr, full+1))
	if err != nil {
		return nil, fmt.Errorf("%w: the zstd:chunked manifest: %w", ErrInvalid, err)
	}
	return toc, nil
}

// tocLayer turns a table of contents (eStargz's and zstd:chunked's share
// their shape) into a layer's records.
func tocLayer(toc []byte, lim fstree.Limits) (fstree.Layer, error) {
	var doc struct {
		Entries []struct {
			Name     string `json:"name"`
			Type     string `json:"type"`
			Size     int64  `json:"size"`
			LinkName string `json:"linkName"`
			Mode     int64  `json:"mode"`
			Digest   string `json:"digest"`
		} `json:"entries"`
	}
	if err := json.Unmarshal(toc, &doc); err != nil {
		return fstree.Layer{}, fmt.Errorf("%w: the table of contents is not JSON: %s", ErrInvalid, model.Clean(err.Error()))
	}
	var l fstree.Layer
	for _, e := range doc.Entries {
		h := &tar.Header{Name: e.Name, Size: e.Size, Mode: e.Mode, Linkname: e.LinkName}
		switch e.Type {
		case "reg":
			h.Typeflag = tar.TypeReg
		case "dir":
			h.Typeflag = tar.TypeDir
		case "symlink":
			h.Typeflag = tar.TypeSymlink
		case "hardlink":
			h.Typeflag = tar.TypeLink
		case "chunk":
			continue // more of the file before it
		default:
			h.Typeflag = tar.TypeFifo
		}
		if len(e.Name) > lim.PathLen {
			return fstree.Layer{}, fmt.Errorf("%w: a name of more than %d bytes", fstree.ErrLimit, lim.PathLen)
		}
		r, ok := fstree.FromHeader(h, 0)
		if !ok || stargzOwn(r.Path) {
			continue
		}
		if l.Len() >= lim.Entries {
			return fstree.Layer{}, fmt.Errorf("%w: more than %d entries", fstree.ErrLimit, lim.Entries)
		}
		if r.Type == fstree.File {
			r.Digest, _ = fstree.ParseSum(e.Digest)
		}
		if err := l.Add(r); err != nil {
			return fstree.Layer{}, err //nolint:wrapcheck // fstree's own limit, named in it
		}
	}
	return l, nil
}

// rangeReq asks the transport for part of a blob and hears whether the
// registry honoured it.
type rangeReq struct {
	start, n int64
	status   int
}

type rangeKey struct{}

// blobRange reads n bytes of a blob from start.
func (c *Client) blobRange(ctx context.Context, repo model.Reference, d model.Descriptor, start, n int64) ([]byte, error) {
	rq := &rangeReq{start: start, n: n}
	ctx = context.WithValue(ctx, rangeKey{}, rq)
	rc := c.client(ctx, hostOf(repo))
	br, err := rc.BlobGet(ctx, toRef(repo), toDescriptor(d))
	if err != nil {
		return nil, err //nolint:wrapcheck // wrapped by Layer
	}
	defer func() { _ = br.Close() }()
	if rq.status != http.StatusPartialContent {
		return nil, errNoRange
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(br, buf); err != nil {
		return nil, fmt.Errorf("%w: %d bytes at %d of the layer: %w", ErrInvalid, n, start, err)
	}
	return buf, nil
}

// stargzOwn tells the files eStargz adds to a layer for itself (its table
// of contents and prefetch landmarks), which a container never sees.
func stargzOwn(p string) bool {
	return p == "stargz.index.json" || p == ".prefetch.landmark" || p == ".no.prefetch.landmark"
}

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
