//go:build linux

package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/platypus-tui/platypus/registry/regtest"
)

// TestDebianImage checks platypus against the real Debian image that
// scripts/debian-image.sh built into the OCI layout PLATYPUS_DEBIAN_IMAGE,
// pushed by skopeo to Debian's docker-registry: each prefix of each
// platform's layers listed, each layer's changes, a sample of paths read
// with cat, the two platforms diffed, and each layer's uncompressed size,
// all against umoci unpack of the same layers and the kernel reading the
// unpacked tree. With PLATYPUS_DEBIAN_RECORD=1 it records the image into
// testdata for TestDebianReplay.
func TestDebianImage(t *testing.T) {
	layout := os.Getenv("PLATYPUS_DEBIAN_IMAGE")
	if layout == "" {
		t.Skip("PLATYPUS_DEBIAN_IMAGE is not set: it names the OCI layout scripts/debian-image.sh builds " +
			"(as root, from a Debian mirror, about five minutes); .ci/run does both")
	}
	if os.Getuid() != 0 {
		t.Fatal("PLATYPUS_DEBIAN_IMAGE is set but the test is not root: umoci unpack must make the device nodes and owners a container has")
	}
	for _, tool := range []string{"umoci", "skopeo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found (apt-get install %s)", tool, tool)
		}
	}
	isolateHome(t)
	// Each phase's time is logged (not asserted): this test is long, and
	// where it goes is what to know when it gets longer.
	mark := time.Now()
	phase := func(what string) {
		t.Logf("%s: %s", what, time.Since(mark).Round(100*time.Millisecond))
		mark = time.Now()
	}
	tags := layoutTags(t, layout)
	reg := regtest.StartDistribution(t, regtest.DistributionOptions{})
	repo := reg.Host + "/debian"
	for _, tag := range sortedKeys(tags) {
		runTool(t, "skopeo", "copy", "--all", "--quiet", "--dest-tls-verify=false", "oci:"+layout+":"+tag, "docker://"+repo+":"+tag)
	}
	phase("skopeo copy of every tag")

	rec := debianRecord{Note: "scripts/debian-image.sh's image, recorded by TestDebianImage with PLATYPUS_DEBIAN_RECORD=1"}
	sums := map[string]int{}
	sumRef := func(hexSum string) int {
		if hexSum == "" {
			return 0
		}
		if i, ok := sums[hexSum]; ok {
			return i
		}
		rec.Sums = append(rec.Sums, hexSum)
		sums[hexSum] = len(rec.Sums)
		return len(rec.Sums)
	}
	var imgs []debianImage
	sizes := map[string][]int64{}
	for _, arch := range []string{"amd64", "arm64"} {
		n := 0
		for tags[fmt.Sprintf("%s-%d", arch, n+1)] {
			n++
		}
		if n == 0 {
			t.Fatalf("%s has no tag %s-1", layout, arch)
		}
		img := debianImage{Arch: arch, Truth: []tree{{}}}
		ir := imageRecord{Arch: arch}
		for k := 1; k <= n; k++ {
			bundle := filepath.Join(t.TempDir(), "bundle")
			runTool(t, "umoci", "unpack", "--image", fmt.Sprintf("%s:%s-%d", layout, arch, k), bundle)
			rootfs := filepath.Join(bundle, "rootfs")
			truth, err := snapshot(rootfs)
			if err != nil {
				t.Fatal(err)
			}
			img.Truth = append(img.Truth, truth)
			if k == n {
				img.Cat = map[string]catResult{}
				for _, p := range catSample(truth) {
					img.Cat[p] = catIn(t, rootfs, p)
				}
			}
			if err := os.RemoveAll(bundle); err != nil {
				t.Fatal(err)
			}
		}
		layers := manifestLayers(t, layout, fmt.Sprintf("%s-%d", arch, n))
		for i, l := range layers {
			lr, size := recordLayer(t, filepath.Join(layout, "blobs", "sha256", strings.TrimPrefix(l.Digest, "sha256:")), sumRef)
			lr.CreatedBy = l.CreatedBy
			ir.Layers = append(ir.Layers, lr)
			sizes[arch] = append(sizes[arch], size)
			ir.Truth = append(ir.Truth, recordDelta(img.Truth[i], img.Truth[i+1], sumRef))
		}
		for _, p := range sortedKeys(img.Cat) {
			c := img.Cat[p]
			ir.Cat = append(ir.Cat, catRecord{Path: p, Size: c.Size, Sum: sumRef(c.Sum), Err: c.Err})
		}
		rec.Images = append(rec.Images, ir)
		imgs = append(imgs, img)
		t.Logf("%s: %d layers, %d paths", arch, n, len(img.Truth[n]))
	}
	if os.Getenv("PLATYPUS_DEBIAN_RECORD") != "" {
		writeDebianRecord(t, rec)
	}
	phase("umoci unpack of every prefix, and the record")
	// cat's reads share one client, as TestDebianReplay's do: it keeps
	// the layers it listed, where a cat process per path read the image's
	// 85 MB of layers again for each of its 60-odd paths.
	shared := catShared(t)
	var catTime time.Duration
	cat := func(ref, p string) (string, string, int) {
		start := time.Now()
		defer func() { catTime += time.Since(start) }()
		return shared(ref, p)
	}
	ms := debianCheck(t, repo, imgs, sizes, cat)
	phase("platypus files, diff and cat")
	t.Logf("of which cat: %s", catTime.Round(100*time.Millisecond))
	judge(t, ms)
}

