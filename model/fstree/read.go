// Package fstree is what the layers of an image hold: the entries of each
// layer's tar, the filesystem a container sees once they are applied in
// order (the OCI rules: later layers win, whiteouts remove, opaque
// directories hide what lies below), each layer's changes against the
// layers under it, the space files overwritten later waste, and the
// differences between two filesystems. Names are data: they are cleaned
// into relative paths to apply the rules, and never touch this machine's
// filesystem.
package fstree

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unsafe"
)

// Type is what an entry is; it is written as its name (file, dir…).
type Type uint8

// Entry types.
const (
	File Type = iota
	Dir
	Symlink
	Hardlink
	Other
)

var typeNames = [...]string{File: "file", Dir: "dir", Symlink: "symlink", Hardlink: "hardlink", Other: "other"}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "other"
}

// MarshalText writes the type's name.
func (t Type) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads a type's name; an unknown name is Other.
func (t *Type) UnmarshalText(b []byte) error {
	*t = ParseType(string(b))
	return nil
}

// ParseType reads a type's name; an unknown name is Other.
func ParseType(s string) Type {
	for i, n := range typeNames {
		if n == s {
			return Type(i)
		}
	}
	return Other
}

// Sum is the sha256 of a regular file's bytes, kept as bytes: a layer of
// millions of files holds one per file.
type Sum [32]byte

// IsZero tells a file without a known sum (and anything not a file).
func (s Sum) IsZero() bool { return s == Sum{} }

// String is "sha256:" and the hex digits, or "" for none.
func (s Sum) String() string {
	if s.IsZero() {
		return ""
	}
	return "sha256:" + hex.EncodeToString(s[:])
}

// ParseSum reads "sha256:…"; ok is false for anything else.
func ParseSum(v string) (Sum, bool) {
	var s Sum
	h, found := strings.CutPrefix(v, "sha256:")
	if !found || len(h) != 64 {
		return s, false
	}
	if _, err := hex.Decode(s[:], []byte(h)); err != nil {
		return Sum{}, false
	}
	return s, true
}

// MarshalText writes the sum as a digest.
func (s Sum) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a digest; anything else is no sum.
func (s *Sum) UnmarshalText(b []byte) error {
	*s, _ = ParseSum(string(b))
	return nil
}

// Entry is one path of a layer or of a filesystem. It is kept small: a
// layer of two million entries holds two million of them.
type Entry struct {
	Path       string
	LinkTarget string
	// TarPath is the path the layer's tar wrote, when a symbolic link the
	// layer made before put the entry elsewhere: bin/foo after bin ->
	// usr/bin is usr/bin/foo (see resolveLinks).
	TarPath string
	Size    int64
	// Digest is the sha256 of a regular file's bytes, for comparisons.
	Digest Sum
	Mode   uint32
	// Layer is the index of the layer the entry comes from (0 is the base).
	Layer int32
	Type  Type
	// Whiteout and Opaque mark a layer's records that remove what lies
	// below (never set in a merged filesystem).
	Whiteout bool
	Opaque   bool
	// Implied marks a directory no layer has an entry for, there only
	// because paths under it are (see View.Listing).
	Implied bool
}

// Record is an entry of one layer's tar as it stands: a path, or a
// whiteout removing a path from the layers below, or an opaque marker
// hiding everything under a directory of the layers below (its Whiteout
// and Opaque flags, which live in Entry so a record costs no more than an
// entry).
type Record struct {
	Entry
}

// Layer is what one layer holds. Its records are added while it is read
// and only read after: a layer is shared, by value, between the images
// that hold it.
type Layer struct {
	Index  int
	Digest string
	// Uncompressed is the size of the tar stream.
	Uncompressed int64
	// UncompressedEstimated says Uncompressed was worked out from a table
	// of contents, not measured.
	UncompressedEstimated bool
	// Source is where the records were read from.
	Source Source
	// TOCVerified says the layer has a table of contents that was checked
	// against its bytes and agreed; TOCRejected, why its table was not
	// believed (the layer was streamed instead).
	TOCVerified bool
	TOCRejected string
	recs        records
}

// Len is the number of records.
func (l *Layer) Len() int { return l.recs.n }

// Record is record i, in the layer's order.
func (l *Layer) Record(i int) Record { return l.recs.record(i, l.Index) }

// Path is record i's path.
func (l *Layer) Path(i int) string { return l.recs.path(i) }

