package zindex

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// CorruptError says the compressed stream is not valid at a byte offset.
type CorruptError struct {
	Offset int64
	Why    string
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("corrupt compressed data near byte %d: %s", e.Offset, e.Why)
}

const (
	windowSize = 32 << 10 // the most a distance reaches back
	maxMatch   = 258
	// outSize is the room for output past the window: decoded in batches
	// of up to this much, then read.
	outSize = 512 << 10
)

// Block states.
const (
	stBlock  = iota // a block header is next
	stStored        // inside a stored block
	stHuff          // inside a Huffman-coded block
	stEnd           // the final block has ended
)

// inflater decodes a DEFLATE stream (RFC 1951) into a window buffer. It
// reads its input through a buffer of its own and knows, at every block
// boundary, the exact bit of input it stands at, so that decoding can
// later start again there given the 32 KiB of output before it.
type inflater struct {
	src    io.Reader
	srcErr error // what src said last, once it said anything but nil
	in     []byte
	ip, ie int   // next unread byte of in, and its end
	inOff  int64 // where in[0] is in the compressed stream
	// bits holds nb bits of input not yet used, the first in bit 0.
	// Above them it may hold the next input bits again (see huffman).
	bits uint64
	nb   uint

	// w is history, then output not yet read: w[rp:wp] is to be read,
	// and wOff is where w[0] stands in the uncompressed stream.
	w      []byte
	wp, rp int
	wOff   int64

	st        int
	final     bool
	stored    int // bytes left of a stored block
	lit, dist *huffTable
	dynLit    huffTable
	dynDist   huffTable
	lens      [286 + 30]uint8
	// boundary, if set, is called at every block boundary but the
	// stream's end: the next bit of input starts a block header.
	boundary func()
}

func newInflater(src io.Reader) *inflater {
	return &inflater{src: src, in: make([]byte, 64<<10), w: make([]byte, windowSize+outSize)}
}

// inPos is the bit of input the inflater stands at.
func (f *inflater) inPos() int64 { return (f.inOff+int64(f.ip))*8 - int64(f.nb) }

// outPos is the offset in the uncompressed stream of the next byte decoded.
func (f *inflater) outPos() int64 { return f.wOff + int64(f.wp) }

// window is the history the next byte may refer to.
func (f *inflater) window() []byte { return f.w[max(0, f.wp-windowSize):f.wp] }

// corrupt is a CorruptError at the current input position.
func (f *inflater) corrupt(why string) error {
	return &CorruptError{Offset: f.inOff + int64(f.ip), Why: why}
}

// fill reads more input, keeping what is unread; io.ErrUnexpectedEOF
// when there is none (or the source's own error).
func (f *inflater) fill() error {
	if f.ip > 0 {
		n := copy(f.in, f.in[f.ip:f.ie])
		f.inOff += int64(f.ip)
		f.ip, f.ie = 0, n
	}
	for tries := 0; f.srcErr == nil && tries < 100; tries++ {
		n, err := f.src.Read(f.in[f.ie:])
		f.ie += n
		if err != nil {
			f.srcErr = err
		}
		if n > 0 {
			return nil
		}
	}
	if f.srcErr == nil {
		f.srcErr = io.ErrNoProgress
	}
	return f.eof()
}

// need makes sure n bits are in bits (n <= 56).
func (f *inflater) need(n uint) error {
	for f.nb < n {
		if f.ip == f.ie {
			if err := f.fill(); err != nil {
				return err
			}
		}
		f.bits |= uint64(f.in[f.ip]) << f.nb
		f.ip++
		f.nb += 8
	}
	return nil
}

func (f *inflater) take(n uint) uint64 {
	v := f.bits & (1<<n - 1)
	f.bits >>= n
	f.nb -= n
	return v
}

// align drops the bits up to the next byte boundary, and anything held
// above the bits kept: bytes are read one by one from here.
func (f *inflater) align() {
	f.take(f.nb % 8)
	f.bits &= 1<<f.nb - 1
}

// byte reads one byte after align.
func (f *inflater) byte() (byte, error) {
	if f.nb >= 8 {
		return byte(f.take(8)), nil
	}
	if f.ip == f.ie {
		if err := f.fill(); err != nil {
			return 0, err
		}
	}
	b := f.in[f.ip]
	f.ip++
	return b, nil
}

