package registry

import (
	"archive/tar"
	"cmp"
	"fmt"
	"math"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
)

// tocCheck checks what is cheap to check of a table of contents, an
// entry at a time: names and hard link targets stay in the root, every
// byte of data it places lies before dataEnd (where the table itself
// starts), and no stretch of compressed bytes is said to hold more than
// maxRatio times its size. A table that passes is still a claim: only
// streaming the layer (--verify) checks the rest.
type tocCheck struct {
	dataEnd, maxRatio int64
	claimed           []span // data bytes said to start at an offset
	regSize           int64  // the size of the file the chunks that follow belong to
}

type span struct{ off, n int64 }

func (c *tocCheck) entry(e *tocEntry) error {
	if e.Type != "chunk" {
		if err := checkName("a name", e.Name); err != nil {
			return err
		}
	}
	if e.Type == "hardlink" {
		if err := checkName("the target of hard link "+model.Clean(e.Name), e.LinkName); err != nil {
			return err
		}
		if _, ok := fstree.CleanPath(e.LinkName); !ok { // "", "." or "/": no file to link to
			return fmt.Errorf("%w: hard link %s in the table of contents has no target", ErrInvalid, model.Clean(e.Name))
		}
	}
	if e.Size < 0 || e.ChunkSize < 0 || e.ChunkOffset < 0 {
		return fmt.Errorf("%w: the table of contents gives %s a negative size", ErrInvalid, model.Clean(e.Name))
	}
	var n int64 // the bytes of data at e.Offset
	switch e.Type {
	case "reg":
		c.regSize = e.Size
		n = e.Size
		if e.ChunkSize > 0 && e.ChunkSize < e.Size {
			n = e.ChunkSize
		}
	case "chunk":
		n = e.ChunkSize
		if n == 0 { // the last chunk: the rest of the file
			n = max(c.regSize-e.ChunkOffset, 0)
		}
	}
	if n == 0 {
		return nil
	}
	if e.Offset < 0 || e.Offset >= c.dataEnd || e.EndOffset != 0 && (e.EndOffset < e.Offset || e.EndOffset > c.dataEnd) {
		return fmt.Errorf("%w: the table of contents places %s's data at %d, outside the layer's %d bytes of data", ErrInvalid, model.Clean(e.Name), e.Offset, c.dataEnd)
	}
	c.claimed = append(c.claimed, span{e.Offset, n})
	return nil
}

// finish checks the data claimed between each offset and the next.
func (c *tocCheck) finish() error {
	// Writers place data in order: sorting is then one pass.
	slices.SortStableFunc(c.claimed, func(a, b span) int { return cmp.Compare(a.off, b.off) })
	for i := 0; i < len(c.claimed); {
		off, n := c.claimed[i].off, int64(0)
		for ; i < len(c.claimed) && c.claimed[i].off == off; i++ {
			if c.claimed[i].n > math.MaxInt64-n {
				return fmt.Errorf("%w: the table of contents claims more bytes than can be counted", ErrInvalid)
			}
			n += c.claimed[i].n
		}
		end := c.dataEnd
		if i < len(c.claimed) {
			end = c.claimed[i].off
		}
		// A few KiB of slack for headers and block boundaries.
		if n/c.maxRatio > end-off+4096 {
			return fmt.Errorf("%w: the table of contents says the %d compressed bytes at %d hold %s, more than compression can pack in them", ErrInvalid, end-off, off, model.HumanSize(n))
		}
	}
	return nil
}

// checkName refuses a name with a NUL (no tar holds one) or one that
// climbs out of the root ("../../etc/passwd").
func checkName(what, name string) error {
	p := path.Clean(strings.TrimLeft(name, "/"))
	if strings.IndexByte(name, 0) >= 0 || p == ".." || strings.HasPrefix(p, "../") {
		return fmt.Errorf("%w: %s in the table of contents, %q, is not a path in the layer", ErrInvalid, what, model.Clean(name))
	}
	return nil
}

// tarEstimate adds up the tar a table of contents stands for: each entry's
// header (with the PAX records Go's archive/tar, which eStargz's and
// zstd:chunked's writers use, would add) and its data in 512-byte blocks.
// It is an estimate: records a table does not keep (atime, sub-second
// times, other PAX keys) are not counted.
type tarEstimate struct {
	n  int64
	tw *tar.Writer
	cw countWriter
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

func (t *tarEstimate) add(e *tocEntry, typ byte) {
	if typ == tar.TypeReg {
		t.plus(tarBlocks(e.Size))
	}
	if plainHeader(e) {
		t.plus(512)
		return
	}
	if t.tw == nil {
		t.tw = tar.NewWriter(&t.cw)
	}
	h := &tar.Header{Typeflag: typ, Name: e.Name, Linkname: e.LinkName, Mode: e.Mode, Uid: int(e.UID), Gid: int(e.GID),
		Uname: e.Uname, Gname: e.Gname, ModTime: time.Unix(0, 0)}
	for k, v := range e.Xattrs {
		if h.PAXRecords == nil {
			h.PAXRecords = map[string]string{}
		}
		h.PAXRecords["SCHILY.xattr."+k] = v
	}
	before := t.cw.n
	if err := t.tw.WriteHeader(h); err != nil {
		t.plus(512)
		t.tw = nil // a writer that failed may be stuck
		return
	}
	t.plus(t.cw.n - before)
}

// plus adds n, stopping at the largest size rather than wrapping.
func (t *tarEstimate) plus(n int64) {
	t.n = min(t.n, math.MaxInt64-n) + n
}

// plainHeader tells an entry whose header is one ustar block: short ASCII
// names, small ids, no extended attributes (most entries).
func plainHeader(e *tocEntry) bool {
	const maxID = 1<<21 - 1
	return len(e.Name) <= 100 && len(e.LinkName) <= 100 && len(e.Uname) <= 32 && len(e.Gname) <= 32 &&
		len(e.Xattrs) == 0 && e.UID >= 0 && e.UID <= maxID && e.GID >= 0 && e.GID <= maxID && e.Size < 1<<33 &&
		ascii(e.Name) && ascii(e.LinkName) && ascii(e.Uname) && ascii(e.Gname)
}

func ascii(s string) bool {
	for i := range len(s) {
		if s[i] == 0 || s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// tarBlocks is n bytes of data in a tar: whole 512-byte blocks.
func tarBlocks(n int64) int64 {
	return (min(n, math.MaxInt64-511) + 511) &^ 511
}
