package ui

import "testing"

// An attestation whose image the index does not hold (webapp:1.1-rc1's
// entry 8) is said to be for that digest, not for "a5da68da573e
// (a5da68da573e)": opened from its row and from the check's finding.
func TestAttestationOfAnImageNotInTheIndex(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "platypus/webapp:1.1-rc1"), "linux/amd64")
	s, ok := h.top().(*indexScreen)
	if !ok {
		t.Fatalf("top is %T", h.top())
	}
	for i, r := range s.rows {
		if s.tree.Root.Entries[r].Subject != "" && s.tree.Root.Entries[r].Subject[7:19] == "a5da68da573e" {
			s.table.SetCursor(i)
		}
	}
	h.keys("enter")
	wantIn(t, h.view(), "attestation for a5da68da573e, not in the index")
	wantOut(t, h.view(), "(a5da68da573e)")
	h.keys("esc")
	if _, ok := h.top().(*indexScreen); !ok {
		t.Fatalf("esc went to %T", h.top())
	}
	h.keys("F", "enter") // the first finding: dangling-attestation
	wantIn(t, h.view(), "attestation for a5da68da573e, not in the index")
}
