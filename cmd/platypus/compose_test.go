package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

func composeEnv(t *testing.T) *demo.Server {
	t.Helper()
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

func composeJSONOut(t *testing.T, args ...string) output.Compose {
	t.Helper()
	out, stderr, code := cli(t, "", append(args, "-o", "json")...)
	if code != 0 {
		t.Fatalf("compose %v: exit %d: %s", args, code, stderr)
	}
	var rep output.Compose
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return rep
}

func digestOf(t *testing.T, ref string) string {
	t.Helper()
	rep := inspectJSON(t, ref, "--platform", "linux/amd64")
	return rep.Digest
}

// The seed story: docker manifest create/push of yorek's latest from its
// linux and windows tags, done by platypus.
func TestComposeMultiarchHelloWorld(t *testing.T) {
	srv := composeEnv(t)
	repo := srv.Host + "/yorek/multiarch-hello-world"
	rep := composeJSONOut(t, "compose", repo+":latest", "--add", repo+":linux", "--add", repo+":windows")
	if rep.PreviousDigest != nil || len(rep.Entries) != 2 || len(rep.Copied) != 0 || rep.DryRun {
		t.Fatalf("compose: %+v", rep)
	}
	linux := inspectJSON(t, repo+":latest", "--platform", "linux/amd64")
	win := inspectJSON(t, repo+":latest", "--platform", "windows/amd64", "--os-version", "10.0.14393.2189")
	if linux.Digest != rep.Digest || linux.MediaType != model.MediaDockerList || linux.Selected == nil || win.Selected == nil || *linux.Selected == *win.Selected {
		t.Errorf("latest does not serve both: %+v / %+v", linux.Selected, win.Selected)
	}
}

// Composing what the tag already holds pushes nothing and journals
// nothing, so the next undo still restores the real previous digest.
func TestComposeUnchangedPushesNothing(t *testing.T) {
	srv := composeEnv(t)
	repo := srv.Host + "/yorek/multiarch-hello-world"
	first := composeJSONOut(t, "compose", repo+":latest", "--add", repo+":linux", "--add", repo+":windows")
	again := composeJSONOut(t, "compose", repo+":latest", "--amend")
	if !again.Unchanged || again.Digest != first.Digest || again.PreviousDigest == nil || *again.PreviousDigest != first.Digest {
		t.Fatalf("unchanged amend: %+v", again)
	}
	out, _, code := cli(t, "", "compose", repo+":latest", "--add", repo+":linux", "--add", repo+":windows", "--yes")
	if code != 0 || !strings.HasPrefix(out, "unchanged: ") {
		t.Fatalf("same entries again: %d %q", code, out)
	}
	// The real previous state is no tag: undo deletes it.
	if out, stderr, code := cli(t, "", "undo", repo+":latest"); code != 0 || !strings.Contains(out, "deleted "+repo+":latest (was "+first.Digest+")") {
		t.Errorf("undo after no-op pushes: %d %s %s", code, out, stderr)
	}
}

func TestComposeDryRunPushesNothing(t *testing.T) {
	srv := composeEnv(t)
	repo := srv.Host + "/yorek/multiarch-hello-world"
	out, _, code := cli(t, "", "compose", repo+":latest", "--add", repo+":linux", "--dry-run")
	if code != 0 || !strings.Contains(out, `"schemaVersion": 2`) || !strings.Contains(out, "+ linux/amd64") || !strings.Contains(out, "nothing pushed") {
		t.Fatalf("dry run: %d\n%s", code, out)
	}
	if _, _, code := cli(t, "", "inspect", repo+":latest"); code != 1 {
		t.Error("a dry run created the tag")
	}
}

func TestComposeAmendRemoveUndo(t *testing.T) {
	srv := composeEnv(t)
	ref := srv.Host + "/library/centos:7"
	before := digestOf(t, ref)
	if _, stderr, code := cli(t, "", "compose", ref, "--amend", "--remove", "linux/386"); code != 1 || !strings.Contains(stderr, "--yes") {
		t.Fatalf("overwrite without --yes: %d %s", code, stderr)
	}
	rep := composeJSONOut(t, "compose", ref, "--amend", "--remove", "linux/386", "--annotation", "org.opencontainers.image.version=7", "--yes")
	if rep.PreviousDigest == nil || *rep.PreviousDigest != before || len(rep.Entries) != 4 || len(rep.Diff.Removed) != 1 {
		t.Fatalf("amend: %+v", rep)
	}
	after := inspectJSON(t, ref, "--platform", "linux/386")
	if after.Digest == before || after.Selected != nil || after.Annotations["org.opencontainers.image.version"] != "7" || after.MediaType != model.MediaDockerList {
		t.Fatalf("after amend: %+v", after)
	}
	out, stderr, code := cli(t, "", "undo", ref)
	if code != 0 || !strings.Contains(out, "restored") {
		t.Fatalf("undo: %d %s %s", code, out, stderr)
	}
	if got := digestOf(t, ref); got != before {
		t.Errorf("undo left %s, want %s", got, before)
	}
}

func TestComposeMediaTypeAndValidation(t *testing.T) {
	srv := composeEnv(t)
	repo := srv.Host + "/platypus/webapp"
	rep := composeJSONOut(t, "compose", repo+":docker", "--add", repo+":1.0", "--remove", "linux/arm/v7", "--media-type", "docker")
	got := inspectJSON(t, repo+":docker")
	if got.MediaType != model.MediaDockerList || rep.Digest != got.Digest {
		t.Errorf("media type: %s", got.MediaType)
	}
	warned := false
	for _, is := range rep.Issues {
		if strings.Contains(is.Message, "OCI manifest in a Docker manifest list") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no media type warning: %+v", rep.Issues)
	}
	// Duplicate platforms block the push.
	_, stderr, code := cli(t, "", "compose", repo+":dup", "--add", repo+":1.0", "--add", repo+":1.0")
	if code != 1 || !strings.Contains(stderr, "duplicate platform") || !strings.Contains(stderr, "nothing was pushed") {
		t.Errorf("duplicates: %d %s", code, stderr)
	}
	// Removing the arm/v7 image leaves its attestation orphaned: a warning.
	out, stderr, _ := cli(t, "", "compose", repo+":orphans", "--add", repo+":1.0", "--remove", "linux/arm/v7", "--dry-run")
	if !strings.Contains(stderr, "no longer in the index") {
		t.Errorf("orphan attestation not flagged: %s %s", out, stderr)
	}
}

// Copy mysql:8's two platforms from the demo registry into a distribution
// registry and publish one tag there.
func TestComposeAcrossRegistries(t *testing.T) {
	srv := composeEnv(t)
	d := regtest.StartDistribution(t, regtest.DistributionOptions{})
	dst := d.Host + "/team/mysql:8"
	rep := composeJSONOut(t, "compose", dst, "--add", srv.Host+"/library/mysql:8")
	if len(rep.Copied) != 2 || len(rep.Entries) != 2 {
		t.Fatalf("copied %+v", rep.Copied)
	}
	got := inspectJSON(t, dst, "--platform", "linux/arm64/v8", "--all")
	if got.Selected == nil || got.Entries[1].CompressedSize == nil || *got.Entries[1].CompressedSize == 0 {
		t.Fatalf("published index incomplete: %+v", got)
	}
}

// A failure anywhere before the index is written leaves the tag as it was.
func TestFailedPushLeavesTagUnchanged(t *testing.T) {
	srv := composeEnv(t)
	p := regtest.NewFaultProxy(t, srv.Host)
	ref := p.Host + "/library/centos:7"
	before := digestOf(t, ref)
	for name, match := range map[string]func(*http.Request) bool{
		"index PUT": func(r *http.Request) bool {
			return r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/manifests/7")
		},
		"child copy": func(r *http.Request) bool {
			return r.Method != http.MethodGet && r.Method != http.MethodHead && strings.Contains(r.URL.Path, "/library/centos/")
		},
	} {
		t.Run(name, func(t *testing.T) {
			p.Set(regtest.Status503, match, -1, "", 0)
			defer p.Clear()
			_, stderr, code := cli(t, "", "compose", ref, "--amend", "--add", p.Host+"/library/mysql:8", "--remove", "linux/amd64", "--yes")
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if code != 1 || strings.Count(stderr, "platypus: ") != 1 || !strings.HasPrefix(lines[len(lines)-1], "platypus: ") {
				t.Fatalf("exit %d: the error should be one last line:\n%s", code, stderr)
			}
			if got := digestOf(t, ref); got != before {
				t.Errorf("tag moved to %s after a failed push", got)
			}
		})
	}
	c := registry.New(registry.WithPlainHTTP(p.Host))
	if _, err := c.Head(context.Background(), model.Reference{Registry: p.Host, Repository: "library/centos", Tag: "7"}); err != nil {
		t.Fatal(err)
	}
}

// undo --list shows the history as a table and JSON; a second undo goes
// further back; undo refuses (exit 1) after someone else pushed.
func TestUndoHistoryFromTheCommandLine(t *testing.T) {
	srv := composeEnv(t)
	ref := srv.Host + "/library/centos:7"
	before := digestOf(t, ref)
	first := composeJSONOut(t, "compose", ref, "--amend", "--annotation", "v=1", "--yes")
	composeJSONOut(t, "compose", ref, "--amend", "--annotation", "v=2", "--yes")
	out, _, code := cli(t, "", "undo", ref, "--list")
	if code != 0 || strings.Count(out, "completed") != 2 || !strings.Contains(out, "ACTION") {
		t.Fatalf("--list: %d\n%s", code, out)
	}
	out, _, _ = cli(t, "", "undo", ref, "--list", "-o", "json")
	var h output.History
	if err := json.Unmarshal([]byte(out), &h); err != nil || len(h.Changes) != 2 || h.Changes[0].State != "completed" || h.Damage == nil {
		t.Fatalf("--list -o json: %v\n%s", err, out)
	}
	for _, want := range []string{first.Digest, before} {
		out, stderr, code := cli(t, "", "undo", ref, "-o", "json")
		var res map[string]any
		_ = json.Unmarshal([]byte(out), &res)
		if code != 0 || res["digest"] != want || res["time"] == nil || res["action"] != "undo" {
			t.Fatalf("undo: %d %s %s", code, out, stderr)
		}
	}
	if _, stderr, code := cli(t, "", "undo", ref); code != 1 || !strings.Contains(stderr, "no change") {
		t.Errorf("a third undo: %d %s", code, stderr)
	}
	// Someone else pushes (another journal): undo refuses, --force does it.
	third := composeJSONOut(t, "compose", ref, "--amend", "--annotation", "v=3", "--yes")
	ours := os.Getenv("XDG_STATE_HOME")
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	composeJSONOut(t, "compose", ref, "--amend", "--annotation", "v=outside", "--yes")
	t.Setenv("XDG_STATE_HOME", ours)
	if _, stderr, code := cli(t, "", "undo", ref); code != 1 || !strings.Contains(stderr, "--force") {
		t.Errorf("undo over an outside push: %d %s", code, stderr)
	}
	if out, stderr, code := cli(t, "", "undo", ref, "--force"); code != 0 || !strings.Contains(out, "restored") || digestOf(t, ref) != before {
		t.Errorf("--force: %d %s %s (third %s)", code, out, stderr, third.Digest)
	}
}

// Without a private state directory, compose refuses to push instead of
// journaling somewhere shared; a dry run still works.
func TestComposeRefusesWithoutAStateDirectory(t *testing.T) {
	srv := composeEnv(t)
	t.Setenv("XDG_STATE_HOME", "")
	t.Setenv("HOME", "")
	ref := srv.Host + "/library/centos:7"
	before := digestOf(t, ref)
	_, stderr, code := cli(t, "", "compose", ref, "--amend", "--annotation", "v=1", "--yes")
	if code != 1 || !strings.Contains(stderr, "state directory") || !strings.Contains(stderr, "nothing was pushed") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	if digestOf(t, ref) != before {
		t.Error("pushed without a journal")
	}
	if _, stderr, code := cli(t, "", "compose", ref, "--amend", "--annotation", "v=1", "--dry-run"); code != 0 {
		t.Errorf("dry run: %d %s", code, stderr)
	}
}

// compose --amend with no edit is the tag itself: unchanged, its digest,
// nothing journaled.
func TestComposeAmendWithoutEditsIsUnchanged(t *testing.T) {
	srv := composeEnv(t)
	ref := srv.Host + "/library/centos:7"
	before := digestOf(t, ref)
	rep := composeJSONOut(t, "compose", ref, "--amend", "--yes")
	if !rep.Unchanged || rep.Digest != before || len(rep.Diff.Added)+len(rep.Diff.Removed)+len(rep.Diff.Changed) != 0 || rep.MediaTypeReason != "kept from the amended index" {
		t.Errorf("no-op amend: %+v", rep)
	}
	if out, _, _ := cli(t, "", "undo", ref, "--list"); !strings.Contains(out, "has not changed") {
		t.Errorf("a no-op amend was journaled:\n%s", out)
	}
	// unchanged is a fact about the content: a dry run says it too.
	dry := composeJSONOut(t, "compose", ref, "--amend", "--dry-run")
	if !dry.Unchanged || dry.Digest != before || dry.PreviousDigest == nil || *dry.PreviousDigest != before {
		t.Errorf("dry run of a no-op amend: unchanged %v, %s", dry.Unchanged, dry.Digest)
	}
	if out, _, _ := cli(t, "", "compose", ref, "--amend", "--dry-run"); !strings.Contains(out, "unchanged: "+ref+" already holds it") {
		t.Errorf("dry run text:\n%s", out)
	}
	if edited := composeJSONOut(t, "compose", ref, "--amend", "--remove", "linux/386", "--dry-run"); edited.Unchanged {
		t.Errorf("an edit is not unchanged: %+v", edited)
	}
}

// A new index says which media type it got and why; annotations on a
// Docker manifest list are warned about.
func TestComposeSaysWhyItsMediaType(t *testing.T) {
	srv := composeEnv(t)
	repo := srv.Host + "/yorek/multiarch-hello-world"
	_, stderr, code := cli(t, "", "compose", repo+":new", "--add", repo+":linux", "--add", repo+":windows", "--annotation", "a=b", "--dry-run")
	if code != 0 || !strings.Contains(stderr, "media type: Docker manifest list (every child is a Docker v2 manifest") ||
		!strings.Contains(stderr, "a Docker manifest list has no annotations in its schema") {
		t.Errorf("exit %d:\n%s", code, stderr)
	}
}

// compose and undo work on an OCI layout as on a registry.
func TestComposeIntoAnOCILayout(t *testing.T) {
	srv := composeEnv(t)
	dir := t.TempDir()
	target := "ocidir://" + dir + ":latest"
	rep := composeJSONOut(t, "compose", target, "--add", srv.Host+"/yorek/multiarch-hello-world:linux", "--add", srv.Host+"/yorek/multiarch-hello-world:windows")
	if len(rep.Entries) != 2 || len(rep.Copied) != 2 {
		t.Fatalf("compose into a layout: %+v", rep)
	}
	got := inspectJSON(t, target, "--platform", "windows/amd64", "--os-version", "10.0.17763.1")
	if got.Digest != rep.Digest || got.Selected == nil {
		t.Errorf("the layout holds %s, selected %v", got.Digest, got.Selected)
	}
}

// The demo keeps one name in the journal across runs (each picks a new
// port): a later run finds a change an earlier one made, and says
// honestly that its own demo, rebuilt from the seed, no longer holds it.
func TestDemoUndoFindsAnEarlierRunsChange(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	first := composeJSONOut(t, "--demo", "compose", "library/centos:7", "--amend", "--annotation", "v=1", "--yes")
	if first.PreviousDigest == nil {
		t.Fatal("amend of centos:7 has no previous digest")
	}
	seeded := *first.PreviousDigest
	out, _, code := cli(t, "", "--demo", "undo", "library/centos:7", "--list", "-o", "json")
	var h output.History
	if err := json.Unmarshal([]byte(out), &h); code != 0 || err != nil || h.Reference != "demo://library/centos:7" || len(h.Changes) != 1 || h.Changes[0].Digest != first.Digest {
		t.Fatalf("--list in a later run: exit %d %v\n%s", code, err, out)
	}
	_, stderr, code := cli(t, "", "--demo", "undo", "library/centos:7")
	if code != 1 || !strings.Contains(stderr, "already holds "+model.ShortDigest(seeded)+", what undo would restore") || !strings.Contains(stderr, "rebuilt from its seed in every run") {
		t.Errorf("undo in a later run: exit %d %s", code, stderr)
	}
	_, stderr, code = cli(t, "", "undo")
	if code != 1 || !strings.Contains(stderr, "demo://library/centos:7") || !strings.Contains(stderr, "--demo") {
		t.Errorf("undo without --demo: exit %d %s", code, stderr)
	}
	journal, _ := os.ReadFile(filepath.Join(state, "platypus", "journal.jsonl"))
	if !strings.Contains(string(journal), "demo://library/centos:7") || strings.Contains(string(journal), "127.0.0.1") {
		t.Errorf("the journal names the demo by its port:\n%s", journal)
	}
}
