package registry

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/klauspost/compress/zstd"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry/zindex"
)

// Beside a layer's kept listing (listingcache.go), which is read whole,
// the disk cache keeps the same records by directory, in frames read on
// their own: `cat` of one file of a layer of millions reads the
// directories on the file's way and the records every lookup needs
// (whiteouts, opaque markers, hard links), not the millions. Each part
// carries its own sum: a part that does not match is not read.
//
// The file: dirListingMagic, the header's sum and length, the header
// (zstd: the layer's fields, the directory table with where each
// directory's records start, the records every lookup needs, and the
// frames' lengths and sums), then the frames of records (zstd, each
// whole records of the directories in the table's order, every
// directory's in the layer's order), then the checkpoints (zstd).
const (
	dirListingKind  = "dirlistings"
	dirListingMagic = "platypus layer listing by directory 1\n"
	// dirFrameBytes is about what one frame holds, uncompressed.
	dirFrameBytes = 64 << 10
)

// The coders are made once and shared (EncodeAll and DecodeAll may be
// called at once): making one costs more than a small frame.
var (
	dirEncoder = sync.OnceValues(func() (*zstd.Encoder, error) {
		return zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	})
	dirDecoder = sync.OnceValues(func() (*zstd.Decoder, error) {
		return zstd.NewReader(nil, zstd.WithDecoderConcurrency(2), zstd.WithDecoderMaxMemory(maxListing))
	})
)

// keptRecord is one record of a listing by directory: its place in the
// layer, and where its file's bytes start in the tar (in blocks).
type keptRecord struct {
	index uint32
	rec   fstree.Record
	block uint32
}

// part is where a frame is, after the header, and its sum.
type part struct {
	off, size int64
	raw       int
	sum       [sha256.Size]byte
}

// encodeDirListing writes l, and ix's checkpoints and places, by
// directory.
func encodeDirListing(d model.Descriptor, l fstree.Layer, ix *fileIndex) ([]byte, error) {
	enc, err := dirEncoder()
	if err != nil {
		return nil, fmt.Errorf("compressing a listing: %w", err)
	}
	block := func(i int) uint32 {
		if ix != nil && ix.toc == nil && i < len(ix.blocks) {
			return ix.blocks[i]
		}
		return 0
	}
	var frames bytes.Buffer
	var parts []part
	var raw []byte
	cut := func() {
		if len(raw) == 0 {
			return
		}
		z := enc.EncodeAll(raw, nil)
		parts = append(parts, part{off: int64(frames.Len()), size: int64(len(z)), raw: len(raw), sum: sha256.Sum256(z)})
		frames.Write(z)
		raw = raw[:0]
	}
	dirs := l.Dirs()
	// Per directory: its records' count, the frame and the offset in it
	// where the first is.
	table := make([]byte, 0, 16*len(dirs))
	l.ByDir(func(dir int, recs []int32) {
		if len(raw) >= dirFrameBytes {
			cut()
		}
		table = binary.AppendUvarint(table, uint64(len(recs)))
		table = binary.AppendUvarint(table, uint64(len(parts)))
		table = binary.AppendUvarint(table, uint64(len(raw)))
		prev := uint32(0)
		for k, i := range recs {
			if k > 0 && len(raw) >= dirFrameBytes {
				cut()
			}
			r := l.Record(int(i))
			_, name := splitRecordPath(r.Path)
			raw = binary.AppendUvarint(raw, uint64(uint32(i)-prev))
			raw = appendKept(raw, r, name, block(int(i)))
			prev = uint32(i)

		}
	})
	cut()
	// The records every lookup reads, in the layer's order.
	var specials []byte
	nspecial, last := 0, 0
	for i := range l.Len() {
		if l.Special(i) {
			specials = binary.AppendUvarint(specials, uint64(i-last))
			specials = appendKept(specials, l.Record(i), l.Path(i), block(i))
			nspecial, last = nspecial+1, i
		}
	}
	var points []byte
	if ix != nil && ix.toc == nil && ix.points != nil {
		b, err := ix.points.MarshalBinary()
		if err != nil {
			return nil, err
		}
		points = enc.EncodeAll(b, nil)
		parts = append(parts, part{off: int64(frames.Len()), size: int64(len(points)), raw: len(b), sum: sha256.Sum256(points)})
		frames.Write(points)
	}
	h := appendString(nil, d.Digest)
	h = binary.AppendUvarint(h, uint64(l.Uncompressed))
	h = append(h, boolByte(l.TOCVerified))
	h = appendString(h, l.TOCRejected)
	h = append(h, boolByte(ix != nil && ix.toc == nil), boolByte(points != nil))
	h = binary.AppendUvarint(h, uint64(l.Len()))
	h = binary.AppendUvarint(h, uint64(len(dirs)))
	prevDir := ""
	for _, dir := range dirs {
		shared := commonPrefix(prevDir, dir)
		h = binary.AppendUvarint(h, uint64(shared))
		h = appendString(h, dir[shared:])
		prevDir = dir
	}
	h = append(h, table...)
	h = binary.AppendUvarint(h, uint64(nspecial))
	h = append(h, specials...)
	h = binary.AppendUvarint(h, uint64(len(parts)))
	for _, p := range parts {
		h = binary.AppendUvarint(h, uint64(p.size))
		h = binary.AppendUvarint(h, uint64(p.raw))
		h = append(h, p.sum[:]...)
	}
	hz := enc.EncodeAll(h, nil)
	sum := sha256.Sum256(hz)
	out := append([]byte(dirListingMagic), sum[:]...)
	out = binary.AppendUvarint(out, uint64(len(hz)))
	out = append(out, hz...)
	return append(out, frames.Bytes()...), nil
}

