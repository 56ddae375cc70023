package ui

import (
	"strings"
	"testing"
)

// C on an index copies it elsewhere: a new tag at once, an existing one
// after a y; the status says what happened.
func TestCopyFromTheIndexScreen(t *testing.T) {
	h, srv := composeHarness(t, "platypus/webapp:1.0")
	src := h.manifest(t, srv, "platypus/webapp:1.0").Digest
	h.keys("C")
	if !h.top().Capturing() || !strings.Contains(h.view(), "copy to:") {
		t.Fatalf("C should ask where to:\n%s", h.view())
	}
	h.typeText("mirror/webapp")
	h.keys("enter")
	if got := h.manifest(t, srv, "mirror/webapp:1.0").Digest; got != src {
		t.Fatalf("mirror/webapp:1.0 holds %s, want %s", got, src)
	}
	if v := h.view(); !strings.Contains(v, "copied to") || !strings.Contains(v, "same digest") || !strings.Contains(v, "2 referrers") {
		t.Errorf("status after the copy:\n%s", v)
	}
	// Over an existing tag: asks first; any key but y cancels.
	h.keys("C")
	h.typeText("library/centos:7")
	h.keys("enter")
	if !strings.Contains(h.view(), "y overwrites it") {
		t.Fatalf("no confirmation before overwriting:\n%s", h.view())
	}
	h.keys("n")
	if h.manifest(t, srv, "library/centos:7").Digest == src {
		t.Fatal("copied without a yes")
	}
	h.keys("C")
	h.typeText("library/centos:7")
	h.keys("enter", "y")
	if h.manifest(t, srv, "library/centos:7").Digest != src || !strings.Contains(h.app.status, "platypus undo restores it") {
		t.Errorf("copy over a tag:\n%s", h.view())
	}
	// esc while asking leaves the screen as it was.
	h.keys("C", "esc")
	if h.top().Capturing() {
		t.Error("esc did not close the copy input")
	}
}
