package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Without edits the composer opens, which needs a terminal: without one,
// compose says so and what to pass instead (not "the index has errors").
func TestComposeWithoutEditsOrTerminal(t *testing.T) {
	srv := composeEnv(t)
	_, stderr, code := cli(t, "", "compose", srv.Host+"/yorek/multiarch-hello-world:latest")
	if code != exitUsage || !strings.Contains(stderr, "the composer needs a terminal: pass --add REF or --amend") || strings.Contains(stderr, "errors") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// A spec's keys are checked as the config file's are, and every unknown
// one is named: a misspelt platform must not fall back to the config's.
func TestComposeSpecRefusesUnknownKeys(t *testing.T) {
	srv := composeEnv(t)
	repo := srv.Host + "/yorek/multiarch-hello-world"
	spec := filepath.Join(t.TempDir(), "spec.yaml")
	write := func(text string) {
		if err := os.WriteFile(spec, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("tags: [a]\nmanifests:\n  - image: " + repo + ":linux\n    platfrom:\n      os: linux\n" + //nolint:misspell // the typo is the test
		"  - image: " + repo + ":windows\n    platform:\n      os: windows\n      architecture: amd64\n      osversion: 10.0.1\n")
	_, stderr, code := cli(t, "", "compose", repo+":latest", "--spec", spec, "--dry-run")
	for _, want := range []string{`"manifests[0].platfrom"`, `"manifests[1].platform.osversion"`, `"tags"`} { //nolint:misspell // the typo is the test
		if code != exitUsage || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, want %s in: %s", code, want, stderr)
		}
	}
	write("annotations:\n  a: b\nmanifests:\n  - image: " + repo + ":linux\n    platform:\n      os: linux\n      architecture: arm64\n      variant: v8\n")
	rep := composeJSONOut(t, "compose", repo+":latest", "--spec", spec, "--dry-run")
	if len(rep.Entries) != 1 || rep.Entries[0].Platform.Architecture != "arm64" {
		t.Errorf("a good spec: %+v", rep.Entries)
	}
}
