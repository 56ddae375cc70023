package registry

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry/zindex"
)

// fileIndex says where a layer's files are in its blob, so that one is
// read with a range request instead of the whole layer. It is made while
// the layer is listed (no request of its own) and kept with the listing;
// a stream's is kept only once the blob's digest was checked.
type fileIndex struct {
	// points are a gzip or zstd stream's checkpoints (nil: a plain tar).
	points *zindex.Index
	// blocks is, by record, where a regular file's bytes start in the
	// tar stream, in 512-byte blocks (0: not known, e.g. sparse).
	blocks []uint32
	// toc is, for a layer listed from its table of contents, where each
	// file's chunks are, by record; tocFormat is their compression.
	toc       map[int32]tocSpan
	tocFormat zindex.Format
}

// tocSpan is where a file of a table of contents is: the compressed bytes
// [from, to) (whole gzip members or zstd frames), then inner bytes of
// other files before its own.
type tocSpan struct{ from, to, inner int64 }

// indexSpacing is how far apart a layer's checkpoints are (a variable
// for tests).
var indexSpacing = zindex.DefaultSpacing

// indexedStream decompresses a layer's stream (gzip, zstd or plain tar,
// known by its first bytes, as decompress does) and builds its
// checkpoints as it goes; points is the index once the stream was read to
// its end, nil for a plain tar.
type indexedStream struct {
	r      io.Reader
	points func() *zindex.Index
	done   func()
	plain  bool
}

func decompressIndexed(br *bufio.Reader, mediaType string) (indexedStream, error) {
	magic, _ := br.Peek(4)
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		z := zindex.NewGzipReader(br, indexSpacing)
		return indexedStream{r: z, points: z.Index, done: func() {}}, nil
	case len(magic) == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd:
		z, err := zindex.NewZstdReader(br, indexSpacing)
		if err != nil {
			return indexedStream{}, fmt.Errorf("%w: the layer is not valid zstd: %w", ErrInvalid, err)
		}
		return indexedStream{r: z, points: z.Index, done: z.Close}, nil
	case strings.Contains(mediaType, "gzip") || strings.Contains(mediaType, "zstd"):
		return indexedStream{}, fmt.Errorf("%w: the layer says %s but its bytes are not", ErrInvalid, model.ShortMediaType(mediaType))
	}
	return indexedStream{r: br, points: func() *zindex.Index { return nil }, done: func() {}, plain: true}, nil
}

// fileOffsets collects where files start as fstree.ReadAt tells them.
type fileOffsets struct{ blocks []uint32 }

func (o *fileOffsets) at(rec int, off int64) {
	for len(o.blocks) < rec {
		o.blocks = append(o.blocks, 0)
	}
	if off <= 0 || off%512 != 0 || off/512 >= 1<<32 {
		o.blocks = append(o.blocks, 0)
		return
	}
	o.blocks = append(o.blocks, uint32(off/512))
}

// place is where file record i of the layer is: its bytes start at
// offset in the tar stream (or, for a table of contents, at span).
type place struct {
	offset int64
	span   tocSpan
	toc    bool
}

func (ix *fileIndex) place(i int) (place, bool) {
	if ix.toc != nil {
		s, ok := ix.toc[int32(i)]
		return place{span: s, toc: true}, ok
	}
	if i >= len(ix.blocks) || ix.blocks[i] == 0 {
		return place{}, false
	}
	return place{offset: int64(ix.blocks[i]) * 512}, true
}

// tocSpans works out, as a table of contents is read, the compressed span
// of each file's chunks: a file's bytes end where the next compressed
// stream starts after its last chunk (as estargz's reader finds them).
type tocSpans struct {
	spans   map[int32]tocSpan
	pending []int32 // files whose chunks ended, their end unknown
	current int32   // the file whose chunks may follow, or -1
}

func newTOCSpans() *tocSpans { return &tocSpans{spans: map[int32]tocSpan{}, current: -1} }

// entry notes entry e; rec is the record it became (-1: none).
func (s *tocSpans) entry(e *tocEntry, rec int) {
	if e.Type != "chunk" && s.current >= 0 {
		s.pending = append(s.pending, s.current)
		s.current = -1
	}
	if (e.Type == "reg" || e.Type == "chunk") && e.Offset > 0 && e.InnerOffset == 0 {
		s.end(e.Offset)
	}
	if e.Type == "reg" && rec >= 0 && e.Size > 0 && e.Offset > 0 {
		s.spans[int32(rec)] = tocSpan{from: e.Offset, inner: e.InnerOffset}
		s.current = int32(rec)
	}
}

func (s *tocSpans) end(at int64) {
	for _, p := range s.pending {
		sp := s.spans[p]
		sp.to = at
		s.spans[p] = sp
	}
	s.pending = s.pending[:0]
}

// finish ends the last files at dataEnd (where the table starts) and
// drops spans that make no sense.
func (s *tocSpans) finish(dataEnd int64) map[int32]tocSpan {
	if s.current >= 0 {
		s.pending = append(s.pending, s.current)
	}
	s.end(dataEnd)
	for k, sp := range s.spans {
		if sp.from <= 0 || sp.to <= sp.from || sp.to > dataEnd || sp.inner < 0 {
			delete(s.spans, k)
		}
	}
	return s.spans
}

// tocReader decompresses a table-of-contents layer's chunks: gzip
// members or zstd frames.
func tocReader(f zindex.Format, r io.Reader) (io.Reader, func(), error) {
	if f == zindex.Zstd {
		zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(128<<20))
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		return zr, zr.Close, nil
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return zr, func() { _ = zr.Close() }, nil
}

// layerFiles is the file records of l holding path p with sum: any of
// them has the bytes sought.
func layerFiles(l *fstree.Layer, p string, sum fstree.Sum) []int {
	var out []int
	for _, i := range l.Files(p) {
		if l.Record(i).Digest == sum {
			out = append(out, i)
		}
	}
	return out
}

// without is the index of l.Without(drop): the records' places move up.
func (ix *fileIndex) without(l *fstree.Layer, drop func(path string) bool) *fileIndex {
	if ix == nil || ix.toc != nil {
		return nil
	}
	out := &fileIndex{points: ix.points}
	for i := range l.Len() {
		if drop(l.Path(i)) {
			continue
		}
		var b uint32
		if i < len(ix.blocks) {
			b = ix.blocks[i]
		}
		out.blocks = append(out.blocks, b)
	}
	return out
}

// entryBytes is about what an entry of a listing costs in memory (its
// place in the index among it): the windows of an index's checkpoints are
// counted as entries of that size.
const entryBytes = 100

// windowBytes is what the checkpoints' windows hold.
func (ix *fileIndex) windowBytes() int {
	n := 0
	if ix != nil && ix.points != nil {
		for _, p := range ix.points.Points {
			n += len(p.Window)
		}
	}
	return n
}
