package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/platypus-tui/platypus/registry/state"
)

// xdgDir returns $envVar/platypus, or ~/fallback/platypus, per the XDG base
// directory spec; "" when neither can be found.
func xdgDir(envVar, fallback string) string {
	if d := os.Getenv(envVar); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "platypus")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, fallback, "platypus")
}

func stateDir() string  { return xdgDir("XDG_STATE_HOME", ".local/state") }
func configDir() string { return xdgDir("XDG_CONFIG_HOME", ".config") }
func cacheDir() string  { return xdgDir("XDG_CACHE_HOME", ".cache") }

// openState opens the private state directory (journal, drafts, recents).
func openState() (*state.Dir, error) {
	d, err := state.Open(stateDir())
	if err != nil {
		return nil, fmt.Errorf("platypus keeps its journal of tag changes in a private state directory: %w", err)
	}
	return d, nil
}
