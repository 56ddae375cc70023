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

func (d *Dir) recentPath() string { return filepath.Join(d.path, "recent.json") }

// Recent returns the remembered references, newest first.
func (d *Dir) Recent() ([]string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.recent()
}

func (d *Dir) recent() ([]string, error) {
	b, err := readBounded(d.recentPath(), maxRecentFile)
	if err != nil || b == nil {
		return nil, err
	}
	var out []string
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("%s is %w: %s", d.recentPath(), ErrDamaged, err.Error())
	}
	if len(out) > maxRecent {
		out = out[:maxRecent]
	}
	return out, nil
}

// Remember puts ref first among the recent references. A damaged list is
// started afresh: it only holds shortcuts.
func (d *Dir) Remember(ref string) error {
	if ref == "" {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	list, _ := d.recent()
	list = slices.DeleteFunc(list, func(s string) bool { return s == ref })
	list = append([]string{ref}, list...)
	if len(list) > maxRecent {
		list = list[:maxRecent]
	}
	b, err := json.Marshal(list)
	if err != nil {
		return fmt.Errorf("recent: %w", err)
	}
	return writeAtomic(d.recentPath(), b)
}
