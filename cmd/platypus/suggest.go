package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/platypus-tui/platypus/model"
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
			if d := model.EditDistance(w, name); d < bestD {
				best, bestD = c, d
			}
		}
	}
	return best
}
