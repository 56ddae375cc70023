// Package zindex reads gzip and zstd layer streams and builds, as they are
// read, an index of checkpoints: places in the compressed stream where
// decompression can start again, and the offset in the uncompressed
// stream each stands for. With it, a file in the middle of a layer is
// read with one range request from the nearest checkpoint before it, not
// by streaming the layer from its start (as zlib's zran.c, oci.dag.dev and
// AWS's SOCI zTOCs do).
//
// A gzip checkpoint is a DEFLATE block boundary: its bit offset, the
// 32 KiB of output before it (a block may refer back that far) and the
// member's CRC so far. A zstd checkpoint is the start of a frame, which
// refers to nothing before it; a stream of one frame has only the start.
package zindex

import (
	"errors"
	"io"
	"sort"
)

// Format is the compression of an indexed stream.
type Format uint8

// Formats.
const (
	Gzip Format = 1
	Zstd Format = 2
)

func (f Format) String() string {
	switch f {
	case Gzip:
		return "gzip"
	case Zstd:
		return "zstd"
	}
	return "unknown"
}

// Checkpoint is a place decompression can start from.
type Checkpoint struct {
	// In is the bit offset in the compressed stream (a zstd frame, or a
	// gzip member's header, starts on a byte: In is a multiple of 8).
	In int64
	// Out is the offset in the uncompressed stream.
	Out int64
	// Member says In is a gzip member's header (or a zstd frame's);
	// otherwise it is a DEFLATE block boundary inside a member, and
	// Window, CRC and Size say what came before it in the member.
	Member bool
	Window []byte
	CRC    uint32 // the member's CRC-32 so far
	Size   uint32 // the member's output so far, modulo 2^32
}

// Spacing says how far apart checkpoints are: one is taken at the first
// boundary at least In compressed or Out uncompressed bytes past the last
// (In bounds the bytes a read from it transfers, Out the bytes it
// decompresses). Past Max checkpoints every other one is dropped and the
// distances double, so an index stays bounded whatever the stream.
type Spacing struct {
	In, Out int64
	Max     int
}

// DefaultSpacing is a checkpoint every MiB of compressed or 16 MiB of
// uncompressed stream, at most 512 (16 MiB of windows).
var DefaultSpacing = Spacing{In: 1 << 20, Out: 16 << 20, Max: 512}

// Index is the checkpoints of a stream, in order; the first is its start.
type Index struct {
	Format Format
	// Size and Total are the compressed and uncompressed lengths.
	Size, Total int64
	Points      []Checkpoint
}

// builder collects checkpoints as a stream is read.
type builder struct {
	sp  Spacing
	idx Index
}

func newBuilder(f Format, sp Spacing) *builder {
	if sp.Max < 2 {
		sp.Max = 2
	}
	b := &builder{sp: sp, idx: Index{Format: f}}
	b.idx.Points = append(b.idx.Points, Checkpoint{Member: true})
	return b
}

// due tells whether a checkpoint at in (bits) and out is far enough from
// the last.
func (b *builder) due(in, out int64) bool {
	last := b.idx.Points[len(b.idx.Points)-1]
	return in/8-last.In/8 >= b.sp.In || out-last.Out >= b.sp.Out
}

func (b *builder) add(c Checkpoint) {
	b.idx.Points = append(b.idx.Points, c)
	if len(b.idx.Points) <= b.sp.Max {
		return
	}
	// Keep the start and every other one after it.
	kept := b.idx.Points[:1]
	for i := 2; i < len(b.idx.Points); i += 2 {
		kept = append(kept, b.idx.Points[i])
	}
	clear(b.idx.Points[len(kept):])
	b.idx.Points = kept
	b.sp.In *= 2
	b.sp.Out *= 2
}

// Span is what a read of n bytes at uncompressed offset off takes: the
// checkpoint to start from (its place in Points) and the compressed bytes
// [from, to) that hold everything from it to off+n.
func (x *Index) Span(off, n int64) (point int, from, to int64) {
	end := off + n
	i := sort.Search(len(x.Points), func(i int) bool { return x.Points[i].Out > off }) - 1
	i = max(i, 0)
	to = x.Size
	if j := sort.Search(len(x.Points), func(j int) bool { return x.Points[j].Out >= end }); j < len(x.Points) && j > i {
		to = (x.Points[j].In + 7) / 8
	}
	return i, x.Points[i].In / 8, to
}

// ErrIndex says an index is not one this package wrote, or not whole.
var ErrIndex = errors.New("not a valid checkpoint index")

// check tells whether an index is in order and within its stream.
func (x *Index) check() error {
	if x.Format != Gzip && x.Format != Zstd || len(x.Points) == 0 || x.Size < 0 || x.Total < 0 {
		return ErrIndex
	}
	p := x.Points
	if p[0].In != 0 || p[0].Out != 0 || !p[0].Member {
		return ErrIndex
	}
	for i, c := range p {
		if c.In > x.Size*8 || c.Out > x.Total || len(c.Window) > windowSize || (c.Member && c.In%8 != 0) ||
			(x.Format == Zstd && !c.Member) || (c.Member && len(c.Window) > 0) {
			return ErrIndex
		}
		if i > 0 && (c.In <= p[i-1].In || c.Out < p[i-1].Out) {
			return ErrIndex
		}
	}
	return nil
}

// Resume decompresses from checkpoint i: r is the compressed stream from
// byte Points[i].In/8 on (it may end anywhere past what is read). The
// output starts at Points[i].Out. Nothing is checked but the stream's own
// structure: the bytes read must be checked by their reader.
func (x *Index) Resume(i int, r io.Reader) (io.Reader, error) {
	if i < 0 || i >= len(x.Points) {
		return nil, ErrIndex
	}
	c := x.Points[i]
	if x.Format == Zstd {
		return resumeZstd(r)
	}
	return resumeGzip(c, r)
}
