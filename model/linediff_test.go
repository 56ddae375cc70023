package model

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// sides are the texts an edit turns from and into, and its edits.
func sides(ops []LineOp) (a, b []string, edits int) {
	for _, op := range ops {
		if op.Kind != '+' {
			a = append(a, op.Text)
		}
		if op.Kind != '-' {
			b = append(b, op.Text)
		}
		if op.Kind != ' ' {
			edits++
		}
	}
	return a, b, edits
}

// lcs is the length of the longest common subsequence, by dynamic
// programming: the oracle for the shortest edit.
func lcs(a, b []string) int {
	prev := make([]int, len(b)+1)
	for i := range a {
		cur := make([]int, len(b)+1)
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(prev[j+1], cur[j])
			}
		}
		prev = cur
	}
	return prev[len(b)]
}

// CompareLines gives an edit that turns a into b and is as short as
// can be (held to the LCS on random texts); past maxEdits, still one
// that turns a into b.
func TestCompareLines(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	text := func(n int) []string {
		var out []string
		for range n {
			out = append(out, string(rune('a'+r.IntN(4))))
		}
		return out
	}
	check := func(a, b []string, ops []LineOp, wantMinimal bool) {
		t.Helper()
		gotA, gotB, edits := sides(ops)
		if !slices.Equal(gotA, a) || !slices.Equal(gotB, b) {
			t.Fatalf("%q → %q: the edit %v does not turn one into the other", a, b, ops)
		}
		if wantMinimal && edits != len(a)+len(b)-2*lcs(a, b) {
			t.Fatalf("%q → %q: %d edits, the shortest is %d", a, b, edits, len(a)+len(b)-2*lcs(a, b))
		}
	}
	for range 3000 {
		a, b := text(r.IntN(30)), text(r.IntN(30))
		ops, minimal := CompareLines(a, b)
		if !minimal {
			t.Fatal("small texts past maxEdits")
		}
		check(a, b, ops, true)
	}
	// Two texts with nothing in common, past maxEdits.
	var a, b []string
	for i := range maxEdits {
		a, b = append(a, "a"+strconv.Itoa(i)), append(b, "b"+strconv.Itoa(i))
	}
	ops, minimal := CompareLines(a, b)
	if minimal {
		t.Error("past maxEdits, said minimal")
	}
	check(a, b, ops, false)
}

// Hunks are what diff -u writes: headers and context, near edits joined.
func TestHunks(t *testing.T) {
	a := strings.Split("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20", " ")
	b := strings.Split("1 2 x 4 5 6 7 8 9 10 11 12 13 14 15 16 17 y 19 20 21", " ")
	ops, _ := CompareLines(a, b)
	var got []string
	for _, h := range Hunks(ops, 3) {
		got = append(got, h.Header)
		for _, l := range h.Lines {
			got = append(got, string(l.Kind)+l.Text)
		}
	}
	// As `diff -u` prints it for these files.
	want := []string{"@@ -1,6 +1,6 @@", " 1", " 2", "-3", "+x", " 4", " 5", " 6",
		"@@ -15,6 +15,7 @@", " 15", " 16", " 17", "-18", "+y", " 19", " 20", "+21"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("hunks:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// An empty side: "-0,0".
	ops, _ = CompareLines(nil, []string{"new"})
	if h := Hunks(ops, 3); len(h) != 1 || h[0].Header != "@@ -0,0 +1 @@" {
		t.Errorf("an added file: %+v", h)
	}
	if h := Hunks([]LineOp{{' ', "same"}}, 3); len(h) != 0 {
		t.Errorf("no edits: %+v", h)
	}
}

// Every edit is in exactly one hunk, each hunk's header counts its lines
// and says where they start, and no hunk has more context than asked.
func TestHunksCoverEveryEdit(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	text := func(n int) []string {
		var out []string
		for range n {
			out = append(out, string(rune('a'+r.IntN(3))))
		}
		return out
	}
	for range 2000 {
		a, b := text(r.IntN(40)), text(r.IntN(40))
		ops, _ := CompareLines(a, b)
		edits := 0
		for _, op := range ops {
			if op.Kind != ' ' {
				edits++
			}
		}
		ctx := r.IntN(4)
		seen := 0
		for _, h := range Hunks(ops, ctx) {
			var as, al, bs, bl int
			if _, err := fmtSscanf(h.Header, &as, &al, &bs, &bl); err != nil {
				t.Fatalf("header %q: %v", h.Header, err)
			}
			na, nb := 0, 0
			for _, l := range h.Lines {
				if l.Kind != '+' {
					na++
				}
				if l.Kind != '-' {
					nb++
				}
				if l.Kind != ' ' {
					seen++
				}
			}
			if na != al || nb != bl {
				t.Fatalf("%q counts %d,%d lines, holds %d,%d", h.Header, al, bl, na, nb)
			}
			if (al > 0 && (as < 1 || as+al-1 > len(a))) || (bl > 0 && (bs < 1 || bs+bl-1 > len(b))) {
				t.Fatalf("%q is out of range of %d and %d lines", h.Header, len(a), len(b))
			}
			lead := 0
			for lead < len(h.Lines) && h.Lines[lead].Kind == ' ' {
				lead++
			}
			if lead > ctx {
				t.Fatalf("%q starts with %d kept lines, context %d", h.Header, lead, ctx)
			}
		}
		if seen != edits {
			t.Fatalf("hunks hold %d edits of %d", seen, edits)
		}
	}
}

// fmtSscanf reads "@@ -A,B +C,D @@", where ",B" and ",D" may be left
// out (a length of 1).
func fmtSscanf(h string, as, al, bs, bl *int) (int, error) {
	parts := strings.Fields(strings.Trim(h, "@ "))
	read := func(s string, start, n *int) error {
		x, y, found := strings.Cut(s[1:], ",")
		var err error
		if *start, err = strconv.Atoi(x); err != nil {
			return err
		}
		*n = 1
		if found {
			*n, err = strconv.Atoi(y)
		}
		return err
	}
	if err := read(parts[0], as, al); err != nil {
		return 0, err
	}
	return 2, read(parts[1], bs, bl)
}

// Long texts whose differences are spread out, each edit among long runs
// of kept lines: within maxWork the fewest edits, past it a correct edit
// said not to be minimal.
func TestCompareLinesBoundsItsWork(t *testing.T) {
	var a, b []string
	for i := range 400 { // 802 edits, fewer than maxEdits
		for range 1000 {
			a, b = append(a, "x"), append(b, "x")
		}
		a, b = append(a, "a"+strconv.Itoa(i)), append(b, "b"+strconv.Itoa(i))
	}
	a, b = append([]string{"start a"}, a...), append([]string{"start b"}, b...)
	if _, minimal := CompareLines(a, b); !minimal {
		t.Error("within the bounds, not minimal")
	}
	defer func(old int) { maxWork = old }(maxWork)
	maxWork = 100_000
	ops, minimal := CompareLines(a, b)
	if minimal {
		t.Error("past maxWork, said minimal")
	}
	if gotA, gotB, _ := sides(ops); !slices.Equal(gotA, a) || !slices.Equal(gotB, b) {
		t.Error("past maxWork, the edit does not turn A into B")
	}
}
