package testenv

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

// Under Main, every variable points into its directory, and the places
// the standard library derives from them do too.
func TestVariablesPointIntoTheTempDir(t *testing.T) {
	d := Dir()
	if d == "" || !strings.HasPrefix(d, os.TempDir()) {
		t.Fatalf("Dir() = %q", d)
	}
	for _, v := range Vars {
		if p := os.Getenv(v); !strings.HasPrefix(p, d) {
			t.Errorf("%s = %q, not under %s", v, p, d)
		}
	}
	home, _ := os.UserHomeDir()
	cfg, _ := os.UserConfigDir()
	cache, _ := os.UserCacheDir()
	for name, p := range map[string]string{"home": home, "config": cfg, "cache": cache} {
		if !strings.HasPrefix(p, d) {
			t.Errorf("os.User%sDir() = %q, not under %s", name, p, d)
		}
	}
	for _, v := range unset {
		if os.Getenv(v) != "" {
			t.Errorf("%s is still set", v)
		}
	}
}

// Every package of the module with tests calls Main from a TestMain: a
// package without one would run with the user's HOME.
func TestEveryPackageIsolated(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatal(err)
	}
	tested := map[string]bool{}
	isolated := map[string]bool{}
	err = filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			if p != root && (strings.HasPrefix(e.Name(), ".") || e.Name() == "testdata" || e.Name() == "third_party") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, "_test.go") {
			return nil
		}
		dir, _ := filepath.Rel(root, filepath.Dir(p))
		tested[dir] = true
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), "func TestMain(m *testing.M) { testenv.Main(m) }") || (dir == "internal/testenv" && strings.Contains(string(b), "func TestMain(m *testing.M) { Main(m) }")) {
			isolated[dir] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(tested) < 5 {
		t.Fatalf("only %d tested packages found under %s", len(tested), root)
	}
	for dir := range tested {
		if !isolated[dir] {
			t.Errorf("%s has tests but no `func TestMain(m *testing.M) { testenv.Main(m) }`", dir)
		}
	}
}