// appendKept writes record r, named name (its base name in a frame, its
// path among the records every lookup reads).
func appendKept(b []byte, r fstree.Record, name string, block uint32) []byte {
	flags := byte(r.Type)
	if r.Whiteout {
		flags |= recWhiteout
	}
	if r.Opaque {
		flags |= recOpaque
	}
	b = append(b, flags)
	b = appendString(b, name)
	b = appendString(b, r.LinkTarget)
	b = appendString(b, r.TarPath)
	b = binary.AppendUvarint(b, uint64(r.Size))
	b = binary.AppendUvarint(b, uint64(r.Mode))
	if r.Type == fstree.File {
		b = append(b, r.Digest[:]...)
		b = binary.AppendUvarint(b, uint64(block))
	}
	return b
}

// splitRecordPath splits a record's path after its last "/", as
// fstree keeps it: a directory ("" or ending in "/") and a base name.
func splitRecordPath(p string) (dir, name string) {
	i := strings.LastIndexByte(p, '/')
	return p[:i+1], p[i+1:]
}

// commonPrefix is how many leading bytes a and b share.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// dirListing is a listing by directory being read: its header, and the
// records of the directories read so far.
type dirListing struct {
	src     io.ReaderAt
	base    int64 // where the frames start in src
	layer   fstree.Layer
	lim     fstree.Limits
	n       int
	indexed bool // the places of files were kept
	dirs    []string
	dirID   map[string]int
	dirAt   []dirStart
	special []keptRecord
	frames  []part
	points  *part
	loaded  map[int][]keptRecord // by directory
	dec     *zstd.Decoder
	closer  io.Closer // the file src reads, if any
	// framesRead counts the frames read.
	framesRead int
}

// dirStart is where a directory's records are: count of them, from
// offset off of frame frame.
type dirStart struct{ count, frame, off int }

// errDirListing says a listing by directory is not whole, or not one
// this version wrote.
var errDirListing = errors.New("not a listing by directory this version wrote")

// readDirListing reads the header of a listing by directory of layer d
// (src holds size bytes), refusing one past lim.
func readDirListing(src io.ReaderAt, size int64, d model.Descriptor, lim fstree.Limits) (*dirListing, error) {
	head := make([]byte, len(dirListingMagic)+sha256.Size+binary.MaxVarintLen64)
	if n, _ := src.ReadAt(head, 0); n < len(dirListingMagic)+sha256.Size+1 || string(head[:len(dirListingMagic)]) != dirListingMagic {
		return nil, errDirListing
	}
	var sum [sha256.Size]byte
	copy(sum[:], head[len(dirListingMagic):])
	hlen, k := binary.Uvarint(head[len(dirListingMagic)+sha256.Size:])
	start := int64(len(dirListingMagic) + sha256.Size + k)
	if k <= 0 || hlen > uint64(size-start) || hlen > maxListing {
		return nil, errDirListing
	}
	dec, err := dirDecoder()
	if err != nil {
		return nil, fmt.Errorf("a listing: %w", err)
	}
	x := &dirListing{src: src, base: start + int64(hlen), lim: lim, dec: dec, loaded: map[int][]keptRecord{}}
	hb, err := x.readPart(part{off: start - x.base, size: int64(hlen), raw: -1, sum: sum})
	if err != nil {
		x.close()
		return nil, err
	}
	if err := x.header(hb, d, size-x.base); err != nil {
		x.close()
		return nil, err
	}
	return x, nil
}

func (x *dirListing) close() {
	if x.closer != nil {
		_ = x.closer.Close()
	}
}

