package zindex

import (
	"encoding/binary"
	"fmt"
)

// indexMagic starts an encoded index (version 1).
const indexMagic = "ZIX1"

// maxPoints bounds the checkpoints an encoded index may hold.
const maxPoints = 1 << 16

// MarshalBinary encodes the index: its windows raw (whoever stores it
// may compress the whole).
func (x *Index) MarshalBinary() ([]byte, error) {
	if err := x.check(); err != nil {
		return nil, err
	}
	b := append([]byte(indexMagic), byte(x.Format))
	b = binary.AppendUvarint(b, uint64(x.Size))
	b = binary.AppendUvarint(b, uint64(x.Total))
	b = binary.AppendUvarint(b, uint64(len(x.Points)))
	var last Checkpoint
	for _, c := range x.Points {
		b = binary.AppendUvarint(b, uint64(c.In-last.In))
		b = binary.AppendUvarint(b, uint64(c.Out-last.Out))
		if c.Member {
			b = append(b, 1)
		} else {
			b = append(b, 0)
			b = binary.LittleEndian.AppendUint32(b, c.CRC)
			b = binary.LittleEndian.AppendUint32(b, c.Size)
			b = binary.AppendUvarint(b, uint64(len(c.Window)))
			b = append(b, c.Window...)
		}
		last = c
	}
	return b, nil
}

// UnmarshalBinary decodes what MarshalBinary encoded, refusing anything
// else (ErrIndex): a truncated or altered index is never half-read.
func (x *Index) UnmarshalBinary(b []byte) error {
	d := decoder{b: b}
	if len(b) < len(indexMagic)+1 || string(b[:len(indexMagic)]) != indexMagic {
		return ErrIndex
	}
	d.b = b[len(indexMagic):]
	out := Index{Format: Format(d.byte())}
	out.Size, out.Total = d.int(), d.int()
	n := d.uint()
	if n == 0 || n > maxPoints {
		return ErrIndex
	}
	var last Checkpoint
	for range n {
		c := Checkpoint{In: last.In + d.int(), Out: last.Out + d.int()}
		switch d.byte() {
		case 1:
			c.Member = true
		case 0:
			c.CRC, c.Size = d.u32(), d.u32()
			w := d.uint()
			if w > windowSize {
				return ErrIndex
			}
			c.Window = d.bytes(int(w))
		default:
			return ErrIndex
		}
		if d.bad {
			return ErrIndex
		}
		out.Points = append(out.Points, c)
		last = c
	}
	if d.bad || len(d.b) != 0 {
		return ErrIndex
	}
	if err := out.check(); err != nil {
		return fmt.Errorf("%w: its checkpoints are out of order or outside the stream", err)
	}
	*x = out
	return nil
}

// decoder reads an encoded index; bad says it ran out or overflowed.
type decoder struct {
	b   []byte
	bad bool
}

func (d *decoder) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	// A longer spelling of the same number (a last byte of 0) is not what
	// the encoder writes: one index has one encoding.
	if n <= 0 || (n > 1 && d.b[n-1] == 0) {
		d.bad = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

// int is a uvarint that must fit an int64 with room to add two.
func (d *decoder) int() int64 {
	v := d.uint()
	if v > 1<<61 {
		d.bad = true
		return 0
	}
	return int64(v)
}

func (d *decoder) byte() byte {
	if len(d.b) < 1 {
		d.bad = true
		return 0xff
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *decoder) u32() uint32 {
	if len(d.b) < 4 {
		d.bad = true
		return 0
	}
	v := binary.LittleEndian.Uint32(d.b)
	d.b = d.b[4:]
	return v
}

func (d *decoder) bytes(n int) []byte {
	if len(d.b) < n {
		d.bad = true
		return nil
	}
	v := append([]byte(nil), d.b[:n]...)
	d.b = d.b[n:]
	return v
}
