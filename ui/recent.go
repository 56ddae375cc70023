package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
)

// maxRecent is how many references the start screen remembers.
const maxRecent = 20

func recentPath(dir string) string { return filepath.Join(dir, "recent.json") }

// loadRecent returns remembered references, newest first.
func loadRecent(dir string) []string {
	if dir == "" {
		return nil
	}
	b, err := os.ReadFile(recentPath(dir))
	if err != nil {
		return nil
	}
	var out []string
	if json.Unmarshal(b, &out) != nil {
		return nil
	}
	return out
}

// rememberRecent puts ref first in the recent list; failures only cost the
// memory, so they are ignored.
func rememberRecent(dir, ref string) {
	if dir == "" || ref == "" {
		return
	}
	list := slices.DeleteFunc(loadRecent(dir), func(s string) bool { return s == ref })
	list = append([]string{ref}, list...)
	if len(list) > maxRecent {
		list = list[:maxRecent]
	}
	b, err := json.Marshal(list)
	if err != nil {
		return
	}
	if os.MkdirAll(dir, 0o700) != nil {
		return
	}
	tmp := recentPath(dir) + ".tmp"
	if os.WriteFile(tmp, b, 0o600) == nil {
		_ = os.Rename(tmp, recentPath(dir))
	}
}
