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
	c.keepDirListing(d, l, ix)
}

// keepDirListing writes a verified listing by directory to the disk
// cache (see dirlisting.go).
func (c *Client) keepDirListing(d model.Descriptor, l fstree.Layer, ix *fileIndex) {
	b, err := encodeDirListing(d, l, ix)
	if err != nil {
		c.opts.logger.Debug("listing by directory not kept", "digest", d.Digest, "error", err.Error())
		return
	}
	c.cache.disk.putDerived(dirListingKind, d.Digest, b)
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
	if !c.cache.disk.hasDerived(dirListingKind, d.Digest) {
		c.keepDirListing(d, l, ix) // kept by a platypus before listings by directory
	}
	return l, ix, true
}

// forgetIndex drops a layer's file index, kept and in memory, after a
// read from it did not give the listed bytes.
func (c *Client) forgetIndex(digest string) {
	c.layers.dropIndex(digest)
	c.partials.drop(digest)
	if c.cache.disk != nil {
		c.cache.disk.dropDerived(listingKind, digest)
		c.cache.disk.dropDerived(dirListingKind, digest)
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
		shared := commonPrefix(prev, r.Path)
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
// past lim. It reads from a window of the decompressed bytes, a record at
// a time, and hands the layer each path as bytes it copies what it keeps
// of: a listing of millions is decoded without an allocation per record
// (cat's whole run, after a listing, is mostly this).
func decodeListing(d model.Descriptor, raw []byte, lim fstree.Limits) (fstree.Layer, *fileIndex, error) {
	if !strings.HasPrefix(string(raw), listingMagic) {
		return fstree.Layer{}, nil, errListing
	}
	dec, err := zstd.NewReader(bytes.NewReader(raw[len(listingMagic):]), zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxListing))
	if err != nil {
		return fstree.Layer{}, nil, fmt.Errorf("a listing: %w", err)
	}
	defer dec.Close()
	r := listingReader{src: dec}
	l := fstree.Layer{Digest: d.Digest, Source: fstree.SourceStream}
	if r.string(maxListing) != d.Digest {
		return fstree.Layer{}, nil, errListing
	}
	l.Uncompressed = r.int()
	l.TOCVerified = r.byte() == 1
	l.TOCRejected = r.string(maxListing)
	var ix *fileIndex
	hasIndex := r.byte() == 1
	points := append([]byte(nil), r.bytes(maxListing)...) // the window is reused
	if hasIndex {
		ix = &fileIndex{}
		if len(points) > 0 {
			ix.points = &zindex.Index{}
			if err := ix.points.UnmarshalBinary(points); err != nil || ix.points.Size != d.Size {
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
	// The most one record takes: a flag, six numbers, two names and a sum.
	most := 1 + 7*binary.MaxVarintLen64 + 2*lim.PathLen + len(fstree.Sum{})
	var path []byte
	for range n {
		r.fill(most)
		flags := r.byte()
		shared := r.int()
		if shared > int64(len(path)) {
			return fstree.Layer{}, nil, errListing
		}
		path = append(path[:shared], r.bytes(lim.PathLen)...)
		rec := fstree.Record{Entry: fstree.Entry{Type: fstree.Type(flags & 0x0f), Whiteout: flags&recWhiteout != 0, Opaque: flags&recOpaque != 0}}
		if link := r.bytes(lim.PathLen); len(link) > 0 {
			rec.LinkTarget = string(link)
		}
		rec.Size = r.int()
		rec.Mode = uint32(r.int() & 0o7777)
		var block uint32
		if rec.Type == fstree.File {
			copy(rec.Digest[:], r.bytes(-len(rec.Digest)))
			v := r.int()
			if v >= 1<<32 {
				r.err = errListing
			}
			block = uint32(v)
		}
		if r.err != nil || len(path) > lim.PathLen {
			return fstree.Layer{}, nil, fmt.Errorf("%w, or a name over the limits", errListing)
		}
		if err := l.AddPath(path, rec); err != nil {
			return fstree.Layer{}, nil, err // fstree's own limit, named in it
		}
		if ix != nil {
			ix.blocks = append(ix.blocks, block)
		}
	}
	if r.fill(1); r.err != nil || len(r.buf) > 0 {
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

// listingReader reads an encoded listing from a window of src's bytes,
// buf, what is not read yet, in data; err is its first failure.
type listingReader struct {
	src  io.Reader
	data []byte
	buf  []byte
	eof  bool
	err  error
}

// fill has at least n bytes in the window, unless src ends first.
func (r *listingReader) fill(n int) {
	if len(r.buf) >= n || r.eof {
		return
	}
	if r.data == nil {
		r.data = make([]byte, 256<<10)
	}
	// What is left goes to the front of the array, the rest is read after.
	r.buf = r.data[:copy(r.data, r.buf)]
	for len(r.buf) < n && !r.eof {
		if len(r.buf) == len(r.data) {
			// It grows as bytes come, not as a length read says.
			grown := make([]byte, 2*len(r.data))
			r.buf = grown[:copy(grown, r.buf)]
			r.data = grown
		}
		k, err := r.src.Read(r.data[len(r.buf):])
		r.buf = r.data[:len(r.buf)+k]
		switch {
		case errors.Is(err, io.EOF):
			r.eof = true
		case err != nil:
			r.eof, r.err = true, cmpErr(r.err, err)
		}
	}
}

func (r *listingReader) int() int64 {
	r.fill(binary.MaxVarintLen64)
	v, k := binary.Uvarint(r.buf)
	if k <= 0 || v > 1<<62 {
		r.err, r.buf = cmpErr(r.err, errListing), nil
		return 0
	}
	r.buf = r.buf[k:]
	return int64(v)
}

func (r *listingReader) byte() byte {
	r.fill(1)
	if len(r.buf) == 0 {
		r.err = cmpErr(r.err, io.ErrUnexpectedEOF)
		return 0
	}
	v := r.buf[0]
	r.buf = r.buf[1:]
	return v
}

// bytes are the next string of at most most bytes, or, for most < 0,
// the next -most bytes; they are the window's, good until the next read.
func (r *listingReader) bytes(most int) []byte {
	var n int64
	if most < 0 {
		n = int64(-most)
	} else if n = r.int(); n > int64(most) {
		r.err = cmpErr(r.err, errListing)
	}
	if r.err != nil {
		return nil
	}
	r.fill(int(n))
	if int64(len(r.buf)) < n {
		r.err, r.buf = cmpErr(r.err, io.ErrUnexpectedEOF), nil
		return nil
	}
	b := r.buf[:n:n]
	r.buf = r.buf[n:]
	return b
}

func (r *listingReader) string(most int) string { return string(r.bytes(most)) }
