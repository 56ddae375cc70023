package main

import (
	"strings"
	"testing"
)

// Not on a terminal, the explorer prints what inspect prints for its
// fleet: the matrix for several --platform or a --targets file; a bad
// --targets file is a usage error as it is for inspect.
func TestExplorerFleetNotOnATerminal(t *testing.T) {
	isolateHome(t)
	srv := startDemoServer(t)
	ref := srv.Host + "/library/mysql:8"
	out, stderr, code := cli(t, "", ref, "--platform", "linux/amd64", "--platform", "linux/arm/v7")
	if code != 0 || !strings.Contains(out, "linux/arm/v7 pulls nothing") || !strings.Contains(out, "linux/amd64  linux/arm/v7") {
		t.Errorf("exit %d: %s%s", code, out, stderr)
	}
	targets := writeTargets(t, "- {name: graviton, platform: linux/arm64/v8, store: containerd}\n- {name: pc, platform: linux/amd64}\n")
	out, stderr, code = cli(t, "", ref, "--targets", targets)
	if code != 0 || !strings.Contains(out, "graviton  pc") {
		t.Errorf("exit %d: %s%s", code, out, stderr)
	}
	bad := writeTargets(t, "- {name: w, platform: windows/amd64}\n")
	for _, loc := range []string{ref, srv.Host + "/library/mysql"} {
		if _, stderr, code = cli(t, "", loc, "--targets", bad); code != exitUsage || !strings.Contains(stderr, "targets[0] (w): osVersion") {
			t.Errorf("%s: exit %d: %s", loc, code, stderr)
		}
	}
}
