package model

import "cmp"

// CompareNearness orders tag names by how near they are to name: longer
// common prefix first, then smaller edit distance, then natural order. The
// diagnosis lists alternatives this way, so "nanoserver-sac2016" comes
// first for "nanoserver".
func CompareNearness(name, a, b string) int {
	if c := cmp.Compare(commonPrefix(name, b), commonPrefix(name, a)); c != 0 {
		return c
	}
	if c := cmp.Compare(EditDistance(name, a), EditDistance(name, b)); c != 0 {
		return c
	}
	return CompareVersions(a, b)
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// EditDistance is the optimal string alignment distance of a and b, in
// bytes: Levenshtein's, with two adjacent letters swapped one edit (the
// commonest typo). Names longer than 128 bytes are not compared: the
// distance is then the longer length, so a hostile name costs nothing.
func EditDistance(a, b string) int {
	if len(a) > 128 || len(b) > 128 {
		return max(len(a), len(b))
	}
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
