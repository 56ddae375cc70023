package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A theme that does not exist is a usage error for every command, given as
// a flag or in $PLATYPUS_THEME, even where nothing is drawn.
func TestUnknownThemeIsAUsageErrorEverywhere(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, args := range [][]string{
		{"--theme", "purple", "--demo"},
		{"--theme", "purple", "--demo", "tags", "library/centos"},
		{"--demo", "inspect", "library/centos:7", "--theme", "purple"},
		{"--theme", "purple", "config"},
	} {
		_, stderr, code := cli(t, "", args...)
		if code != exitUsage || !strings.Contains(stderr, `--theme "purple": not a theme; have dark, high-contrast, light, mono`) {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
	}
	t.Setenv("PLATYPUS_THEME", "purple")
	_, stderr, code := cli(t, "", "--demo", "tags", "library/centos")
	if code != exitUsage || !strings.Contains(stderr, `PLATYPUS_THEME "purple"`) {
		t.Errorf("PLATYPUS_THEME: exit %d, %s", code, stderr)
	}
	t.Setenv("PLATYPUS_THEME", "light")
	if _, stderr, code := cli(t, "", "--demo", "tags", "library/centos"); code != 0 {
		t.Errorf("a real theme: exit %d, %s", code, stderr)
	}
}

// --os-version is read as Docker's containerd store reads it; what it
// cannot read would silently turn the build comparison off.
func TestOSVersionIsValidated(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, v := range []string{"foo", "10.0", "10.0.x", "256.0.17763", "10.0.70000", "0.0.0"} {
		_, stderr, code := cli(t, "", "--demo", "inspect", "library/centos:7", "--platform", "windows/amd64", "--os-version", v)
		if code != exitUsage || !strings.Contains(stderr, "not a Windows os.version") || strings.Count(stderr, "\n") != 2 {
			t.Errorf("--os-version %s: exit %d, %s", v, code, stderr)
		}
	}
	_, stderr, code := cli(t, "", "--demo", "inspect", "library/centos:7", "--platform", "windows(foo)/amd64")
	if code != exitUsage || !strings.Contains(stderr, "--platform windows(foo)/amd64: not a Windows os.version") {
		t.Errorf("windows(foo)/amd64: exit %d, %s", code, stderr)
	}
	if _, stderr, code := cli(t, "", "--demo", "inspect", "library/centos:7", "--platform", "windows/amd64", "--os-version", "10.0.17763.1234"); code != 0 {
		t.Errorf("a real os.version: exit %d, %s", code, stderr)
	}
}

// The config file's osVersion is read the same way.
func TestConfigOSVersionIsValidated(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfg, []byte("platform: windows/amd64\nosVersion: foo\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := cli(t, "", "--config", cfg, "--demo", "tags", "library/centos")
	if code != exitUsage || !strings.Contains(stderr, `osVersion: not a Windows os.version "foo"`) {
		t.Errorf("exit %d: %s", code, stderr)
	}
}
