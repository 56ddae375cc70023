package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

func TestHostileContentNeverReachesCLIOutput(t *testing.T) {
	srv, err := demo.Start(demo.Options{Extra: demo.SeedHostile})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	repo := srv.Host + "/" + demo.HostileRepository
	for _, args := range [][]string{
		{"inspect", repo + ":1.0", "--all"},
		{"inspect", repo + ":1.0", "--all", "-o", "json"},
		{"inspect", repo + ":image", "--all"},
		{"inspect", repo + ":image", "-o", "json"},
		{"tags", repo},
		{"scan", repo, "--platform", "linux/amd64"},
		{"scan", repo, "--platform", "linux/amd64", "-o", "json"},
		{"copy", repo + ":1.0", srv.Host + "/mirror/escape:1.0", "--dry-run"},
	} {
		out, stderr, code := cli(t, "", args...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
		}
		if ctx, bad := model.FirstControl(out + stderr); bad {
			t.Errorf("%v: raw control near %q", args, ctx)
		}
	}
	// JSON carries the raw values (escaped as JSON), and keys that differ
	// only in a hidden character stay two keys.
	out, _, _ := cli(t, "", "inspect", repo+":1.0", "-o", "json")
	var rep output.Inspect
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Annotations["label\x1b[31mred\x1b[0m\x1b[2J"] == "" || rep.Annotations[demo.CollidingKeys[0]] == rep.Annotations[demo.CollidingKeys[1]] {
		t.Errorf("raw annotations lost in JSON:\n%s", out)
	}
	// The table shows them escaped: visible, and distinct.
	out, _, _ = cli(t, "", "inspect", repo+":1.0")
	if !strings.Contains(out, `label\x1b[31mred`) || !strings.Contains(out, demo.CollidingKeys[0]+`\u202e`) {
		t.Errorf("the table hides what the registry sent:\n%s", out)
	}
}

// TestPasswordNeverWritten runs with a known password and --debug, then
// looks for it (and its base64 form) in every output stream and every file
// platypus wrote.
func TestPasswordNeverWritten(t *testing.T) {
	d := regtest.StartDistribution(t, regtest.DistributionOptions{TLS: true, Auth: true})
	seedDistribution(t, d)
	home := t.TempDir()
	for _, v := range []string{"XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"} {
		t.Setenv(v, filepath.Join(home, v))
	}
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	secrets := []string{d.Pass, base64.StdEncoding.EncodeToString([]byte(d.User + ":" + d.Pass))}
	var all strings.Builder
	for _, args := range [][]string{
		{"--debug", "--ca-file", d.CAFile, "--username", d.User, "--password-stdin", "inspect", d.Host + "/library/centos:7", "--all"},
		{"--debug", "--ca-file", d.CAFile, "--username", d.User, "--password-stdin", "tags", d.Host + "/library/centos"},
		{"--debug", "--ca-file", d.CAFile, "--username", d.User, "--password-stdin", "inspect", d.Host + "/library/centos:nope"},
	} {
		out, stderr, _ := cli(t, d.Pass+"\n", args...)
		all.WriteString(out + stderr)
	}
	if !strings.Contains(all.String(), "level=DEBUG") {
		t.Fatal("--debug wrote no debug log: the test would prove nothing")
	}
	_ = filepath.Walk(home, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(p)
			all.Write(b)
		}
		return nil
	})
	for _, s := range secrets {
		if strings.Contains(all.String(), s) {
			t.Errorf("a secret reached the output or a file: %q", s[:4]+"…")
		}
	}
}

// A --ca-file that is missing or holds no certificate is refused at once
// (exit 2), not ignored until a TLS error about something else.
func TestCAFileIsChecked(t *testing.T) {
	garbage := filepath.Join(t.TempDir(), "garbage.pem")
	_ = os.WriteFile(garbage, []byte("not a certificate\n"), 0o600)
	for file, want := range map[string]string{"/nonexistent.pem": "no such file", garbage: "no PEM certificate", t.TempDir(): "not a regular file"} {
		_, stderr, code := cli(t, "", "--demo", "--ca-file", file, "tags", "library/centos")
		if code != exitUsage || !strings.Contains(stderr, "--ca-file "+file) || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d: %s", file, code, stderr)
		}
	}
}