func runTool(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// snapshot is the unpacked tree at root as a container sees it.
func snapshot(root string) (tree, error) {
	out := tree{}
	type inode struct{ dev, ino uint64 }
	groups := map[inode][]string{}
	err := filepath.WalkDir(root, func(p string, _ fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		var st unix.Stat_t
		if err := unix.Lstat(p, &st); err != nil {
			return err
		}
		n := node{Mode: st.Mode & 0o7777}
		switch st.Mode & unix.S_IFMT {
		case unix.S_IFREG:
			n.Type, n.Size = "file", st.Size
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			n.Sum = sha256Hex(b)
			if st.Nlink > 1 {
				k := inode{st.Dev, st.Ino}
				groups[k] = append(groups[k], rel)
			}
		case unix.S_IFDIR:
			n.Type = "dir"
		case unix.S_IFLNK:
			n.Type = "symlink"
			if n.Link, err = os.Readlink(p); err != nil {
				return err
			}
		default:
			n.Type = "other"
		}
		out[rel] = n
		return nil
	})
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		slices.Sort(g)
		for _, p := range g {
			n := out[p]
			n.Inode = g[0]
			out[p] = n
		}
	}
	return out, err
}

// catIn is what reading p gives in a container of root: the kernel
// resolves it as if root were /, links and all (RESOLVE_IN_ROOT).
func catIn(t *testing.T, root, p string) catResult {
	t.Helper()
	dir, err := unix.Open(root, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = unix.Close(dir) }()
	how := &unix.OpenHow{Flags: unix.O_PATH | unix.O_CLOEXEC, Resolve: unix.RESOLVE_IN_ROOT}
	fd, err := unix.Openat2(dir, p, how)
	switch {
	case errors.Is(err, unix.ENOENT):
		return catResult{Err: "not found"}
	case errors.Is(err, unix.ELOOP):
		return catResult{Err: "loop"}
	case errors.Is(err, unix.ENOTDIR):
		return catResult{Err: "not a directory"}
	case err != nil:
		t.Fatalf("openat2 %s in %s: %v", p, root, err)
	}
	var st unix.Stat_t
	err = unix.Fstat(fd, &st)
	_ = unix.Close(fd)
	if err != nil {
		t.Fatal(err)
	}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFREG:
	case unix.S_IFDIR:
		return catResult{Err: "is a directory"}
	default:
		return catResult{Err: "not a file"}
	}
	how.Flags = unix.O_RDONLY | unix.O_CLOEXEC
	if fd, err = unix.Openat2(dir, p, how); err != nil {
		t.Fatal(err)
	}
	f := os.NewFile(uintptr(fd), p)
	defer func() { _ = f.Close() }()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return catResult{Sum: sha256Hex(b), Size: int64(len(b))}
}

// catSample is the paths cat reads: every kind of way to a file the image
// has (links through merged /usr, hard links within and across layers,
// names long, UTF-8 or with a tab; removed, hidden, looping, not files),
// and a seeded draw of the image's files and links.
func catSample(truth tree) []string {
	long := "opt/edge/" + strings.Repeat("d", 150) + "/" + strings.Repeat("n", 200) + ".txt"
	paths := []string{
		"bin/sh", "usr/bin/sh", "opt/edge/sh", "opt/edge/perl", "bin/perl5.36.0", "usr/bin/perl5.36.0",
		"usr/bin/perl", "usr/bin/perlthanks", "usr/bin/perlbug", "opt/edge/hard-a", "opt/edge/hard-b",
		"opt/edge/os-release", "etc/os-release", "opt/edge/loop-a", "opt/edge/empty", "opt/edge/suid",
		"opt/edge/private/secret", "opt/edge/ünïcödé/日本語.txt", "opt/edge/emoji-🦆.txt", "opt/edge/space name.txt",
		"opt/edge/tab\tname.txt", long, "opt/edge/long-symlink", "opt/edge/long-hardlink", "opt/implicit/deep/file",
		"etc/motd", "usr/share/doc/dpkg/copyright", "etc/apt/apt.conf.d/00platypus", "etc/apt/apt.conf.d/99platypus",
		"etc/apt/apt.conf.d/70debconf", "usr/share/doc/bash/copyright", "etc/issue.net", "etc/issue.net/README",
		"etc/debian_version", "lib64/ld-linux-x86-64.so.2", "lib/ld-linux-aarch64.so.1",
		"etc/ssl/certs/ca-certificates.crt", "usr/lib/usrmerge/convert-usrmerge", "usr/share/perl5/File/Find/Rule.pm",
		"dev/null", "etc", "opt/edge/hard-a/x", "etc/../etc/hostname", "opt/edge/../../../../etc/hostname",
		"bin/gunzip", "bin/uncompress",
	}
	var files, links []string
	for _, p := range sortedKeys(truth) {
		switch truth[p].Type {
		case "file":
			files = append(files, p)
		case "symlink":
			links = append(links, p)
		}
	}
	r := rand.New(rand.NewPCG(21, 8000))
	for range 12 {
		paths = append(paths, files[r.IntN(len(files))])
	}
	for range 6 {
		paths = append(paths, links[r.IntN(len(links))])
	}
	slices.Sort(paths)
	return slices.Compact(paths)
}

