package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/registry/regtest"
)

// pushTars pushes an image of the given tar layers (gzip) as
// host/repo:tag and says its reference.
func pushTars(t *testing.T, host, repo, tag string, layers ...[]regtest.TarItem) string {
	t.Helper()
	var blobs []regtest.Blob
	for _, items := range layers {
		blobs = append(blobs, pushLayer(t, host, repo, "application/vnd.oci.image.layer.v1.tar+gzip", regtest.Gzip(t, regtest.Tar(t, items...)), nil))
	}
	pushLayers(t, host, repo+":"+tag, blobs...)
	return host + "/" + repo + ":" + tag
}

type fidelityReport struct {
	Files []struct {
		Path, Type, LinkTarget, Digest, Change string
		Mode, Layer                            int
		Implied                                bool
	}
}

func listFilesJSON(t *testing.T, args ...string) fidelityReport {
	t.Helper()
	out, stderr, code := cli(t, "", append([]string{"files", "-o", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("files %v: exit %d: %s", args, code, stderr)
	}
	var rep fidelityReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

func (r fidelityReport) line() string {
	var out []string
	for _, f := range r.Files {
		s := f.Path + ":" + f.Type
		if f.Implied {
			s += ":implied"
		}
		if f.Change != "" {
			s += ":" + f.Change
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func sha256Of(s string) string {
	h := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(h[:])
}

// The fidelity defects of issue 21 that files, cat and diff show: an
// opaque marker at the root (2), a path twice in a layer (3), hard links
// compared by their bytes (4), directories only implied (8), and
// --layer -1 (10).
func TestFilesFidelity(t *testing.T) {
	srv := startDemoServer(t)
	h := srv.Host

	root := pushTars(t, h, "test/fidelity", "root",
		[]regtest.TarItem{{Name: "a.txt", Body: "a"}, {Name: "dir/"}, {Name: "dir/b.txt", Body: "b"}},
		[]regtest.TarItem{{Name: "./.wh..wh..opq"}, {Name: "c.txt", Body: "c"}})
	if got := listFilesJSON(t, root).line(); got != "c.txt:file" {
		t.Errorf("under a root opaque marker: %s", got)
	}
	if got := listFilesJSON(t, root, "--layer", "1").line(); got != "a.txt:file:removed c.txt:file:added dir:dir:removed dir/b.txt:file:removed" {
		t.Errorf("the root opaque layer's changes: %s", got)
	}
	if _, stderr, code := cli(t, "", "cat", root, "a.txt"); code == 0 || !strings.Contains(stderr, "no such file") {
		t.Errorf("cat of a file a root opaque marker hides: exit %d %s", code, stderr)
	}

	twice := pushTars(t, h, "test/fidelity", "twice",
		[]regtest.TarItem{{Name: "etc/conf", Body: "first"}, {Name: "etc/conf", Body: "last"}})
	if out, stderr, code := cli(t, "", "cat", twice, "etc/conf"); code != 0 || out != "last" {
		t.Errorf("cat of a path twice in a layer: %q exit %d %s", out, code, stderr)
	}
	if got := listFilesJSON(t, twice, "--layer", "0").line(); got != "etc:dir:implied:added etc/conf:file:added" {
		t.Errorf("a path twice in a layer's changes: %s", got)
	}
	if out, _, _ := cli(t, "", "files", twice, "--layer", "0"); strings.Count(out, "conf") != 1 {
		t.Errorf("the table lists a path twice:\n%s", out)
	}

	perl := func(tag, body string) string {
		return pushTars(t, h, "test/fidelity", tag, []regtest.TarItem{{Name: "usr/bin/perl", Body: body}, {Name: "usr/bin/perl5.36.0 => usr/bin/perl"},
			{Name: "opt/implicit/file", Body: "x"}})
	}
	amd, arm := perl("amd64", "perl for amd64"), perl("arm64", "perl for arm64")
	rep := listFilesJSON(t, amd)
	if got := rep.line(); got != "opt:dir:implied opt/implicit:dir:implied opt/implicit/file:file usr:dir:implied usr/bin:dir:implied usr/bin/perl:file usr/bin/perl5.36.0:hardlink" {
		t.Errorf("listing: %s", got)
	}
	for _, f := range rep.Files {
		if f.Implied && f.Mode != 0o755 {
			t.Errorf("%s: an implied directory of mode %o", f.Path, f.Mode)
		}
		if f.Type == "hardlink" && (f.Digest != sha256Of("perl for amd64") || f.LinkTarget != "usr/bin/perl") {
			t.Errorf("hard link %+v", f)
		}
	}
	out, stderr, code := cli(t, "", "diff", amd, arm, "--files", "-o", "json")
	var d struct {
		Files struct{ Modified []struct{ Path string } }
	}
	_ = json.Unmarshal([]byte(out), &d)
	if code != 0 || len(d.Files.Modified) != 2 || d.Files.Modified[1].Path != "usr/bin/perl5.36.0" {
		t.Errorf("diff --files of hard links to other bytes: exit %d %s\n%s", code, stderr, out)
	}

	for _, args := range [][]string{{"--layer", "-1"}, {"--layer", "-1", "-o", "json"}, {"--layer=-7"}} {
		if out, stderr, code := cli(t, "", append([]string{"files", amd}, args...)...); code != exitUsage || !strings.Contains(stderr, "layers count from 0") || out != "" {
			t.Errorf("files %v: exit %d %q %s", args, code, out, stderr)
		}
	}
}

// diff --files lists a directory only implied by the paths under it as
// files -o json does (issue 21, defect 8): the containers of two images
// differ by it when one has it and the other not, in JSON and in the tree.
func TestDiffFilesImpliedDirectories(t *testing.T) {
	srv := startDemoServer(t)
	base := []regtest.TarItem{{Name: "opt/"}, {Name: "etc/conf", Body: "c"}}
	a := pushTars(t, srv.Host, "test/fidelity", "base", base)
	b := pushTars(t, srv.Host, "test/fidelity", "edge", base, []regtest.TarItem{{Name: "opt/implicit/deep/file", Body: "x"}})
	out, stderr, code := cli(t, "", "diff", a, b, "--files", "-o", "json")
	var d struct {
		Files struct {
			Added []struct {
				Path    string
				Implied bool
			}
			Removed, Modified []struct{ Path string }
		}
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil || code != 0 {
		t.Fatalf("diff --files -o json: exit %d %v %s\n%s", code, err, stderr, out)
	}
	var added []string
	for _, e := range d.Files.Added {
		s := e.Path
		if e.Implied {
			s += ":implied"
		}
		added = append(added, s)
	}
	if got := strings.Join(added, " "); got != "opt/implicit:implied opt/implicit/deep:implied opt/implicit/deep/file" ||
		len(d.Files.Removed)+len(d.Files.Modified) != 0 {
		t.Errorf("diff --files -o json: added %s, %+v", got, d.Files)
	}
	out, stderr, code = cli(t, "", "diff", a, b, "--files")
	if code != 0 || !strings.Contains(out, "files: 3 added, 0 removed, 0 modified") ||
		!regexp.MustCompile(`(?m)^\+ .* implicit/$`).MatchString(out) || !regexp.MustCompile(`(?m)^\+ .* deep/$`).MatchString(out) {
		t.Errorf("diff --files: exit %d %s\n%s", code, stderr, out)
	}
}
