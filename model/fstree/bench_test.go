package fstree

import (
	"archive/tar"
	"io"
	"runtime"
	"strconv"
	"testing"
)

// manyEntries streams a tar of n entries (a file of a few bytes each, in
// directories of 1,000), written as it is read: the benchmark holds no
// archive, so its heap is what the records cost.
func manyEntries(n int) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		tw := tar.NewWriter(pw)
		body := []byte("data")
		for i := range n {
			name := "usr/share/bench/dir" + strconv.Itoa(i/1000) + "/file-with-a-longish-name-" + strconv.Itoa(i)
			_ = tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
			_, _ = tw.Write(body)
		}
		_ = pw.CloseWithError(tw.Close())
	}()
	return pr
}

// BenchmarkRead2MEntries reads a layer of two million entries and reports
// the heap its records hold (target: under 300 MB) and the peak the Go
// runtime asked the system for while reading.
func BenchmarkRead2MEntries(b *testing.B) {
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		l, err := Read(manyEntries(2_000_000), 0, DefaultLimits())
		if err != nil {
			b.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		peak := after.Sys - before.Sys
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-heap")
		b.ReportMetric(float64(peak)/(1<<20), "MB-sys-growth")
		runtime.KeepAlive(l)
	}
}

// BenchmarkLoad2MEntries merges a two-million-entry layer and builds its
// tree, as the Files pane does, and reports the heap they hold.
func BenchmarkLoad2MEntries(b *testing.B) {
	l, err := Read(manyEntries(2_000_000), 0, DefaultLimits())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		fs := Load([]Layer{l})
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-heap")
		runtime.KeepAlive(fs)
	}
}

// BenchmarkTreeRows2M lists the rows of a two-million-entry tree as the
// Files pane does: every directory open (E), and with a filter keystroke.
func BenchmarkTreeRows2M(b *testing.B) {
	l, err := Read(manyEntries(2_000_000), 0, DefaultLimits())
	if err != nil {
		b.Fatal(err)
	}
	tree := NewTree(NewView([]Layer{l}))
	all := func(int32) bool { return true }
	for _, c := range []struct{ name, filter string }{{"open-all", ""}, {"filter", "name-1999"}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				rows := tree.Rows(all, c.filter)
				b.ReportMetric(float64(len(rows)), "rows")
			}
		})
	}
	// The keystroke after "name-199": the rows of the shorter filter are
	// narrowed, not the tree read again.
	shorter := tree.Rows(all, "name-199")
	b.Run("filter-narrowed", func(b *testing.B) {
		for b.Loop() {
			rows := tree.Narrow(shorter, "name-1999")
			b.ReportMetric(float64(len(rows)), "rows")
		}
	})
	b.Run("sort-by-size", func(b *testing.B) {
		for b.Loop() {
			tree.Sort(true)
		}
	})
}

// BenchmarkChangeTree2M builds the tree of a two-million-entry layer's
// changes, as the Files pane does on ], and reports the heap it holds.
func BenchmarkChangeTree2M(b *testing.B) {
	l, err := Read(manyEntries(2_000_000), 0, DefaultLimits())
	if err != nil {
		b.Fatal(err)
	}
	layers := []Layer{l}
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		tree, _ := ChangeTree(layers, 0)
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-heap")
		runtime.KeepAlive(tree)
	}
}

// BenchmarkListing2M lists a two-million-entry view as files -o json
// does: every entry and every implied directory.
func BenchmarkListing2M(b *testing.B) {
	l, err := Read(manyEntries(2_000_000), 0, DefaultLimits())
	if err != nil {
		b.Fatal(err)
	}
	v := NewView([]Layer{l})
	for b.Loop() {
		n := 0
		v.Listing(func(Entry) bool { n++; return true })
		b.ReportMetric(float64(n), "entries")
	}
}

// linkedEntries is manyEntries as a layer that uses links of its own:
// lib -> usr/lib first, then every tenth entry a link to a file, every
// other file written through lib (landing in usr/lib). plain is the same
// without a link.
func linkedEntries(n int, plain bool) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		tw := tar.NewWriter(pw)
		body := []byte("data")
		if !plain {
			_ = tw.WriteHeader(&tar.Header{Name: "lib", Linkname: "usr/lib", Typeflag: tar.TypeSymlink})
		}
		for i := range n {
			dir := "usr/lib/bench/dir" + strconv.Itoa(i/1000) + "/"
			if i%2 == 0 && !plain {
				dir = "lib/bench/dir" + strconv.Itoa(i/1000) + "/"
			}
			name := dir + "file-with-a-longish-name-" + strconv.Itoa(i)
			if i%10 == 9 && !plain {
				_ = tw.WriteHeader(&tar.Header{Name: name, Linkname: "file-with-a-longish-name-0", Typeflag: tar.TypeSymlink})
				continue
			}
			_ = tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
			_, _ = tw.Write(body)
		}
		_ = pw.CloseWithError(tw.Close())
	}()
	return pr
}

// BenchmarkReadLinked200k reads a layer of 200,000 entries that writes
// half of them through a link of its own and holds 20,000 more links,
// and the same layer without: what following a layer's links costs.
func BenchmarkReadLinked200k(b *testing.B) {
	for _, c := range []struct {
		name  string
		plain bool
	}{{"plain", true}, {"links", false}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				l, err := Read(linkedEntries(200_000, c.plain), 0, DefaultLimits())
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-heap")
				runtime.KeepAlive(l)
			}
		})
	}
}
