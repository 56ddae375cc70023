package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// seedDistribution copies the demo's centos repository into d.
func seedDistribution(t *testing.T, d *regtest.Distribution) {
	t.Helper()
	dir := t.TempDir()
	if err := demo.Seed(dir); err != nil {
		t.Fatal(err)
	}
	opts := []registry.Option{registry.WithCAFile(d.CAFile)}
	if d.User != "" {
		opts = append(opts, registry.WithCredentials(d.Host, d.User, d.Pass))
	}
	if d.CAFile == "" {
		opts = opts[1:]
	}
	c := registry.New(opts...)
	for _, tag := range []string{"7", "6.6"} {
		src, _ := model.ParseReference("ocidir://" + dir + "/library/centos:" + tag)
		dst, _ := model.ParseReference(d.Host + "/library/centos:" + tag)
		if _, err := c.Copy(context.Background(), src, dst, registry.CopyOptions{}); err != nil {
			t.Fatalf("seeding %s: %v", dst, err)
		}
	}
}

// dockerConfig writes a Docker config with a login for host and points
// DOCKER_CONFIG at it, as `docker login` would leave it.
func dockerConfig(t *testing.T, host, user, pass string) {
	t.Helper()
	dir := t.TempDir()
	auth := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
	cfg := `{"auths":{"` + host + `":{"auth":"` + auth + `"}}}`
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", dir)
}

func TestDistributionPlainHTTP(t *testing.T) {
	d := regtest.StartDistribution(t, regtest.DistributionOptions{})
	seedDistribution(t, d)
	rep := inspectJSON(t, d.Host+"/library/centos:7", "--platform", "linux/ppc64le")
	if len(rep.Entries) != 5 || rep.Selected == nil || *rep.Selected != rep.Entries[4].Digest {
		t.Fatalf("inspect: %+v", rep)
	}
	out, _, code := cli(t, "", "repos", d.Host, "-o", "json")
	if code != 0 || !strings.Contains(out, "library/centos") {
		t.Errorf("repos: %d %s", code, out)
	}
}

// distribution pages its catalog even without a page size asked (at
// catalog.maxentries, with a Link header): repos follows it to the end.
func TestDistributionCatalogPages(t *testing.T) {
	d := regtest.StartDistribution(t, regtest.DistributionOptions{CatalogMax: 2})
	seedDistribution(t, d)
	c := registry.New()
	src, _ := model.ParseReference(d.Host + "/library/centos:6.6")
	for _, repo := range []string{"a/one", "b/two", "c/three", "d/four"} {
		dst, _ := model.ParseReference(d.Host + "/" + repo + ":1")
		if _, err := c.Copy(context.Background(), src, dst, registry.CopyOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	out, stderr, code := cli(t, "", "repos", d.Host, "-o", "json")
	var got struct{ Repositories []string }
	_ = json.Unmarshal([]byte(out), &got)
	want := []string{"a/one", "b/two", "c/three", "d/four", "library/centos"}
	if code != 0 || !slices.Equal(got.Repositories, want) {
		t.Errorf("repos: exit %d, %v, want %v %s", code, got.Repositories, want, stderr)
	}
}

func TestDistributionAuthTLS(t *testing.T) {
	d := regtest.StartDistribution(t, regtest.DistributionOptions{TLS: true, Auth: true})
	seedDistribution(t, d)
	ref := d.Host + "/library/centos:7"

	t.Run("docker config credentials", func(t *testing.T) {
		dockerConfig(t, d.Host, d.User, d.Pass)
		out, stderr, code := cli(t, "", "--ca-file", d.CAFile, "inspect", ref, "-o", "json")
		var rep output.Inspect
		if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || len(rep.Entries) != 5 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	})
	t.Run("password on stdin", func(t *testing.T) {
		t.Setenv("DOCKER_CONFIG", t.TempDir())
		_, stderr, code := cli(t, d.Pass+"\n", "--ca-file", d.CAFile, "--username", d.User, "--password-stdin", "tags", d.Host+"/library/centos")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		dockerConfig(t, d.Host, d.User, "wrong")
		out, stderr, code := cli(t, "", "--ca-file", d.CAFile, "inspect", ref)
		if code != 1 || !strings.Contains(stderr, "unauthorized for "+d.Host+"/library/centos") || !strings.Contains(stderr, "docker login "+d.Host) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("exit %d stderr %q", code, stderr)
		}
		if strings.Contains(out+stderr, d.Pass) {
			t.Error("the password reached an output stream")
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		dockerConfig(t, d.Host, d.User, d.Pass)
		_, stderr, code := cli(t, "", "inspect", ref)
		if code != 1 || !strings.Contains(stderr, "TLS with "+d.Host+" failed") || !strings.Contains(stderr, "certificate") || !strings.Contains(stderr, "--ca-file FILE") {
			t.Errorf("exit %d stderr %q", code, stderr)
		}
	})
}

// undo of a compose that created a tag, on distribution (which deletes no
// tags): the index goes by digest, nothing else does; on the demo (which
// deletes tags) the tag alone goes.
func TestUndoDeletesACreatedTagFromTheCommandLine(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	d := regtest.StartDistribution(t, regtest.DistributionOptions{})
	seedDistribution(t, d)
	repo := d.Host + "/library/centos"
	before := digestOf(t, repo+":7")
	rep := composeJSONOut(t, "compose", repo+":new", "--add", repo+":7", "--annotation", "made=here", "--yes")
	out, stderr, code := cli(t, "", "undo", repo+":new")
	if code != 0 || !strings.Contains(out, "deleted "+repo+":new (was "+rep.Digest+"), as before platypus created it: its manifest by digest") {
		t.Fatalf("undo: exit %d, %s %s", code, out, stderr)
	}
	out, _, _ = cli(t, "", "tags", repo, "-o", "json")
	if strings.Contains(out, `"new"`) || digestOf(t, repo+":7") != before {
		t.Errorf("after undo: %s", out)
	}
	out, _, _ = cli(t, "", "undo", repo+":new", "--list")
	if !strings.Contains(out, "(deleted)") || !strings.Contains(out, "completed, undone") {
		t.Errorf("history:\n%s", out)
	}

	srv := composeEnv(t)
	demoRepo := srv.Host + "/yorek/multiarch-hello-world"
	composeJSONOut(t, "compose", demoRepo+":latest", "--add", demoRepo+":linux", "--yes")
	out, _, _ = cli(t, "", "undo", demoRepo+":latest", "-o", "json")
	var res map[string]any
	if err := json.Unmarshal([]byte(out), &res); err != nil || res["digest"] != "" || res["deleted"] != "tag" {
		t.Errorf("undo -o json on the demo: %v %s", err, out)
	}
}
