package fstree

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// A record is 56 bytes and holds no pointer: the collector skips the
// chunks of millions of them.
func TestRecordIsSmallAndFlat(t *testing.T) {
	if n := unsafe.Sizeof(rec{}); n != 56 {
		t.Errorf("a record is %d bytes", n)
	}
}

// The arena gives back every string it was given, across blocks that
// grow from 4 KiB to 1 MiB, and refuses a string over a block.
func TestArena(t *testing.T) {
	var a arena
	type ref struct{ off, n uint32 }
	var refs []ref
	var want []string
	for i := range 200_000 {
		s := strings.Repeat(strconv.Itoa(i), 1+i%7)
		off, n, ok := a.add(s)
		if !ok {
			t.Fatalf("string %d refused", i)
		}
		refs, want = append(refs, ref{off, n}), append(want, s)
	}
	big := strings.Repeat("x", arenaBlock)
	off, n, ok := a.add(big)
	if !ok || a.at(off, n) != big {
		t.Error("a string of a whole block")
	}
	for i, r := range refs {
		if got := a.at(r.off, r.n); got != want[i] {
			t.Fatalf("string %d is %q, want %q", i, got, want[i])
		}
	}
	if _, _, ok := a.add(big + "y"); ok {
		t.Error("a string over a block was taken")
	}
	if len(a.blocks) < 3 || cap(a.blocks[0]) != firstBlock {
		t.Errorf("%d blocks, the first of %d bytes", len(a.blocks), cap(a.blocks[0]))
	}
}

// A base name over what the arena holds is a limit, not a crash (tar
// itself cannot carry one; a table of contents can).
func TestHugeNameIsALimit(t *testing.T) {
	var l Layer
	name := "d/" + strings.Repeat("n", arenaBlock+1)
	if err := l.Add(Record{Entry: Entry{Path: name}}); !errors.Is(err, ErrLimit) {
		t.Errorf("err %v", err)
	}
	if err := l.Add(Record{Entry: Entry{Path: "d/ok"}}); err != nil || l.Len() != 1 || l.Path(0) != "d/ok" {
		t.Errorf("after it: %v, %d records", err, l.Len())
	}
}
