package registry

import (
	"path"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model/fstree"
)

// FuzzTOCLayer: any table of contents a layer carries is read without a
// panic; one that is believed lists only clean paths inside the root
// (hard links too), never eStargz's own entries, and an estimate that is
// not negative.
func FuzzTOCLayer(f *testing.F) {
	f.Add([]byte(`{"version":1,"entries":[{"name":"etc/","type":"dir"},{"name":"etc/a","type":"reg","size":3,"offset":10,"digest":"sha256:`+strings.Repeat("a", 64)+`"},`+
		`{"name":"etc/h","type":"hardlink","linkName":"etc/a"},{"name":"etc/a","type":"chunk","offset":20,"chunkOffset":2,"chunkSize":1}]}`), int64(100))
	f.Add([]byte(`{"entries":[{"name":"../../x","type":"reg","size":1,"offset":1},{"name":".no.prefetch.landmark","type":"reg","size":1,"offset":2}]}`), int64(10))
	f.Add([]byte(`{"entries":[{"name":"g","type":"reg","size":9223372036854775807,"offset":0},{"name":"h","type":"reg","size":9223372036854775807,"offset":0}]}`), int64(1<<40))
	f.Add([]byte(`{"entries":[{"name":"`+strings.Repeat("n", 120)+`","type":"symlink","linkName":"/x","xattrs":{"a":"b"},"uid":99999999}]}`), int64(1))
	f.Fuzz(func(t *testing.T, toc []byte, dataEnd int64) {
		l, est, err := tocLayer(toc, dataEnd, zstdMaxRatio, fstree.Limits{Bytes: 1 << 30, Entries: 10_000, PathLen: 4096})
		if err != nil {
			return
		}
		if est < 0 {
			t.Fatalf("estimate %d", est)
		}
		for _, r := range l.Records() {
			for _, p := range []string{r.Path, r.LinkTarget} {
				if r.Type != fstree.Hardlink && p == r.LinkTarget {
					continue // a symlink's target is text, resolved in the root
				}
				if p == "" || path.Clean(p) != p || strings.HasPrefix(p, "/") || p == ".." || strings.HasPrefix(p, "../") {
					t.Fatalf("a path %q (%s) was believed", p, r.Type)
				}
			}
			if stargzOwn(r.Path) {
				t.Fatalf("%s listed", r.Path)
			}
		}
	})
}
