package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry/demo"
)

// fleetArgs are the targets of the fleet tests: three by --platform
// (Docker's rules), three in a --targets file by containerd's.
var fleetArgs = []string{"--platform", "linux/arm64/v8", "--platform", "linux/amd64", "--platform", "windows/amd64:10.0.17763"}

const fleetTargetsYAML = `- {name: pi, platform: linux/arm/v7, store: containerd}
- {name: win2022, platform: windows/amd64, osVersion: 10.0.20348.2762, store: containerd}
- name: win2025
  platform: windows/amd64:10.0.26100
  store: containerd
`

// aloneArgs runs target i of the fleet alone: its --platform, or a
// --targets file holding only it.
func aloneArgs(t *testing.T, dir string, i int) []string {
	if i < 3 {
		return fleetArgs[2*i : 2*i+2]
	}
	lines := strings.SplitAfter(fleetTargetsYAML, "\n")
	one := [][]string{lines[0:1], lines[1:2], lines[2:5]}[i-3]
	path := filepath.Join(dir, "alone"+string(rune('0'+i))+".yaml")
	if err := os.WriteFile(path, []byte(strings.Join(one, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"--targets", path}
}

func writeTargets(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "targets.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// demoTags lists every tag of the demo repositories but many-tags and
// the referrers' sha256-… tags.
func demoTags(t *testing.T, host string) []string {
	t.Helper()
	var refs []string
	for _, repo := range demo.Repositories {
		if strings.HasSuffix(repo, "many-tags") {
			continue
		}
		out, stderr, code := cli(t, "", "tags", host+"/"+repo, "-o", "json")
		if code != 0 {
			t.Fatalf("tags %s: %s", repo, stderr)
		}
		var tags struct{ Tags []string }
		if err := json.Unmarshal([]byte(out), &tags); err != nil {
			t.Fatalf("tags %s: %v\n%s", repo, err, out)
		}
		for _, tag := range tags.Tags {
			if !strings.HasPrefix(tag, "sha256-") {
				refs = append(refs, host+"/"+repo+":"+tag)
			}
		}
	}
	return refs
}

// Both ways on every demo index and image: inspect for six targets gives
// each target exactly what inspect for that target alone gives, in
// "targets" and on every entry; the fields of old are the first target's.
func TestInspectFleetIsEveryTargetAlone(t *testing.T) {
	isolateHome(t)
	srv := startDemoServer(t)
	dir := t.TempDir()
	targets := writeTargets(t, fleetTargetsYAML)
	refs := demoTags(t, srv.Host)
	if len(refs) < 25 {
		t.Fatalf("%d demo tags", len(refs))
	}
	t.Logf("%d demo tags, 6 targets", len(refs))
	for _, ref := range refs {
		all := inspectJSON(t, append([]string{ref, "--targets", targets}, fleetArgs...)...)
		if len(all.Targets) != 6 {
			t.Fatalf("%s: %d targets", ref, len(all.Targets))
		}
		for i, tr := range all.Targets {
			alone := inspectJSON(t, append([]string{ref}, aloneArgs(t, dir, i)...)...)
			if len(alone.Targets) != 1 || !reflect.DeepEqual(alone.Targets[0], tr) {
				t.Errorf("%s, %s: in the fleet %+v, alone %+v", ref, tr.Name, tr, alone.Targets)
			}
			if !ptrEq(tr.Selected, alone.Selected) || tr.DockerError != alone.DockerError || !reflect.DeepEqual(tr.OtherStore, alone.OtherStore) {
				t.Errorf("%s, %s: selected %v / %v, error %q / %q", ref, tr.Name, deref(tr.Selected), deref(alone.Selected), tr.DockerError, alone.DockerError)
			}
			for j, e := range all.Entries {
				a := alone.Entries[j]
				want := output.EntryTarget{Match: a.Match, Rank: a.Rank, Reasons: a.Reasons}
				if !reflect.DeepEqual(e.Targets[tr.Name], want) {
					t.Errorf("%s, %s, entry %d: %+v in the fleet, %+v alone", ref, tr.Name, j, e.Targets[tr.Name], want)
				}
			}
			if i == 0 {
				first, solo := all, alone
				first.Entries, solo.Entries = slices.Clone(all.Entries), slices.Clone(alone.Entries)
				first.Targets, solo.Targets = nil, nil
				for j := range first.Entries {
					first.Entries[j].Targets, solo.Entries[j].Targets = nil, nil
				}
				if !reflect.DeepEqual(first, solo) {
					t.Errorf("%s: the single-target fields are not the first target's", ref)
				}
			}
		}
	}
}

func ptrEq(a, b *string) bool { return deref(a) == deref(b) }

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// The matrix: a line per target, entries down and targets across, and a
// line for every target that pulls nothing with its puller's error.
func TestInspectFleetTable(t *testing.T) {
	isolateHome(t)
	srv := startDemoServer(t)
	nodes := filepath.Join("..", "..", "model", "testdata", "nodes", "aks.json")
	out, stderr, code := cli(t, "", "inspect", srv.Host+"/library/hello-world:nanoserver", "--platform", "linux/amd64", "--nodes", nodes)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"TARGET       PLATFORM                  STORE       NODES  PULLS",
		"linux/amd64  linux/amd64               docker      -      nothing",
		"win19        windows/amd64 10.0.17763  containerd  1      windows/amd64 ",
		"win22        windows/amd64 10.0.20348  containerd  2      nothing",
		"PLATFORM       OS.VERSION      KIND   CFG+LAYERS  DIGEST        linux/amd64  nodepool1  armpool  win19  win22  win25",
		"windows/amd64  10.0.17134.885  image",
		"✗            ✗          ✗        ✗      ✗      ✗",
		"✗            ✗          ✗        ✓      ✗      ✗",
		"win22 pulls nothing:\n  kubelet: failed to pull and unpack image \"" + srv.Host + "/library/hello-world:nanoserver\": no match for platform in manifest: not found",
		"linux/amd64 pulls nothing:\n  docker: no matching manifest for linux/amd64 in the manifest list entries",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

// --fail-on-no-match: exit 3 when any target pulls nothing, naming them;
// 0 when every target pulls.
func TestFailOnNoMatchFleet(t *testing.T) {
	isolateHome(t)
	srv := startDemoServer(t)
	ref := srv.Host + "/library/hello-world:latest"
	_, stderr, code := cli(t, "", "inspect", ref, "--platform", "linux/amd64", "--platform", "windows/amd64:10.0.14393", "--platform", "linux/riscv64", "--fail-on-no-match")
	if code != exitNoMatch || !strings.Contains(stderr, "1 of 3 targets pull nothing: windows/amd64:10.0.14393") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	nodes := filepath.Join("..", "..", "model", "testdata", "nodes", "aks.json")
	if _, stderr, code := cli(t, "", "inspect", ref, "--nodes", nodes, "--fail-on-no-match"); code != 0 {
		t.Errorf("hello-world:latest on the AKS cluster: exit %d: %s", code, stderr)
	}
	if _, _, code := cli(t, "", "inspect", ref, "--platform", "linux/amd64", "--platform", "windows/amd64:10.0.14393"); code != 0 {
		t.Errorf("without the flag: exit %d", code)
	}
}

// --targets files: unknown keys, bad values and repeated names are usage
// errors (exit 2) naming the target and the field.
func TestTargetsFileErrors(t *testing.T) {
	isolateHome(t)
	srv := startDemoServer(t)
	ref := srv.Host + "/library/hello-world:latest"
	tests := []struct{ body, want string }{
		{"- {name: a, platform: linux/arm64, arch: arm64}\n", "unknown field \"arch\""},
		{"- {name: a, platform: linux/arm64, store: podman}\n", "targets[0] (a): store: store \"podman\""},
		{"- {name: a, platform: linux/arm64}\n- {name: a, platform: linux/amd64}\n", "targets[1] (a): name: targets[0] has it too"},
		{"- {platform: linux/arm64}\n", "targets[0]: name: a target needs a name"},
		{"- {name: w, platform: windows/amd64}\n", "targets[1]"},
		{"- {name: l, platform: linux/amd64, osVersion: 10.0.17763}\n", "targets[0] (l): osVersion: only Windows images"},
		{"- {name: w, platform: windows/amd64:10.0.17763, osVersion: 10.0.17763}\n", "osVersion: the platform has one already"},
		{"- {name: w, platform: windows/amd64, osVersion: 10.0}\n", "targets[0] (w): osVersion"},
		{"- {name: x, platform: linux/arm64/v8/x}\n", "targets[0] (x): platform"},
		{"{name: a, platform: linux/arm64}\n", "expected a list"},
		{"[]\n", "no targets"},
	}
	tests[4].want = "targets[0] (w): osVersion: a Windows target needs its build"
	for _, tt := range tests {
		_, stderr, code := cli(t, "", "inspect", ref, "--targets", writeTargets(t, tt.body))
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want %q", tt.body, code, stderr, tt.want)
		}
	}
	// A name used twice across the sources.
	_, stderr, code := cli(t, "", "inspect", ref, "--platform", "linux/arm64", "--targets", writeTargets(t, "- {name: linux/arm64, platform: linux/arm64}\n"))
	if code != exitUsage || !strings.Contains(stderr, `two targets are named "linux/arm64"`) {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// --nodes reads kubectl's JSON from a file or standard input; a malformed
// document is exit 2 naming the node and the field.
func TestNodesFlag(t *testing.T) {
	isolateHome(t)
	srv := startDemoServer(t)
	ref := srv.Host + "/library/mysql:8"
	doc, err := os.ReadFile(filepath.Join("..", "..", "model", "testdata", "nodes", "gke.json"))
	if err != nil {
		t.Fatal(err)
	}
	out, stderr, code := cli(t, string(doc), "inspect", ref, "--nodes", "-", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep output.Inspect
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tr := range rep.Targets {
		names = append(names, tr.Name+"="+strings.Join([]string{tr.Store, tr.Platform, tr.OSVersion, deref(tr.Selected)[:min(len(deref(tr.Selected)), 7)]}, ","))
		if tr.Source != "nodes" || len(tr.Nodes) == 0 {
			t.Errorf("%+v", tr)
		}
	}
	want := []string{"default-pool=containerd,linux/amd64,,sha256:", "arm-pool=containerd,linux/arm64/v8,,sha256:", "win-pool=containerd,windows/amd64,10.0.20348,<nil>"}
	if !slices.Equal(names, want) {
		t.Errorf("targets %q, want %q", names, want)
	}
	bad := strings.Replace(string(doc), `"architecture": "arm64"`, `"architecture": 64`, 1)
	_, stderr, code = cli(t, bad, "inspect", ref, "--nodes", "-")
	if code != exitUsage || !strings.Contains(stderr, `node "gke-prod-arm-pool-71e6b0c3-0v2k" (items[3]): status.nodeInfo.architecture`) {
		t.Errorf("exit %d: %s", code, stderr)
	}
	_, stderr, code = cli(t, "secret\n", "inspect", ref, "--nodes", "-", "--username", "u", "--password-stdin")
	if code != exitUsage || !strings.Contains(stderr, "both read standard input") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	_, stderr, code = cli(t, "", "inspect", ref, "--nodes", t.TempDir())
	if code != exitUsage || !strings.Contains(stderr, "is a directory") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// --platform repeats on inspect and scan only; --os-version goes with one
// --platform; crane's :osversion is --os-version's twin.
func TestPlatformRepeated(t *testing.T) {
	isolateHome(t)
	srv := startDemoServer(t)
	ref := srv.Host + "/library/hello-world:nanoserver"
	_, stderr, code := cli(t, "", "files", ref, "--platform", "linux/amd64", "--platform", "linux/arm64")
	if code != exitUsage || !strings.Contains(stderr, "--platform is given 2 times") {
		t.Errorf("files: exit %d: %s", code, stderr)
	}
	_, stderr, code = cli(t, "", "inspect", ref, "--platform", "linux/amd64", "--platform", "windows/amd64", "--os-version", "10.0.17763")
	if code != exitUsage || !strings.Contains(stderr, "--platform windows/amd64:10.0.17763") {
		t.Errorf("--os-version with two: exit %d: %s", code, stderr)
	}
	_, stderr, code = cli(t, "", "inspect", ref, "--targets", writeTargets(t, "- {name: a, platform: linux/arm64}\n"), "--os-version", "10.0.17763")
	if code != exitUsage || !strings.Contains(stderr, "--os-version needs a --platform") {
		t.Errorf("--os-version with --targets: exit %d: %s", code, stderr)
	}
	a := inspectJSON(t, ref, "--platform", "windows/amd64:10.0.17763.615")
	b := inspectJSON(t, ref, "--platform", "windows/amd64", "--os-version", "10.0.17763.615")
	a.Targets, b.Targets = nil, nil
	if !reflect.DeepEqual(a, b) || a.Platform != "windows/amd64 10.0.17763.615" {
		t.Errorf("the colon form differs: %+v / %+v", a.Platform, b.Platform)
	}
	_, stderr, code = cli(t, "", "inspect", ref, "--platform", "linux/amd64:10.0.17763")
	if code != exitUsage || !strings.Contains(stderr, "--platform linux/amd64:10.0.17763: only Windows images have an os.version") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// The config's targets are the fleet when no --platform, --targets or
// --nodes is given; a bad one is refused when the file is read.
func TestConfigTargets(t *testing.T) {
	isolateHome(t)
	srv := startDemoServer(t)
	ref := srv.Host + "/library/hello-world:latest"
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	write := func(body string) {
		if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("platform: linux/s390x\ntargets:\n  - {name: laptop, platform: linux/arm64/v8}\n  - {name: win2019, platform: windows/amd64, osVersion: 10.0.17763, store: containerd}\n")
	rep := inspectJSON(t, ref, "--config", cfg)
	if len(rep.Targets) != 2 || rep.Targets[0].Name != "laptop" || rep.Targets[1].Store != "containerd" || rep.Targets[1].Source != "config" {
		t.Errorf("targets %+v", rep.Targets)
	}
	rep = inspectJSON(t, ref, "--config", cfg, "--platform", "linux/ppc64le")
	if len(rep.Targets) != 1 || rep.Targets[0].Name != "linux/ppc64le" {
		t.Errorf("--platform should replace the config's fleet: %+v", rep.Targets)
	}
	// The explorer and files keep the config's one platform.
	out, _, code := cli(t, "", "--config", cfg, "files", ref)
	if code == exitUsage {
		t.Errorf("files with config targets: %s", out)
	}
	// The config's Windows build goes with the config's platform only.
	write("platform: windows/amd64\nosVersion: 10.0.17763\n")
	for _, args := range [][]string{{"--platform", "linux/amd64"}, {"--platform", "linux/amd64", "--platform", "linux/arm64"}, {"--targets", writeTargets(t, "- {name: a, platform: linux/arm64}\n")}} {
		if _, stderr, code := cli(t, "", append([]string{"inspect", ref, "--config", cfg}, args...)...); code != 0 {
			t.Errorf("%v with a Windows config: exit %d: %s", args, code, stderr)
		}
	}
	if rep := inspectJSON(t, ref, "--config", cfg); rep.Platform != "windows/amd64 10.0.17763" {
		t.Errorf("the config's platform: %s", rep.Platform)
	}
	write("targets:\n  - {name: laptop, platform: linux/arm64/v8, stroe: docker}\n")
	_, stderr, code := cli(t, "", "inspect", ref, "--config", cfg)
	if code != exitUsage || !strings.Contains(stderr, "stroe") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	write("targets:\n  - {name: w, platform: windows/amd64}\n")
	_, stderr, code = cli(t, "", "inspect", ref, "--config", cfg)
	if code != exitUsage || !strings.Contains(stderr, "targets[0] (w): osVersion") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// scan for several targets: every tag's answer for each target is its
// answer alone; the tags that fit every target come first.
func TestScanFleet(t *testing.T) {
	isolateHome(t)
	srv := startDemoServer(t)
	dir := t.TempDir()
	targets := writeTargets(t, fleetTargetsYAML)
	for _, repo := range []string{"library/hello-world", "artiomchi/helloworld", "library/mysql", "platypus/nested"} {
		var all output.Scan
		scanJSONOf(t, &all, append([]string{"scan", srv.Host + "/" + repo, "--targets", targets, "-o", "json"}, fleetArgs...)...)
		if len(all.Targets) != 6 || all.Platform != "linux/arm64/v8" {
			t.Fatalf("%s: head %+v", repo, all.Targets)
		}
		seenMiss := false
		for _, tag := range all.Tags {
			fits := true
			for _, tr := range tag.Targets {
				fits = fits && tr.Supported
			}
			if tag.FitsAll != fits || (tag.FitsAll && seenMiss) {
				t.Errorf("%s:%s: fitsAll %v out of order", repo, tag.Tag, tag.FitsAll)
			}
			seenMiss = seenMiss || !tag.FitsAll
		}
		for i := range 6 {
			var alone output.Scan
			scanJSONOf(t, &alone, append([]string{"scan", srv.Host + "/" + repo, "-o", "json"}, aloneArgs(t, dir, i)...)...)
			byTag := map[string]output.ScanTag{}
			for _, tag := range alone.Tags {
				byTag[tag.Tag] = tag
			}
			for _, tag := range all.Tags {
				a := byTag[tag.Tag]
				if !reflect.DeepEqual(tag.Targets[i], a.Targets[0]) || a.Supported != tag.Targets[i].Supported || a.FitsAll != a.Supported {
					t.Errorf("%s:%s for %s: %+v in the fleet, %+v alone", repo, tag.Tag, all.Targets[i].Name, tag.Targets[i], a)
				}
			}
		}
	}
	out, _, code := cli(t, "", append([]string{"scan", srv.Host + "/library/hello-world", "--targets", targets}, fleetArgs...)...)
	lines := strings.Split(out, "\n")
	if code != 0 || !strings.HasPrefix(lines[0], "TAG ") || !strings.Contains(lines[0], "FITS ALL  linux/arm64/v8  linux/amd64  windows/amd64:10.0.17763  pi  win2022  win2025  DIGEST") ||
		!strings.HasPrefix(lines[1], "latest ") || !strings.Contains(out, "1 of 7 tags fit all 6 targets") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func scanJSONOf(t *testing.T, v *output.Scan, args ...string) {
	t.Helper()
	out, stderr, code := cli(t, "", args...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, stderr)
	}
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}
