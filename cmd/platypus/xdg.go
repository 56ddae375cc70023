package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/platypus-tui/platypus/registry/state"
)

// Where platypus keeps its config, state (journal, drafts, recents) and
// cache. An XDG variable that is set (to an absolute path) wins on every
// OS. Otherwise each OS's convention: the XDG defaults (~/.config,
// ~/.local/state, ~/.cache) on Linux and the BSDs; on macOS
// ~/Library/Application Support/platypus (state in it) and
// ~/Library/Caches/platypus; on Windows %AppData%\platypus for the config,
// %LocalAppData%\platypus\state and \cache. On macOS and Windows a
// ~/.config/platypus (…) left by an earlier version is still used, so
// that its journal of tag changes is not lost from view.
type dirKind struct {
	env, xdgDefault string
}

var (
	configKind = dirKind{"XDG_CONFIG_HOME", ".config"}
	stateKind  = dirKind{"XDG_STATE_HOME", ".local/state"}
	cacheKind  = dirKind{"XDG_CACHE_HOME", ".cache"}
)

// platformDirs is what dirFor needs from the system.
type platformDirs struct {
	goos                  string
	getenv                func(string) string
	home                  func() (string, error)
	userConfig, userCache func() (string, error)
	exists                func(string) bool
}

var hostDirs = platformDirs{
	goos: runtime.GOOS, getenv: os.Getenv, home: os.UserHomeDir,
	userConfig: os.UserConfigDir, userCache: os.UserCacheDir,
	exists: func(p string) bool { _, err := os.Stat(p); return err == nil },
}

// dirFor returns platypus's directory of that kind; "" when none can be
// found.
func (s platformDirs) dirFor(k dirKind) string {
	if d := s.getenv(k.env); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "platypus")
	}
	home, err := s.home()
	legacy := ""
	if err == nil {
		legacy = filepath.Join(home, filepath.FromSlash(k.xdgDefault), "platypus")
	}
	if s.goos != "darwin" && s.goos != "windows" {
		return legacy
	}
	if legacy != "" && s.exists(legacy) {
		return legacy
	}
	base, sub := s.userConfig, ""
	switch {
	case k == cacheKind && s.goos == "windows":
		base, sub = s.userCache, "cache" // %LocalAppData%\platypus\cache
	case k == cacheKind:
		base = s.userCache // ~/Library/Caches/platypus
	case k == stateKind && s.goos == "windows":
		base, sub = s.userCache, "state" // %LocalAppData%: this machine's
	case k == stateKind:
		sub = "state" // ~/Library/Application Support/platypus/state
	}
	d, err := base()
	if err != nil || d == "" {
		return legacy
	}
	return filepath.Join(d, "platypus", sub)
}

func stateDir() string  { return hostDirs.dirFor(stateKind) }
func configDir() string { return hostDirs.dirFor(configKind) }
func cacheDir() string  { return hostDirs.dirFor(cacheKind) }

// openState opens the private state directory (journal, drafts, recents).
func openState() (*state.Dir, error) {
	d, err := state.Open(stateDir())
	if err != nil {
		return nil, fmt.Errorf("platypus keeps its journal of tag changes in a private state directory: %w", err)
	}
	return d, nil
}
