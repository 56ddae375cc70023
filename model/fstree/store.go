package fstree

import (
	"cmp"
	"fmt"
	"strings"
	"unsafe"
)

// records are a layer's entries stored compactly: a layer can hold two
// million of them. Each keeps its directory as an index into a table of
// the layer's directories and its base name in an arena, so a directory's
// path is stored once per layer instead of once per entry, and no entry is
// an allocation of its own.
type records struct {
	// chunks hold recChunk records each: growing never copies them, but
	// for the first, which grows from a few (most layers, and the
	// partial layers one file is looked up in, are small).
	chunks [][]rec
	n      int
	names  arena
	dirs   []string // directory paths ending in "/"; dirs[0] is the root, ""
	dirID  map[string]int32
	links  map[int32]string // link targets, by record
	// tarPaths are where the tar wrote the records a link of the layer
	// put elsewhere (see resolveLinks); symlinks, the layer's links so
	// far, by path.
	tarPaths tarPaths
	symlinks map[string]string
	// hardlinks counts the hard links: most layers have none.
	hardlinks int32
	lastDir   int32 // the directory of the last record put
	// loaded, in a partial layer (see partial.go), says by directory
	// whether it holds every record there; nil in a whole layer.
	loaded []bool
}

// recChunk is how many records one chunk holds (1 MiB of them);
// firstChunk, how many the first has room for at first.
const (
	recChunk   = 1 << 14
	firstChunk = 64
)

// rec is one record: 56 bytes and no pointers, so the collector never
// reads the millions of them a big layer holds.
type rec struct {
	size    int64
	digest  Sum
	nameOff uint32 // the base name's place in the arena
	nameLen uint32
	dir     int32
	mode    uint16 // permission bits, setuid, setgid and sticky
	kind    uint8  // Type, and the whiteout and opaque flags
}

const (
	kindType     = 0x0f
	kindWhiteout = 0x10
	kindOpaque   = 0x20
)

func (r *rec) typ() Type         { return Type(r.kind & kindType) }
func (r *rec) whiteout() bool    { return r.kind&kindWhiteout != 0 }
func (r *rec) opaque() bool      { return r.kind&kindOpaque != 0 }
func (s *records) at(i int) *rec { return &s.chunks[i/recChunk][i%recChunk] }

// name is a record's base name.
func (s *records) name(r *rec) string { return s.names.at(r.nameOff, r.nameLen) }

// errNames is what add says when the arena cannot hold a name.
var errNames = fmt.Errorf("%w: a name of more than %d bytes, or more than 4 GiB of names", ErrLimit, arenaBlock)

// add stores r where it lands: at its path, or where the links the layer
// made before lead (see resolveLinks).
func (s *records) add(r Record) error {
	if len(s.symlinks) > 0 {
		if p, ok := s.resolveLinks(r.Path, r.Opaque); ok {
			r.TarPath, r.Path = r.Path, p
		}
		if r.Type == Hardlink {
			r.LinkTarget, _ = s.resolveLinks(r.LinkTarget, false)
		}
	}
	if err := s.put(r); err != nil {
		return err
	}
	if r.Type == Symlink || len(s.symlinks) > 0 {
		s.noteLink(r)
	}
	return nil
}

// put stores r as it is.
func (s *records) put(r Record) error {
	if s.dirID == nil {
		s.dirs, s.dirID = []string{""}, map[string]int32{"": 0}
	}
	dir, name := splitPath(r.Path)
	// Records come by directory, mostly: the last one's saves a lookup.
	id, ok := s.lastDir, s.dirs[s.lastDir] == dir
	if !ok {
		id, ok = s.dirID[dir]
	}
	if !ok {
		off, n, ok := s.names.add(dir)
		if !ok {
			return errNames
		}
		id = int32(len(s.dirs))
		d := s.names.at(off, n)
		s.dirs = append(s.dirs, d)
		s.dirID[d] = id
	}
	s.lastDir = id
	off, n, ok := s.names.add(name)
	if !ok {
		return errNames
	}
	kind := uint8(r.Type) & kindType
	if r.Whiteout {
		kind |= kindWhiteout
	}
	if r.Opaque {
		kind |= kindOpaque
	}
	if s.n%recChunk == 0 {
		s.chunks = append(s.chunks, make([]rec, 0, cmp.Or(min(s.n, recChunk), firstChunk)))
	}
	c := &s.chunks[len(s.chunks)-1]
	*c = append(*c, rec{nameOff: off, nameLen: n, size: r.Size, digest: r.Digest, dir: id, mode: uint16(r.Mode & 0o7777), kind: kind})
	if r.LinkTarget != "" {
		if s.links == nil {
			s.links = map[int32]string{}
		}
		s.links[int32(s.n)] = r.LinkTarget
	}
	if r.Type == Hardlink {
		s.hardlinks++
	}
	if r.TarPath != "" {
		s.tarPaths.add(int32(s.n), r.TarPath, name)
	}
	s.n++
	return nil
}

