package registry

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/zstd"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry/zindex"
)

// A layer's verified listing and the index of its files are kept in the
// disk cache (--disk-cache) by the layer's digest: another run lists the
// layer, and reads a file of it, without fetching it again. Only a listing
// streamed from the layer, its digest checked, is kept. The cache is the
// user's own directory; a file that is not whole is not read (it carries
// its sum), and a file's bytes are still checked against the listing.
const (
	listingKind = "listings"
	// listingMagic names the encoding and what a record is: a change to
	// how fstree makes records of tar headers must change it, so that
	// listings kept by an older platypus are read again.
	listingMagic = "platypus layer listing 1\n"
	// maxListing bounds a kept listing, compressed and not.
	maxListing = 1 << 30
)

// keepListing writes a verified listing to the disk cache.
func (c *Client) keepListing(d model.Descriptor, l fstree.Layer, ix *fileIndex) {
	if c.cache.disk == nil || l.Source != fstree.SourceStream {
		return
	}
	b, err := encodeListing(d, l, ix)
	if err != nil {
		c.opts.logger.Debug("listing not kept", "digest", d.Digest, "error", err.Error())
		return
	}
	c.cache.disk.putDerived(listingKind, d.Digest, b)
}

// cachedListing is the listing kept for layer d, if there is one within
// lim.
func (c *Client) cachedListing(d model.Descriptor, lim fstree.Limits) (fstree.Layer, *fileIndex, bool) {
	if c.cache.disk == nil {
		return fstree.Layer{}, nil, false
	}
	b, ok := c.cache.disk.getDerived(listingKind, d.Digest, maxListing)
	if !ok {
		return fstree.Layer{}, nil, false
	}
	l, ix, err := decodeListing(d, b, lim)
	if err != nil {
		c.opts.logger.Debug("a kept listing is not used", "digest", d.Digest, "error", err.Error())
		return fstree.Layer{}, nil, false
	}
	c.opts.logger.Debug("layer listed from the disk cache", "digest", d.Digest, "entries", l.Len())
	return l, ix, true
}

// forgetIndex drops a layer's file index, kept and in memory, after a
// read from it did not give the listed bytes.
func (c *Client) forgetIndex(digest string) {
	c.layers.dropIndex(digest)
	if c.cache.disk != nil {
		c.cache.disk.dropDerived(listingKind, digest)
	}
}

// Record flags of the encoding.
const (
	recWhiteout = 0x10
	recOpaque   = 0x20
)

// encodeListing writes l and ix: the layer's fields, the checkpoints, then
// each record (its path sharing a prefix with the one before), all
// compressed with zstd as it is written (a listing of millions is never
// held encoded).
func encodeListing(d model.Descriptor, l fstree.Layer, ix *fileIndex) ([]byte, error) {
	var out bytes.Buffer
	out.WriteString(listingMagic)
	enc, err := zstd.NewWriter(&out, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("compressing a listing: %w", err)
	}
	w := bufio.NewWriterSize(enc, 256<<10)
	b := appendString(nil, d.Digest)
	b = binary.AppendUvarint(b, uint64(l.Uncompressed))
	b = append(b, boolByte(l.TOCVerified))
	b = appendString(b, l.TOCRejected)
	var points []byte
	if ix != nil && ix.points != nil {
		if points, err = ix.points.MarshalBinary(); err != nil {
			return nil, err
		}
	}
	b = append(b, boolByte(ix != nil && ix.toc == nil))
	b = appendString(b, string(points))
	b = binary.AppendUvarint(b, uint64(l.Len()))
	_, _ = w.Write(b)
	prev := ""
	for i := range l.Len() {
		r := l.Record(i)
		flags := byte(r.Type)
		if r.Whiteout {
			flags |= recWhiteout
		}
		if r.Opaque {
			flags |= recOpaque
		}
		b = append(b[:0], flags)
		shared := 0
		for shared < len(prev) && shared < len(r.Path) && prev[shared] == r.Path[shared] {
			shared++
		}
		b = binary.AppendUvarint(b, uint64(shared))
		b = appendString(b, r.Path[shared:])
		b = appendString(b, r.LinkTarget)
		b = binary.AppendUvarint(b, uint64(r.Size))
		b = binary.AppendUvarint(b, uint64(r.Mode))
		if r.Type == fstree.File {
			b = append(b, r.Digest[:]...)
			var block uint32
			if ix != nil && ix.toc == nil && i < len(ix.blocks) {
				block = ix.blocks[i]
			}
			b = binary.AppendUvarint(b, uint64(block))
		}
		_, _ = w.Write(b)
		prev = r.Path
	}
	if err := cmpErr(w.Flush(), enc.Close()); err != nil {
		return nil, fmt.Errorf("compressing a listing: %w", err)
	}
	return out.Bytes(), nil
}

