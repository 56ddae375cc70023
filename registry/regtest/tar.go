package regtest

import (
	"archive/tar"
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// TarItem is one entry of a test layer: a name ending in "/" is a
// directory, "a -> b" a symlink, "a => b" a hardlink, "a|" a FIFO;
// anything else a file holding Body.
type TarItem struct {
	Name, Body string
}

// Tar builds an uncompressed layer.
func Tar(t testing.TB, items ...TarItem) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, it := range items {
		h := &tar.Header{Name: it.Name, Mode: 0o644, Format: tar.FormatPAX}
		switch {
		case strings.HasSuffix(it.Name, "/"):
			h.Typeflag, h.Mode = tar.TypeDir, 0o755
		case strings.Contains(it.Name, " -> "):
			h.Name, h.Linkname, _ = strings.Cut(it.Name, " -> ")
			h.Typeflag = tar.TypeSymlink
		case strings.Contains(it.Name, " => "):
			h.Name, h.Linkname, _ = strings.Cut(it.Name, " => ")
			h.Typeflag = tar.TypeLink
		case strings.HasSuffix(it.Name, "|"):
			h.Name, h.Typeflag = strings.TrimSuffix(it.Name, "|"), tar.TypeFifo
		default:
			h.Typeflag, h.Size = tar.TypeReg, int64(len(it.Body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			_, _ = tw.Write([]byte(it.Body))
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Gzip compresses a layer.
func Gzip(t testing.TB, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	_, _ = zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// Zstd compresses a layer.
func Zstd(t testing.TB, b []byte) []byte {
	t.Helper()
	zw, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	return zw.EncodeAll(b, nil)
}

// RandomFiles is the tar of 60 files of 100,000 random bytes under data/
// (several checkpoints' worth, compressed or not), with etc/motd holding
// motd in their middle: a layer one small file is read out of.
func RandomFiles(t testing.TB, seed uint64, motd string) []byte {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 28))
	var items []TarItem
	for i := range 60 {
		body := make([]byte, 100_000)
		for k := range body {
			body[k] = byte(r.Uint32())
		}
		items = append(items, TarItem{Name: fmt.Sprintf("data/blob-%02d", i), Body: string(body)})
		if i == 30 {
			items = append(items, TarItem{Name: "etc/motd", Body: motd})
		}
	}
	return Tar(t, items...)
}
