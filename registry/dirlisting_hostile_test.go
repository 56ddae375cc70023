package registry

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"runtime"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/fstree"
)

// hostileDirListing is a listing by directory whose header is h, with
// frames after it, each part's sum right: what a damaged or hostile cache
// file can hold (the sums are no secret).
func hostileDirListing(t testing.TB, h []byte, frames ...[]byte) []byte {
	t.Helper()
	enc, err := dirEncoder()
	if err != nil {
		t.Fatal(err)
	}
	hz := enc.EncodeAll(h, nil)
	sum := sha256.Sum256(hz)
	out := append([]byte(dirListingMagic), sum[:]...)
	out = binary.AppendUvarint(out, uint64(len(hz)))
	out = append(out, hz...)
	for _, f := range frames {
		out = append(out, f...)
	}
	return out
}

// allocated is how many bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A header of a few bytes that claims a string of 1 GiB, millions of
// directories, records or parts is refused having allocated about what
// the file holds, not what it claims: the tables are sized by the bytes
// left to fill them. Before, each case allocated 100 MB to 2 GB.
func TestDirListingHeaderCountsAreBoundedByItsBytes(t *testing.T) {
	d := model.Descriptor{Digest: "sha256:" + hexSum([]byte("x")), Size: 1}
	lim := fstree.DefaultLimits()
	lim.Entries = 100_000_000 // the most limits.layerEntries allows
	start := func(n uint64) []byte {
		h := appendString(nil, d.Digest)
		h = binary.AppendUvarint(h, 10) // uncompressed
		h = append(h, 0)
		h = appendString(h, "")
		h = append(h, 0, 0)
		return binary.AppendUvarint(h, n)
	}
	const n = 90_000_000
	enc, _ := dirEncoder()
	frame := enc.EncodeAll([]byte{0, byte(fstree.Dir), 0, 0, 0, 0, 0}, nil)
	frameSum := sha256.Sum256(frame)
	oneDir := func(count, nspecial uint64) []byte {
		h := start(n)
		h = binary.AppendUvarint(h, 1) // one directory: the root
		h = binary.AppendUvarint(h, 0)
		h = appendString(h, "")
		h = binary.AppendUvarint(h, count)
		h = binary.AppendUvarint(h, 0)
		h = binary.AppendUvarint(h, 0)
		return binary.AppendUvarint(h, nspecial)
	}
	for name, file := range map[string][]byte{
		"a 1 GiB digest":               hostileDirListing(t, binary.AppendUvarint(nil, maxListing)),
		"90M directories":              hostileDirListing(t, binary.AppendUvarint(start(n), n)),
		"90M special records":          hostileDirListing(t, oneDir(n, n)),
		"90M parts":                    hostileDirListing(t, binary.AppendUvarint(oneDir(n, 0), n)),
		"90M records in one directory": hostileDirListing(t, append(binary.AppendUvarint(binary.AppendUvarint(binary.AppendUvarint(oneDir(n, 0), 1), uint64(len(frame))), 7), frameSum[:]...), frame),
	} {
		t.Run(name, func(t *testing.T) {
			var err error
			got := allocated(func() {
				var x *dirListing
				x, err = readDirListing(bytes.NewReader(file), int64(len(file)), d, lim)
				if err == nil {
					err = x.load([]string{""})
					x.close()
				}
			})
			if err == nil {
				t.Fatal("the listing was read")
			}
			if got > 16<<20 {
				t.Errorf("%d bytes of file: %d MB allocated refusing it (%v)", len(file), got>>20, err)
			}
		})
	}
}
