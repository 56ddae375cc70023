package state

import (
	"testing"
	"time"
)

func TestChangeRow(t *testing.T) {
	const a, b = "sha256:aaaaaaaaaaaaaaaaaaaaaaaa", "sha256:bbbbbbbbbbbbbbbbbbbbbbbb"
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.Local)
	for _, tc := range []struct {
		name string
		c    Change
		want [5]string
	}{
		{"created", Change{Time: at, Action: "compose", Digest: a, State: Completed},
			[5]string{"2026-01-02 03:04:05", "compose", "(none)", "aaaaaaaaaaaa", "completed"}},
		{"undone", Change{Time: at, Action: "copy", PreviousDigest: a, Digest: b, State: Completed, RevertedBy: "u1"},
			[5]string{"2026-01-02 03:04:05", "copy", "aaaaaaaaaaaa", "bbbbbbbbbbbb", "completed, undone"}},
		{"deleted", Change{Time: at, Action: "undo", PreviousDigest: b, State: Completed},
			[5]string{"2026-01-02 03:04:05", "undo", "bbbbbbbbbbbb", "(deleted)", "completed"}},
		{"failed, escaped", Change{Time: at, Action: "push\x1b[2J", PreviousDigest: a, Digest: b, State: Failed, Error: "denied\n\x1b]52;c;x\x07"},
			[5]string{"2026-01-02 03:04:05", `push\x1b[2J`, "aaaaaaaaaaaa", "bbbbbbbbbbbb", `failed: denied\n\x1b]52;c;x\x07`}},
		{"intended", Change{Time: at, Action: "compose", PreviousDigest: a, Digest: b, State: Intended},
			[5]string{"2026-01-02 03:04:05", "compose", "aaaaaaaaaaaa", "bbbbbbbbbbbb", "intended"}},
	} {
		if got := tc.c.Row(); got != tc.want {
			t.Errorf("%s: Row() = %q, want %q", tc.name, got, tc.want)
		}
	}
}
