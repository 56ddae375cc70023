package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

func copyJSONOut(t *testing.T, args ...string) output.Copy {
	t.Helper()
	out, stderr, code := cli(t, "", append(append([]string{"copy"}, args...), "-o", "json")...)
	if code != 0 {
		t.Fatalf("copy %v: exit %d: %s", args, code, stderr)
	}
	var rep output.Copy
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return rep
}

// skopeoDigest is the digest skopeo reports for ref: an oracle that is
// not platypus.
func skopeoDigest(t *testing.T, ref string) string {
	t.Helper()
	out, err := exec.Command("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://"+ref).Output()
	if err != nil {
		t.Fatalf("skopeo inspect %s: %v", ref, err)
	}
	sum := exec.Command("sha256sum")
	sum.Stdin = strings.NewReader(string(out))
	s, err := sum.Output()
	if err != nil {
		t.Fatal(err)
	}
	return "sha256:" + strings.Fields(string(s))[0]
}

// The seed story: one tag, every platform, signatures included, from one
// registry into Debian's distribution registry — same digest, same
// referrers, then an arm64-only copy that keeps the index's annotations.
func TestCopyIntoDistribution(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	d := regtest.StartDistribution(t, regtest.DistributionOptions{})
	srv := startDemoServer(t)
	src := srv.Host + "/platypus/webapp:1.0"
	dst := d.Host + "/mirror/webapp:1.0"
	rep := copyJSONOut(t, src, dst)
	if !rep.Identical || rep.Digest != rep.SourceDigest || rep.PreviousDigest != nil || rep.Referrers != 2 {
		t.Fatalf("copy: %+v", rep)
	}
	if _, err := exec.LookPath("skopeo"); err == nil {
		if got := skopeoDigest(t, dst); got != rep.SourceDigest {
			t.Errorf("skopeo sees %s at the copy, the source is %s", got, rep.SourceDigest)
		}
	} else if os.Getenv("CI") == "true" {
		t.Fatal("skopeo is missing under CI")
	}
	c := registry.New(registry.WithPlainHTTP(srv.Host, d.Host))
	for _, digest := range []string{rep.SourceDigest, inspectJSON(t, src).Entries[0].Digest} {
		want, _ := c.Referrers(context.Background(), ref(t, src).WithDigest(digest))
		got, err := c.Referrers(context.Background(), ref(t, dst).WithDigest(digest))
		if err != nil || len(got) != len(want) || len(want) == 0 {
			t.Errorf("%s: %d referrers at the copy, %d at the source (%v)", digest[:19], len(got), len(want), err)
		}
	}
	// --platform keeps the index's annotations and says the digest changed.
	arm := copyJSONOut(t, src, d.Host+"/mirror/webapp:arm64", "--platform", "linux/arm64")
	got := inspectJSON(t, d.Host+"/mirror/webapp:arm64")
	if arm.Identical || len(got.Entries) != 2 || got.Annotations["org.opencontainers.image.version"] != "1.0" {
		t.Errorf("filtered copy: %+v, %d entries, annotations %v", arm, len(got.Entries), got.Annotations)
	}
	out, _, _ := cli(t, "", "copy", src, d.Host+"/mirror/webapp:arm64b", "--platform", "linux/arm64", "--dry-run")
	if !strings.Contains(out, "keeps only linux/arm64") || !strings.Contains(out, "do not apply") || !strings.Contains(out, "nothing written") {
		t.Errorf("dry run:\n%s", out)
	}
	// Overwriting needs --yes without a terminal.
	if _, stderr, code := cli(t, "", "copy", srv.Host+"/platypus/webapp:1.0", d.Host+"/mirror/webapp:arm64"); code != 1 || !strings.Contains(stderr, "--yes") {
		t.Errorf("overwrite without --yes: %d %s", code, stderr)
	}
	// An OCI layout as the target, and undo of a copy.
	layout := "ocidir://" + t.TempDir() + ":1.0"
	if rep := copyJSONOut(t, src, layout); !rep.Identical {
		t.Errorf("copy into a layout: %+v", rep)
	}
	copyJSONOut(t, src, d.Host+"/mirror/webapp:arm64", "--yes")
	if _, _, code := cli(t, "", "undo", d.Host+"/mirror/webapp:arm64"); code != 0 || inspectJSON(t, d.Host+"/mirror/webapp:arm64").Digest != arm.Digest {
		t.Errorf("undo of a copy: exit %d", code)
	}
}

func startDemoServer(t *testing.T) *demo.Server {
	t.Helper()
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// TestHelperProcess is platypus run as a child process by other tests.
func TestHelperProcess(t *testing.T) {
	args := os.Getenv("PLATYPUS_HELPER_ARGS")
	if args == "" {
		t.Skip("only as a child process")
	}
	var a []string
	_ = json.Unmarshal([]byte(args), &a)
	os.Exit(run(context.Background(), a, os.Stdin, os.Stdout, os.Stderr))
}

// kill -9 in the middle of a copy leaves the target tag as it was.
func TestKilledCopyLeavesTheTagAlone(t *testing.T) {
	a, b := startDemoServer(t), startDemoServer(t)
	p := regtest.NewFaultProxy(t, b.Host)
	dst := p.Host + "/library/centos:7"
	before := digestOf(t, dst)
	// Blob uploads hang, so the copy is caught mid-way.
	p.Set(regtest.Slow, func(r *http.Request) bool { return r.Method == http.MethodPost }, -1, "", time.Hour)
	args, _ := json.Marshal([]string{"copy", a.Host + "/platypus/webapp:1.0", dst, "--yes"})
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "PLATYPUS_HELPER_ARGS="+string(args), "XDG_STATE_HOME="+t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for p.Faulted.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if p.Faulted.Load() == 0 {
		_ = cmd.Process.Kill()
		t.Fatal("the copy never reached the blob uploads")
	}
	_ = cmd.Process.Kill() // SIGKILL: no cleanup runs
	_ = cmd.Wait()
	p.Clear()
	if got := digestOf(t, dst); got != before {
		t.Errorf("the tag moved to %s after kill -9", got)
	}
}

func ref(t *testing.T, s string) model.Reference {
	t.Helper()
	r, err := model.ParseReference(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
