package model

import (
	"bytes"
	"strconv"
	"strings"
)

// IsBinary is git's test of a file's bytes: a NUL byte early on.
func IsBinary(b []byte) bool { return bytes.IndexByte(b[:min(len(b), 8000)], 0) >= 0 }

// SplitLines are a text's lines as they are, without their ends; crlf
// tells whether they end in CRLF.
func SplitLines(b []byte) (lines []string, crlf bool) {
	text := string(b)
	crlf = strings.Contains(text, "\r\n")
	if text == "" {
		return nil, false
	}
	for l := range strings.SplitSeq(strings.TrimSuffix(text, "\n"), "\n") {
		lines = append(lines, strings.TrimSuffix(l, "\r"))
	}
	return lines, crlf
}

// LineOp is one line of a comparison of two texts: kept (' '), only in
// the first ('-'), or only in the second ('+').
type LineOp struct {
	Kind byte
	Text string
}

// maxEdits bounds the edits CompareLines looks for, and maxWork the lines
// it compares: past either, the part of the texts that differs is given
// as removed whole, then added whole (a correct diff, not the shortest),
// so two very different or very long files cost bounded time and memory.
const maxEdits = 1000

var maxWork = 20_000_000 // a variable for tests

// CompareLines is the shortest edit of a into b, line by line (Myers'
// algorithm), after their common start and end; minimal is false when
// they differ past maxEdits and the middle is given whole.
func CompareLines(a, b []string) (ops []LineOp, minimal bool) {
	start := 0
	for start < len(a) && start < len(b) && a[start] == b[start] {
		start++
	}
	end := 0
	for end < len(a)-start && end < len(b)-start && a[len(a)-1-end] == b[len(b)-1-end] {
		end++
	}
	for _, l := range a[:start] {
		ops = append(ops, LineOp{' ', l})
	}
	mid, minimal := myers(a[start:len(a)-end], b[start:len(b)-end])
	ops = append(ops, mid...)
	for _, l := range a[len(a)-end:] {
		ops = append(ops, LineOp{' ', l})
	}
	return ops, minimal
}

// myers is the shortest edit script of a into b, or, past maxEdits or
// maxWork, all of a removed and all of b added.
func myers(a, b []string) ([]LineOp, bool) {
	n, m := len(a), len(b)
	most := min(n+m, maxEdits)
	off := most + 1
	v := make([]int, 2*most+3)
	// trace[d] is v[-d-1 … d+1] as it stood before step d.
	var trace [][]int
	work := 0
	for d := 0; d <= most && work <= maxWork; d++ {
		trace = append(trace, append([]int(nil), v[off-d-1:off+d+2]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y, x0 := x-k, x
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			work += x - x0 + 1
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(a, b, trace, d), true
			}
		}
	}
	ops := make([]LineOp, 0, n+m)
	for _, l := range a {
		ops = append(ops, LineOp{'-', l})
	}
	for _, l := range b {
		ops = append(ops, LineOp{'+', l})
	}
	return ops, false
}

// backtrack walks the trace from the end of both texts back to their
// start, then gives the edits in order.
func backtrack(a, b []string, trace [][]int, d int) []LineOp {
	x, y := len(a), len(b)
	var rev []LineOp
	for ; d > 0; d-- {
		v := trace[d] // v[k] is at v[k+d+1]
		at := func(k int) int { return v[k+d+1] }
		k := x - y
		prev := k - 1
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			prev = k + 1
		}
		px := at(prev)
		py := px - prev
		for x > px && y > py {
			x--
			y--
			rev = append(rev, LineOp{' ', a[x]})
		}
		if x == px {
			y--
			rev = append(rev, LineOp{'+', b[y]})
		} else {
			x--
			rev = append(rev, LineOp{'-', a[x]})
		}
	}
	for x > 0 {
		x--
		rev = append(rev, LineOp{' ', a[x]})
	}
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev
}

// Hunk is a run of edits with the lines kept around them, as diff -u
// shows it: "@@ -ASTART,ALEN +BSTART,BLEN @@" then its lines.
type Hunk struct {
	Header string
	Lines  []LineOp
}

// Hunks groups ops into hunks with context kept lines around each edit.
func Hunks(ops []LineOp, context int) []Hunk {
	var out []Hunk
	i := 0
	ai, bi := 0, 0 // lines of a and b before ops[i]
	for i < len(ops) {
		// The next edit.
		j := i
		for j < len(ops) && ops[j].Kind == ' ' {
			j++
		}
		if j == len(ops) {
			break
		}
		start := max(j-context, i)
		ai, bi = ai+start-i, bi+start-i // kept lines, in both
		// Extend while the kept run between edits is short enough to join.
		end := j
		for end < len(ops) {
			if ops[end].Kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].Kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*context {
				end = min(end+context, len(ops))
				break
			}
			end = run
		}
		h := Hunk{Lines: ops[start:end]}
		alen, blen := 0, 0
		for _, op := range h.Lines {
			if op.Kind != '+' {
				alen++
			}
			if op.Kind != '-' {
				blen++
			}
		}
		h.Header = "@@ -" + span(ai, alen) + " +" + span(bi, blen) + " @@"
		out = append(out, h)
		ai, bi = ai+alen, bi+blen
		i = end
	}
	return out
}

// span is a hunk's range as diff -u writes it: "START,LEN", 1-based, and
// the line before an empty range.
func span(before, n int) string {
	start := before + 1
	if n == 0 {
		start = before
	}
	if n == 1 {
		return strconv.Itoa(start)
	}
	return strconv.Itoa(start) + "," + strconv.Itoa(n)
}