// readFull reads len(p) bytes after align.
func (f *inflater) readFull(p []byte) error {
	for len(p) > 0 {
		if f.nb >= 8 {
			p[0] = byte(f.take(8))
			p = p[1:]
			continue
		}
		if f.ip == f.ie {
			if err := f.fill(); err != nil {
				return err
			}
		}
		n := copy(p, f.in[f.ip:f.ie])
		f.ip += n
		p = p[n:]
	}
	return nil
}

// room makes space for output: once everything decoded was read, the
// last 32 KiB are moved to the front.
func (f *inflater) room() {
	if f.rp < f.wp || f.wp < len(f.w)-outSize/2 {
		return
	}
	keep := min(f.wp, windowSize)
	copy(f.w, f.w[f.wp-keep:f.wp])
	f.wOff += int64(f.wp - keep)
	f.wp, f.rp = keep, keep
}

// decode decodes until the output holds target bytes (at most
// len(w)-maxMatch) or the final block has ended.
func (f *inflater) decode(target int) error {
	for f.wp < target {
		var err error
		switch f.st {
		case stBlock:
			err = f.header()
		case stStored:
			err = f.copyStored(target)
		case stHuff:
			err = f.huffman(target)
		case stEnd:
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// endBlock moves past a block's end.
func (f *inflater) endBlock() {
	if f.final {
		f.st = stEnd
		return
	}
	f.st = stBlock
	if f.boundary != nil {
		f.boundary()
	}
}

func (f *inflater) header() error {
	if err := f.need(3); err != nil {
		return err
	}
	f.final = f.take(1) == 1
	switch f.take(2) {
	case 0:
		f.align()
		var b [4]byte
		if err := f.readFull(b[:]); err != nil {
			return err
		}
		n, nn := binary.LittleEndian.Uint16(b[:2]), binary.LittleEndian.Uint16(b[2:])
		if n != ^nn {
			return f.corrupt("a stored block's length does not match its complement")
		}
		f.stored, f.st = int(n), stStored
		if n == 0 {
			f.endBlock()
		}
	case 1:
		f.lit, f.dist, f.st = fixedLit, fixedDist, stHuff
	case 2:
		if err := f.dynamic(); err != nil {
			return err
		}
		f.lit, f.dist, f.st = &f.dynLit, &f.dynDist, stHuff
	default:
		return f.corrupt("a block of the reserved type 3")
	}
	return nil
}

// The order the code-length code's lengths come in (RFC 1951, 3.2.7).
var clOrder = [19]int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// dynamic reads a block's own codes.
func (f *inflater) dynamic() error {
	if err := f.need(14); err != nil {
		return err
	}
	nlit := int(f.take(5)) + 257
	ndist := int(f.take(5)) + 1
	nclen := int(f.take(4)) + 4
	if nlit > 286 || ndist > 30 {
		return f.corrupt("too many codes")
	}
	var cl [19]uint8
	for i := range nclen {
		if err := f.need(3); err != nil {
			return err
		}
		cl[clOrder[i]] = uint8(f.take(3))
	}
	var clTable huffTable
	if !clTable.build(cl[:], 7, symbolMeaning) {
		return f.corrupt("an invalid code-length code")
	}
	lens := f.lens[:nlit+ndist]
	for i := 0; i < len(lens); {
		sym, err := f.symbol(&clTable)
		if err != nil {
			return err
		}
		if sym < 16 {
			lens[i] = uint8(sym)
			i++
			continue
		}
		var rep int
		var val uint8
		switch sym {
		case 16:
			if i == 0 {
				return f.corrupt("a repeat of no length")
			}
			if err := f.need(2); err != nil {
				return err
			}
			rep, val = 3+int(f.take(2)), lens[i-1]
		case 17:
			if err := f.need(3); err != nil {
				return err
			}
			rep = 3 + int(f.take(3))
		default:
			if err := f.need(7); err != nil {
				return err
			}
			rep = 11 + int(f.take(7))
		}
		if i+rep > len(lens) {
			return f.corrupt("code lengths repeat past their end")
		}
		for range rep {
			lens[i] = val
			i++
		}
	}
	if !f.dynLit.build(lens[:nlit], litRootBits, litLenMeaning) || !f.dynDist.build(lens[nlit:], distRootBits, distMeaning) {
		return f.corrupt("an invalid literal/length or distance code")
	}
	return nil
}

// symbol decodes one symbol, slowly (block headers only).
func (f *inflater) symbol(t *huffTable) (int, error) {
	for {
		e := t.lookup(f.bits)
		n := uint(e & 31)
		if e&kindMask != kindBad && n <= f.nb {
			f.take(n)
			return int(e >> 16), nil
		}
		if f.nb >= 15 {
			return 0, f.corrupt("an invalid code")
		}
		if f.ip == f.ie {
			if err := f.fill(); err != nil {
				return 0, err
			}
		}
		f.bits |= uint64(f.in[f.ip]) << f.nb
		f.ip++
		f.nb += 8
	}
}

func (f *inflater) copyStored(target int) error {
	for f.stored > 0 && f.wp < target {
		if f.nb == 0 && f.ip == f.ie {
			if err := f.fill(); err != nil {
				return err
			}
		}
		if f.nb >= 8 {
			f.w[f.wp] = byte(f.take(8))
			f.wp++
			f.stored--
			continue
		}
		n := copy(f.w[f.wp:min(target, f.wp+f.stored)], f.in[f.ip:f.ie])
		f.ip += n
		f.wp += n
		f.stored -= n
	}
	if f.stored == 0 {
		f.endBlock()
	}
	return nil
}

// huffman decodes a Huffman-coded block until the output holds target
// bytes or the block ends. Input is taken eight bytes at a time while
// eight are at hand: a length and a distance with their extra bits are
// at most 48 bits. The state lives in locals (registers) meanwhile.
func (f *inflater) huffman(target int) (err error) {
	bits, nb := f.bits, f.nb
	in, ip, ie := f.in, f.ip, f.ie
	w, wp := f.w, f.wp
	lit, dist := f.lit, f.dist
	for wp < target {
		if nb < 48 {
			if ip+8 <= ie {
				// The bytes not wholly taken are in bits above nb too:
				// taken again later, they are the same bits.
				bits |= binary.LittleEndian.Uint64(in[ip:]) << nb
				ip += int((63 - nb) >> 3)
				nb |= 56
			} else {
				for nb <= 56 && ip < ie {
					bits |= uint64(in[ip]) << nb
					ip++
					nb += 8
				}
				if nb < 48 && f.srcErr == nil {
					f.bits, f.nb, f.ip, f.wp = bits, nb, ip, wp
					_ = f.fill() // at the end, what bits are left may do
					in, ip, ie = f.in, f.ip, f.ie
					continue
				}
			}
		}
		e := lit.root[bits&(1<<litRootBits-1)]
		if e&kindMask == kindLink {
			e = lit.sub[int(e>>16)+int(bits>>litRootBits)&(1<<(e>>12&15)-1)]
		}
		n := uint(e & 31)
		if n > nb || e&kindMask == kindBad {
			err = f.badCode(e, nb)
			break
		}
		bits >>= n
		nb -= n
		if e&kindMask == kindLiteral {
			w[wp] = byte(e >> 16)
			wp++
			continue
		}
		if e&kindMask == kindEnd {
			f.bits, f.nb, f.ip, f.wp = bits, nb, ip, wp
			f.endBlock()
			return nil
		}
		// A length, then a distance.
		x := uint(e >> 8 & 15)
		if x > nb {
			err = f.eof()
			break
		}
		length := int(e>>16) + int(bits&(1<<x-1))
		bits >>= x
		nb -= x
		e = dist.root[bits&(1<<distRootBits-1)]
		if e&kindMask == kindLink {
			e = dist.sub[int(e>>16)+int(bits>>distRootBits)&(1<<(e>>12&15)-1)]
		}
		n = uint(e & 31)
		if n > nb || e&kindMask == kindBad {
			err = f.badCode(e, nb)
			break
		}
		bits >>= n
		nb -= n
		x = uint(e >> 8 & 15)
		if x > nb {
			err = f.eof()
			break
		}
		d := int(e>>16) + int(bits&(1<<x-1))
		bits >>= x
		nb -= x
		if d > wp {
			err = f.corrupt("a distance past the start of the output")
			break
		}
		from, end := wp-d, wp+length
		if d >= length {
			copy(w[wp:end], w[from:from+length])
			wp = end
			continue
		}
		for wp < end { // overlapping: each copy doubles what it copies
			wp += copy(w[wp:end], w[from:wp])
		}
	}
	f.bits, f.nb, f.ip, f.wp = bits, nb, ip, wp
	return err
}

// badCode says why entry e, looked up with nb bits at hand, decodes
// nothing: the input ended before the code did, or it is no code.
func (f *inflater) badCode(e uint32, nb uint) error {
	if nb >= 15 {
		return f.corrupt("an invalid code")
	}
	return f.eof() // fewer than 15 bits are left only at the input's end
}

// eof is the error for input that ended mid-stream.
func (f *inflater) eof() error {
	if f.srcErr == nil || errors.Is(f.srcErr, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return f.srcErr
}
