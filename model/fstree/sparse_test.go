package fstree

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// sparseTar is a tar of one PAX GNU sparse file (format 0.1) of size
// bytes that are all hole: under 2 KB of tar for any size. Go's writer
// cannot make one, so its blocks are written here.
func sparseTar(size int64) []byte {
	block := func(name string, typ byte, n int) []byte {
		b := make([]byte, 512)
		copy(b, name)
		copy(b[100:], "0000644\x00")
		copy(b[108:], "0000000\x00")
		copy(b[116:], "0000000\x00")
		copy(b[124:], fmt.Sprintf("%011o\x00", n))
		copy(b[136:], "00000000000\x00")
		b[156] = typ
		copy(b[257:], "ustar\x0000")
		copy(b[148:], "        ")
		sum := 0
		for _, c := range b {
			sum += int(c)
		}
		copy(b[148:], fmt.Sprintf("%06o\x00 ", sum))
		return b
	}
	record := func(k, v string) string {
		s := " " + k + "=" + v + "\n"
		n := len(s) + 1
		for len(fmt.Sprint(n))+len(s) != n {
			n++
		}
		return fmt.Sprint(n) + s
	}
	recs := record("GNU.sparse.major", "0") + record("GNU.sparse.minor", "1") + record("GNU.sparse.size", fmt.Sprint(size)) +
		record("GNU.sparse.numblocks", "1") + record("GNU.sparse.map", "0,0")
	out := block("PaxHeaders/hole", 'x', len(recs))
	data := make([]byte, (len(recs)+511)/512*512)
	copy(data, recs)
	out = append(out, data...)
	out = append(out, block("hole", '0', 0)...)
	return append(out, make([]byte, 1024)...)
}

// A sparse file's holes count against the layer's bound: two kilobytes
// of tar declaring an exabyte of zeros stop at the bound, not after
// hashing for ever; a small one is read, with its size.
func TestSparseFilesCountAgainstTheBound(t *testing.T) {
	lim := Limits{Bytes: 1 << 20, Entries: 10, PathLen: 100}
	_, err := Read(bytes.NewReader(sparseTar(1<<60)), 0, lim)
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "sparse") {
		t.Errorf("an exabyte of holes: %v", err)
	}
	l, err := Read(bytes.NewReader(sparseTar(4096)), 0, lim)
	if err != nil || l.Len() != 1 || l.Record(0).Size != 4096 || l.Record(0).Path != "hole" {
		t.Fatalf("a small sparse file: %v %+v", err, l.Records())
	}
}
