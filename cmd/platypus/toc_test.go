package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/containerd/stargz-snapshotter/estargz"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// pushLayers pushes an image of layers (each with its media type and
// annotations) as host/repo:tag, its config naming their diff IDs.
func pushLayers(t *testing.T, host, repo string, layers ...regtest.Blob) {
	t.Helper()
	var diffIDs []string
	for _, l := range layers {
		data := blobs[l.Digest]
		var r io.Reader = bytes.NewReader(data)
		switch {
		case strings.HasSuffix(l.MediaType, "gzip"):
			zr, err := gzip.NewReader(r)
			if err != nil {
				t.Fatal(err)
			}
			r = zr
		case strings.HasSuffix(l.MediaType, "zstd"):
			zr, err := zstd.NewReader(r)
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			r = zr
		}
		raw, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		diffIDs = append(diffIDs, model.DigestOf(raw))
	}
	cfg, _ := json.Marshal(map[string]any{"architecture": "amd64", "os": "linux", "rootfs": map[string]any{"type": "layers", "diff_ids": diffIDs}})
	config := regtest.PushBlob(t, host, strings.Split(repo, ":")[0], "application/vnd.oci.image.config.v1+json", cfg)
	name, tag, _ := strings.Cut(repo, ":")
	regtest.PushImage(t, host, name, tag, config, layers...)
}

// blobs are the bytes of the layers the tests pushed, by digest.
var blobs = map[string][]byte{}

func pushLayer(t *testing.T, host, repo, mediaType string, data []byte, ann map[string]string) regtest.Blob {
	t.Helper()
	b := regtest.PushBlob(t, host, strings.Split(repo, ":")[0], mediaType, data)
	b.Annotations = ann
	blobs[b.Digest] = data
	return b
}

// tocImages pushes toc/app:1 (an eStargz base and a zstd:chunked layer
// above it, as stargz-snapshotter's estargz writes them), toc/plain:1 (the
// same tars, gzip), toc/lies:1 (an eStargz layer whose table lists a
// ghost file and a link that are not in it, and gives etc/real another
// file's sum) and toc/ghost:1 (a table claiming 1000 MB in a few bytes).
func tocImages(t *testing.T, host string) {
	t.Helper()
	base := regtest.Tar(t, regtest.TarItem{Name: "etc/"}, regtest.TarItem{Name: "etc/real", Body: strings.Repeat("real bytes\n", 300)},
		regtest.TarItem{Name: "etc/os-release", Body: "ID=toc\n"})
	top := regtest.Tar(t, regtest.TarItem{Name: "usr/"}, regtest.TarItem{Name: "usr/bin/"}, regtest.TarItem{Name: "usr/bin/app", Body: strings.Repeat("app\x00", 5000)})
	sgz, sgzAnn := regtest.Estargz(t, base, 0)
	zc, zcAnn := regtest.ZstdChunked(t, top, 0)
	pushLayers(t, host, "toc/app:1", pushLayer(t, host, "toc/app", regtest.MediaTypeLayerGzip, sgz, sgzAnn), pushLayer(t, host, "toc/app", regtest.MediaTypeLayerZstd, zc, zcAnn))
	pushLayers(t, host, "toc/plain:1", pushLayer(t, host, "toc/plain", regtest.MediaTypeLayerGzip, regtest.Gzip(t, base), nil),
		pushLayer(t, host, "toc/plain", regtest.MediaTypeLayerGzip, regtest.Gzip(t, top), nil))
	find := func(toc *estargz.JTOC, name string) *estargz.TOCEntry {
		for _, e := range toc.Entries {
			if e.Name == name {
				return e
			}
		}
		t.Fatalf("no %s", name)
		return nil
	}
	// etc/real's sum in the table is that of etc/os-release: a diff of
	// the two files from their sums alone would call them the same.
	lies, liesAnn := regtest.RewriteTOC(t, sgz, sgzAnn, func(toc *estargz.JTOC) {
		real := find(toc, "etc/real")
		real.Digest = find(toc, "etc/os-release").Digest
		toc.Entries = append(toc.Entries,
			&estargz.TOCEntry{Name: "etc/ghost", Type: "reg", Size: 10, Offset: real.Offset, Digest: real.Digest},
			&estargz.TOCEntry{Name: "etc/passwd", Type: "symlink", LinkName: "../../../../etc/passwd"})
	})
	pushLayers(t, host, "toc/lies:1", pushLayer(t, host, "toc/lies", regtest.MediaTypeLayerGzip, lies, liesAnn))
	ghost, ghostAnn := regtest.RewriteTOC(t, sgz, sgzAnn, func(toc *estargz.JTOC) {
		toc.Entries = append(toc.Entries, &estargz.TOCEntry{Name: "opt/ghost", Type: "reg", Size: 1000 << 20, Offset: find(toc, "etc/real").Offset})
	})
	pushLayers(t, host, "toc/ghost:1", pushLayer(t, host, "toc/ghost", regtest.MediaTypeLayerGzip, ghost, ghostAnn))
}