type layoutLayer struct {
	Digest    string
	CreatedBy string
}

// layoutTags are the tags of the OCI layout at dir.
func layoutTags(t *testing.T, dir string) map[string]bool {
	t.Helper()
	var idx struct {
		Manifests []struct {
			Annotations map[string]string `json:"annotations"`
		} `json:"manifests"`
	}
	readJSON(t, filepath.Join(dir, "index.json"), &idx)
	tags := map[string]bool{}
	for _, m := range idx.Manifests {
		if tag := m.Annotations["org.opencontainers.image.ref.name"]; tag != "" {
			tags[tag] = true
		}
	}
	return tags
}

// manifestLayers are the layers of the image tagged tag in the layout,
// with the history lines that made them.
func manifestLayers(t *testing.T, dir, tag string) []layoutLayer {
	t.Helper()
	var idx struct {
		Manifests []struct {
			Digest      string            `json:"digest"`
			Annotations map[string]string `json:"annotations"`
		} `json:"manifests"`
	}
	readJSON(t, filepath.Join(dir, "index.json"), &idx)
	blob := func(d string) string { return filepath.Join(dir, "blobs", "sha256", strings.TrimPrefix(d, "sha256:")) }
	for _, m := range idx.Manifests {
		if m.Annotations["org.opencontainers.image.ref.name"] != tag {
			continue
		}
		var man struct {
			Config struct{ Digest string }   `json:"config"`
			Layers []struct{ Digest string } `json:"layers"`
		}
		readJSON(t, blob(m.Digest), &man)
		var cfg struct {
			History []struct {
				CreatedBy  string `json:"created_by"`
				EmptyLayer bool   `json:"empty_layer"`
			} `json:"history"`
		}
		readJSON(t, blob(man.Config.Digest), &cfg)
		var made []string
		for _, h := range cfg.History {
			if !h.EmptyLayer {
				made = append(made, h.CreatedBy)
			}
		}
		var out []layoutLayer
		for i, l := range man.Layers {
			ll := layoutLayer{Digest: l.Digest}
			if i < len(made) {
				ll.CreatedBy = made[i]
			}
			out = append(out, ll)
		}
		return out
	}
	t.Fatalf("%s has no tag %s", dir, tag)
	return nil
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// recordLayer reads the gzip'd layer blob at path with the standard
// library: its headers, each file's sum, and its uncompressed size.
func recordLayer(t *testing.T, path string, sumRef func(string) int) (layerRecord, int64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var size countingWriter
	tr := tar.NewReader(io.TeeReader(zr, &size))
	var lr layerRecord
	formats := map[tar.Format]int{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		hr := hdrRecord{Name: h.Name, Typeflag: h.Typeflag, Mode: h.Mode, Size: h.Size, Link: h.Linkname,
			Major: h.Devmajor, Minor: h.Devminor, Format: h.Format}
		if h.Typeflag == tar.TypeReg {
			s := sha256.New()
			if _, err := io.Copy(s, tr); err != nil {
				t.Fatal(err)
			}
			hr.Sum = sumRef(hex.EncodeToString(s.Sum(nil)))
		}
		formats[h.Format]++
		lr.Headers = append(lr.Headers, hr)
	}
	if _, err := io.Copy(io.Discard, io.TeeReader(zr, &size)); err != nil {
		t.Fatal(err)
	}
	for f, n := range formats {
		if n > formats[lr.Format] {
			lr.Format = f
		}
	}
	for i := range lr.Headers {
		if lr.Headers[i].Format == lr.Format {
			lr.Headers[i].Format = 0
		}
	}
	return lr, size.n
}

func recordDelta(below, after tree, sumRef func(string) int) deltaRecord {
	d := deltaRecord{Set: []nodeRecord{}}
	for _, p := range sortedKeys(after) {
		n := after[p]
		if b, ok := below[p]; ok && b == n {
			continue
		}
		d.Set = append(d.Set, nodeRecord{Path: p, Type: n.Type, Mode: n.Mode, Size: n.Size, Sum: sumRef(n.Sum), Link: n.Link, Inode: n.Inode})
	}
	for _, p := range sortedKeys(below) {
		if _, ok := after[p]; !ok {
			d.Removed = append(d.Removed, p)
		}
	}
	return d
}

func writeDebianRecord(t *testing.T, rec debianRecord) {
	t.Helper()
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rec); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(debianRecordFile), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(debianRecordFile, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded %s: %d bytes, %d sums", debianRecordFile, b.Len(), len(rec.Sums))
}
