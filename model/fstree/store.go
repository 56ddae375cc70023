package fstree

import (
	"strings"
	"unsafe"
)

// records are a layer's entries stored compactly: a layer can hold two
// million of them. Each keeps its directory as an index into a table of
// the layer's directories and its base name in an arena, so a directory's
// path is stored once per layer instead of once per entry, and no entry is
// an allocation of its own.
type records struct {
	chunks [][]rec // of recChunk records each: growing never copies them
	n      int
	names  arena
	dirs   []string // directory paths ending in "/"; dirs[0] is the root, ""
	dirID  map[string]int32
	links  map[int32]string // link targets, by record
}

// recChunk is how many records one chunk holds (1 MiB of them).
const recChunk = 1 << 14

// rec is one record; 64 bytes.
type rec struct {
	name   string // the base name, in the arena
	size   int64
	digest Sum
	dir    int32
	mode   uint16 // permission bits, setuid, setgid and sticky
	kind   uint8  // Type, and the whiteout and opaque flags
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

// add stores r.
func (s *records) add(r Record) {
	if s.dirID == nil {
		s.dirs, s.dirID = []string{""}, map[string]int32{"": 0}
	}
	dir, name := splitPath(r.Path)
	id, ok := s.dirID[dir]
	if !ok {
		id = int32(len(s.dirs))
		d := s.names.add(dir)
		s.dirs = append(s.dirs, d)
		s.dirID[d] = id
	}
	kind := uint8(r.Type) & kindType
	if r.Whiteout {
		kind |= kindWhiteout
	}
	if r.Opaque {
		kind |= kindOpaque
	}
	if s.n%recChunk == 0 {
		s.chunks = append(s.chunks, make([]rec, recChunk))
	}
	*s.at(s.n) = rec{name: s.names.add(name), size: r.Size, digest: r.Digest, dir: id, mode: uint16(r.Mode & 0o7777), kind: kind}
	if r.LinkTarget != "" {
		if s.links == nil {
			s.links = map[int32]string{}
		}
		s.links[int32(s.n)] = r.LinkTarget
	}
	s.n++
}

// path is record i's path; it allocates unless the record is at the root.
func (s *records) path(i int) string {
	r := s.at(i)
	if r.dir == 0 {
		return r.name
	}
	return s.dirs[r.dir] + r.name
}

// compare orders records i and j by path, without making their paths.
func (s *records) compare(i, j int) int {
	a, b := s.at(i), s.at(j)
	return compareJoined(s.dirs[a.dir], a.name, s.dirs[b.dir], b.name)
}

// record is record i as a Record of layer index.
func (s *records) record(i, index int) Record {
	r := s.at(i)
	return Record{Entry: Entry{Path: s.path(i), LinkTarget: s.links[int32(i)], Size: r.size, Digest: r.digest,
		Mode: uint32(r.mode), Layer: int32(index), Type: r.typ(), Whiteout: r.whiteout(), Opaque: r.opaque()}}
}

// splitPath splits a path after its last "/": "a/b/c" is "a/b/" and "c".
func splitPath(p string) (dir, name string) {
	i := strings.LastIndexByte(p, '/')
	return p[:i+1], p[i+1:]
}

// arena keeps strings in shared blocks: millions of short names are a few
// allocations, not millions.
type arena struct{ block []byte }

const arenaBlock = 1 << 20

// add returns a copy of s that lives in the arena.
func (a *arena) add(s string) string {
	if s == "" {
		return ""
	}
	if len(s) > cap(a.block)-len(a.block) {
		a.block = make([]byte, 0, max(arenaBlock, len(s)))
	}
	start := len(a.block)
	a.block = append(a.block, s...)
	// The bytes are never written again: a block is only appended to, and
	// a new one is made when it is full.
	return unsafe.String(&a.block[start], len(s)) //nolint:gosec // see above
}
