package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"platypus/model"
)

// Drafts survive a crash or Ctrl-C: the composer saves one file per target
// on every edit and offers it again when the target is opened next time.

func draftPath(dir string, target model.Reference) string {
	return filepath.Join(dir, "drafts", strings.TrimPrefix(model.DigestOf([]byte(target.String())), "sha256:")[:32]+".json")
}

func saveDraft(dir string, d *model.Draft) error {
	if dir == "" {
		return nil
	}
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err //nolint:wrapcheck // shown in the status line as is
	}
	p := draftPath(dir, d.Target)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err //nolint:wrapcheck // shown in the status line as is
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err //nolint:wrapcheck // shown in the status line as is
	}
	return os.Rename(tmp, p) //nolint:wrapcheck // shown in the status line as is
}

func loadDraft(dir string, target model.Reference) *model.Draft {
	if dir == "" {
		return nil
	}
	b, err := os.ReadFile(draftPath(dir, target))
	if err != nil {
		return nil
	}
	var d model.Draft
	if json.Unmarshal(b, &d) != nil || d.Target.String() != target.String() {
		return nil
	}
	return &d
}

func dropDraft(dir string, target model.Reference) {
	if dir != "" {
		_ = os.Remove(draftPath(dir, target))
	}
}
