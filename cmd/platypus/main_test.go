package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// cli runs platypus with args and returns stdout, stderr and the exit code.
func cli(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func inspectJSON(t *testing.T, args ...string) output.Inspect {
	t.Helper()
	out, stderr, code := cli(t, "", append([]string{"inspect", "-o", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep output.Inspect
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	return rep
}

func TestInspectCentos7HasFivePlatforms(t *testing.T) {
	rep := inspectJSON(t, "--demo", "library/centos:7", "--platform", "linux/amd64")
	var got []string
	for _, e := range rep.Entries {
		got = append(got, e.Platform.OS+"/"+e.Platform.Architecture+"/"+e.Platform.Variant)
	}
	want := "linux/amd64/ linux/arm/v7 linux/arm64/v8 linux/386/ linux/ppc64le/"
	if strings.Join(got, " ") != want {
		t.Errorf("platforms = %v", got)
	}
	if rep.Selected == nil || *rep.Selected != rep.Entries[0].Digest || rep.Entries[0].Match != "selected" {
		t.Errorf("amd64 should be selected: %+v", rep.Selected)
	}
	if rep.Entries[3].Match != "compatible" || rep.Entries[3].Rank == nil || *rep.Entries[3].Rank != 2 {
		t.Errorf("386 should be compatible #2: %+v", rep.Entries[3])
	}
	if rep.Kind != "index" || !strings.HasSuffix(rep.Reference, "/library/centos:7") || rep.MediaType == "" || rep.Digest == "" {
		t.Errorf("header fields: %+v", rep)
	}
}

func TestInspectJSONFieldNames(t *testing.T) {
	out, _, code := cli(t, "", "--demo", "inspect", "-o", "json", "hello-world:nanoserver", "--platform", "windows/amd64", "--os-version", "10.0.17763.615")
	if code != 0 {
		t.Fatal(code)
	}
	for _, field := range []string{`"reference"`, `"digest"`, `"mediaType"`, `"entries"`, `"size"`, `"kind"`, `"platform"`,
		`"os"`, `"architecture"`, `"variant"`, `"os.version"`, `"os.features"`, `"annotations"`, `"selected"`, `"match"`, `"rank"`, `"reasons"`} {
		if !strings.Contains(out, field) {
			t.Errorf("JSON lacks %s", field)
		}
	}
}

func TestInspectSeedStories(t *testing.T) {
	tests := []struct {
		name, ref, platform, osVersion string
		found                          bool
		dockerError                    string
	}{
		{"centos 6.6 on arm64", "centos:6.6", "linux/arm64/v8", "", false, "no matching manifest for linux/arm64/v8 in the manifest list entries"},
		{"mysql 5.7 on an Apple-silicon Mac", "mysql:5.7", "linux/arm64/v8", "", false, "no matching manifest for linux/arm64/v8 in the manifest list entries"},
		{"mysql 8 on an Apple-silicon Mac", "mysql:8", "linux/arm64/v8", "", true, ""},
		{"hello-world nanoserver on Server 2016", "hello-world:nanoserver", "windows/amd64", "10.0.14393.2068", false, "windows(10.0.14393)/amd64"},
		{"hello-world nanoserver-sac2016 on Server 2016", "hello-world:nanoserver-sac2016", "windows/amd64", "10.0.14393.2068", true, ""},
		{"artiomchi latest on 1709", "artiomchi/helloworld:latest", "windows/amd64", "10.0.16299.248", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"--demo", tt.ref, "--platform", tt.platform}
			if tt.osVersion != "" {
				args = append(args, "--os-version", tt.osVersion)
			}
			rep := inspectJSON(t, args...)
			if (rep.Selected != nil) != tt.found {
				t.Fatalf("selected = %v, want found=%v", rep.Selected, tt.found)
			}
			if !strings.Contains(rep.DockerError, tt.dockerError) {
				t.Errorf("dockerError = %q, want %q", rep.DockerError, tt.dockerError)
			}
		})
	}
}

func TestFailOnNoMatchExitCode(t *testing.T) {
	_, stderr, code := cli(t, "", "--demo", "inspect", "mysql:5.7", "--platform", "linux/arm64/v8", "--fail-on-no-match")
	if code != exitNoMatch || !strings.Contains(stderr, "linux/arm64/v8") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if _, _, code := cli(t, "", "--demo", "inspect", "mysql:8", "--platform", "linux/arm64/v8", "--fail-on-no-match"); code != 0 {
		t.Errorf("mysql:8 on arm64 exit %d", code)
	}
	if _, _, code := cli(t, "", "--demo", "inspect", "mysql:5.7", "--platform", "linux/arm64/v8"); code != 0 {
		t.Errorf("without the flag a no-match is exit 0, got %d", code)
	}
}

func TestInspectTable(t *testing.T) {
	out, _, code := cli(t, "", "--demo", "inspect", "centos:6.6", "--platform", "linux/arm64/v8")
	if code != 0 {
		t.Fatal(code)
	}
	for _, want := range []string{"PLATFORM", "linux/amd64", "incompatible: architecture is amd64", "docker pull would fail:", "no matching manifest for linux/arm64/v8"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestInspectAllAndSingleImage(t *testing.T) {
	rep := inspectJSON(t, "--demo", "--all", "platypus/webapp:1.0", "--platform", "linux/arm64")
	e := rep.Entries[1]
	if e.CompressedSize == nil || len(e.Layers) != 3 || e.Created == "" || e.SharedLayers == nil || *e.SharedLayers != 1 {
		t.Errorf("--all entry: %+v", e)
	}
	if rep.Entries[3].Kind != "attestation" || rep.Entries[3].Match != "incompatible" {
		t.Errorf("attestation entry: %+v", rep.Entries[3])
	}
	single := inspectJSON(t, "--demo", "yorek/multiarch-hello-world:windows", "--platform", "windows/amd64", "--os-version", "10.0.14393.2189")
	if len(single.Entries) != 1 || single.Entries[0].Platform.OS != "windows" || single.Selected == nil {
		t.Errorf("single image: %+v", single)
	}
}

func TestTagsAndRepos(t *testing.T) {
	out, _, code := cli(t, "", "--demo", "tags", "library/hello-world", "-o", "json")
	var tags output.Tags
	if code != 0 || json.Unmarshal([]byte(out), &tags) != nil || len(tags.Tags) != 7 {
		t.Fatalf("tags: %d %s", code, out)
	}
	out, _, code = cli(t, "", "--demo", "repos", "-o", "json")
	var repos output.Repos
	if code != 0 || json.Unmarshal([]byte(out), &repos) != nil || len(repos.Repositories) != 9 {
		t.Fatalf("repos: %d %s", code, out)
	}
	out, _, _ = cli(t, "", "--demo", "tags", "platypus/many-tags")
	if n := strings.Count(out, "\n"); n != 3001 {
		t.Errorf("many-tags table has %d lines", n)
	}
}

func TestErrorsAreOneLineWithExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown tag", []string{"--demo", "inspect", "centos:nope"}, 1, "centos:nope not found"},
		{"unknown host", []string{"inspect", "nosuchhost.invalid/app:1"}, 1, "cannot reach nosuchhost.invalid"},
		{"nothing listening", []string{"inspect", "127.0.0.1:1/app:1"}, 1, "cannot reach 127.0.0.1:1"},
		{"no argument", []string{"inspect"}, 2, "expected one reference"},
		{"bad reference", []string{"inspect", "UPPER/Case"}, 2, "invalid reference"},
		{"bad platform", []string{"--demo", "inspect", "centos:7", "--platform", "linux/"}, 2, "invalid platform"},
		{"bad output", []string{"--demo", "tags", "centos", "-o", "yaml"}, 2, "unknown output format"},
		{"unknown flag", []string{"inspect", "--nope", "x"}, 2, "unknown flag"},
		{"username without password", []string{"--username", "u", "tags", "x"}, 2, "--password-stdin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, code := cli(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			first, _, _ := strings.Cut(stderr, "\n")
			if !strings.HasPrefix(first, "platypus: ") || !strings.Contains(first, tt.want) {
				t.Errorf("stderr first line %q lacks %q", first, tt.want)
			}
			if tt.code == 1 && strings.Count(stderr, "\n") != 1 {
				t.Errorf("operational error is not one line: %q", stderr)
			}
			if out != "" {
				t.Errorf("stdout not empty on error: %q", out)
			}
		})
	}
}

func TestScanJSON(t *testing.T) {
	out, stderr, code := cli(t, "", "--demo", "scan", "library/mysql", "--platform", "linux/arm64/v8", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep output.Scan
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	supported := map[string]bool{}
	for _, tg := range rep.Tags {
		supported[tg.Tag] = tg.Supported
		if tg.Supported != (tg.Selected != nil) || tg.Digest == "" {
			t.Errorf("tag %+v", tg)
		}
	}
	if supported["5.7"] || !supported["8"] || !supported["latest"] || len(rep.Tags) != 7 || rep.Platform != "linux/arm64/v8" {
		t.Errorf("scan = %+v", rep)
	}
}

// Faults from the registry: the CLI exits 1 with one line naming the host
// and the cause, after bounded retries.
func TestFaultsGiveOneLineAndExit1(t *testing.T) {
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	// Every fault's message is registry's (TestFaultsBecomeClearErrors);
	// here, one of each family reaches the command line as one line, exit 1.
	for fault, want := range map[regtest.Fault]string{
		regtest.Status503: "HTTP 503", regtest.Truncate: "broke mid-response", regtest.WrongDigest: "digest mismatch",
	} {
		p := regtest.NewFaultProxy(t, srv.Host)
		p.Set(fault, regtest.ManifestGets, -1, "1", 0)
		out, stderr, code := cli(t, "", "inspect", p.Host+"/library/centos:7")
		if code != 1 || out != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, p.Host) || !strings.Contains(stderr, want) {
			t.Errorf("fault %d: exit %d, stderr %q (want %q)", fault, code, stderr, want)
		}
		if n := p.Faulted.Load(); n > 8 {
			t.Errorf("fault %d: %d attempts", fault, n)
		}
	}
}

// --os-version belongs to Windows platforms: with a Linux one it is a
// usage error; a Windows platform without it gets a note saying what to
// give, and no empty parentheses in Docker's line.
func TestOSVersionOnlyForWindows(t *testing.T) {
	_, stderr, code := cli(t, "", "--demo", "inspect", "library/centos:7", "--platform", "linux/arm64", "--os-version", "10.0.17763")
	if code != exitUsage || !strings.Contains(stderr, "only Windows images have an os.version") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	out, stderr, code := cli(t, "", "--demo", "inspect", "library/centos:7", "--platform", "windows/amd64", "-o", "json")
	if code != 0 || !strings.Contains(stderr, "no --os-version") || !strings.Contains(stderr, "10.0.17763") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, `no matching manifest for windows/amd64 in the manifest list entries`) || strings.Contains(out, "windows()") {
		t.Errorf("dockerError:\n%s", out)
	}
}

// A Windows image alone (nanoserver) and inside an index (latest) get the
// same verdict, the Windows store's, with containerd's shown beside it.
func TestWindowsImageAloneAndInAnIndexAgree(t *testing.T) {
	var alone, inIndex struct {
		Store      string
		Selected   *string
		OtherStore *struct {
			Store    string
			Selected *string
		}
	}
	for tag, v := range map[string]any{"nanoserver": &alone, "latest": &inIndex} {
		out, stderr, code := cli(t, "", "--demo", "inspect", "artiomchi/helloworld:"+tag, "--platform", "windows/amd64", "--os-version", "10.0.17763", "-o", "json")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tag, code, stderr)
		}
		if err := json.Unmarshal([]byte(out), v); err != nil {
			t.Fatal(err)
		}
	}
	if alone.Selected == nil || inIndex.Selected == nil || *alone.Selected != *inIndex.Selected || alone.Store != "windows" {
		t.Errorf("alone %+v, in the index %+v", alone, inIndex)
	}
	if alone.OtherStore == nil || alone.OtherStore.Store != "containerd" || alone.OtherStore.Selected != nil {
		t.Errorf("the containerd store's verdict is missing: %+v", alone.OtherStore)
	}
}
