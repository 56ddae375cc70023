package zindex

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
)

// Errors of a gzip stream, as compress/gzip names them.
var (
	ErrHeader   = errors.New("gzip: invalid header")
	ErrChecksum = errors.New("gzip: invalid checksum")
)

// Member states.
const (
	gzHeader  = iota // a member's header (or the stream's end) is next
	gzDeflate        // inside a member's DEFLATE stream
	gzDone
)

// GzipReader decompresses a gzip stream of any number of members, as
// compress/gzip does (checking each member's CRC-32 and length), and
// builds its Index as it goes.
type GzipReader struct {
	f     *inflater
	b     *builder // nil when resumed: no index is built
	state int
	crc   uint32 // of the member's output up to crcAt
	crcAt int
	size  uint32
	err   error
}

// NewGzipReader reads the gzip stream r; the index is taken every
// spacing.
func NewGzipReader(r io.Reader, spacing Spacing) *GzipReader {
	z := &GzipReader{f: newInflater(r), b: newBuilder(Gzip, spacing)}
	z.f.boundary = z.boundary
	return z
}

// Index is the stream's index, once Read has returned io.EOF; nil before,
// and after any other error.
func (z *GzipReader) Index() *Index {
	if z.b == nil || z.state != gzDone || !errors.Is(z.err, io.EOF) {
		return nil
	}
	idx := z.b.idx
	idx.Size, idx.Total = z.f.inPos()/8, z.f.outPos()
	return &idx
}

// sum brings the member's CRC up to the output decoded so far.
func (z *GzipReader) sum() {
	if z.crcAt < z.f.wp {
		z.crc = crc32.Update(z.crc, crc32.IEEETable, z.f.w[z.crcAt:z.f.wp])
		z.size += uint32(z.f.wp - z.crcAt) // modulo 2^32, as gzip's ISIZE
		z.crcAt = z.f.wp
	}
}

// boundary takes a checkpoint at a block boundary, when one is due.
func (z *GzipReader) boundary() {
	if z.b == nil || !z.b.due(z.f.inPos(), z.f.outPos()) {
		return
	}
	z.sum()
	z.b.add(Checkpoint{In: z.f.inPos(), Out: z.f.outPos(), Window: append([]byte(nil), z.f.window()...), CRC: z.crc, Size: z.size})
}

func (z *GzipReader) Read(p []byte) (int, error) {
	f := z.f
	for {
		if f.rp < f.wp {
			n := copy(p, f.w[f.rp:f.wp])
			f.rp += n
			return n, nil
		}
		if z.err != nil {
			return 0, z.err
		}
		switch z.state {
		case gzHeader:
			z.err = z.header()
		case gzDeflate:
			z.sum()
			f.room()
			z.crcAt = f.wp
			if err := f.decode(len(f.w) - maxMatch); err != nil {
				z.err = err
			}
			z.sum()
			if z.err == nil && f.st == stEnd {
				z.err = z.trailer()
			}
		default:
			return 0, io.EOF
		}
	}
}

// trailer checks a member's CRC-32 and length.
func (z *GzipReader) trailer() error {
	z.f.align()
	var t [8]byte
	if err := z.f.readFull(t[:]); err != nil {
		return err
	}
	if binary.LittleEndian.Uint32(t[:4]) != z.crc || binary.LittleEndian.Uint32(t[4:]) != z.size {
		return ErrChecksum
	}
	z.state = gzHeader
	if z.b != nil && z.b.due(z.f.inPos(), z.f.outPos()) {
		z.b.add(Checkpoint{In: z.f.inPos(), Out: z.f.outPos(), Member: true})
	}
	return nil
}

// header reads a member's header, or finds the stream's end.
func (z *GzipReader) header() error {
	f := z.f
	if f.nb == 0 && f.ip == f.ie {
		if err := f.fill(); err != nil {
			if errors.Is(f.srcErr, io.EOF) && f.ip == f.ie {
				z.state = gzDone
				return io.EOF // zero or more members, as compress/gzip reads it
			}
			return err
		}
	}
	var h [10]byte
	if err := f.readFull(h[:]); err != nil {
		return err
	}
	if h[0] != 0x1f || h[1] != 0x8b || h[2] != 8 {
		return ErrHeader
	}
	flags := h[3]
	hcrc := crc32.ChecksumIEEE(h[:])
	if flags&0x04 != 0 { // FEXTRA
		var n [2]byte
		if err := f.readFull(n[:]); err != nil {
			return err
		}
		extra := make([]byte, binary.LittleEndian.Uint16(n[:]))
		if err := f.readFull(extra); err != nil {
			return err
		}
		hcrc = crc32.Update(crc32.Update(hcrc, crc32.IEEETable, n[:]), crc32.IEEETable, extra)
	}
	for _, flag := range []byte{0x08, 0x10} { // FNAME, FCOMMENT
		if flags&flag == 0 {
			continue
		}
		// At most 512 bytes with the NUL, as compress/gzip reads them.
		for i := 0; ; i++ {
			if i >= 512 {
				return ErrHeader
			}
			c, err := f.byte()
			if err != nil {
				return err
			}
			hcrc = crc32.Update(hcrc, crc32.IEEETable, []byte{c})
			if c == 0 {
				break
			}
		}
	}
	if flags&0x02 != 0 { // FHCRC
		var c [2]byte
		if err := f.readFull(c[:]); err != nil {
			return err
		}
		if binary.LittleEndian.Uint16(c[:]) != uint16(hcrc) {
			return ErrHeader
		}
	}
	z.state, z.crc, z.size, z.crcAt = gzDeflate, 0, 0, f.wp
	f.st, f.final = stBlock, false
	return nil
}

// resumeGzip decompresses from checkpoint c: r is the compressed stream
// from byte c.In/8. Its output starts at c.Out.
func resumeGzip(c Checkpoint, r io.Reader) (io.Reader, error) {
	z := &GzipReader{f: newInflater(r)}
	f := z.f
	copy(f.w, c.Window)
	f.wp, f.rp = len(c.Window), len(c.Window)
	f.wOff = c.Out - int64(len(c.Window))
	if c.Member {
		return z, nil
	}
	if skip := uint(c.In % 8); skip > 0 {
		if err := f.need(8); err != nil {
			return nil, err
		}
		f.take(skip)
	}
	z.state, z.crc, z.size, z.crcAt = gzDeflate, c.CRC, c.Size, f.wp
	return z, nil
}
