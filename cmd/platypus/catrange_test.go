package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/registry/regtest"
)

// bigLayer is a gzip layer of about 6 MB (random files, so several
// checkpoints) with etc/motd in its middle.
func bigLayer(t *testing.T, seed uint64, motd string) []byte {
	t.Helper()
	return regtest.Gzip(t, regtest.RandomFiles(t, seed, motd))
}

// After a listing with --disk-cache, cat of a small file is two requests
// (the tag's manifest, one range of the layer) and a part of the blob
// (at most the checkpoints' spacing, 1 MiB, and a DEFLATE block each
// side), and --debug says it was read from a checkpoint; a registry that
// ignores Range sends the blob once, and the bytes are the same. The
// path is found in the listing kept by directory, read in part, not in
// the whole listing.
func TestCatAfterListingIsOneRange(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	srv := startDemoServer(t)
	data := bigLayer(t, 1, "welcome\n")
	pushLayers(t, srv.Host, "big/app:1", pushLayer(t, srv.Host, "big/app:1", regtest.MediaTypeLayerGzip, data, nil))
	for _, strip := range []bool{false, true} {
		p := regtest.NewCountingProxy(t, srv.Host, strip)
		ref := p.Host + "/big/app:1"
		if _, stderr, code := cli(t, "", "--disk-cache", "files", ref, "--platform", "linux/amd64", "-o", "json"); code != 0 {
			t.Fatalf("files: %d %s", code, stderr)
		}
		p.Take()
		out, stderr, code := cli(t, "", "--disk-cache", "--debug", "cat", ref, "/etc/motd", "--platform", "linux/amd64")
		n := p.Take()
		if code != 0 || out != "welcome\n" {
			t.Fatalf("cat: exit %d %q %s", code, out, stderr)
		}
		switch {
		case strings.Contains(stderr, "short read") || strings.Contains(stderr, "backoff"):
			t.Errorf("the range was taken for a short read of the blob:\n%s", stderr)
		case !strings.Contains(stderr, "in listings read in part") || strings.Contains(stderr, "layer listed from the disk cache"):
			t.Errorf("cat did not find the file in the listing read in part:\n%s", stderr)
		case strip && (n.Whole != 1 || !strings.Contains(stderr, "from the layer's start via 1 request")):
			t.Errorf("cat through a registry that ignores Range: %+v\n%s", n, stderr)
		case !strip && (n.Requests > 2 || n.Ranged != 1 || n.BlobBytes > 2<<20 || !strings.Contains(stderr, "from checkpoint at")):
			t.Errorf("cat after a listing: %+v (a %d-byte blob)\n%s", n, len(data), stderr)
		}
	}
}