// readPart reads, checks and decompresses part p (raw bytes, or any
// number for raw < 0).
func (x *dirListing) readPart(p part) ([]byte, error) {
	z := make([]byte, p.size)
	if _, err := x.src.ReadAt(z, x.base+p.off); err != nil {
		return nil, fmt.Errorf("%w: %w", errDirListing, err)
	}
	if sha256.Sum256(z) != p.sum {
		return nil, fmt.Errorf("%w: a part does not match its sum", errDirListing)
	}
	b, err := x.dec.DecodeAll(z, nil)
	if err != nil || (p.raw >= 0 && len(b) != p.raw) {
		return nil, fmt.Errorf("%w: a part does not decompress to its length", errDirListing)
	}
	return b, nil
}

// header reads the header of the listing of d, whose frames take room
// bytes.
func (x *dirListing) header(b []byte, d model.Descriptor, room int64) error {
	r := &binReader{b: b}
	if r.string(maxListing) != d.Digest {
		return fmt.Errorf("%w: another layer's", errDirListing)
	}
	x.layer = fstree.Layer{Digest: d.Digest, Source: fstree.SourceStream}
	x.layer.Uncompressed = r.int()
	x.layer.TOCVerified = r.byte() == 1
	x.layer.TOCRejected = r.string(maxListing)
	x.indexed = r.byte() == 1
	hasPoints := r.byte() == 1
	x.n = r.count(x.lim.Entries)
	// Every table is sized by what the bytes left can hold, not by what
	// a damaged header claims (millions in a few bytes).
	ndirs := r.items(x.n+1, minDirBytes)
	if r.err != nil || x.layer.Uncompressed > x.lim.Bytes || ndirs == 0 {
		return fmt.Errorf("%w, or one over the limits", errDirListing)
	}
	x.dirs, x.dirID = make([]string, ndirs), make(map[string]int, ndirs)
	prev := ""
	for i := range x.dirs {
		shared := r.count(len(prev))
		x.dirs[i] = prev[:shared] + r.string(x.lim.PathLen)
		prev = x.dirs[i]
		x.dirID[prev] = i
	}
	x.dirAt = make([]dirStart, ndirs)
	total := 0
	for i := range x.dirAt {
		x.dirAt[i] = dirStart{count: r.count(x.n), frame: r.count(x.n), off: r.count(maxListing)}
		total += x.dirAt[i].count
	}
	if total != x.n {
		return fmt.Errorf("%w: directories that do not hold its records", errDirListing)
	}
	nspecial := r.items(x.n, minKeptBytes)
	x.special = make([]keptRecord, 0, nspecial)
	index := 0
	for k := range nspecial {
		delta := r.count(x.n)
		if index += delta; (k > 0 && delta == 0) || index >= x.n {
			r.fail()
		}
		rec := r.kept(x.lim.PathLen)
		rec.index = uint32(index)
		x.special = append(x.special, rec)
	}
	nparts := r.items(x.n+1, minPartBytes)
	off := int64(0)
	for range nparts {
		p := part{off: off, size: int64(r.count(maxListing)), raw: r.count(maxListing)}
		copy(p.sum[:], r.bytes(sha256.Size))
		off += p.size
		x.frames = append(x.frames, p)
	}
	if r.err != nil || len(r.b) > 0 || off != room {
		return fmt.Errorf("%w: %w", errDirListing, cmpErr(r.err, errors.New("a header that does not fit its parts")))
	}
	if hasPoints {
		if len(x.frames) == 0 {
			return fmt.Errorf("%w: no part for the checkpoints", errDirListing)
		}
		x.points = &x.frames[len(x.frames)-1]
		x.frames = x.frames[:len(x.frames)-1]
	}
	for _, at := range x.dirAt {
		if at.count > 0 && at.frame >= len(x.frames) {
			return fmt.Errorf("%w: a directory past the last frame", errDirListing)
		}
	}
	return nil
}

// load reads the records of the directories dirs.
func (x *dirListing) load(dirs []string) error {
	var ids []int
	for _, dir := range dirs {
		if i, ok := x.dirID[dir]; ok {
			if _, done := x.loaded[i]; !done {
				ids = append(ids, i)
			}
		}
	}
	slices.Sort(ids)
	frame, raw := -1, []byte(nil)
	for _, id := range ids {
		at := x.dirAt[id]
		var recs []keptRecord
		dir := x.dirs[id]
		f, off, index := at.frame, at.off, uint32(0)
		for len(recs) < at.count {
			if f != frame {
				if f >= len(x.frames) {
					return fmt.Errorf("%w: a directory past the last frame", errDirListing)
				}
				b, err := x.readPart(x.frames[f])
				if err != nil {
					return err
				}
				x.framesRead++
				frame, raw = f, b
			}
			if off > len(raw) {
				return fmt.Errorf("%w: a directory past its frame", errDirListing)
			}
			r := &binReader{b: raw[off:]}
			// Room for what this frame can hold, not for what the table says.
			recs = slices.Grow(recs, min(at.count-len(recs), len(r.b)/minKeptBytes))
			for len(recs) < at.count && len(r.b) > 0 {
				delta := r.count(x.n)
				k := r.kept(x.lim.PathLen)
				if r.err != nil || (len(recs) > 0 && delta == 0) {
					return fmt.Errorf("%w: a record of %q", errDirListing, model.Clean(dir))
				}
				index += uint32(delta)
				k.index, k.rec.Path = index, dir+k.rec.Path
				if int(index) >= x.n || len(k.rec.Path) > x.lim.PathLen {
					return fmt.Errorf("%w: a record past the layer or over the limits", errDirListing)
				}
				recs = append(recs, k)
			}
			f, off = f+1, 0
		}
		x.loaded[id] = recs
	}
	return nil
}