type tocFilesJSON struct {
	Layers []output.FilesLayer
	Files  []output.File
}

func filesOf(t *testing.T, args ...string) (tocFilesJSON, string, int) {
	t.Helper()
	out, stderr, code := cli(t, "", append([]string{"files", "-o", "json"}, args...)...)
	var rep tocFilesJSON
	if code == 0 {
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
	}
	return rep, stderr, code
}

func paths(rep tocFilesJSON) string {
	var ps []string
	for _, f := range rep.Files {
		ps = append(ps, f.Path)
	}
	return strings.Join(ps, " ")
}

// files says where each layer's listing came from: a table of contents
// is marked as the writer's claim (JSON source "toc", "~" sizes, a line in
// the table), never 0 bytes uncompressed; --verify streams and checks it;
// eStargz's own entries are not files of the image.
func TestFilesMarksTOCListings(t *testing.T) {
	srv := startDemoServer(t)
	tocImages(t, srv.Host)
	app := srv.Host + "/toc/app:1"
	rep, stderr, code := filesOf(t, app)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	plain, _, _ := filesOf(t, srv.Host+"/toc/plain:1")
	if paths(rep) != paths(plain) || strings.Contains(paths(rep), "landmark") || strings.Contains(paths(rep), "stargz.index.json") {
		t.Errorf("the TOC image lists\n%s\nthe gzip one\n%s", paths(rep), paths(plain))
	}
	for i, l := range rep.Layers {
		if l.Source != "toc" || !l.UncompressedSizeEstimated || l.UncompressedSize <= 0 || l.TOCVerified {
			t.Errorf("layer %d: %+v", i, l)
		}
		if p := plain.Layers[i]; p.Source != "stream" || p.UncompressedSizeEstimated {
			t.Errorf("gzip layer %d: %+v", i, p)
		}
	}
	out, _, _ := cli(t, "", "files", app)
	for _, want := range []string{" ~", "B uncompressed", "layers 0, 1 listed from their tables of contents: what the image's writer claims, not checked"} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, " 0B uncompressed") {
		t.Errorf("0 bytes uncompressed:\n%s", out)
	}
	out, _, _ = cli(t, "", "files", app, "--layer", "1")
	if !strings.Contains(out, "uncompressed") || !strings.Contains(out, "layer 1: ") || !strings.Contains(out, "~") || !strings.Contains(out, "layer 1 listed from its table of contents") {
		t.Errorf("--layer 1:\n%s", out)
	}

	rep, stderr, code = filesOf(t, app, "--verify")
	if code != 0 {
		t.Fatalf("--verify: exit %d: %s", code, stderr)
	}
	for i, l := range rep.Layers {
		if l.Source != "stream" || l.UncompressedSizeEstimated || !l.TOCVerified || l.UncompressedSize <= 0 {
			t.Errorf("--verify: layer %d: %+v", i, l)
		}
	}
	if out, _, _ := cli(t, "", "files", app, "--verify"); !strings.Contains(out, "layers 0, 1: their tables of contents agree with the layers' bytes (verified)") || strings.Contains(out, "~") {
		t.Errorf("--verify table:\n%s", out)
	}
}