// Records are every record; for small layers and tests (each is made
// anew, paths and all).
func (l *Layer) Records() []Record {
	out := make([]Record, l.recs.n)
	for i := range out {
		out[i] = l.Record(i)
	}
	return out
}

// Find is the layer's own record of path p (the last, as tar extraction
// and the merge take it), whiteouts and opaque markers aside.
func (l *Layer) Find(p string) (Record, bool) {
	for i := l.recs.n - 1; i >= 0; i-- {
		if r := l.recs.at(i); !r.whiteout() && !r.opaque() && l.recs.path(i) == p {
			return l.recs.record(i, l.Index), true
		}
	}
	return Record{}, false
}

// Add appends a record, while the layer is being read; it fails, with
// ErrLimit, for a base name over 1 MiB or past 4 GiB of names.
func (l *Layer) Add(r Record) error { return l.recs.add(r) }

// Without is the layer less the records whose path drop names.
func (l Layer) Without(drop func(path string) bool) Layer {
	out := Layer{Index: l.Index, Digest: l.Digest, Uncompressed: l.Uncompressed}
	for i := range l.recs.n {
		if !drop(l.recs.path(i)) {
			_ = out.recs.put(l.recs.record(i, l.Index)) // fewer of the same names: they fit
		}
	}
	return out
}

// Limits bound what one layer may make platypus read.
type Limits struct {
	// Bytes bounds the uncompressed tar (a decompression bomb stops there).
	Bytes int64
	// Entries bounds the tar's entries.
	Entries int
	// PathLen bounds one name.
	PathLen int
}

// DefaultLimits never bother a real image.
func DefaultLimits() Limits {
	return Limits{Bytes: 8 << 30, Entries: 2_000_000, PathLen: 4096}
}

// ErrLimit is returned when a layer passes a limit.
var ErrLimit = errors.New("layer over a limit")

// ErrCorrupt is returned for a stream that is not a tar archive.
var ErrCorrupt = errors.New("not a valid tar archive")

const (
	whiteoutPrefix = ".wh."
	opaqueMarker   = ".wh..wh..opq"
)

// CleanPath turns a tar name into the relative path the OCI rules use:
// no leading "./" or "/", no trailing "/", ".." resolved within the root.
// ok is false for a name that names nothing (".", "/").
func CleanPath(name string) (string, bool) {
	p := strings.TrimPrefix(path.Clean("/"+name), "/")
	return p, p != ""
}

// Read reads a layer's tar from r, hashing every regular file's bytes.
func Read(r io.Reader, index int, l Limits) (Layer, error) {
	return ReadAt(r, index, l, nil)
}

// ReadAt is Read, telling at where each regular file's bytes start in the
// tar stream, by the record's place in the layer (-1 for a sparse file,
// whose bytes are not in one piece).
func ReadAt(r io.Reader, index int, l Limits, at func(rec int, offset int64)) (Layer, error) {
	counted := &countingReader{r: r, limit: l.Bytes}
	tr := tar.NewReader(counted)
	layer := Layer{Index: index}
	// One hasher and one buffer for every file: a layer of millions of
	// small files would otherwise allocate millions of both.
	sum := sha256.New()
	buf := make([]byte, 32<<10)
	var content int64 // bytes of files read so far
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if counted.over {
				return layer, fmt.Errorf("%w: more than %d uncompressed bytes", ErrLimit, l.Bytes)
			}
			return layer, fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		if layer.Len() >= l.Entries {
			return layer, fmt.Errorf("%w: more than %d entries", ErrLimit, l.Entries)
		}
		if len(h.Name) > l.PathLen || len(h.Linkname) > l.PathLen {
			return layer, fmt.Errorf("%w: a name of more than %d bytes", ErrLimit, l.PathLen)
		}
		rec, ok := FromHeader(h, index)
		if !ok {
			continue
		}
		if rec.Type == File {
			if at != nil {
				// archive/tar reads a header's blocks and no more: the
				// count is where the file's bytes start.
				off := counted.n
				if isSparse(h) {
					off = -1
				}
				at(layer.Len(), off)
			}
			sum.Reset()
			// The bound counts what files hold too: a sparse file's holes
			// are not in the stream, and a few bytes of header can declare
			// exabytes of them.
			budget := l.Bytes - content
			if h.Size > budget {
				// Refused at the header: hashing a sparse file's holes up
				// to the bound is seconds of CPU for nothing.
				what := rec.Path + ": its header"
				if isSparse(h) {
					what = rec.Path + " is a sparse file: its header"
				}
				return layer, fmt.Errorf("%w: more than %d uncompressed bytes (%s declares %d bytes)", ErrLimit, l.Bytes, what, h.Size)
			}
			n, err := io.CopyBuffer(sum, io.LimitReader(tr, budget+1), buf)
			if err != nil {
				if counted.over {
					return layer, fmt.Errorf("%w: more than %d uncompressed bytes", ErrLimit, l.Bytes)
				}
				return layer, fmt.Errorf("%w: %s: %w", ErrCorrupt, rec.Path, err)
			}
			if n > budget && counted.over {
				return layer, fmt.Errorf("%w: more than %d uncompressed bytes", ErrLimit, l.Bytes)
			}
			if n > budget {
				return layer, fmt.Errorf("%w: more than %d uncompressed bytes (%s is a sparse file of %d bytes)", ErrLimit, l.Bytes, rec.Path, h.Size)
			}
			content += n
			rec.Size = n
			sum.Sum(rec.Digest[:0])
		}
		if err := layer.recs.add(rec); err != nil {
			return layer, err
		}
	}
	layer.recs.symlinks = nil // needed while records come, not after
	// The end-of-archive blocks and padding count as what the layer unpacks to.
	_, _ = io.Copy(io.Discard, counted)
	if counted.over {
		return layer, fmt.Errorf("%w: more than %d uncompressed bytes", ErrLimit, l.Bytes)
	}
	layer.Uncompressed = counted.n
	return layer, nil
}

