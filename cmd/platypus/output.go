package main

import (
	"fmt"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/platypus-tui/platypus/model"
)

// outputFlag is the -o flag of commands that print data.
type outputFlag struct{ format string }

func (f *outputFlag) register(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&f.format, "output", "o", "table", "output format: table or json")
	_ = cmd.RegisterFlagCompletionFunc("output", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"table", "json"}, cobra.ShellCompDirectiveNoFileComp
	})
}

func (f *outputFlag) validate() error {
	switch f.format {
	case "table", "json":
		return nil
	}
	return usagef("unknown output format %q: use table or json", f.format)
}

func (f *outputFlag) json() bool { return f.format == "json" }

// progress reports long reads on standard error when it is a terminal
// (and the output is not JSON), at most ten times a second.
func (o *rootOptions) progress(quiet bool, what string) func(done, total int64) {
	if quiet || !isTerminal(o.stderr) {
		return nil
	}
	var mu sync.Mutex
	var last time.Time
	return func(done, total int64) {
		mu.Lock()
		defer mu.Unlock()
		if done < total && time.Since(last) < 100*time.Millisecond {
			return
		}
		last = time.Now()
		fmt.Fprintf(o.stderr, "\r%s: %s of %s ", what, model.HumanSize(done), model.HumanSize(total))
		if done >= total {
			fmt.Fprint(o.stderr, "\r\x1b[K")
		}
	}
}