// A table of contents that lies is listed as a claim and fails --verify;
// cat refuses what it claims; diff --file reads files a table gives sums
// for rather than trusting them; a table caught by a cheap check is not
// believed (a warning, and the layer is streamed).
func TestLyingTOCs(t *testing.T) {
	srv := startDemoServer(t)
	tocImages(t, srv.Host)
	lies := srv.Host + "/toc/lies:1"
	rep, stderr, code := filesOf(t, lies)
	if code != 0 || rep.Layers[0].Source != "toc" || !strings.Contains(paths(rep), "etc/ghost") {
		t.Errorf("lies: exit %d %s: %+v", code, stderr, rep.Layers)
	}
	_, stderr, code = filesOf(t, lies, "--verify")
	if code != exitFailure || !strings.Contains(stderr, "table of contents disagrees with its bytes in 3 entries: etc/ghost: a 10B file") {
		t.Errorf("lies --verify: exit %d: %s", code, stderr)
	}
	if _, stderr, code := cli(t, "", "cat", lies, "/etc/ghost"); code != exitFailure || !strings.Contains(stderr, "holds no file etc/ghost") {
		t.Errorf("cat of the ghost: exit %d: %s", code, stderr)
	}
	if _, stderr, code := cli(t, "", "cat", lies, "/etc/os-release", "--verify"); code != exitFailure || !strings.Contains(stderr, "disagrees") {
		t.Errorf("cat --verify: exit %d: %s", code, stderr)
	}
	out, stderr, code := cli(t, "", "diff", lies, lies, "--file", "/etc/real", "--file", "/etc/os-release")
	if code != exitFailure || strings.Contains(out, "the same bytes") || !strings.Contains(stderr, "not those it was listed with") {
		t.Errorf("diff --file trusted the table's sums: exit %d: %s%s", code, out, stderr)
	}

	ghost := srv.Host + "/toc/ghost:1"
	rep, stderr, code = filesOf(t, ghost)
	if code != 0 || rep.Layers[0].Source != "stream" || !strings.Contains(rep.Layers[0].TOCRejected, "more than compression can pack") ||
		strings.Contains(paths(rep), "ghost") || !strings.Contains(stderr, "warning: layer 0") {
		t.Errorf("ghost: exit %d %s: %+v %s", code, stderr, rep.Layers, paths(rep))
	}
	if _, stderr, code := filesOf(t, ghost, "--verify"); code != exitFailure || !strings.Contains(stderr, "table of contents is not believed") {
		t.Errorf("ghost --verify: exit %d: %s", code, stderr)
	}
}

// diff of an image and its eStargz twin: no file differs; sizes from
// tables are marked estimates, and where the listing came from is said.
func TestDiffOfTOCImages(t *testing.T) {
	srv := startDemoServer(t)
	tocImages(t, srv.Host)
	a, b := srv.Host+"/toc/app:1", srv.Host+"/toc/plain:1"
	out, stderr, code := cli(t, "", "diff", a, b, "--files")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"files: 0 added, 0 removed, 0 modified", "uncompressed: A ~", "listed from tables of contents, not checked against the layers' bytes (--verify checks): A's layers 0, 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = cli(t, "", "diff", a, b, "--files", "-o", "json")
	var rep output.Diff
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Image.Sizes == nil {
		t.Fatalf("%v: %s", err, out)
	}
	s := rep.Image.Sizes
	if !s.AEstimated || s.BEstimated || s.A == 0 || fmt.Sprint(s.Sources.A) != "[toc toc]" || fmt.Sprint(s.Sources.B) != "[stream stream]" {
		t.Errorf("sizes: %+v %+v", s, s.Sources)
	}
	out, _, _ = cli(t, "", "diff", a, b, "--files", "--verify", "-o", "json")
	rep = output.Diff{}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Image.Sizes.AEstimated || fmt.Sprint(rep.Image.Sizes.Sources.A) != "[stream stream]" {
		t.Errorf("--verify: %v %s", err, out)
	}
}

// cat --verify fails on a layer whose table of contents was not believed
// whichever way its listing is read: streamed, kept whole, or kept by
// directory and read in part (after one listing with --disk-cache).
func TestCatVerifyRejectedTOCKept(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	srv := startDemoServer(t)
	tocImages(t, srv.Host)
	ghost := srv.Host + "/toc/ghost:1"
	if _, stderr, code := cli(t, "", "--disk-cache", "cat", ghost, "/etc/real"); code != 0 {
		t.Fatalf("cat: exit %d: %s", code, stderr)
	}
	for _, cache := range []bool{false, true} {
		args := []string{"cat", ghost, "/etc/real", "--verify"}
		if cache {
			args = append([]string{"--disk-cache"}, args...)
		}
		if _, stderr, code := cli(t, "", args...); code != exitFailure || !strings.Contains(stderr, "table of contents is not believed") {
			t.Errorf("%q: exit %d: %s", args, code, stderr)
		}
	}
}
