package main

import (
	"math"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model/output"
)

// Sizes are the registry's word: two layers that each claim the largest
// size do not make the total wrap to a negative one ("-"), they make it
// the largest there is.
func TestWouldCopyTotalDoesNotWrap(t *testing.T) {
	var b strings.Builder
	items := []output.WouldCopy{
		{Digest: "sha256:" + strings.Repeat("a", 64), Kind: "layer", MediaType: "x", Size: math.MaxInt64},
		{Digest: "sha256:" + strings.Repeat("b", 64), Kind: "layer", MediaType: "x", Size: math.MaxInt64},
	}
	printWouldCopy(&b, items, true, true)
	first, _, _ := strings.Cut(b.String(), "\n")
	second := strings.Split(b.String(), "\n")[1]
	if strings.Contains(first, " - in all") || strings.Contains(second, "(-)") {
		t.Errorf("the total wrapped:\n%s", b.String())
	}
}
