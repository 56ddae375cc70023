package zindex

import "math/bits"

// A table entry is a uint32: bits 0-4 the code's length (the bits to
// drop), 5-7 its kind, 8-11 the extra bits that follow it, 12-15 a link's
// width, 16-31 its value (a literal, a base length or distance, a symbol,
// or a link's place in sub).
const (
	kindLiteral = iota << 5 // a byte, or a symbol of the code-length code
	kindLength
	kindEnd  // end of block
	kindDist // a distance
	kindLink // look further in sub
	kindBad  // no code, or a symbol that must not occur
	kindMask = 7 << 5
)

// huffTable decodes one canonical Huffman code (RFC 1951, 3.2.2): a root
// table indexed by the next rootBits bits of input, and, for longer codes,
// sub-tables of the bits after those.
type huffTable struct {
	root     []uint32
	sub      []uint32
	rootBits uint
}

// meaning gives the entry bits (kind, extra bits and value) of a symbol.
type meaning func(sym int) uint32

// build makes t decode the code whose symbols have lengths (0: unused).
// As zlib and compress/flate, it refuses an over-subscribed code and an
// incomplete one, except a code of one symbol of length 1; a code of no
// symbols is built, and every lookup in it fails.
func (t *huffTable) build(lengths []uint8, rootBits uint, mean meaning) bool {
	var count [16]int
	maxLen := 0
	for _, l := range lengths {
		count[l]++
		maxLen = max(maxLen, int(l))
	}
	t.rootBits = rootBits
	if cap(t.root) < 1<<rootBits {
		t.root = make([]uint32, 1<<rootBits)
	}
	t.root = t.root[:1<<rootBits]
	t.sub = t.sub[:0]
	for i := range t.root {
		t.root[i] = kindBad
	}
	if maxLen == 0 {
		return true
	}
	left, codes := 1, 0
	var next [16]int
	for l := 1; l <= 15; l++ {
		left = left<<1 - count[l]
		if left < 0 {
			return false // over-subscribed
		}
		next[l] = (next[l-1] + count[l-1]) << 1
		codes += count[l]
	}
	if left > 0 && (codes != 1 || maxLen != 1) {
		return false // incomplete
	}
	subBits := uint(0)
	if uint(maxLen) > rootBits {
		subBits = uint(maxLen) - rootBits
	}
	for sym, l := range lengths {
		if l == 0 {
			continue
		}
		code := next[l]
		next[l]++
		rev := int(bits.Reverse16(uint16(code)) >> (16 - l))
		e := mean(sym) | uint32(l)
		if uint(l) <= rootBits {
			for i := rev; i < len(t.root); i += 1 << l {
				t.root[i] = e
			}
			continue
		}
		r := rev & (1<<rootBits - 1)
		if t.root[r]&kindMask != kindLink {
			off := len(t.sub)
			for range 1 << subBits {
				t.sub = append(t.sub, kindBad)
			}
			t.root[r] = kindLink | uint32(subBits)<<12 | uint32(off)<<16
		}
		off := int(t.root[r] >> 16)
		for i := rev >> rootBits; i < 1<<subBits; i += 1 << (uint(l) - rootBits) {
			t.sub[off+i] = e
		}
	}
	return true
}

// lookup is the entry for the next bits of input.
func (t *huffTable) lookup(b uint64) uint32 {
	e := t.root[b&(1<<t.rootBits-1)]
	if e&kindMask == kindLink {
		e = t.sub[int(e>>16)+int(b>>t.rootBits)&(1<<(e>>12&15)-1)]
	}
	return e
}

// Lengths 3-258 and distances 1-32768 are a base and extra bits (RFC
// 1951, 3.2.5).
var (
	lengthBase  = [29]uint32{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint32{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint32{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint32{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

func litLenMeaning(sym int) uint32 {
	switch {
	case sym < 256:
		return kindLiteral | uint32(sym)<<16
	case sym == 256:
		return kindEnd
	case sym < 286:
		i := sym - 257
		return kindLength | lengthExtra[i]<<8 | lengthBase[i]<<16
	}
	return kindBad // 286 and 287 have codes in the fixed code, never a meaning
}

func distMeaning(sym int) uint32 {
	if sym < 30 {
		return kindDist | distExtra[sym]<<8 | distBase[sym]<<16
	}
	return kindBad
}

func symbolMeaning(sym int) uint32 { return kindLiteral | uint32(sym)<<16 }

const (
	litRootBits  = 10
	distRootBits = 8
)

// The fixed code of RFC 1951, 3.2.6.
var fixedLit, fixedDist = func() (*huffTable, *huffTable) {
	var l [288]uint8
	for i := range l {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	var d [30]uint8
	for i := range d {
		d[i] = 5
	}
	lit, dist := &huffTable{}, &huffTable{}
	lit.build(l[:], litRootBits, litLenMeaning)
	// 30 distance codes of 5 bits are incomplete (32 would fill it): the
	// codes of 30 and 31 are not decodable, as they must not occur.
	dist.buildFixedDist(d[:])
	return lit, dist
}()

// buildFixedDist builds the fixed distance code, which has room for 32
// codes of which 30 are used.
func (t *huffTable) buildFixedDist(lengths []uint8) {
	t.rootBits = distRootBits
	t.root = make([]uint32, 1<<distRootBits)
	for i := range t.root {
		t.root[i] = kindBad | 5
	}
	for sym := range lengths {
		rev := int(bits.Reverse16(uint16(sym)) >> 11)
		for i := rev; i < len(t.root); i += 1 << 5 {
			t.root[i] = distMeaning(sym) | 5
		}
	}
}
