package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/ui"
)

func TestConfigFileAndFlagsOverride(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("platform: linux/arm64/v8\nconcurrency: 4\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PLATYPUS_CONFIG", cfg)
	rep := inspectJSON(t, "--demo", "mysql:5.7")
	if rep.Platform != "linux/arm64/v8" || rep.Selected != nil {
		t.Errorf("config platform not used: %s", rep.Platform)
	}
	rep = inspectJSON(t, "--demo", "mysql:5.7", "--platform", "linux/amd64")
	if rep.Platform != "linux/amd64" || rep.Selected == nil {
		t.Errorf("the flag must override the config: %s", rep.Platform)
	}
}

func TestConfigFileErrorsAreUsageErrors(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	_ = os.WriteFile(cfg, []byte("platfrom: typo\n"), 0o600) //nolint:misspell // the typo is the test
	_, stderr, code := cli(t, "", "--config", cfg, "--demo", "inspect", "centos:7")
	if code != exitUsage || !strings.Contains(stderr, "platfrom") { //nolint:misspell // the typo is the test
		t.Errorf("exit %d: %s", code, stderr)
	}
	if _, _, code := cli(t, "", "--config", filepath.Join(dir, "missing.yaml"), "tags", "x"); code != exitUsage {
		t.Errorf("a missing --config file: exit %d", code)
	}
}

func TestExampleConfigParses(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	_ = os.WriteFile(cfg, []byte(exampleConfig), 0o600)
	o := &rootOptions{configFile: cfg}
	cmd, _ := newRootCmd(nil, os.Stdout, os.Stderr)
	if err := o.loadConfig(cmd); err != nil {
		t.Fatal(err)
	}
	km := ui.DefaultKeyMap()
	if err := km.Override(o.keys); err != nil || o.configTheme != "dark" || !o.diskCache {
		t.Errorf("example config: %v %+v", err, o)
	}
	if err := km.Override(map[string][]string{"qiut": {"x"}}); err == nil || !strings.Contains(err.Error(), "qiut") {
		t.Errorf("unknown action accepted: %v", err)
	}
}

func TestCompletionAndVersion(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		out, _, code := cli(t, "", "completion", sh)
		if code != 0 || !strings.Contains(out, "platypus") {
			t.Errorf("completion %s: exit %d", sh, code)
		}
	}
	out, _, code := cli(t, "", "--version")
	if code != 0 || !strings.HasPrefix(out, "platypus ") {
		t.Errorf("--version: %q", out)
	}
	// A test binary records no VCS information: the version says so
	// rather than a bare "dev".
	if !strings.Contains(out, "built without version control information") {
		t.Errorf("--version without VCS information: %q", out)
	}
}

// Settings a config file or flag gets wrong are usage errors that name
// the key as the file writes it: a key binding that no key can match, an
// insecure host written as a URL, a type error (not "Go struct field
// fileConfig.Concurrency"), a PLATYPUS_CONFIG that does not exist (as
// --config).
func TestConfigValidationNamesTheKey(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", dir)
	for _, c := range []struct{ yaml, want string }{
		{"keys: {quit: [ctrl+zz]}", `keys.quit: "ctrl+zz" is not a key`},
		{"keys: {quit: [q, \" \", alt+x, f12, pgdown, ctrl+c, é, \"~\"]}", ""},
		// Bubble Tea v2's names: space, modifiers in its order.
		{"keys: {quit: [space, shift+up, ctrl+alt+x, insert, delete]}", ""},
		{"keys: {quit: [alt+ctrl+x]}", `keys.quit: "alt+ctrl+x" is not a key`},
		{"keys: {cancel: [ctrl+g], back: [backspace]}", ""},
		{`insecureHosts: ["http://x y"]`, `insecureHosts: "http://x y": a host or host:port, without a scheme`},
		{`insecureHosts: ["x y"]`, `insecureHosts: "x y": not a host or host:port`},
		{`insecureHosts: [reg.lab:5000, 10.0.0.1, "[::1]:5000"]`, ""},
		{"concurrency: x", `concurrency: "x" is not a whole number`},
		{"limits:\n  pages: 3\n  names: many", `limits.names: "many" is not a whole number`},
		{"quotaShare: half", `quotaShare: "half" is not a number`},
		{"diskCache: 3", `diskCache: "3" is not true or false`},
	} {
		cfg := filepath.Join(dir, "config.yaml")
		if err := os.WriteFile(cfg, []byte(c.yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		_, stderr, code := cli(t, "", "--config", cfg, "config")
		if c.want == "" && code != 0 || c.want != "" && (code != exitUsage || !strings.Contains(stderr, c.want) || strings.Contains(stderr, "Go struct")) {
			t.Errorf("%s: exit %d, %q; want %q", c.yaml, code, stderr, c.want)
		}
	}
	t.Setenv("PLATYPUS_CONFIG", filepath.Join(dir, "missing.yaml"))
	if _, stderr, code := cli(t, "", "config"); code != exitUsage || !strings.Contains(stderr, "PLATYPUS_CONFIG") {
		t.Errorf("a missing PLATYPUS_CONFIG: exit %d, %q", code, stderr)
	}
	t.Setenv("PLATYPUS_CONFIG", "")
	if _, stderr, code := cli(t, "", "--insecure-host", "http://reg:5000", "config"); code != exitUsage || !strings.Contains(stderr, "without a scheme") {
		t.Errorf("--insecure-host as a URL: exit %d, %q", code, stderr)
	}
}

// The README names every action a config file may rebind, and no other:
// the names are a contract.
func TestReadmeNamesEveryKeyAction(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, list, ok := strings.Cut(string(readme), "rebound under `keys:` by its name")
	list, _, _ = strings.Cut(list, ".")
	var named []string
	for _, f := range strings.Split(list, "`")[1:] {
		if f = strings.TrimSpace(f); f != "" && !strings.ContainsAny(f, " ,():") {
			named = append(named, f)
		}
	}
	if !ok || strings.Join(named, " ") != strings.Join(ui.Actions(), " ") {
		t.Errorf("the README names %v;\nthe actions are %v", named, ui.Actions())
	}
}

// A key that a global action takes (on every screen, before the screen's
// own keys) never reaches another action it is given to: say so.
func TestConfigKeyShadowedByAGlobalKey(t *testing.T) {
	km := ui.DefaultKeyMap()
	err := km.Override(map[string][]string{"diagnose": {"d", "!"}})
	if err == nil || !strings.Contains(err.Error(), `diagnose: "!" is messages's key`) {
		t.Errorf("a key messages takes given to diagnose: %v", err)
	}
	km = ui.DefaultKeyMap()
	if err := km.Override(map[string][]string{"messages": {"M"}, "diagnose": {"d", "!"}}); err == nil || !strings.Contains(err.Error(), "mark") && !strings.Contains(err.Error(), "messages") {
		t.Logf("moving messages away frees its key: %v", err)
	}
	km = ui.DefaultKeyMap()
	if err := km.Override(map[string][]string{"messages": {"ctrl+l"}, "diagnose": {"d", "!"}}); err != nil {
		t.Errorf("messages moved to ctrl+l, ! is free: %v", err)
	}
}