var errListing = errors.New("not a listing this version wrote")

// decodeListing reads what encodeListing wrote for d, refusing a listing
// past lim.
func decodeListing(d model.Descriptor, raw []byte, lim fstree.Limits) (fstree.Layer, *fileIndex, error) {
	if !strings.HasPrefix(string(raw), listingMagic) {
		return fstree.Layer{}, nil, errListing
	}
	dec, err := zstd.NewReader(bytes.NewReader(raw[len(listingMagic):]), zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxListing))
	if err != nil {
		return fstree.Layer{}, nil, fmt.Errorf("a listing: %w", err)
	}
	defer dec.Close()
	r := listingReader{r: bufio.NewReaderSize(dec, 256<<10)}
	l := fstree.Layer{Digest: d.Digest, Source: fstree.SourceStream}
	if r.string(maxListing) != d.Digest {
		return fstree.Layer{}, nil, errListing
	}
	l.Uncompressed = r.int()
	l.TOCVerified = r.byte() == 1
	l.TOCRejected = r.string(maxListing)
	var ix *fileIndex
	hasIndex := r.byte() == 1
	points := r.string(maxListing)
	if hasIndex {
		ix = &fileIndex{}
		if points != "" {
			ix.points = &zindex.Index{}
			if err := ix.points.UnmarshalBinary([]byte(points)); err != nil || ix.points.Size != d.Size {
				return fstree.Layer{}, nil, fmt.Errorf("a listing's checkpoints: %w", cmpErr(err, errListing))
			}
		}
	}
	n := r.int()
	if r.err != nil || n > int64(lim.Entries) || l.Uncompressed > lim.Bytes {
		return fstree.Layer{}, nil, fmt.Errorf("%w, or one over the limits", errListing)
	}
	if ix != nil {
		ix.blocks = make([]uint32, 0, n)
	}
	var path []byte
	var digest fstree.Sum
	for range n {
		flags := r.byte()
		shared := r.int()
		if shared > int64(len(path)) {
			return fstree.Layer{}, nil, errListing
		}
		path = r.append(path[:shared], lim.PathLen)
		rec := fstree.Record{Entry: fstree.Entry{Path: string(path), LinkTarget: r.string(lim.PathLen), Type: fstree.Type(flags & 0x0f),
			Whiteout: flags&recWhiteout != 0, Opaque: flags&recOpaque != 0}}
		rec.Size = r.int()
		rec.Mode = uint32(r.int() & 0o7777)
		var block uint32
		if rec.Type == fstree.File {
			r.full(digest[:])
			rec.Digest = digest
			v := r.int()
			if v >= 1<<32 {
				r.err = errListing
			}
			block = uint32(v)
		}
		if r.err != nil || len(path) > lim.PathLen {
			return fstree.Layer{}, nil, fmt.Errorf("%w, or a name over the limits", errListing)
		}
		if err := l.Add(rec); err != nil {
			return fstree.Layer{}, nil, err // fstree's own limit, named in it
		}
		if ix != nil {
			ix.blocks = append(ix.blocks, block)
		}
	}
	if _, err := r.r.ReadByte(); r.err != nil || !errors.Is(err, io.EOF) {
		return fstree.Layer{}, nil, errListing
	}
	return l, ix, nil
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

func cmpErr(err, or error) error {
	if err != nil {
		return err
	}
	return or
}

// listingReader reads an encoded listing; err is its first failure.
type listingReader struct {
	r   *bufio.Reader
	err error
}

func (r *listingReader) int() int64 {
	v, err := binary.ReadUvarint(r.r)
	if err != nil || v > 1<<62 {
		r.err = cmpErr(err, errListing)
		return 0
	}
	return int64(v)
}

func (r *listingReader) byte() byte {
	v, err := r.r.ReadByte()
	if err != nil {
		r.err = err
	}
	return v
}

func (r *listingReader) full(p []byte) {
	if _, err := io.ReadFull(r.r, p); err != nil {
		r.err = err
	}
}

// append appends a string of at most most bytes to b.
func (r *listingReader) append(b []byte, most int) []byte {
	n := r.int()
	if r.err != nil || n > int64(most) {
		r.err = errListing
		return b
	}
	start := len(b)
	b = append(b, make([]byte, n)...)
	r.full(b[start:])
	return b
}

func (r *listingReader) string(most int) string { return string(r.append(nil, most)) }
