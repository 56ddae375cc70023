package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/registry/regtest"
)

// With PLATYPUS_TEST_AS_MAIN=1 the test binary is platypus itself, as a
// test has Docker run it as a CLI plugin; this runs before TestMain.
func init() {
	if os.Getenv("PLATYPUS_TEST_AS_MAIN") == "1" {
		main()
	}
}

// Installed as ~/.docker/cli-plugins/docker-platypus, the binary answers
// the Docker CLI's metadata question and takes `docker [docker's global
// flags] platypus ARGS` as `platypus ARGS`.
func TestDockerCLIPlugin(t *testing.T) {
	var buf strings.Builder
	none := func(string) string { return "" }
	if _, handled := pluginArgs("/home/u/.docker/cli-plugins/docker-platypus", []string{"docker-cli-plugin-metadata"}, none, &buf); !handled {
		t.Fatal("the metadata question was not answered")
	}
	var meta map[string]string
	if err := json.Unmarshal([]byte(buf.String()), &meta); err != nil || meta["SchemaVersion"] != "0.1.0" || meta["Vendor"] == "" || meta["ShortDescription"] == "" {
		t.Errorf("metadata %q: %v", buf.String(), err)
	}
	// docker help lists the version after the description: a word, not
	// "dev (built without version control information; …)".
	if v := meta["Version"]; v == "" || strings.ContainsAny(v, " ()") {
		t.Errorf("metadata version %q", v)
	}
	docker := func(k string) string {
		if k == pluginEnv {
			return "/usr/bin/docker"
		}
		return ""
	}
	for _, c := range []struct {
		argv0  string
		env    func(string) string
		args   string
		want   string
		plugin bool
		config string
	}{
		{"docker-platypus", none, "platypus tags x", "tags x", true, ""},
		{"platypus", none, "platypus x", "platypus x", false, ""},
		{"docker-platypus", docker, "--config /c -D platypus tags x", "--debug tags x", true, "/c"},
		{"docker-platypus", docker, "--config=/c --debug=false -H unix:///s --context c --log-level info --tls platypus x", "x", true, "/c"},
		{"docker-platypus", docker, "-c ctx -l debug --tlsverify --tlscacert a --tlscert b --tlskey k platypus", "", true, ""},
		// Run by hand: the arguments are platypus's own.
		{"docker-platypus", none, "--config f.yaml tags x", "--config f.yaml tags x", false, ""},
		{"docker-platypus", docker, "--config f.yaml tags x", "--config f.yaml tags x", false, "f.yaml"},
		{"docker-platypus", docker, "--demo platypus", "--demo platypus", false, ""},
	} {
		call, _ := pluginArgs(c.argv0, strings.Fields(c.args), c.env, &buf)
		if got := strings.Join(call.args, " "); got != c.want || call.plugin != c.plugin || (call.plugin && call.dockerConfig != c.config) {
			t.Errorf("%s %s: %q plugin=%v config=%q, want %q plugin=%v config=%q", c.argv0, c.args, got, call.plugin, call.dockerConfig, c.want, c.plugin, c.config)
		}
	}
}

// TestDockerRunsThePlugin runs platypus as a Docker CLI plugin under a real
// docker CLI ($PLATYPUS_TEST_DOCKER, else docker on PATH; no daemon is
// needed): docker's --config names the Docker config whose login is used,
// -D is --debug, help says `docker platypus`, `docker help` lists a short
// version.
func TestDockerRunsThePlugin(t *testing.T) {
	var clis []string
	if bin := os.Getenv("PLATYPUS_TEST_DOCKER"); bin != "" {
		clis = append(clis, bin)
	}
	if bin, err := exec.LookPath("docker"); err == nil && (len(clis) == 0 || bin != clis[0]) {
		clis = append(clis, bin)
	}
	if len(clis) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("no docker CLI under CI=true: .ci/run unpacks Debian's docker.io")
		}
		t.Skip("no docker CLI (Debian's docker.io has one)")
	}
	d := regtest.StartDistribution(t, regtest.DistributionOptions{TLS: true, Auth: true})
	seedDistribution(t, d)
	home, cfg := t.TempDir(), t.TempDir()
	auth := `{"auths":{"` + d.Host + `":{"auth":"` + base64.StdEncoding.EncodeToString([]byte(d.User+":"+d.Pass)) + `"}}}`
	if err := os.WriteFile(filepath.Join(cfg, "config.json"), []byte(auth), 0o600); err != nil {
		t.Fatal(err)
	}
	plugin := filepath.Join(cfg, "cli-plugins", "docker-platypus")
	copyFile(t, os.Args[0], plugin)
	for _, bin := range clis {
		// Named by version: "Docker version 20.10.24+dfsg1, build 297e128".
		v, _ := exec.Command(bin, "--version").Output()
		name := strings.TrimSuffix(strings.Fields(string(v) + " ? ? ?")[2], ",")
		t.Run(name, func(t *testing.T) {
			runPlugin(t, bin, cfg, home, d)
		})
	}
}

func runPlugin(t *testing.T, bin, cfg, home string, d *regtest.Distribution) {
	docker := func(args ...string) (string, string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "PLATYPUS_TEST_AS_MAIN=1", "HOME="+home, "DOCKER_CONFIG=",
			"XDG_CONFIG_HOME="+home, "XDG_STATE_HOME="+home, "XDG_CACHE_HOME="+home)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		return out.String(), errb.String(), err
	}
	out, stderr, err := docker("--config", cfg, "platypus", "--ca-file", d.CAFile, "tags", d.Host+"/library/centos")
	if err != nil || !strings.Contains(out, "6.6") {
		t.Errorf("docker --config DIR platypus tags: %v\n%s%s", err, out, stderr)
	}
	_, stderr, err = docker("--config", cfg, "-D", "platypus", "--demo", "tags", "library/centos")
	if err != nil || !strings.Contains(stderr, "level=DEBUG") {
		t.Errorf("docker -D platypus: %v, no debug log:\n%s", err, stderr)
	}
	out, _, err = docker("--config", cfg, "platypus", "--help")
	if err != nil || !strings.Contains(out, "Usage:\n  docker platypus [REF] [flags]") {
		t.Errorf("docker platypus --help: %v\n%s", err, out)
	}
	_, stderr, err = docker("--config", cfg, "platypus", "tags")
	if err == nil || !strings.Contains(stderr, "Run 'docker platypus --help' for usage.") {
		t.Errorf("docker platypus tags (no repository): %v\n%s", err, stderr)
	}
	out, _, err = docker("--config", cfg, "help")
	line := ""
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "platypus") {
			line = l
		}
	}
	if err != nil || line == "" || strings.Contains(line, "built without") {
		t.Errorf("docker help: %v, platypus's line %q", err, line)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}
