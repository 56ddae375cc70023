package registry_test

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/containerd/stargz-snapshotter/estargz"

	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// BenchmarkEstargzTOC1GB lists a 1 GiB eStargz layer (4,096 files of
// 256 KiB of random bytes, so the blob is as large as its tar) from its
// table of contents on the distribution registry, and reports the
// requests and the bytes fetched per listing. Building the layer takes
// most of a minute: run it by hand (-bench EstargzTOC1GB -benchtime 1x).
func BenchmarkEstargzTOC1GB(b *testing.B) {
	const files, size = 4096, 256 << 10
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	body := make([]byte, size)
	rng := rand.NewChaCha8([32]byte{1})
	for i := range files {
		_, _ = rng.Read(body)
		_ = tw.WriteHeader(&tar.Header{Name: "data/d" + strconv.Itoa(i/64) + "/f" + strconv.Itoa(i), Mode: 0o644, Size: size, Typeflag: tar.TypeReg})
		_, _ = tw.Write(body)
	}
	_ = tw.Close()
	sgz, err := estargz.Build(io.NewSectionReader(bytes.NewReader(raw.Bytes()), 0, int64(raw.Len())))
	if err != nil {
		b.Fatal(err)
	}
	data, err := io.ReadAll(sgz)
	_ = sgz.Close()
	if err != nil {
		b.Fatal(err)
	}
	raw = bytes.Buffer{}
	host := regtest.StartDistribution(b, regtest.DistributionOptions{}).Host
	blob := regtest.PushBlob(b, host, "bench/estargz", "application/vnd.oci.image.layer.v1.tar+gzip", data)
	blob.Annotations = map[string]string{"containerd.io/snapshot/stargz/toc.digest": sgz.TOCDigest().String()}

	p := regtest.NewFaultProxy(b, host)
	var requests, fetched atomic.Int64
	p.OnRequest = func(r *http.Request) {
		requests.Add(1)
		if !regtest.BlobGets(r) {
			return
		}
		// What a blob GET asks for: its range, or the whole blob.
		var from, to int64
		if _, err := fmt.Sscanf(r.Header.Get("Range"), "bytes=%d-%d", &from, &to); err == nil {
			fetched.Add(to - from + 1)
		} else {
			fetched.Add(blob.Size)
		}
	}
	c := faultClient(p.Host)
	r := ref(b, p.Host+"/bench/estargz")
	b.ResetTimer()
	for b.Loop() {
		requests.Store(0)
		fetched.Store(0)
		l, err := c.Layer(context.Background(), r, desc(blob), 0, registry.LayerOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if l.Len() < files {
			b.Fatalf("%d entries", l.Len())
		}
	}
	b.ReportMetric(float64(blob.Size)/(1<<20), "MiB-blob")
	b.ReportMetric(float64(requests.Load()), "requests")
	b.ReportMetric(float64(fetched.Load())/(1<<10), "KiB-fetched")
}
