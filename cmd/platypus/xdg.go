package main

import (
	"os"
	"path/filepath"
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