// layer is the partial layer of what was read so far, at place index of
// an image, and its files' places.
func (x *dirListing) partial(index int) (fstree.Layer, []uint32, error) {
	x.layer.Index = index
	l, err := fstree.NewPartial(x.layer, x.dirs)
	if err != nil {
		return fstree.Layer{}, nil, fmt.Errorf("%w: %w", errDirListing, err)
	}
	var recs []keptRecord
	for id, loaded := range x.loaded {
		recs = append(recs, loaded...)
		l.MarkLoaded(x.dirs[id])
	}
	recs = append(recs, x.special...)
	slices.SortFunc(recs, func(a, b keptRecord) int { return int(a.index) - int(b.index) })
	recs = slices.CompactFunc(recs, func(a, b keptRecord) bool { return a.index == b.index })
	blocks := make([]uint32, 0, len(recs))
	for _, k := range recs {
		if err := l.PutLanded(k.rec); err != nil {
			return fstree.Layer{}, nil, fmt.Errorf("%w: %w", errDirListing, err)
		}
		blocks = append(blocks, k.block)
	}
	return l, blocks, nil
}

// checkpoints are the layer's checkpoints, read when a file is.
func (x *dirListing) checkpoints(d model.Descriptor) (*zindex.Index, error) {
	if x.points == nil {
		return nil, nil
	}
	b, err := x.readPart(*x.points)
	if err != nil {
		return nil, err
	}
	ix := &zindex.Index{}
	if err := ix.UnmarshalBinary(b); err != nil || ix.Size != d.Size {
		return nil, fmt.Errorf("%w: its checkpoints: %w", errDirListing, cmpErr(err, zindex.ErrIndex))
	}
	return ix, nil
}

// binReader reads what encodeDirListing wrote from b; err is its first
// failure, after which it reads zeros.
type binReader struct {
	b   []byte
	err error
}

func (r *binReader) int() int64 {
	v, k := binary.Uvarint(r.b)
	if k <= 0 || v > 1<<62 {
		r.fail()
		return 0
	}
	r.b = r.b[k:]
	return int64(v)
}

// count is a number of at most most.
func (r *binReader) count(most int) int {
	v := r.int()
	if v > int64(most) {
		r.fail()
		return 0
	}
	return int(v)
}

func (r *binReader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *binReader) bytes(n int) []byte {
	if n > len(r.b) {
		r.fail()
		return nil // not n bytes: n may be a damaged length
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

// The fewest bytes a directory of the table (its name's shared prefix and
// length), a kept record (its index, flags, three lengths, size and mode)
// and a part (size, length and sum) take.
const (
	minDirBytes  = 2
	minKeptBytes = 7
	minPartBytes = 2 + sha256.Size
)

// items is a count of things of at least least bytes each: at most most,
// and at most what the bytes left hold.
func (r *binReader) items(most, least int) int { return r.count(min(most, len(r.b)/least)) }

func (r *binReader) string(most int) string { return string(r.bytes(r.count(most))) }

func (r *binReader) fail() {
	if r.err == nil {
		r.err = errDirListing
	}
	r.b = nil
}

// kept reads what appendKept wrote.
func (r *binReader) kept(pathLen int) keptRecord {
	flags := r.byte()
	k := keptRecord{rec: fstree.Record{Entry: fstree.Entry{Type: fstree.Type(flags & 0x0f), Whiteout: flags&recWhiteout != 0, Opaque: flags&recOpaque != 0}}}
	k.rec.Path = r.string(pathLen)
	k.rec.LinkTarget = r.string(pathLen)
	k.rec.TarPath = r.string(pathLen)
	k.rec.Size = r.int()
	k.rec.Mode = uint32(r.int() & 0o7777)
	if k.rec.Type == fstree.File {
		copy(k.rec.Digest[:], r.bytes(len(k.rec.Digest)))
		v := r.int()
		if v >= 1<<32 {
			r.fail()
		}
		k.block = uint32(v)
	}
	return k
}
