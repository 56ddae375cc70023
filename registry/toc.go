package registry

import (
	"archive/tar"
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry/zindex"
)

// Annotations of layers that carry a table of contents. zstd:chunked has
// two spellings: containers/storage writes io.github.containers.*, skopeo
// 1.9 and stargz-snapshotter's estargz write io.containers.*; the format
// behind them is the same.
const (
	annotationStargzTOC = "containerd.io/snapshot/stargz/toc.digest"
	stargzFooterSize    = 51
	maxTOC              = 64 << 20
)

var (
	annotationZstdChunkedTOC = []string{"io.github.containers.zstd-chunked.manifest-position", "io.containers.zstd-chunked.manifest-position"}
	annotationZstdChunkedSum = []string{"io.github.containers.zstd-chunked.manifest-checksum", "io.containers.zstd-chunked.manifest-checksum"}
)

// annotation is the first of keys d's annotations set.
func annotation(d model.Descriptor, keys []string) string {
	for _, k := range keys {
		if v := d.Annotations[k]; v != "" {
			return v
		}
	}
	return ""
}

// hasTOC tells a layer that says it has a table of contents.
func hasTOC(d model.Descriptor) bool {
	return d.Annotations[annotationStargzTOC] != "" || annotation(d, annotationZstdChunkedTOC) != ""
}

// errNoRange says the registry answered a range request with the whole
// blob: the layer is streamed instead.
var errNoRange = errors.New("the registry ignores range requests")

// layerFromTOC reads a layer's entries from its table of contents alone,
// when it has one and the registry honours range requests; ok is false
// when the layer must be streamed instead, and then rejected says why a
// table that was there was not believed. err is a failure streaming
// would not mend (the context's end, a limit).
func (c *Client) layerFromTOC(ctx context.Context, repo model.Reference, d model.Descriptor, lim fstree.Limits) (l fstree.Layer, ix *fileIndex, ok bool, rejected, err error) {
	if !hasTOC(d) || !c.storeOf(repo).ranged() {
		return fstree.Layer{}, nil, false, nil, nil
	}
	// A zstd:chunked layer that stargz-snapshotter wrote carries the
	// eStargz digest annotation too: the position says which it is.
	spans := newTOCSpans()
	ix = &fileIndex{tocFormat: zindex.Gzip}
	if annotation(d, annotationZstdChunkedTOC) != "" {
		ix.tocFormat = zindex.Zstd
		l, err = c.zstdChunkedLayer(ctx, repo, d, lim, spans)
	} else {
		l, err = c.stargzLayer(ctx, repo, d, lim, spans)
	}
	switch {
	case err == nil:
		ix.toc = spans.spans
		return l, ix, true, nil, nil
	case errors.Is(err, errNoRange):
		c.opts.logger.Debug("streaming the layer: no range requests", "digest", d.Digest)
		return fstree.Layer{}, nil, false, nil, nil
	case ctx.Err() != nil:
		return fstree.Layer{}, nil, false, nil, err
	case errors.Is(err, fstree.ErrLimit):
		return fstree.Layer{}, nil, false, nil, err
	}
	// The stream is the truth, and its digest is checked: a table that
	// cannot be read or fails a check is not the layer's last word.
	c.opts.logger.Debug("streaming the layer: its table of contents is not believed", "digest", d.Digest, "error", err.Error())
	return fstree.Layer{}, nil, false, err, nil
}