// diff --file -o json says how each side's bytes were read.
func TestDiffFileSaysHowItWasRead(t *testing.T) {
	srv := startDemoServer(t)
	pushLayers(t, srv.Host, "big/app:1", pushLayer(t, srv.Host, "big/app:1", regtest.MediaTypeLayerGzip, bigLayer(t, 1, "one\n"), nil))
	pushLayers(t, srv.Host, "big/app:2", pushLayer(t, srv.Host, "big/app:2", regtest.MediaTypeLayerGzip, bigLayer(t, 2, "two\n"), nil))
	out, stderr, code := cli(t, "", "diff", srv.Host+"/big/app:1", srv.Host+"/big/app:2", "--file", "/etc/motd", "-o", "json")
	if code != 0 && code != exitFailure {
		t.Fatalf("diff: exit %d %s", code, stderr)
	}
	var rep struct {
		FileDiffs []struct {
			A, B struct {
				Read struct {
					How      string `json:"how"`
					Requests int    `json:"requests"`
					Bytes    int64  `json:"bytes"`
				} `json:"read"`
			}
		} `json:"fileDiffs"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.FileDiffs) != 1 {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, side := range []any{rep.FileDiffs[0].A.Read, rep.FileDiffs[0].B.Read} {
		if r := side.(struct {
			How      string `json:"how"`
			Requests int    `json:"requests"`
			Bytes    int64  `json:"bytes"`
		}); r.How != "checkpoint" || r.Requests != 1 || r.Bytes <= 0 || r.Bytes > 2<<20 {
			t.Errorf("read %+v", r)
		}
	}
}

// A listing kept by directory damaged anywhere (its header, a frame, its
// checkpoints) is dropped and kept again from the whole listing: the
// next cat reads it in part again, rather than decoding the whole
// listing on every run.
func TestCatHealsDamagedDirListing(t *testing.T) {
	srv := startDemoServer(t)
	pushLayers(t, srv.Host, "big/app:1", pushLayer(t, srv.Host, "big/app:1", regtest.MediaTypeLayerGzip, bigLayer(t, 1, "welcome\n"), nil))
	ref := srv.Host + "/big/app:1"
	// Where a byte is changed: in the header (past the whole file's sum
	// and the magic), in the first frame of records, in the checkpoints
	// (the last part).
	for _, at := range []func(n int) int{
		func(int) int { return 32 + 40 + 40 },
		func(n int) int { return n / 3 },
		func(n int) int { return n - 1 },
	} {
		cache := t.TempDir()
		t.Setenv("XDG_CACHE_HOME", cache)
		if _, stderr, code := cli(t, "", "--disk-cache", "files", ref, "--platform", "linux/amd64", "-o", "json"); code != 0 {
			t.Fatalf("files: %d %s", code, stderr)
		}
		kept, _ := filepath.Glob(filepath.Join(cache, "platypus", "blobs", "dirlistings", "sha256", "*"))
		if len(kept) != 1 {
			t.Fatalf("listings kept by directory: %q", kept)
		}
		b, err := os.ReadFile(kept[0])
		if err != nil {
			t.Fatal(err)
		}
		b[at(len(b))] ^= 0xff
		if err := os.WriteFile(kept[0], b, 0o600); err != nil {
			t.Fatal(err)
		}
		for run := range 2 {
			out, stderr, code := cli(t, "", "--disk-cache", "--debug", "cat", ref, "/etc/motd", "--platform", "linux/amd64")
			if code != 0 || out != "welcome\n" {
				t.Fatalf("byte %d, cat %d: exit %d %q %s", at(len(b)), run, code, out, stderr)
			}
			if run == 1 && (strings.Contains(stderr, "layer listed from the disk cache") || !strings.Contains(stderr, "from checkpoint at")) {
				t.Errorf("byte %d of %d: cat after the damaged listing was read once:\n%s", at(len(b)), len(b), stderr)
			}
		}
	}
}

// diff --file alone, after both images were listed with --disk-cache,
// finds each path in the listings kept by directory, read in part, and
// says what it did as it says without the cache: the same JSON, but for
// the requests a listing took.
func TestDiffFileReadsKeptListingsInPart(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	srv := startDemoServer(t)
	pushLayers(t, srv.Host, "big/app:1", pushLayer(t, srv.Host, "big/app:1", regtest.MediaTypeLayerGzip, bigLayer(t, 1, "one\n"), nil))
	pushLayers(t, srv.Host, "big/app:2", pushLayer(t, srv.Host, "big/app:2", regtest.MediaTypeLayerGzip, bigLayer(t, 2, "two\n"), nil))
	a, b := srv.Host+"/big/app:1", srv.Host+"/big/app:2"
	args := []string{"diff", a, b, "--file", "/etc/motd", "--file", "/data/blob-07", "-o", "json"}
	want, stderr, code := cli(t, "", args...)
	if code != 0 {
		t.Fatalf("diff: exit %d %s", code, stderr)
	}
	for _, ref := range []string{a, b} {
		if _, stderr, code := cli(t, "", "--disk-cache", "files", ref, "-o", "json"); code != 0 {
			t.Fatalf("files %s: %d %s", ref, code, stderr)
		}
	}
	got, stderr, code := cli(t, "", append([]string{"--disk-cache", "--debug"}, args...)...)
	if code != 0 || strings.Count(stderr, "in listings read in part") != 4 || strings.Contains(stderr, "layer listed from the disk cache") {
		t.Fatalf("diff --file with the cache: exit %d\n%s", code, stderr)
	}
	if got != want {
		t.Errorf("with the cache:\n%s\nwithout:\n%s", got, want)
	}
	if !strings.Contains(got, `"how": "checkpoint"`) {
		t.Errorf("no file read from a checkpoint:\n%s", got)
	}
}
