package registry

import (
	"encoding/binary"
	"errors"
	"fmt"
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
	listingKind  = "listings"
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
	c.mu.Lock()
	if call, ok := c.layers[digest]; ok {
		select {
		case <-call.done:
			call.index = nil
		default:
		}
	}
	c.mu.Unlock()
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
// compressed with zstd.
func encodeListing(d model.Descriptor, l fstree.Layer, ix *fileIndex) ([]byte, error) {
	b := appendString(nil, d.Digest)
	b = binary.AppendUvarint(b, uint64(l.Uncompressed))
	b = append(b, boolByte(l.TOCVerified))
	b = appendString(b, l.TOCRejected)
	var points []byte
	if ix != nil && ix.points != nil {
		var err error
		if points, err = ix.points.MarshalBinary(); err != nil {
			return nil, err
		}
	}
	b = append(b, boolByte(ix != nil && ix.toc == nil))
	b = appendString(b, string(points))
	b = binary.AppendUvarint(b, uint64(l.Len()))
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
		b = append(b, flags)
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
		prev = r.Path
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("compressing a listing: %w", err)
	}
	defer func() { _ = enc.Close() }()
	return enc.EncodeAll(b, []byte(listingMagic)), nil
}

var errListing = errors.New("not a listing this version wrote")

// decodeListing reads what encodeListing wrote for d, refusing a listing
// past lim.
func decodeListing(d model.Descriptor, raw []byte, lim fstree.Limits) (fstree.Layer, *fileIndex, error) {
	if !strings.HasPrefix(string(raw), listingMagic) {
		return fstree.Layer{}, nil, errListing
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxListing))
	if err != nil {
		return fstree.Layer{}, nil, fmt.Errorf("a listing: %w", err)
	}
	defer dec.Close()
	b, err := dec.DecodeAll(raw[len(listingMagic):], nil)
	if err != nil {
		return fstree.Layer{}, nil, fmt.Errorf("a listing: %w", err)
	}
	r := listingReader{b: b}
	l := fstree.Layer{Digest: d.Digest, Source: fstree.SourceStream}
	if r.string() != d.Digest {
		return fstree.Layer{}, nil, errListing
	}
	l.Uncompressed = r.int()
	l.TOCVerified = r.byte() == 1
	l.TOCRejected = r.string()
	var ix *fileIndex
	hasIndex := r.byte() == 1
	points := r.string()
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
	if r.bad || n > int64(lim.Entries) || l.Uncompressed > lim.Bytes {
		return fstree.Layer{}, nil, fmt.Errorf("%w, or one over the limits", errListing)
	}
	if ix != nil {
		ix.blocks = make([]uint32, 0, n)
	}
	prev := ""
	for range n {
		flags := r.byte()
		shared := r.int()
		if shared > int64(len(prev)) {
			return fstree.Layer{}, nil, errListing
		}
		rec := fstree.Record{Entry: fstree.Entry{Path: prev[:shared] + r.string(), LinkTarget: r.string(), Type: fstree.Type(flags & 0x0f),
			Whiteout: flags&recWhiteout != 0, Opaque: flags&recOpaque != 0}}
		rec.Size = r.int()
		rec.Mode = uint32(r.int() & 0o7777)
		var block uint32
		if rec.Type == fstree.File {
			copy(rec.Digest[:], r.bytes(len(rec.Digest)))
			v := r.int()
			if v >= 1<<32 {
				r.bad = true
			}
			block = uint32(v)
		}
		if r.bad || len(rec.Path) > lim.PathLen || len(rec.LinkTarget) > lim.PathLen {
			return fstree.Layer{}, nil, fmt.Errorf("%w, or a name over the limits", errListing)
		}
		if err := l.Add(rec); err != nil {
			return fstree.Layer{}, nil, err //nolint:wrapcheck // fstree's own limit, named in it
		}
		if ix != nil {
			ix.blocks = append(ix.blocks, block)
		}
		prev = rec.Path
	}
	if r.bad || len(r.b) != 0 {
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

// listingReader reads an encoded listing; bad says it ran out.
type listingReader struct {
	b   []byte
	bad bool
}

func (r *listingReader) int() int64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 || v > 1<<62 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return int64(v)
}

func (r *listingReader) byte() byte {
	if len(r.b) == 0 {
		r.bad = true
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *listingReader) bytes(n int) []byte {
	if len(r.b) < n {
		r.bad = true
		return make([]byte, n)
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *listingReader) string() string {
	n := r.int()
	if n > int64(len(r.b)) {
		r.bad = true
		return ""
	}
	return string(r.bytes(int(n)))
}