// stargzLayer reads an eStargz layer's footer, then its table of
// contents, checked against the digest the layer's annotation names.
func (c *Client) stargzLayer(ctx context.Context, repo model.Reference, d model.Descriptor, lim fstree.Limits, spans *tocSpans) (fstree.Layer, error) {
	if d.Size < stargzFooterSize {
		return fstree.Layer{}, fmt.Errorf("%w: an eStargz layer of %d bytes has no room for its footer", ErrInvalid, d.Size)
	}
	footer, err := c.blobRange(ctx, repo, d, d.Size-stargzFooterSize, stargzFooterSize)
	if err != nil {
		return fstree.Layer{}, err
	}
	off, err := stargzFooter(footer)
	if err != nil {
		return fstree.Layer{}, err
	}
	if off < 0 || off > d.Size-stargzFooterSize || d.Size-stargzFooterSize-off > maxTOC {
		return fstree.Layer{}, fmt.Errorf("%w: the eStargz footer points at %d, outside the layer", ErrInvalid, off)
	}
	raw, err := c.blobRange(ctx, repo, d, off, d.Size-stargzFooterSize-off)
	if err != nil {
		return fstree.Layer{}, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return fstree.Layer{}, fmt.Errorf("%w: the eStargz table of contents is not gzip: %w", ErrInvalid, err)
	}
	tr := tar.NewReader(io.LimitReader(zr, maxTOC))
	for {
		h, err := tr.Next()
		if err != nil {
			return fstree.Layer{}, fmt.Errorf("%w: no stargz.index.json in the table of contents: %w", ErrInvalid, err)
		}
		if h.Name != "stargz.index.json" {
			continue
		}
		toc, err := io.ReadAll(io.LimitReader(tr, maxTOC))
		if err != nil {
			return fstree.Layer{}, fmt.Errorf("%w: the table of contents: %w", ErrInvalid, err)
		}
		if sum := "sha256:" + hexSum(toc); sum != d.Annotations[annotationStargzTOC] {
			return fstree.Layer{}, fmt.Errorf("%w: the table of contents has digest %s, the layer's annotation says %s", ErrInvalid, sum, d.Annotations[annotationStargzTOC])
		}
		l, est, err := tocLayerSpans(toc, off, gzipMaxRatio, lim, spans)
		// The decompressed stream ends with the table itself, a tar entry,
		// and the archive's end.
		l.Uncompressed = est + tarBlocks(int64(len(toc))) + 512 + 1024
		return l, err
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

// zstdChunkedLayer reads a zstd:chunked layer's manifest from where its
// annotation says ("offset:length:uncompressedLength:type"), checked
// against the manifest checksum annotation and the eStargz digest
// annotation when there are.
func (c *Client) zstdChunkedLayer(ctx context.Context, repo model.Reference, d model.Descriptor, lim fstree.Limits, spans *tocSpans) (fstree.Layer, error) {
	pos := annotation(d, annotationZstdChunkedTOC)
	parts := strings.Split(pos, ":")
	if len(parts) < 3 {
		return fstree.Layer{}, fmt.Errorf("%w: a zstd:chunked position %q", ErrInvalid, pos)
	}
	off, err1 := strconv.ParseInt(parts[0], 10, 64)
	n, err2 := strconv.ParseInt(parts[1], 10, 64)
	full, err3 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || off < 0 || n <= 0 || n > maxTOC || off > d.Size-n || full < 0 || full > maxTOC {
		return fstree.Layer{}, fmt.Errorf("%w: a zstd:chunked position %q outside the layer", ErrInvalid, pos)
	}
	raw, err := c.blobRange(ctx, repo, d, off, n)
	if err != nil {
		return fstree.Layer{}, err
	}
	if want := annotation(d, annotationZstdChunkedSum); want != "" && "sha256:"+hexSum(raw) != want {
		return fstree.Layer{}, fmt.Errorf("%w: the zstd:chunked manifest's checksum is not %s", ErrInvalid, want)
	}
	zr, err := zstd.NewReader(bytes.NewReader(raw), zstd.WithDecoderConcurrency(1))
	if err != nil {
		return fstree.Layer{}, fmt.Errorf("%w: the zstd:chunked manifest: %w", ErrInvalid, err)
	}
	defer zr.Close()
	toc, err := io.ReadAll(io.LimitReader(zr, full+1))
	if err != nil {
		return fstree.Layer{}, fmt.Errorf("%w: the zstd:chunked manifest: %w", ErrInvalid, err)
	}
	if int64(len(toc)) != full {
		return fstree.Layer{}, fmt.Errorf("%w: the zstd:chunked manifest is not the %d bytes its position says", ErrInvalid, full)
	}
	if want := d.Annotations[annotationStargzTOC]; want != "" && "sha256:"+hexSum(toc) != want {
		return fstree.Layer{}, fmt.Errorf("%w: the zstd:chunked manifest has digest sha256:%s, the layer's annotation says %s", ErrInvalid, hexSum(toc), want)
	}
	// estargz's writer ends the stream with the last entry; a writer that
	// keeps the original tar's end blocks and padding makes the estimate
	// short by them.
	l, est, err := tocLayerSpans(toc, off, zstdMaxRatio, lim, spans)
	l.Uncompressed = est
	return l, err
}

// The most a compressed byte can stand for: deflate's limit is 1032 to 1;
// a zstd block of one repeated byte, 4 bytes, stands for up to 128 KiB.
const (
	gzipMaxRatio = 1032
	zstdMaxRatio = 128 << 10 / 4
)

// tocEntry is an entry of a table of contents: eStargz's and
// zstd:chunked's share their shape.
type tocEntry struct {
	Name        string            `json:"name"`
	Type        string            `json:"type"`
	Size        int64             `json:"size"`
	LinkName    string            `json:"linkName"`
	Mode        int64             `json:"mode"`
	Digest      string            `json:"digest"`
	Offset      int64             `json:"offset"`
	InnerOffset int64             `json:"innerOffset"`
	EndOffset   int64             `json:"endOffset"`
	ChunkOffset int64             `json:"chunkOffset"`
	ChunkSize   int64             `json:"chunkSize"`
	UID         int64             `json:"uid"`
	GID         int64             `json:"gid"`
	Uname       string            `json:"userName"`
	Gname       string            `json:"groupName"`
	Xattrs      map[string]string `json:"xattrs"`
}

// tocLayer turns a table of contents into a layer's records, and works out
// how many bytes of tar its entries stand for. Its claims are checked
// where that is cheap (tocCheck). Entries are decoded one at a time: a
// table of millions is never held as structs.
func tocLayer(toc []byte, dataEnd, maxRatio int64, lim fstree.Limits) (fstree.Layer, int64, error) {
	return tocLayerSpans(toc, dataEnd, maxRatio, lim, nil)
}

// tocLayerSpans is tocLayer, noting in spans (if not nil) where each
// file's chunks are.
func tocLayerSpans(toc []byte, dataEnd, maxRatio int64, lim fstree.Limits, spans *tocSpans) (fstree.Layer, int64, error) {
	l := fstree.Layer{Source: fstree.SourceTOC, UncompressedEstimated: true}
	var est tarEstimate
	check := tocCheck{dataEnd: dataEnd, maxRatio: maxRatio}
	added := -1 // the record e became
	err := eachTOCEntry(toc, func(e *tocEntry) error {
		if err := check.entry(e); err != nil {
			return err
		}
		if spans != nil {
			added = -1
			defer func() { spans.entry(e, added) }()
		}
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
			return nil // more of the file before it
		default:
			h.Typeflag = tar.TypeFifo
		}
		if len(e.Name) > lim.PathLen || len(e.LinkName) > lim.PathLen {
			return fmt.Errorf("%w: a name of more than %d bytes", fstree.ErrLimit, lim.PathLen)
		}
		est.add(e, h.Typeflag)
		r, ok := fstree.FromHeader(h, 0)
		if !ok || stargzOwn(r.Path) {
			return nil
		}
		if l.Len() >= lim.Entries {
			return fmt.Errorf("%w: more than %d entries", fstree.ErrLimit, lim.Entries)
		}
		if r.Type == fstree.File {
			r.Digest, _ = fstree.ParseSum(e.Digest)
		}
		added = l.Len()
		return l.Add(r) // fstree's own limit, named in it
	})
	if err == nil {
		err = check.finish()
	}
	if err == nil && spans != nil {
		spans.finish(dataEnd)
	}
	if err != nil {
		return fstree.Layer{}, 0, err
	}
	return l, est.n, nil
}

// eachTOCEntry calls f with each entry of a table of contents, in order.
func eachTOCEntry(toc []byte, f func(*tocEntry) error) error {
	dec := json.NewDecoder(bytes.NewReader(toc))
	bad := func(err error) error {
		return fmt.Errorf("%w: the table of contents is not JSON: %s", ErrInvalid, model.Clean(err.Error()))
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return bad(cmp.Or(err, errors.New("not an object")))
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return bad(err)
		}
		if key != "entries" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return bad(err)
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return bad(cmp.Or(err, errors.New("entries are not a list")))
		}
		for dec.More() {
			var e tocEntry
			if err := dec.Decode(&e); err != nil {
				return bad(err)
			}
			if err := f(&e); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return bad(err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return bad(err)
	}
	return nil
}

// rangeReq asks the transport for part of a blob and hears whether the
// registry honoured it.
type rangeReq struct {
	start, n int64
	status   int
	// contentRange is the answer's Content-Range, for a part.
	contentRange string
}

type rangeKey struct{}

// blobRange reads n bytes of a blob from start.
func (c *Client) blobRange(ctx context.Context, repo model.Reference, d model.Descriptor, start, n int64) ([]byte, error) {
	br, partial, err := c.storeOf(repo).blobSpan(ctx, repo, d, start, n)
	if err != nil {
		return nil, err
	}
	defer func() { _ = br.Close() }()
	if !partial {
		return nil, errNoRange
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(br, buf); err != nil {
		return nil, fmt.Errorf("%w: %d bytes at %d of the layer: %w", ErrInvalid, n, start, err)
	}
	return buf, nil
}

// stargzOwn tells the files eStargz adds to a layer for itself (its table
// of contents and prefetch landmarks): bookkeeping of the format, not
// files of the image. stargz-snapshotter, which mounts such layers, does
// not show them; a runtime that unpacks the tar would write them, and
// platypus follows the format's writer, whose image they are not part of.
func stargzOwn(p string) bool {
	return p == "stargz.index.json" || p == ".prefetch.landmark" || p == ".no.prefetch.landmark"
}

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
