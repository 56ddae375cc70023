package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// The index `crane index append` wrote (recorded in model/testdata), pushed
// beside the images it lists: inspect --all calls both entries images and
// turns the other platform's down for its architecture, not as an
// artifact (issue 21, defect 1).
func TestInspectCraneIndex(t *testing.T) {
	isolateHome(t)
	srv := startDemoServer(t)
	dir := filepath.Join("..", "..", "model", "testdata", "indexes", "crane-append")
	var rec struct{ Root string }
	b, err := os.ReadFile(filepath.Join(dir, "recorded.json"))
	if err == nil {
		err = json.Unmarshal(b, &rec)
	}
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "blobs", strings.Replace(rec.Root, ":", "-", 1)+".json"))
	if err != nil {
		t.Fatal(err)
	}
	regtest.PushRawManifest(t, srv.Host, "platypus/webapp", "crane", model.MediaOCIIndex, raw)
	ref := srv.Host + "/platypus/webapp:crane"
	for _, target := range []string{"linux/amd64", "linux/arm64"} {
		rep := inspectJSON(t, ref, "--all", "--platform", target)
		if len(rep.Entries) != 2 {
			t.Fatalf("%d entries", len(rep.Entries))
		}
		for _, e := range rep.Entries {
			own := e.Platform.Architecture == strings.TrimPrefix(target, "linux/")
			why := strings.Join(e.Reasons, "; ")
			if e.Kind != string(model.KindImage) || e.ArtifactType != model.MediaOCIConfig || e.Layers == nil {
				t.Errorf("for %s: %s entry is %s (artifactType %q, %d layers)", target, e.Platform.Architecture, e.Kind, e.ArtifactType, len(e.Layers))
			}
			if own != (e.Match == "selected") || strings.Contains(why, "artifact") || (!own && !strings.Contains(why, "architecture is")) {
				t.Errorf("for %s: %s entry %s: %s", target, e.Platform.Architecture, e.Match, why)
			}
		}
	}
	out, stderr, code := cli(t, "", "inspect", ref, "--all", "--platform", "linux/arm64")
	if code != 0 || strings.Contains(out, "artifact") || !strings.Contains(out, "image") {
		t.Errorf("inspect --all (exit %d %s):\n%s", code, stderr, out)
	}
}

// files, cat and diff on a tag that exists but has no entry for the
// platform say what copy says: no entry for it, Docker's line, exit 1
// (issue 21, defect 9; they said "resolve: … not found").
func TestNoEntryForPlatformSaysWhatCopySays(t *testing.T) {
	isolateHome(t)
	srv := startDemoServer(t)
	old, newer := srv.Host+"/library/mysql:5.7", srv.Host+"/library/mysql:8"
	_, want, code := cli(t, "", "copy", old, srv.Host+"/library/mysql:x", "--platform", "linux/arm64", "--dry-run")
	if code != exitFailure || !strings.Contains(want, "no entry for linux/arm64: no matching manifest for linux/arm64 in the manifest list entries") {
		t.Fatalf("copy: exit %d: %s", code, want)
	}
	for name, args := range map[string][]string{
		"files":      {"files", old},
		"files json": {"files", old, "-o", "json"},
		"cat":        {"cat", old, "/etc/passwd"},
		"diff A":     {"diff", old, newer, "--files"},
		"diff B":     {"diff", newer, old},
	} {
		out, stderr, code := cli(t, "", append(args, "--platform", "linux/arm64")...)
		if code != exitFailure || stderr != want || out != "" {
			t.Errorf("%s: exit %d, stdout %q\nstderr %q\nwant   %q", name, code, out, stderr, want)
		}
	}
	// The tag itself missing is still "not found".
	if _, stderr, code := cli(t, "", "files", srv.Host+"/library/mysql:nope", "--platform", "linux/arm64"); code != exitFailure || !strings.Contains(stderr, "not found") {
		t.Errorf("missing tag: exit %d: %s", code, stderr)
	}
}

// A buildx attestation manifest opened by digest has an image config and
// in-toto statements for layers: containerd unpacks nothing, so files says
// it has no filesystem instead of reading JSON as a tar.
func TestFilesOnAnAttestationManifest(t *testing.T) {
	isolateHome(t)
	srv := startDemoServer(t)
	rep := inspectJSON(t, srv.Host+"/platypus/webapp:1.0")
	for _, e := range rep.Entries {
		if e.Kind != string(model.KindAttestation) {
			continue
		}
		_, stderr, code := cli(t, "", "files", srv.Host+"/platypus/webapp@"+e.Digest)
		if code != exitFailure || !strings.Contains(stderr, "an artifact has no filesystem") {
			t.Errorf("files on attestation %s: exit %d: %s", model.ShortDigest(e.Digest), code, stderr)
		}
		return
	}
	t.Fatal("no attestation in platypus/webapp:1.0")
}
