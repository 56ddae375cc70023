package main

import (
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
