package zindex

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/zstd"
)

// zstd's frame magic numbers (RFC 8878, 3.1).
const (
	zstdMagic         = 0xFD2FB528
	zstdSkippableMask = 0xFFFFFFF0
	zstdSkippable     = 0x184D2A50
)

// ZstdReader decompresses a zstd stream one frame at a time and notes
// where frames start: every frame is a checkpoint, as it refers to
// nothing before it.
type ZstdReader struct {
	frames  *frames
	dec     *zstd.Decoder
	b       *builder
	out     int64
	inFrame bool
	err     error
}

// decoderOptions are those the layer reader uses.
func decoderOptions() []zstd.DOption {
	return []zstd.DOption{zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(128 << 20)}
}

// NewZstdReader reads the zstd stream r; a checkpoint is taken at the
// first frame past each spacing.
func NewZstdReader(r io.Reader, spacing Spacing) (*ZstdReader, error) {
	dec, err := zstd.NewReader(nil, decoderOptions()...)
	if err != nil {
		return nil, fmt.Errorf("zstd: %w", err)
	}
	return &ZstdReader{frames: &frames{r: bufio.NewReaderSize(r, 64<<10)}, dec: dec, b: newBuilder(Zstd, spacing)}, nil
}

// Close releases the decoder.
func (z *ZstdReader) Close() { z.dec.Close() }

// Index is the stream's index, once Read has returned io.EOF.
func (z *ZstdReader) Index() *Index {
	if !errors.Is(z.err, io.EOF) {
		return nil
	}
	idx := z.b.idx
	idx.Size, idx.Total = z.frames.pos, z.out
	return &idx
}

func (z *ZstdReader) Read(p []byte) (int, error) {
	for z.err == nil {
		if !z.inFrame {
			start := z.frames.pos
			ok, err := z.frames.next()
			if err != nil || !ok {
				z.err = cmpErr(err, io.EOF)
				break
			}
			if start > 0 && z.b.due(start*8, z.out) {
				z.b.add(Checkpoint{In: start * 8, Out: z.out, Member: true})
			}
			if err := z.dec.Reset(z.frames); err != nil {
				z.err = fmt.Errorf("zstd: %w", err)
				break
			}
			z.inFrame = true
		}
		n, err := z.dec.Read(p)
		z.out += int64(n)
		if errors.Is(err, io.EOF) {
			if !z.frames.ended() {
				z.err = fmt.Errorf("zstd: a frame ended before its last block")
			}
			z.inFrame, err = false, nil
		}
		if err != nil {
			z.err = fmt.Errorf("zstd: %w", err)
		}
		if n > 0 {
			return n, nil
		}
	}
	return 0, z.err
}

func cmpErr(err, or error) error {
	if err != nil {
		return err
	}
	return or
}

// frames passes a zstd stream on one frame at a time: Read ends (io.EOF)
// where the frame does, found from its header and block headers, and next
// moves to the following frame, skipping skippable frames.
type frames struct {
	r    *bufio.Reader
	pos  int64 // bytes taken from r
	head []byte
	// left is what remains of the current block (or header bytes);
	// then a block header is next, unless last was the last block.
	left     int64
	last     bool
	checksum bool
	done     bool // the frame's last byte was passed on
	err      error
}

// next starts the next frame; ok is false at the stream's end.
func (s *frames) next() (ok bool, err error) {
	for {
		magic, err := s.r.Peek(4)
		if len(magic) == 0 && errors.Is(err, io.EOF) {
			return false, nil
		}
		if len(magic) < 4 {
			return false, fmt.Errorf("zstd: %d bytes after the last frame: %w", len(magic), io.ErrUnexpectedEOF)
		}
		m := binary.LittleEndian.Uint32(magic)
		if m&zstdSkippableMask == zstdSkippable {
			var h [8]byte
			if _, err := io.ReadFull(s.r, h[:]); err != nil {
				return false, fmt.Errorf("zstd: a skippable frame: %w", noEOF(err))
			}
			n, err := s.r.Discard(int(binary.LittleEndian.Uint32(h[4:])))
			s.pos += 8 + int64(n)
			if err != nil {
				return false, fmt.Errorf("zstd: a skippable frame: %w", noEOF(err))
			}
			continue
		}
		if m != zstdMagic {
			return false, fmt.Errorf("zstd: no frame at byte %d", s.pos)
		}
		// Magic, descriptor, and the header fields it says are there.
		h, err := s.r.Peek(6)
		if len(h) < 5 {
			return false, fmt.Errorf("zstd: a frame header: %w", noEOF(err))
		}
		fhd := h[4]
		if fhd&0x08 != 0 {
			return false, fmt.Errorf("zstd: a frame header's reserved bit is set")
		}
		size := 5 + [4]int{0, 1, 2, 4}[fhd&3] + [4]int{0, 2, 4, 8}[fhd>>6]
		if fhd&0x20 == 0 {
			size++ // the window descriptor
		} else if fhd>>6 == 0 {
			size++ // a one-byte content size
		}
		s.left, s.last, s.checksum, s.done, s.err = int64(size), false, fhd&0x04 != 0, false, nil
		s.head = s.head[:0]
		return true, nil
	}
}

// ended tells whether the frame was passed on to its end.
func (s *frames) ended() bool { return s.done }

func (s *frames) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	for s.left == 0 {
		if s.done {
			return 0, io.EOF
		}
		if s.last {
			if s.checksum {
				s.left, s.checksum = 4, false
				continue
			}
			s.done = true
			return 0, io.EOF
		}
		// A block header, passed on with its block.
		h, err := s.r.Peek(3)
		if len(h) < 3 {
			s.err = fmt.Errorf("zstd: a block header: %w", noEOF(err))
			return 0, s.err
		}
		bh := uint32(h[0]) | uint32(h[1])<<8 | uint32(h[2])<<16
		s.last = bh&1 == 1
		size := int64(bh >> 3)
		switch bh >> 1 & 3 {
		case 1: // RLE: one byte stands for size
			size = 1
		case 3:
			s.err = fmt.Errorf("zstd: a block of the reserved type")
			return 0, s.err
		}
		s.left = 3 + size
	}
	if int64(len(p)) > s.left {
		p = p[:s.left]
	}
	n, err := s.r.Read(p)
	s.pos += int64(n)
	s.left -= int64(n)
	if s.left == 0 && s.last && !s.checksum {
		s.done = true
	}
	if err != nil && (s.left > 0 || !errors.Is(err, io.EOF)) {
		s.err = noEOF(err)
		return n, s.err
	}
	return n, nil
}

func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// resumeZstd decompresses from a frame's start: r is the stream from
// there.
func resumeZstd(r io.Reader) (io.ReadCloser, error) {
	dec, err := zstd.NewReader(r, decoderOptions()...)
	if err != nil {
		return nil, fmt.Errorf("zstd: %w", err)
	}
	return dec.IOReadCloser(), nil
}