// whiteouts are the places of the whiteouts that remove what lies below:
// all but those a later record of the layer replaces at their path.
// Unpacked alone (overlay2, containerd's overlayfs snapshotter) a
// whiteout is a device at its path, which a later record there removes
// like any file: a directory made again after its whiteout shows what is
// below under it (see TestReferencesDisagree).
func (s *records) whiteouts() []int {
	var out []int
	var at map[string]int // the whiteouts so far, by path
	var buf []byte
	for i := range s.n {
		r := s.at(i)
		switch {
		case r.whiteout():
			if at == nil {
				at = map[string]int{}
			}
			at[s.path(i)] = len(out)
			out = append(out, i)
		case len(at) > 0 && !r.opaque():
			buf = append(append(buf[:0], s.dirs[r.dir]...), s.name(r)...)
			if k, ok := at[string(buf)]; ok {
				out[k] = -1
				delete(at, string(buf))
			}
		}
	}
	kept := out[:0]
	for _, i := range out {
		if i >= 0 {
			kept = append(kept, i)
		}
	}
	return kept
}

// path is record i's path; it allocates unless the record is at the root.
func (s *records) path(i int) string {
	r := s.at(i)
	if r.dir == 0 {
		return s.name(r)
	}
	return s.dirs[r.dir] + s.name(r)
}

// record is record i as a Record of layer index.
func (s *records) record(i, index int) Record {
	r := s.at(i)
	return Record{Entry: Entry{Path: s.path(i), LinkTarget: s.links[int32(i)], TarPath: s.tarPaths.at(int32(i), s.name(r)), Size: r.size, Digest: r.digest,
		Mode: uint32(r.mode), Layer: int32(index), Type: r.typ(), Whiteout: r.whiteout(), Opaque: r.opaque()}}
}

// splitPath splits a path after its last "/": "a/b/c" is "a/b/" and "c".
func splitPath(p string) (dir, name string) {
	i := strings.LastIndexByte(p, '/')
	return p[:i+1], p[i+1:]
}

// arena keeps strings in shared blocks: millions of short names are a few
// allocations, not millions. A string is found by a 32-bit offset, its
// block and its place in it: blocks hold at most arenaBlock bytes, and
// there are at most maxBlocks of them. The first are small, so a layer of
// a few files does not cost a whole block.
type arena struct{ blocks [][]byte }

const (
	arenaShift = 20
	arenaBlock = 1 << arenaShift
	maxBlocks  = 1 << (32 - arenaShift)
	firstBlock = 4 << 10
)

// add copies s into the arena and says where it is; ok is false for a
// string longer than a block, or when the arena is full (4 GiB).
func (a *arena) add(s string) (off, n uint32, ok bool) {
	if len(s) > arenaBlock {
		return 0, 0, false
	}
	last := len(a.blocks) - 1
	if last < 0 || len(s) > cap(a.blocks[last])-len(a.blocks[last]) {
		if len(a.blocks) == maxBlocks {
			return 0, 0, false
		}
		size := firstBlock
		if last >= 0 {
			size = min(2*cap(a.blocks[last]), arenaBlock)
		}
		a.blocks = append(a.blocks, make([]byte, 0, max(size, len(s))))
		last++
	}
	b := &a.blocks[last]
	start := len(*b)
	*b = append(*b, s...)
	return uint32(last)<<arenaShift | uint32(start), uint32(len(s)), true // both below 2^32, see above
}

// at is the string of n bytes at off.
func (a *arena) at(off, n uint32) string {
	if n == 0 {
		return ""
	}
	b := a.blocks[off>>arenaShift]
	// The bytes are never written again: a block is only appended to, and
	// a new one is made when it is full.
	return unsafe.String(&b[off&(arenaBlock-1)], n) // see above
}
