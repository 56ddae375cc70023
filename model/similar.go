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
	if c := cmp.Compare(editDistance(name, a), editDistance(name, b)); c != 0 {
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

// editDistance is the Levenshtein distance, bounded to names of tags.
func editDistance(a, b string) int {
	if len(a) > 128 || len(b) > 128 {
		return max(len(a), len(b))
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
