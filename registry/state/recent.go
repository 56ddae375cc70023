package state

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
)

// maxRecent is how many references the start screen remembers.
const maxRecent = 20

// maxRecentFile bounds recent.json.
const maxRecentFile = 1 << 20

// recentPath is the list of recent references; the demo registry's (whose
// references mean nothing without --demo) have their own.
func (d *Dir) recentPath(demo bool) string {
	if demo {
		return filepath.Join(d.path, "recent-demo.json")
	}
	return filepath.Join(d.path, "recent.json")
}

// Recent returns the remembered references, newest first: the demo
// registry's with demo.
func (d *Dir) Recent(demo bool) ([]string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.recent(demo)
}

func (d *Dir) recent(demo bool) ([]string, error) {
	b, err := readBounded(d.recentPath(demo), maxRecentFile)
	if err != nil || b == nil {
		return nil, err
	}
	var out []string
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("%s is %w: %s", d.recentPath(demo), ErrDamaged, err.Error())
	}
	if len(out) > maxRecent {
		out = out[:maxRecent]
	}
	return out, nil
}

// Remember puts ref first among the recent references. A damaged list is
// started afresh: it only holds shortcuts.
func (d *Dir) Remember(ref string, demo bool) error {
	if ref == "" {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	list, _ := d.recent(demo)
	list = slices.DeleteFunc(list, func(s string) bool { return s == ref })
	list = append([]string{ref}, list...)
	if len(list) > maxRecent {
		list = list[:maxRecent]
	}
	b, err := json.Marshal(list)
	if err != nil {
		return fmt.Errorf("recent: %w", err)
	}
	return writeAtomic(d.recentPath(demo), b)
}
