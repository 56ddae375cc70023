package demo

import (
	"archive/tar"
	"fmt"
	"io"

	"github.com/platypus-tui/platypus/model"
)

// Sizes of the benchmark fixtures (issue "Performance").
const (
	BenchTags     = 5000 // tags of bench/tags
	BenchRepos    = 1500 // repositories bench/r0000 …
	BenchEntries  = 48   // entries of bench/wide:latest
	BenchScanTags = 300  // tags of bench/scan
)

var benchArchs = []model.Platform{
	linux("amd64", ""), linux("arm64", ""), linux("arm", "v7"), linux("arm", "v6"), linux("386", ""), linux("ppc64le", ""),
	linux("s390x", ""), linux("riscv64", ""), linux("mips64le", ""), linux("loong64", ""), linux("amd64", "v2"), linux("amd64", "v3"),
}

// SeedBench writes the repositories the benchmarks and the peer comparison
// use: bench/tags (5,000 tags), 1,500 small repositories, bench/wide (a
// 48-entry index of distinct images) and bench/scan (300 tags).
func SeedBench(root string) error {
	l := newLayout(root, "bench/tags")
	img := l.image(tinyImage(linux("amd64", ""), created2024, "ADD rootfs / # buildkit", "true", false))
	for i := range BenchTags {
		l.tag(fmt.Sprintf("v%d.%d", i/100, i%100), img)
	}
	if err := l.write(); err != nil {
		return err
	}
	for i := range BenchRepos {
		r := newLayout(root, fmt.Sprintf("bench/r%04d", i))
		r.tag("latest", r.image(tinyImage(linux("amd64", ""), created2024, "ADD rootfs / # buildkit", "true", false)))
		if err := r.write(); err != nil {
			return err
		}
	}
	w := newLayout(root, "bench/wide")
	var entries []descriptor
	for i := range BenchEntries {
		p := benchArchs[i%len(benchArchs)]
		p.OSFeatures = nil
		spec := tinyImage(p, created2024, fmt.Sprintf("ADD rootfs-%d / # buildkit", i), fmt.Sprintf("echo %d", i), false)
		spec.steps[0].filler = 0
		d := w.image(spec)
		entries = append(entries, d)
	}
	w.tag("latest", w.index(false, entries, nil))
	if err := w.write(); err != nil {
		return err
	}
	s := newLayout(root, "bench/scan")
	amdOnly := s.index(false, []descriptor{s.image(tinyImage(linux("amd64", ""), created2024, "ADD a / # buildkit", "a", false))}, nil)
	both := s.index(false, []descriptor{
		s.image(tinyImage(linux("amd64", ""), created2024, "ADD b / # buildkit", "b", false)),
		s.image(tinyImage(linux("arm64", ""), created2024, "ADD c / # buildkit", "c", false)),
	}, nil)
	for i := range BenchScanTags {
		d := amdOnly
		if i%3 == 0 {
			d = both
		}
		s.tag(fmt.Sprintf("1.%d", i), d)
	}
	return s.write()
}

// ManyTagsRepository is where SeedManyTags puts its tags.
const ManyTagsRepository = "bench/many"

// SeedManyTags returns a seeder of bench/many with n tags of one small
// image, for the benchmarks of lists at scale (100,000 to 1,000,000).
func SeedManyTags(n int) func(root string) error {
	return func(root string) error {
		l := newLayout(root, ManyTagsRepository)
		img := l.image(tinyImage(linux("amd64", ""), created2024, "ADD rootfs / # buildkit", "true", false))
		for i := range n {
			l.tag(fmt.Sprintf("1.%d.%d", i/1000, i%1000), img)
		}
		return l.write()
	}
}

// ManyReposPrefix starts the names of SeedManyRepos's repositories.
const ManyReposPrefix = "bench/many-r"

// SeedManyRepos returns a seeder of n repositories of one tag each, for
// catalogs at scale (100,000 take about a minute and a half to write).
func SeedManyRepos(n int) func(root string) error {
	return func(root string) error {
		for i := range n {
			r := newLayout(root, fmt.Sprintf("%s%06d", ManyReposPrefix, i))
			r.tag("latest", r.image(tinyImage(linux("amd64", ""), created2024, "ADD rootfs / # buildkit", "true", false)))
			if err := r.write(); err != nil {
				return err
			}
		}
		return nil
	}
}

// ManyFilesRepository is where SeedManyFiles puts its image.
const ManyFilesRepository = "bench/files"

// SeedManyFiles returns a seeder of bench/files:latest, a linux/amd64 image
// of one gzip layer of n entries, directories of 999 small files each, for
// the layer benchmarks (2,000,000 entries: a 23 MB blob of a 2 GB tar,
// about 15 s to write). The layer is streamed to disk, never held whole.
func SeedManyFiles(n int) func(root string) error {
	return func(root string) error {
		l := newLayout(root, ManyFilesRepository)
		layer, diffID, err := l.streamBlob(model.MediaOCILayerGzip, func(w io.Writer) error {
			tw := tar.NewWriter(w)
			body := []byte("data")
			for i := range n {
				dir := fmt.Sprintf("usr/share/bench/dir%d/", i/1000)
				h := &tar.Header{Name: dir, Mode: 0o755, ModTime: epoch, Typeflag: tar.TypeDir}
				if i%1000 != 0 {
					h = &tar.Header{Name: fmt.Sprintf("%sfile-with-a-longish-name-%d", dir, i), Mode: 0o644, ModTime: epoch,
						Size: int64(len(body)), Typeflag: tar.TypeReg}
				}
				if err := tw.WriteHeader(h); err != nil {
					return fmt.Errorf("bench layer: %w", err)
				}
				if _, err := tw.Write(body[:h.Size]); err != nil {
					return fmt.Errorf("bench layer: %w", err)
				}
			}
			return tw.Close()
		})
		if err != nil {
			return err
		}
		cfg := configJSON{Architecture: "amd64", OS: "linux", Created: created2024,
			History: []historyJSON{{Created: created2024, CreatedBy: fmt.Sprintf("ADD %d entries / # platypus demo serve --bench-files", n)}}}
		cfg.RootFS.Type = "layers"
		cfg.RootFS.DiffIDs = []string{diffID}
		cd := l.json(model.MediaOCIConfig, cfg)
		m := manifestJSON{SchemaVersion: 2, MediaType: model.MediaOCIManifest, Config: &cd, Layers: []descriptor{layer}}
		l.tag("latest", l.json(model.MediaOCIManifest, m))
		return l.write()
	}
}