// isSparse tells whether h is a GNU sparse file (old GNU format, or PAX
// GNU.sparse records, which archive/tar reads as a regular file).
func isSparse(h *tar.Header) bool {
	if h.Typeflag == tar.TypeGNUSparse {
		return true
	}
	for k := range h.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return true
		}
	}
	return false
}

// FromHeader turns a tar header into a record of layer index; ok is false
// for headers that are not paths (PAX globals, names of nothing).
func FromHeader(h *tar.Header, index int) (Record, bool) {
	p, ok := CleanPath(h.Name)
	if !ok || h.Typeflag == tar.TypeXGlobalHeader {
		return Record{}, false
	}
	rec := Record{Entry: Entry{Path: p, Size: h.Size, Mode: uint32(h.Mode & 0o7777), Layer: int32(index)}}
	dir, base := path.Split(p)
	dir = strings.TrimSuffix(dir, "/")
	switch {
	case base == opaqueMarker:
		rec.Opaque, rec.Path, rec.Type, rec.Size = true, dir, Dir, 0
		return rec, true
	case strings.HasPrefix(base, whiteoutPrefix):
		rec.Whiteout, rec.Path, rec.Size = true, path.Join(dir, strings.TrimPrefix(base, whiteoutPrefix)), 0
		rec.Type = Other
		return rec, rec.Path != "" && rec.Path != "."
	}
	switch h.Typeflag {
	case tar.TypeReg, tar.TypeRegA, tar.TypeGNUSparse: //nolint:staticcheck // TypeRegA is what old tars write
		rec.Type = File
	case tar.TypeDir:
		rec.Type, rec.Size = Dir, 0
	case tar.TypeSymlink:
		rec.Type, rec.LinkTarget, rec.Size = Symlink, h.Linkname, 0
	case tar.TypeLink:
		rec.Type, rec.Size = Hardlink, 0
		rec.LinkTarget, _ = CleanPath(h.Linkname)
	default:
		rec.Type, rec.Size = Other, 0
	}
	return rec, true
}

// countingReader counts what passes and stops at limit.
type countingReader struct {
	r     io.Reader
	n     int64
	limit int64
	over  bool
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n > c.limit {
		c.over = true
		return 0, fmt.Errorf("%w: more than %d uncompressed bytes", ErrLimit, c.limit)
	}
	// One byte past the limit tells a stream that ends there from one
	// that goes on.
	if room := c.limit + 1 - c.n; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.limit {
		c.over = true
	}
	return n, err //nolint:wrapcheck // passes the stream's own errors
}

// AddPath is Add with r's path given as bytes, which the layer copies
// what it keeps of (a decoder may reuse them): no string is made for a
// record that is not a link while the layer has none.
func (l *Layer) AddPath(p []byte, r Record) error {
	if r.Type == Symlink || len(l.recs.symlinks) > 0 || r.TarPath != "" {
		r.Path = string(p)
		return l.recs.add(r)
	}
	// put keeps copies of the directory and the name, never r.Path.
	r.Path = unsafe.String(unsafe.SliceData(p), len(p))
	return l.recs.put(r)
}
