package ui

import (
	"testing"
)

// What M marks shows on its row as a glyph, A then B, readable without
// colour (the harness renders none); = clears the marks.
func TestDiffMarksShowOnTheirRows(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/mysql"), "linux/amd64")
	h.keys("M", "down")
	v := h.view()
	wantLine(t, v, "[A] ", "5")
	h.keys("space", "up", "M") // a compose mark and a diff mark on one row
	wantIn(t, h.view(), "* [B] 5.7 ")
	h.keys("M") // unmarks B
	wantOut(t, h.view(), "[B]")
	h.keys("enter", "M")
	// The index of the tag: the entry under the cursor is marked B.
	wantIn(t, h.view(), "[B] linux/")
	h.keys("enter")
	h.keys("M") // the image itself: unmarks B (the same digest)
	h.keys("esc", "esc")
	wantOut(t, h.view(), "[B]")
	wantIn(t, h.view(), "[A] ")
	h.keys("=")
	h.keys("esc")
	wantOut(t, h.view(), "[A]")
}

// An image marked for a diff says so in its header.
func TestDiffMarkOnAnImage(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/centos:7"), "linux/amd64")
	h.keys("enter", "M")
	head := h.view()
	wantIn(t, head, "[A] 127.0.0.1:PORT0/library/centos:7@sha256:")
}
