package registry

import (
	"fmt"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model/fstree"
)

// BenchmarkTOCLayer200k reads a table of contents of 200,000 files (50 MB
// of JSON, near maxTOC's 64 MiB): decoded, checked and estimated an entry
// at a time.
func BenchmarkTOCLayer200k(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"version":1,"entries":[`)
	for i := range 200_000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"name":"usr/share/doc/pkg%d/file%d.txt","type":"reg","size":%d,"modtime":"2024-01-01T00:00:00Z","mode":33188,"offset":%d,"digest":"sha256:%064d","chunkDigest":"sha256:%064d"}`,
			i/50, i, 1000+i%5000, 100+i*600, i, i)
	}
	sb.WriteString(`]}`)
	toc := []byte(sb.String())
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := tocLayer(toc, 1<<40, gzipMaxRatio, fstree.DefaultLimits()); err != nil {
			b.Fatal(err)
		}
	}
}
