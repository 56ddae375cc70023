package zindex

import (
	"bytes"
	"compress/gzip"
	"io"
	"math/rand/v2"
	"os"
	"testing"

	kgzip "github.com/klauspost/compress/gzip"
)

// benchStreams are a tar-like mix and text, 32 MiB each, gzip level 6;
// ZINDEX_BENCH_FILE adds a gzip file of one's own (e.g. a layer blob).
func benchStreams(b *testing.B) map[string][]byte {
	out := map[string][]byte{}
	r := rand.New(rand.NewPCG(1, 2))
	for _, kind := range []int{1, 3} {
		var data []byte
		for len(data) < 32<<20 {
			data = append(data, sampleOf(r, kind, 1<<20)...)
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, 6)
		_, _ = zw.Write(data)
		_ = zw.Close()
		out[[]string{1: "text", 3: "tar-like"}[kind]] = buf.Bytes()
	}
	if f := os.Getenv("ZINDEX_BENCH_FILE"); f != "" {
		blob, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		out["file"] = blob
	}
	return out
}

func BenchmarkDecompress(b *testing.B) {
	for name, blob := range benchStreams(b) {
		for _, impl := range []string{"zindex", "compress-gzip", "klauspost"} {
			b.Run(name+"/"+impl, func(b *testing.B) {
				var total int64
				for b.Loop() {
					var r io.Reader
					switch impl {
					case "zindex":
						r = NewGzipReader(bytes.NewReader(blob), DefaultSpacing)
					case "compress-gzip":
						r, _ = gzip.NewReader(bytes.NewReader(blob))
					default:
						r, _ = kgzip.NewReader(bytes.NewReader(blob))
					}
					n, err := io.Copy(io.Discard, r)
					if err != nil {
						b.Fatal(err)
					}
					total = n
				}
				b.SetBytes(total)
			})
		}
	}
}
