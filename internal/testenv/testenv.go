// Package testenv keeps a test binary off the real user's files: Main
// points HOME and every XDG and Docker variable at a fresh temporary
// directory before any test runs, so no test reads the user's config or
// logins, or writes their journal, recents or cache. Every package with
// tests calls it from its TestMain (TestEveryPackageIsolated checks).
package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Vars are the variables Main points into its directory, each at a
// subdirectory of its own name.
var Vars = []string{"HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR", "DOCKER_CONFIG"}

// unset are variables that name the user's files or logins directly.
var unset = []string{"PLATYPUS_CONFIG", "DOCKER_AUTH_CONFIG", "REGISTRY_AUTH_FILE"}

// dir is the directory Main made.
var dir string

// Dir is the directory HOME and the XDG variables point into ("" before
// Main).
func Dir() string { return dir }

// Main runs the tests with HOME, XDG_* and DOCKER_CONFIG in a temporary
// directory, removed afterwards, and exits with their status.
func Main(m *testing.M) {
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testenv:", err)
		code = 2
	}
	os.Exit(code)
}

// inherited names the directory of a test binary that runs this one (a
// helper process): it is used as it is, and left to its owner to remove.
const inherited = "PLATYPUS_TESTENV"

func run(m *testing.M) (int, error) {
	if d := os.Getenv(inherited); d != "" {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			if err := isolate(d); err != nil {
				return 0, err
			}
			return m.Run(), nil
		}
	}
	d, err := os.MkdirTemp("", "platypus-test-home-")
	if err != nil {
		return 0, err //nolint:wrapcheck // said as it is
	}
	defer func() { _ = os.RemoveAll(d) }()
	if err := isolate(d); err != nil {
		return 0, err
	}
	return m.Run(), nil
}

// isolate points the variables at subdirectories of d, which it creates
// (XDG_RUNTIME_DIR must be private). The Go toolchain's own places are
// pinned first where they derive from HOME: a test that builds the binary
// keeps the build and module caches.
func isolate(d string) error {
	pinGo()
	for _, v := range Vars {
		p := filepath.Join(d, v)
		if err := os.MkdirAll(p, 0o700); err != nil {
			return err //nolint:wrapcheck // said as it is
		}
		if err := os.Setenv(v, p); err != nil {
			return err //nolint:wrapcheck // said as it is
		}
	}
	if runtime.GOOS == "windows" {
		// os.UserHomeDir and os.UserConfigDir read these there.
		for v, sub := range map[string]string{"USERPROFILE": "HOME", "APPDATA": "XDG_CONFIG_HOME", "LOCALAPPDATA": "XDG_CACHE_HOME"} {
			_ = os.Setenv(v, filepath.Join(d, sub))
		}
	}
	for _, v := range unset {
		_ = os.Unsetenv(v)
	}
	dir = d
	return os.Setenv(inherited, d) //nolint:wrapcheck // said as it is
}

// pinGo sets GOPATH, GOCACHE and GOENV to where the go command finds them
// now, unless they are set.
func pinGo() {
	pin := func(v string, f func() (string, error), sub ...string) {
		if os.Getenv(v) != "" {
			return
		}
		if base, err := f(); err == nil && base != "" {
			_ = os.Setenv(v, filepath.Join(append([]string{base}, sub...)...))
		}
	}
	pin("GOPATH", os.UserHomeDir, "go")
	pin("GOCACHE", os.UserCacheDir, "go-build")
	pin("GOENV", os.UserConfigDir, "go", "env")
}
