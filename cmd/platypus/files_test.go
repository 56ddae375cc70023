package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// files -o json keeps its contract: the fields, relative paths, types.
func TestFilesJSON(t *testing.T) {
	out, stderr, code := cli(t, "", "--demo", "files", "platypus/webapp:1.0", "--platform", "linux/arm64", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"reference", "digest", "platform", "layers", "files"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("no %q", k)
		}
	}
	var rep struct {
		Platform string
		Layers   []map[string]any
		Files    []map[string]any
	}
	_ = json.Unmarshal([]byte(out), &rep)
	if rep.Platform != "linux/arm64" || len(rep.Layers) != 3 || len(rep.Files) == 0 {
		t.Fatalf("files: %s", out)
	}
	for _, k := range []string{"index", "digest", "mediaType", "size", "uncompressedSize", "entries"} {
		if _, ok := rep.Layers[0][k]; !ok {
			t.Errorf("a layer lacks %q", k)
		}
	}
	for _, f := range rep.Files {
		p, _ := f["path"].(string)
		if strings.HasPrefix(p, "/") || strings.HasPrefix(p, "./") || strings.HasSuffix(p, "/") {
			t.Errorf("path %q", p)
		}
		for _, k := range []string{"path", "type", "size", "mode", "linkTarget", "layer"} {
			if _, ok := f[k]; !ok {
				t.Errorf("%s lacks %q", p, k)
			}
		}
	}
	// --layer: that layer's own entries, with what they change.
	out, _, _ = cli(t, "", "--demo", "files", "platypus/webapp:1.0", "--platform", "linux/arm64", "--layer", "2", "-o", "json")
	if !strings.Contains(out, `"change": "added"`) || !strings.Contains(out, `"layer": 2`) {
		t.Errorf("--layer 2:\n%s", out)
	}
	if _, stderr, code := cli(t, "", "--demo", "files", "platypus/webapp:1.0", "--layer", "9"); code != exitUsage || !strings.Contains(stderr, "layers 0 to 2") {
		t.Errorf("--layer 9: %d %s", code, stderr)
	}
}

// A diff of two platforms of one index, with files: the shared base layer
// is fetched once.
func TestDiffAcrossPlatformsFetchesSharedLayersOnce(t *testing.T) {
	srv := startDemoServer(t)
	p := regtest.NewFaultProxy(t, srv.Host)
	var mu sync.Mutex
	gets := map[string]int{}
	p.OnRequest = func(r *http.Request) {
		if regtest.BlobGets(r) {
			mu.Lock()
			gets[r.URL.Path]++
			mu.Unlock()
		}
	}
	ref := p.Host + "/platypus/webapp:1.0"
	out, stderr, code := cli(t, "", "diff", ref, ref, "--platform", "linux/amd64", "--platform-b", "linux/arm64", "--files", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep output.Diff
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Image == nil || len(rep.Image.Layers.Shared) != 1 || rep.Files == nil || len(rep.Files.Modified) == 0 {
		t.Fatalf("diff: %s", out)
	}
	for path, n := range gets {
		if n > 1 {
			t.Errorf("%s fetched %d times", path, n)
		}
	}
	if len(rep.Platforms) != 3 || rep.Platforms[0].Status != "same" {
		t.Errorf("platforms: %+v", rep.Platforms)
	}
}

// Mirror drift: a copy without referrers lacks what the source has.
func TestDiffShowsMirrorDrift(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	srv := startDemoServer(t)
	src := srv.Host + "/platypus/webapp:1.0"
	copyJSONOut(t, src, srv.Host+"/mirror/webapp:1.0", "--no-referrers")
	out, _, code := cli(t, "", "diff", src, srv.Host+"/mirror/webapp:1.0", "--referrers", "-o", "json")
	var rep output.Diff
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || rep.Referrers == nil || len(rep.Referrers.OnlyA) != 2 || len(rep.Referrers.OnlyB) != 0 {
		t.Errorf("drift: %s", out)
	}
	if rep.A.Digest != rep.B.Digest {
		t.Error("the mirror should hold the same digest")
	}
}

// The layer limits come from the config file; passing one is a clear
// error naming the setting, and a non-zero exit.
func TestLayerLimitsFromTheConfig(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	_ = os.WriteFile(cfg, []byte("limits:\n  layerEntries: 3\n"), 0o600)
	_, stderr, code := cli(t, "", "--config", cfg, "--demo", "files", "platypus/webapp:1.0")
	if code == 0 || !strings.Contains(stderr, "more than 3 entries") || !strings.Contains(stderr, "limits.layerEntries") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	_ = os.WriteFile(cfg, []byte("limits:\n  layerMB: 0\n  pathLength: 10\n"), 0o600)
	_, stderr, code = cli(t, "", "--config", cfg, "--demo", "files", "platypus/webapp:1.0")
	if code != exitUsage || !strings.Contains(stderr, "limits.layerMB") || !strings.Contains(stderr, "limits.pathLength") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// demo serve --bench-files N seeds bench/files:latest with one streamed
// layer of N entries whose digest, size and diff ID hold: files lists them
// all, directories of 999 files each.
func TestBenchFilesSeed(t *testing.T) {
	srv, err := demo.Start(demo.Options{Extra: demo.SeedManyFiles(2500)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	out, stderr, code := cli(t, "", "files", srv.Host+"/"+demo.ManyFilesRepository+":latest", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Layers []struct{ Entries int }
		Files  []struct{ Path, Type string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	dirs := 0
	for _, f := range rep.Files {
		if f.Type == "dir" {
			dirs++
		}
	}
	// usr/share/bench/: dir0/ and 999 files, dir1/ and 999, dir2/ and 499;
	// usr, usr/share and usr/share/bench are implied (no entries).
	if len(rep.Layers) != 1 || rep.Layers[0].Entries != 2500 || len(rep.Files) != 2503 || dirs != 6 {
		t.Errorf("layers %+v, %d files, %d directories", rep.Layers, len(rep.Files), dirs)
	}
	if _, stderr, code := cli(t, "", "copy", srv.Host+"/"+demo.ManyFilesRepository+":latest", "ocidir://"+t.TempDir()+"/copy:latest", "--yes"); code != 0 {
		t.Errorf("copy (every digest checked): exit %d: %s", code, stderr)
	}
}
