package main

import (
	"strings"

	"github.com/spf13/cobra"
)

// rootArgs checks the explorer's arguments: at most one REF, and not a
// mistyped command. A bare word one edit from a command (`tgas` for
// tags) is taken for a typo, not for an image of Docker Hub's library;
// such an image is still reached as library/WORD.
func rootArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	word := args[0]
	bare := !strings.ContainsAny(word, "/:@.")
	if bare {
		if near := nearestCommand(cmd, word); near != nil {
			if len(args) > 1 {
				return usagef("unknown command %q; did you mean %q?", word, near.CommandPath())
			}
			return usagef("unknown command %q; did you mean %q? (the repository is library/%s)", word, near.CommandPath(), word)
		}
	}
	if len(args) > 1 {
		if bare {
			return usagef("unknown command %q for %q", word, cmd.CommandPath())
		}
		return usagef("expected at most 1 argument(s), got %d", len(args))
	}
	return nil
}

// nearestCommand is the available command one edit away from word (a
// letter added, dropped, changed, or two swapped), if any. Two edits
// would take images for typos: redis is two from repos.
func nearestCommand(root *cobra.Command, word string) *cobra.Command {
	var best *cobra.Command
	bestD := 2
	w := strings.ToLower(word)
	for _, c := range root.Commands() {
		if !c.IsAvailableCommand() && c.Name() != "help" {
			continue
		}
		for _, name := range append([]string{c.Name()}, c.Aliases...) {
			if d := editDistance(w, name); d < bestD {
				best, bestD = c, d
			}
		}
	}
	return best
}

// editDistance is the optimal string alignment distance of a and b, in
// bytes: Levenshtein's, with two adjacent letters swapped one edit.
func editDistance(a, b string) int {
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
