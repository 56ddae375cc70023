package main

import (
	"context"
	"fmt"
)

// printOverview prints what the explorer would open on, for when standard
// output is not a terminal.
func (o *rootOptions) printOverview(ctx context.Context, args []string) error {
	if len(args) == 0 && !o.demo {
		return usagef("expected a reference (or --demo); see 'platypus --help'")
	}
	host := ""
	if len(args) == 0 {
		h, err := o.resolveHost("")
		if err != nil {
			return err
		}
		host = h
	}
	c, err := o.registry(host)
	if err != nil {
		return err
	}
	if host != "" {
		repos, err := c.AllRepositories(ctx, host)
		if err != nil {
			return err
		}
		fmt.Fprintf(o.stdout, "registry %s\n", host)
		for _, r := range repos {
			tags, err := c.AllTags(ctx, mustRepo(host, r))
			if err != nil {
				return err
			}
			fmt.Fprintf(o.stdout, "  %-32s %d tag(s)\n", r, len(tags))
		}
		return nil
	}
	return fmt.Errorf("not implemented yet")
}
