package main

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/internal/testenv"
)

// The suite's state, config and cache directories, and the journal a push
// writes, resolve under testenv's directory, never the user's: before,
// `go test ./...` left copies to ocidir:///tmp/TestBench… in
// ~/.local/state/platypus/journal.jsonl.
func TestSuiteDirsAreNotTheUsers(t *testing.T) {
	d := testenv.Dir()
	if d == "" {
		t.Fatal("testenv.Main did not run")
	}
	st, err := openState()
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]string{"state": stateDir(), "config": configDir(), "cache": cacheDir(), "journal": st.Journal().Path()} {
		if !strings.HasPrefix(p, d) {
			t.Errorf("%s resolves to %s, outside %s", name, p, d)
		}
	}
	// Without XDG variables the fallback is under HOME, which is there too.
	t.Setenv("XDG_STATE_HOME", "")
	if p := stateDir(); !strings.HasPrefix(p, d) {
		t.Errorf("state without XDG_STATE_HOME resolves to %s", p)
	}
}

// Each OS's conventions, the XDG variables winning where set, and on
// macOS and Windows the XDG-style directory an earlier version made.
func TestDirectoriesFollowEachOS(t *testing.T) {
	fake := func(goos string, env map[string]string, existing ...string) platformDirs {
		return platformDirs{
			goos:   goos,
			getenv: func(k string) string { return env[k] },
			home:   func() (string, error) { return "/home/u", nil },
			userConfig: func() (string, error) {
				return map[string]string{"darwin": "/home/u/Library/Application Support", "windows": "/home/u/AppData/Roaming"}[goos], nil
			},
			userCache: func() (string, error) {
				return map[string]string{"darwin": "/home/u/Library/Caches", "windows": "/home/u/AppData/Local"}[goos], nil
			},
			exists: func(p string) bool {
				for _, e := range existing {
					if p == filepath.FromSlash(e) {
						return true
					}
				}
				return false
			},
		}
	}
	xdg := map[string]string{"XDG_CONFIG_HOME": "/x/config", "XDG_STATE_HOME": "/x/state", "XDG_CACHE_HOME": "/x/cache"}
	for _, c := range []struct {
		name                 string
		dirs                 platformDirs
		config, state, cache string
	}{
		{"linux", fake("linux", nil), "/home/u/.config/platypus", "/home/u/.local/state/platypus", "/home/u/.cache/platypus"},
		{"linux, XDG set", fake("linux", xdg), "/x/config/platypus", "/x/state/platypus", "/x/cache/platypus"},
		{"linux, relative XDG ignored", fake("linux", map[string]string{"XDG_CONFIG_HOME": "rel"}), "/home/u/.config/platypus", "/home/u/.local/state/platypus", "/home/u/.cache/platypus"},
		{"macOS", fake("darwin", nil), "/home/u/Library/Application Support/platypus", "/home/u/Library/Application Support/platypus/state", "/home/u/Library/Caches/platypus"},
		{"macOS, XDG set", fake("darwin", xdg), "/x/config/platypus", "/x/state/platypus", "/x/cache/platypus"},
		{"macOS, an earlier version's state", fake("darwin", nil, "/home/u/.local/state/platypus"), "/home/u/Library/Application Support/platypus", "/home/u/.local/state/platypus", "/home/u/Library/Caches/platypus"},
		{"windows", fake("windows", nil), "/home/u/AppData/Roaming/platypus", "/home/u/AppData/Local/platypus/state", "/home/u/AppData/Local/platypus/cache"},
		{"windows, XDG set", fake("windows", xdg), "/x/config/platypus", "/x/state/platypus", "/x/cache/platypus"},
	} {
		got := [3]string{c.dirs.dirFor(configKind), c.dirs.dirFor(stateKind), c.dirs.dirFor(cacheKind)}
		want := [3]string{filepath.FromSlash(c.config), filepath.FromSlash(c.state), filepath.FromSlash(c.cache)}
		if got != want {
			t.Errorf("%s: %q, want %q", c.name, got, want)
		}
	}
	noHome := fake("linux", nil)
	noHome.home = func() (string, error) { return "", errors.New("no home") }
	if d := noHome.dirFor(stateKind); d != "" {
		t.Errorf("no home: %q", d)
	}
}
